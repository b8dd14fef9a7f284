//! Intake through the engine with a temporary store: the life cycle of a fetched order
//! (DESIGN.md §1 "The order life cycle", "Intake rules" 1 and 4, remote changes).

mod engine_common;

use engine_common::*;
use orderdesk::domain::intake::NoContact;
use orderdesk::domain::{OrderState, RemoteFinancial, RemoteFulfillment};
use orderdesk::engine::ProblemKind;

#[test]
fn booking_takes_stock_once_and_fetching_again_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let o = order("1001", &[("MUG", 2), ("TEE", 1)]);

    let t = feed(&e, &[&o]);
    assert_eq!((t.fetched, t.booked, t.parked), (1, 1, 0));
    let got = get(&e, "1001");
    assert_eq!(got.state, OrderState::Booked);
    assert_eq!(got.customer.id.as_deref(), Some("C1"));
    assert_eq!((stock(&e, "P1"), stock(&e, "P2")), (8, 4));
    assert_eq!(kinds(&e, got.id), ["fetched", "matched", "booked"]);
    check_counts(&e);

    // The same order again, as the next run's overlap sees it.
    for _ in 0..3 {
        let t = feed(&e, &[&o]);
        assert_eq!((t.fetched, t.booked, t.parked), (1, 0, 0));
    }
    let again = get(&e, "1001");
    assert_eq!(again.state, OrderState::Booked);
    assert_eq!((stock(&e, "P1"), stock(&e, "P2")), (8, 4));
    assert_eq!(kinds(&e, got.id).len(), 3);
    assert_eq!(e.counts().total, 1, "fetched again is never a second order");

    // Newer at the shop (say, the payment was captured) but the same lines: no stock change.
    let mut newer = o.clone();
    newer.updated_at = at(10);
    newer.financial_label = "paid (captured)".into();
    let t = feed(&e, &[&newer]);
    assert_eq!(
        t.booked, 0,
        "an order booked before is not booked again by this run"
    );
    let after = get(&e, "1001");
    assert_eq!(after.state, OrderState::Booked);
    assert_eq!(after.updated_at, at(10));
    assert!(after.conflicts.is_empty());
    assert_eq!((stock(&e, "P1"), stock(&e, "P2")), (8, 4));
    assert_eq!(
        kinds(&e, got.id),
        ["fetched", "matched", "booked", "updated"]
    );
    check_counts(&e);
}

#[test]
fn a_quantity_change_before_booking_updates_the_order_and_intake_runs_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let o = order("1002", &[("MUG", 1), ("NEW-1", 1)]);
    let t = feed(&e, &[&o]);
    assert_eq!(t.parked, 1);
    let parked = get(&e, "1002");
    assert_eq!(parked.state, OrderState::ProductMatchFailed);
    assert_eq!(parked.problems, [r#"line 2: no product with SKU "NEW-1""#]);
    assert_eq!(stock(&e, "P1"), 10, "a parked order takes no stock");

    // The shop changes a quantity; the product is still unknown.
    let mut changed = o.clone();
    changed.updated_at = at(5);
    changed.lines[0].quantity = 3;
    feed(&e, &[&changed]);
    let still = get(&e, "1002");
    assert_eq!(still.state, OrderState::ProductMatchFailed);
    assert_eq!(
        still.lines[0].quantity, 3,
        "the shop's quantity replaces ours"
    );
    assert!(still.conflicts.is_empty());
    assert_eq!(stock(&e, "P1"), 10);
    assert!(kinds(&e, still.id).contains(&"updated".to_string()));

    // The product now exists; the next change books with the shop's latest quantities.
    e.import_products("more.csv", "id,sku,name,stock\nP9,NEW-1,New thing,4\n")
        .expect("import");
    let mut again = changed.clone();
    again.updated_at = at(9);
    again.lines[1].quantity = 2;
    feed(&e, &[&again]);
    let booked = get(&e, "1002");
    assert_eq!(booked.state, OrderState::Booked);
    assert_eq!((stock(&e, "P1"), stock(&e, "P9")), (7, 2));
    assert!(booked.problems.is_empty());
    assert!(e.problems().expect("problems").is_empty());
    check_counts(&e);
}

#[test]
fn a_line_change_after_booking_is_a_conflict_and_stock_is_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let o = order("1003", &[("MUG", 2), ("TEE", 1)]);
    feed(&e, &[&o]);
    let mut changed = o.clone();
    changed.updated_at = at(5);
    changed.lines[0].quantity = 5;
    changed.lines[1].quantity = 0;
    for _ in 0..2 {
        feed(&e, &[&changed]);
    }
    let got = get(&e, "1003");
    assert_eq!(got.state, OrderState::Booked);
    assert_eq!(got.lines[0].quantity, 2, "booked lines are not changed");
    assert_eq!(got.conflicts.len(), 1, "{:?}", got.conflicts);
    assert!(
        got.conflicts[0].contains("quantity 2 -> 5"),
        "{:?}",
        got.conflicts
    );
    assert!(got.conflicts[0].contains("removed"), "{:?}", got.conflicts);
    assert_eq!((stock(&e, "P1"), stock(&e, "P2")), (8, 4));
    let conflicts: Vec<_> = e
        .problems()
        .expect("problems")
        .into_iter()
        .filter(|p| p.kind == ProblemKind::Conflict)
        .collect();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].order_id, Some(got.id));
    let status = e.status_json().expect("status");
    assert_eq!(status["problems"]["conflicts"], 1);
    assert_eq!(
        kinds(&e, got.id)
            .iter()
            .filter(|k| *k == "conflict")
            .count(),
        1
    );
    check_counts(&e);
}

#[test]
fn the_shop_cancelling_a_booked_order_gives_its_stock_back_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let o = order("1004", &[("MUG", 2), ("TEE", 1), ("MUG", 1)]);
    feed(&e, &[&o]);
    assert_eq!((stock(&e, "P1"), stock(&e, "P2")), (7, 4));

    let mut cancelled = o.clone();
    cancelled.updated_at = at(5);
    cancelled.cancelled = true;
    let t = feed(&e, &[&cancelled]);
    assert_eq!((t.cancelled, t.booked), (1, 0));
    let got = get(&e, "1004");
    assert_eq!(got.state, OrderState::Cancelled);
    assert_eq!((stock(&e, "P1"), stock(&e, "P2")), (10, 5));
    assert!(got.booked_stock.is_empty());
    assert!(kinds(&e, got.id).contains(&"cancelled".to_string()));

    // Fetched again, and then refunded at the shop (its lines go to 0): still given back once,
    // and a cancelled order has no stake in its lines.
    feed(&e, &[&cancelled]);
    let mut refunded = cancelled.clone();
    refunded.updated_at = at(8);
    refunded.financial = RemoteFinancial::Refunded;
    for l in &mut refunded.lines {
        l.quantity = 0;
    }
    feed(&e, &[&refunded]);
    let got = get(&e, "1004");
    assert_eq!(got.state, OrderState::Cancelled);
    assert_eq!((stock(&e, "P1"), stock(&e, "P2")), (10, 5));
    assert!(got.conflicts.is_empty(), "{:?}", got.conflicts);
    assert!(e.problems().expect("problems").is_empty());
    check_counts(&e);
}

#[test]
fn the_shop_cancelling_a_parked_order_cancels_it_and_its_problems_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let o = stranger(order("1005", &[("MUG", 1)]));
    feed(&e, &[&o]);
    assert_eq!(get(&e, "1005").state, OrderState::CustomerIdNeeded);
    assert_eq!(e.problems().expect("problems").len(), 1);

    let mut cancelled = o.clone();
    cancelled.updated_at = at(3);
    cancelled.cancelled = true;
    let t = feed(&e, &[&cancelled]);
    assert_eq!(t.cancelled, 1);
    assert_eq!(get(&e, "1005").state, OrderState::Cancelled);
    assert_eq!(stock(&e, "P1"), 10);
    assert!(e.problems().expect("problems").is_empty());
    assert_eq!(e.status_json().expect("status")["needs_action"], 0);
    check_counts(&e);
}

#[test]
fn the_shop_cancelling_a_shipped_or_completed_order_is_a_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut e = seeded(dir.path());
    let a = order("1006", &[("MUG", 1)]);
    let b = order("1007", &[("TEE", 2)]);
    feed(&e, &[&a, &b]);
    e = force_state(dir.path(), e, "1006", OrderState::Shipped);
    e = force_state(dir.path(), e, "1007", OrderState::Completed);
    check_counts(&e);

    let mut ca = a.clone();
    ca.cancelled = true;
    ca.updated_at = at(4);
    let mut cb = b.clone();
    cb.cancelled = true;
    cb.updated_at = at(4);
    let t = feed(&e, &[&ca, &cb]);
    assert_eq!(t.cancelled, 0);
    for (rid, state) in [
        ("1006", OrderState::Shipped),
        ("1007", OrderState::Completed),
    ] {
        let got = get(&e, rid);
        assert_eq!(got.state, state);
        assert_eq!(got.conflicts.len(), 1, "{rid}: {:?}", got.conflicts);
        assert!(got.conflicts[0].contains("cancelled at the shop"));
    }
    assert_eq!(
        (stock(&e, "P1"), stock(&e, "P2")),
        (9, 3),
        "no stock given back"
    );
    let n = e
        .problems()
        .expect("problems")
        .iter()
        .filter(|p| p.kind == ProblemKind::Conflict)
        .count();
    assert_eq!(n, 2);
    check_counts(&e);
}

#[test]
fn an_order_dealt_with_elsewhere_is_skipped_however_often_it_is_fetched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let mut fulfilled = order("2001", &[("MUG", 1)]);
    fulfilled.fulfillment = RemoteFulfillment::Fulfilled;
    let mut cancelled = order("2002", &[("MUG", 1)]);
    cancelled.cancelled = true;
    let mut refunded = order("2003", &[("MUG", 1)]);
    refunded.financial = RemoteFinancial::Refunded;
    let mut voided = order("2004", &[("MUG", 1)]);
    voided.financial = RemoteFinancial::Voided;
    let all = [&fulfilled, &cancelled, &refunded, &voided];
    for round in 0..3 {
        let t = feed(&e, &all);
        assert_eq!((t.fetched, t.skipped, t.booked), (4, 4, 0), "round {round}");
        assert!(t.touched.is_empty());
    }
    assert_eq!(e.counts().total, 0);
    assert!(e.all_orders(None).expect("orders").is_empty());
    assert_eq!(stock(&e, "P1"), 10);

    // Partly fulfilled, partly refunded: taken.
    let mut partly_sent = order("2005", &[("MUG", 1)]);
    partly_sent.fulfillment = RemoteFulfillment::PartiallyFulfilled;
    let mut partly_refunded = order("2006", &[("MUG", 1)]);
    partly_refunded.financial = RemoteFinancial::PartiallyRefunded;
    let t = feed(&e, &[&partly_sent, &partly_refunded]);
    assert_eq!((t.skipped, t.booked), (0, 2));
    assert_eq!(stock(&e, "P1"), 8);
    check_counts(&e);
}

#[test]
fn import_rules_reject_and_name_the_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let mut emptied = order("3001", &[("MUG", 0), ("TEE", 0)]);
    emptied.updated_at = at(1);
    let no_lines = order("3002", &[]);
    let silent = no_contact(order("3003", &[("MUG", 1)]));
    let mut forint = order("3004", &[("MUG", 1)]);
    forint.currency = "HUF".into();
    let t = feed(&e, &[&emptied, &no_lines, &silent, &forint]);
    assert_eq!((t.rejected, t.booked), (4, 0));

    for (rid, rule) in [
        ("3001", "no items"),
        ("3002", "no items"),
        ("3003", "no contact"),
        ("3004", "currency"),
    ] {
        let o = get(&e, rid);
        assert_eq!(o.state, OrderState::Rejected, "{rid}");
        assert_eq!(o.rejected_by.as_deref(), Some(rule), "{rid}");
        assert!(
            o.problems.iter().any(|p| p.contains(rule)),
            "{rid}: {:?}",
            o.problems
        );
        assert!(o.booked_stock.is_empty());
    }
    assert_eq!(stocks(&e)["P1"], 10);
    let rejected: Vec<_> = e
        .problems()
        .expect("problems")
        .into_iter()
        .filter(|p| p.kind == ProblemKind::Rejected)
        .collect();
    assert_eq!(rejected.len(), 4);
    assert!(rejected.iter().any(|p| p.text.contains("HUF")));
    assert_eq!(e.status_json().expect("status")["problems"]["rejected"], 4);
    check_counts(&e);
}

#[test]
fn no_contact_with_unspecified_books_to_one_unspecified_customer_per_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.no_contact = NoContact::Unspecified;
    let e = open_with(dir.path(), opts);
    e.import_products("p.csv", PRODUCTS).expect("import");
    let a = no_contact(order("3101", &[("MUG", 1)]));
    let b = no_contact(order("3102", &[("TEE", 1)]));
    feed(&e, &[&a]);
    feed(&e, &[&b]);
    let unspecified: Vec<_> = e
        .customers(None)
        .expect("customers")
        .into_iter()
        .filter(|c| c.unspecified_for.as_deref() == Some("web"))
        .collect();
    assert_eq!(unspecified.len(), 1, "{unspecified:?}");
    for rid in ["3101", "3102"] {
        let o = get(&e, rid);
        assert_eq!(o.state, OrderState::Booked);
        assert_eq!(o.customer.id.as_deref(), Some(unspecified[0].id.as_str()));
    }
    assert_eq!((stock(&e, "P1"), stock(&e, "P2")), (9, 4));
    check_counts(&e);
}

#[test]
fn an_order_failing_several_steps_is_in_the_first_and_lists_every_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    e.import_products("dup.csv", "id,sku,name\nP6,M,Small\nP7,M,Medium\n")
        .expect("import");
    let o = stranger(order("3201", &[("MUG", 1), ("NOPE", 2), ("M", 1)]));
    let t = feed(&e, &[&o]);
    assert_eq!(t.parked, 1);
    let got = get(&e, "3201");
    assert_eq!(got.state, OrderState::CustomerIdNeeded);
    assert_eq!(
        got.problems,
        [
            "no customer with email stranger@example.org",
            r#"line 2: no product with SKU "NOPE""#,
            r#"line 3: SKU "M" matches products P6 and P7"#,
        ]
    );
    let parked: Vec<_> = e
        .problems()
        .expect("problems")
        .into_iter()
        .filter(|p| p.kind == ProblemKind::Parked && p.order_id == Some(got.id))
        .map(|p| p.text)
        .collect();
    // One row for the order, its reasons in it.
    assert_eq!(parked, vec![got.problems.join("; ")]);
    assert_eq!(stock(&e, "P1"), 10);
    check_counts(&e);
}

#[test]
fn a_rejected_order_creates_no_customer_even_with_unknown_customer_create() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.unknown_customer = orderdesk::domain::intake::UnknownCustomer::Create;
    let e = open_with(dir.path(), opts);
    e.import_products("p.csv", PRODUCTS).expect("import");
    let mut forint = stranger(order("3301", &[("MUG", 1)]));
    forint.currency = "HUF".into();
    feed(&e, &[&forint]);
    assert_eq!(get(&e, "3301").state, OrderState::Rejected);
    assert!(
        e.customers(None).expect("customers").is_empty(),
        "a rejected order was not taken, so nobody is created from it"
    );
}

#[test]
fn one_batch_with_two_orders_of_a_new_customer_creates_that_customer_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.unknown_customer = orderdesk::domain::intake::UnknownCustomer::Create;
    let e = open_with(dir.path(), opts);
    e.import_products("p.csv", PRODUCTS).expect("import");
    let first = stranger(order("3401", &[("MUG", 1)]));
    let second = stranger(order("3402", &[("MUG", 2)]));
    let known = order("3403", &[("MUG", 1)]);
    let tally = feed(&e, &[&first, &known, &second]);
    assert_eq!(tally.booked, 3, "{tally:?}");
    let created: Vec<_> = e
        .customers(Some("stranger@example.org"))
        .expect("customers")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        created.len(),
        1,
        "one customer for both orders: {created:?}"
    );
    assert_eq!(get(&e, "3401").customer.id, Some(created[0].clone()));
    assert_eq!(get(&e, "3402").customer.id, Some(created[0].clone()));
    assert_eq!(stock(&e, "P1"), 10 - 4);
    check_counts(&e);
}

#[test]
fn an_order_twice_in_one_batch_is_stored_once_and_booked_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let mut again = order("3501", &[("MUG", 1)]);
    let first = again.clone();
    again.updated_at = first.updated_at + chrono::Duration::minutes(1);
    let tally = feed(&e, &[&first, &again]);
    assert_eq!(tally.booked, 1, "{tally:?}");
    let copies = e
        .all_orders(None)
        .expect("orders")
        .into_iter()
        .filter(|o| o.remote_id == "3501")
        .count();
    assert_eq!(copies, 1);
    assert_eq!(get(&e, "3501").updated_at, again.updated_at);
    assert_eq!(stock(&e, "P1"), 10 - 1);
    check_counts(&e);
}

/// The shop's order as read is kept only beside an order intake may run on again (layout 5):
/// a booked order keeps the payload alone; a parked one both, until it is booked. Intake's
/// entries of one order are one timeline record, read back as the entries in their order.
#[test]
fn only_an_order_intake_may_run_again_keeps_the_shop_order_as_read() {
    use orderdesk::store::Store;
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let t = feed(
        &e,
        &[
            &order("1001", &[("MUG", 1)]),
            &stranger(order("1002", &[("TEE", 1)])),
            &stranger(order("1003", &[("TEE", 1)])),
            &stranger(order("1004", &[("TEE", 1)])),
        ],
    );
    assert_eq!((t.booked, t.parked), (1, 3));
    let (booked, parked) = (get(&e, "1001"), get(&e, "1002"));
    assert_eq!(parked.state, OrderState::CustomerIdNeeded);
    assert_eq!(kinds(&e, booked.id), ["fetched", "matched", "booked"]);
    assert_eq!(kinds(&e, parked.id), ["fetched", "parked"]);
    let kept = |e: orderdesk::engine::Engine, id: u64| {
        drop(e);
        let store = retry(|| Store::open(dir.path()));
        let found = (
            store.order_raw(id).expect("raw").is_some(),
            store.shop_order(id).expect("shop order").is_some(),
        );
        drop(store);
        let e = retry(|| {
            orderdesk::engine::Engine::open(dir.path(), "anna", vec![settings("web", options())])
        });
        (found, e)
    };
    let ((raw, shop), e) = kept(e, booked.id);
    assert!(raw && !shop, "booked: the payload alone");
    let ((raw, shop), e) = kept(e, parked.id);
    assert!(raw && shop, "parked: the payload and the order as read");

    assert_eq!(
        e.identify_customer(parked.id, "C1").expect("identify"),
        OrderState::Booked
    );
    assert_eq!(
        kinds(&e, parked.id),
        ["fetched", "parked", "identified", "matched", "booked"]
    );
    check_counts(&e);
    assert!(e.check().expect("check").is_clean());
    let ((raw, shop), e) = kept(e, parked.id);
    assert!(raw && !shop, "booked after identifying: the payload alone");

    // A parked order cancelled at the shop never runs intake again either.
    let mut cancelled = stranger(order("1003", &[("TEE", 1)]));
    cancelled.updated_at = at(3);
    cancelled.cancelled = true;
    assert_eq!(feed(&e, &[&cancelled]).cancelled, 1);
    let gone = get(&e, "1003");
    assert_eq!(gone.state, OrderState::Cancelled);
    let ((raw, shop), e) = kept(e, gone.id);
    assert!(raw && !shop, "cancelled: the payload alone");

    // And one the operator refuses.
    let refused = get(&e, "1004");
    let reason = "not ours".to_string();
    e.change_status(
        refused.id,
        &orderdesk::domain::lifecycle::StatusChange::Refused { reason },
    )
    .expect("refuse");
    assert_eq!(get(&e, "1004").state, OrderState::Refused);
    let ((raw, shop), _e) = kept(e, refused.id);
    assert!(raw && !shop, "refused: the payload alone");
}
