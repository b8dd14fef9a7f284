//! Shipping manifests (issue 16): the life cycle in the engine and its refusals, and bulk
//! status changes reported per order.

mod engine_common;

use engine_common::*;
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;
use orderdesk::domain::manifest::ManifestState;
use orderdesk::domain::outbox::ShopChange;
use orderdesk::engine::{Engine, EngineError};

/// Books orders 5001.. and moves each to ready to ship; their local ids.
fn ready(e: &Engine, names: &[&str]) -> Vec<u64> {
    let orders: Vec<_> = names.iter().map(|n| order(n, &[("MUG", 1)])).collect();
    feed(e, &orders.iter().collect::<Vec<_>>());
    names
        .iter()
        .map(|n| {
            let id = get(e, n).id;
            e.change_status(id, &StatusChange::ReadyToShip)
                .expect("ready to ship");
            id
        })
        .collect()
}

fn refused(r: Result<impl std::fmt::Debug, EngineError>) -> String {
    match r {
        Err(EngineError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_manifest_ships_its_orders_and_queues_one_fulfilment_with_tracking_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let ids = ready(&e, &["5001", "5002", "5003"]);
    let m = e.create_manifest("DHL").expect("created");
    assert_eq!(m.state, ManifestState::InPreparation);
    for (i, id) in ids.iter().enumerate() {
        e.add_to_manifest(m.id, *id, &format!(" JD00{i} "))
            .expect("added");
    }
    let before = e.outbox_to_send("web").expect("outbox").len();
    let shipped = e.ship_manifest(m.id).expect("shipped");
    assert_eq!(shipped.state, ManifestState::Shipped);
    assert_eq!(shipped.shipped_by.as_deref(), Some("anna"));
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            e.order_detail(*id).unwrap().unwrap().order.state,
            OrderState::Shipped
        );
        let items: Vec<_> = e
            .outbox_to_send("web")
            .expect("outbox")
            .into_iter()
            .filter(|it| it.order_id == *id)
            .collect();
        assert_eq!(items.len(), 1, "one notification for order {id}");
        assert_eq!(
            items[0].change,
            ShopChange::Fulfil {
                company: Some("DHL Express".into()),
                number: Some(format!("JD00{i}")),
                notify_customer: true,
            }
        );
        assert_eq!(shipped.orders[i].outbox_id, Some(items[0].id));
    }
    assert_eq!(e.outbox_to_send("web").unwrap().len(), before + 3);
    let detail = e.manifest_detail(m.id).unwrap().expect("kept");
    assert_eq!(detail.manifest, shipped);
    assert!(detail.sent.iter().all(Option::is_some));
    // Shipped: nothing more goes on it, and it does not ship twice.
    let more = ready(&e, &["5004"]);
    assert!(refused(e.add_to_manifest(m.id, more[0], "JD9")).contains("already shipped"));
    assert!(refused(e.ship_manifest(m.id)).contains("already shipped"));
    // Its orders are free again for a new manifest only while ready to ship (they are not).
    let next = e.create_manifest("DHL").expect("second");
    assert!(refused(e.add_to_manifest(next.id, ids[0], "JD1")).contains("shipped"));
}

#[test]
fn a_manifest_refuses_what_it_cannot_take() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    assert!(refused(e.create_manifest("UPS")).contains("mapped by no store"));
    let m = e.create_manifest("DHL").expect("created");
    assert!(refused(e.ship_manifest(m.id)).contains("has no orders"));
    // Not ready to ship: a booked order.
    feed(&e, &[&order("5101", &[("MUG", 1)])]);
    let booked = get(&e, "5101").id;
    assert!(refused(e.add_to_manifest(m.id, booked, "JD1")).contains("only a ready-to-ship"));
    // No tracking number.
    let ids = ready(&e, &["5102"]);
    assert!(matches!(
        e.add_to_manifest(m.id, ids[0], "  "),
        Err(EngineError::Form(_))
    ));
    // One open manifest at most, this one or another.
    e.add_to_manifest(m.id, ids[0], "JD2").expect("added");
    assert!(refused(e.add_to_manifest(m.id, ids[0], "JD3")).contains("already on open manifest"));
    let other = e.create_manifest("DHL").expect("other");
    let why = refused(e.add_to_manifest(other.id, ids[0], "JD3"));
    assert!(
        why.contains(&format!("already on open manifest {}", m.id)),
        "{why}"
    );
    // Taken off, it may go on the other one.
    e.remove_from_manifest(m.id, ids[0]).expect("taken off");
    e.add_to_manifest(other.id, ids[0], "JD3")
        .expect("added elsewhere");
    assert!(matches!(e.manifest_detail(999), Ok(None)));
    assert!(matches!(
        e.add_to_manifest(999, ids[0], "JD4"),
        Err(EngineError::NotFound(_))
    ));
}

#[test]
fn a_manifest_with_an_order_no_longer_ready_is_not_shipped_at_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let ids = ready(&e, &["5201", "5202"]);
    let m = e.create_manifest("DHL").expect("created");
    e.add_to_manifest(m.id, ids[0], "JD1").expect("added");
    e.add_to_manifest(m.id, ids[1], "JD2").expect("added");
    let queued = e.outbox_to_send("web").unwrap().len();
    e.change_status(
        ids[1],
        &StatusChange::Refused {
            reason: "out of stock".into(),
        },
    )
    .expect("refused");
    let queued = queued + 1;
    let why = refused(e.ship_manifest(m.id));
    assert!(why.contains("#5202 is refused"), "{why}");
    assert_eq!(
        e.order_detail(ids[0]).unwrap().unwrap().order.state,
        OrderState::ReadyToShip,
        "nothing of a refused shipping is written"
    );
    assert_eq!(e.outbox_to_send("web").unwrap().len(), queued);
}

#[test]
fn a_bulk_status_change_reports_each_order_and_one_refusal_stops_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    feed(
        &e,
        &[
            &order("5301", &[("MUG", 1)]),
            &stranger(order("5302", &[("MUG", 1)])),
            &order("5303", &[("TEE", 1)]),
        ],
    );
    let ids: Vec<u64> = ["5301", "5302", "5303"]
        .iter()
        .map(|n| get(&e, n).id)
        .collect();
    let mut events = e.subscribe();
    let out = e.change_status_many(&ids, &StatusChange::ReadyToShip);
    assert_eq!(out.len(), 3);
    let mut progress = Vec::new();
    while let Ok(ev) = events.try_recv() {
        if let orderdesk::engine::EngineEvent::BulkProgress { done, total } = ev {
            progress.push((done, total));
        }
    }
    assert_eq!(
        progress,
        [(1, 3), (2, 3), (3, 3)],
        "progress after each order"
    );
    assert_eq!(out[0].result, Ok("now ready to ship".to_string()));
    assert!(out[1].result.is_err(), "{:?}", out[1]);
    assert!(
        out[1].line().starts_with("web:5302: NOT DONE: "),
        "{}",
        out[1].line()
    );
    assert_eq!(out[2].result, Ok("now ready to ship".to_string()));
    assert_eq!(get(&e, "5303").state, OrderState::ReadyToShip);
    assert_eq!(get(&e, "5302").state, OrderState::CustomerIdNeeded);
}

#[test]
fn check_names_a_stale_manifest_index_and_a_gap_in_the_invoice_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let ids = ready(&e, &["5401", "5402"]);
    let m = e.create_manifest("DHL").expect("created");
    e.add_to_manifest(m.id, ids[0], "JD1").expect("added");
    let inv = e.generate_invoice(ids[1]).expect("invoice");
    let report = e.check().expect("check");
    assert!(report.is_clean(), "{report:?}");
    // The order taken out of the manifest index; the invoice renumbered 2 (no 1).
    e.tamper_for_tests("idx_manifest_order", &ids[0].to_be_bytes(), None)
        .expect("tamper");
    let mut renumbered = inv.clone();
    renumbered.seq = 2;
    let bytes = orderdesk::store::encode_record(&renumbered).expect("encode");
    e.tamper_for_tests("invoices", &inv.id.to_be_bytes(), Some(&bytes))
        .expect("tamper");
    let lines: Vec<String> = e
        .check()
        .expect("check")
        .differences
        .iter()
        .map(|d| format!("{}: {}", d.area, d.message))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("idx_manifest_order: missing entry")
                && l.contains(&format!("open manifest {}", m.id))),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("store web's invoice numbers are not 1 to 1")),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
}
