//! What a plain move (ready to ship, completed) tells the shop: the status the store maps,
//! through the outbox; nothing, said on the timeline, where the store maps none; nothing at
//! all on a platform without status names (issue #13 §2).

mod engine_common;

use engine_common::*;
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;
use orderdesk::domain::outbox::ShopChange;
use orderdesk::domain::platform::{LocalChange, StatusMap};
use orderdesk::engine::Engine;
use rust_decimal::Decimal;
use std::path::Path;

/// Store `web` with these statuses (`None`: a platform without status names).
fn open_mapped(dir: &Path, statuses: Option<StatusMap>) -> Engine {
    let mut st = settings("web", options());
    st.statuses = statuses;
    let e = Engine::open(dir, "anna", vec![st]).expect("store opens");
    e.import_products("products.csv", PRODUCTS)
        .expect("products");
    e.import_customers("customers.csv", CUSTOMERS, None)
        .expect("customers");
    e
}

/// Books an order, then ready to ship, shipped, paid and completed: the changes queued for
/// the shop, in order, and the order's timeline entries of kind "not sent".
fn ship_and_complete(e: &Engine) -> (Vec<ShopChange>, Vec<String>) {
    feed(e, &[&order("4801", &[("MUG", 1)])]);
    let o = get(e, "4801");
    assert_eq!(o.state, OrderState::Booked);
    e.change_status(o.id, &StatusChange::ReadyToShip)
        .expect("ready to ship");
    let shipped = StatusChange::Shipped {
        carrier: "DHL".into(),
        tracking: "JD1".into(),
    };
    e.change_status(o.id, &shipped).expect("shipped");
    e.record_payment(o.id, "VISA", Decimal::new(1000, 2), "", false)
        .expect("paid");
    assert_eq!(
        e.change_status(o.id, &StatusChange::Completed)
            .expect("completed"),
        OrderState::Completed
    );
    let queued = e
        .outbox_to_send("web")
        .expect("outbox")
        .into_iter()
        .filter(|i| i.order_id == o.id)
        .map(|i| i.change)
        .collect();
    let not_told = e
        .order_detail(o.id)
        .expect("detail")
        .expect("order")
        .timeline
        .into_iter()
        .filter(|t| t.kind == "not sent")
        .map(|t| t.text)
        .collect();
    (queued, not_told)
}

fn fulfil() -> ShopChange {
    ShopChange::Fulfil {
        company: Some("DHL Express".into()),
        number: Some("JD1".into()),
        notify_customer: true,
    }
}

#[test]
fn ready_to_ship_and_completed_queue_the_statuses_the_store_maps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let map = StatusMap::from_parts(
        &["processing"],
        &[
            (LocalChange::ReadyToShip, "packing"),
            (LocalChange::Shipped, "shipped"),
            (LocalChange::Completed, "delivered"),
        ],
    );
    let e = open_mapped(dir.path(), Some(map));
    let (queued, not_told) = ship_and_complete(&e);
    assert_eq!(
        queued,
        [
            ShopChange::SetStatus {
                change: LocalChange::ReadyToShip,
                status: "packing".into()
            },
            fulfil(),
            ShopChange::SetStatus {
                change: LocalChange::Completed,
                status: "delivered".into()
            },
        ]
    );
    assert!(not_told.is_empty(), "{not_told:?}");
}

#[test]
fn a_move_the_store_maps_no_status_for_is_not_sent_and_the_timeline_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let map = StatusMap::from_parts(&["processing"], &[(LocalChange::Shipped, "shipped")]);
    let e = open_mapped(dir.path(), Some(map));
    let (queued, not_told) = ship_and_complete(&e);
    assert_eq!(queued, [fulfil()]);
    assert_eq!(
        not_told,
        [
            "the shop is not told: store web maps no status for ready to ship \
             ([store.statuses] ready_to_ship)",
            "the shop is not told: store web maps no status for completed \
             ([store.statuses] completed)",
        ]
    );
}

#[test]
fn a_platform_without_status_names_gets_no_status_and_no_word_of_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = open_mapped(dir.path(), None);
    let (queued, not_told) = ship_and_complete(&e);
    assert_eq!(queued, [fulfil()]);
    assert!(not_told.is_empty(), "{not_told:?}");
}
