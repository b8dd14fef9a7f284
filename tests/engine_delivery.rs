//! Delivery details on the timeline (DESIGN.md §1 "Timeline and audit"): an entry when the
//! order arrives and one for each change at the shop, before and after booking, never twice
//! for the same data.

mod engine_common;

use engine_common::*;
use orderdesk::domain::{OrderState, ShopAddress, ShopOrder, ShopShipping};
use orderdesk::engine::Engine;
use rust_decimal::Decimal;

/// `o` sent by DHL (Standard, 4.90) to Anna in Budapest.
fn shipped(mut o: ShopOrder) -> ShopOrder {
    o.shipping = Some(ShopShipping {
        title: "Standard".into(),
        carrier: Some("DHL".into()),
        cost: Decimal::new(490, 2),
        pickup: false,
    });
    o.shipping_address = Some(ShopAddress {
        first_name: "Anna".into(),
        last_name: "Kovács".into(),
        address1: "Fő utca 1".into(),
        city: "Budapest".into(),
        postal_code: "1011".into(),
        country: "HU".into(),
        ..ShopAddress::default()
    });
    o
}

/// The texts of the order's `delivery` entries, oldest first.
fn deliveries(e: &Engine, remote_id: &str) -> Vec<String> {
    e.order_detail(get(e, remote_id).id)
        .expect("detail")
        .expect("order")
        .timeline
        .into_iter()
        .filter(|t| t.kind == "delivery")
        .map(|t| t.text)
        .collect()
}

#[test]
fn delivery_details_go_on_the_timeline_on_arrival_and_each_change_after_booking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let o = shipped(order("5001", &[("MUG", 1)]));
    for _ in 0..3 {
        feed(&e, &[&o]);
    }
    let got = get(&e, "5001");
    assert_eq!(got.state, OrderState::Booked);
    assert_eq!(
        kinds(&e, got.id),
        ["fetched", "delivery", "matched", "booked"]
    );
    assert_eq!(
        deliveries(&e, "5001"),
        ["delivery: Standard, carrier DHL, 4.90 EUR, to Anna Kovács, Fő utca 1, 1011 Budapest, HU"]
    );

    // The shop moves the delivery after booking: recorded, kept, and not a conflict.
    let mut moved = o.clone();
    moved.updated_at = at(5);
    if let (Some(s), Some(a)) = (moved.shipping.as_mut(), moved.shipping_address.as_mut()) {
        s.cost = Decimal::new(690, 2);
        a.address1 = "Váci út 2".into();
    }
    for _ in 0..3 {
        feed(&e, &[&moved]);
    }
    // A newer copy with the same delivery and the same cost written 6.9 adds none.
    let mut newer = moved.clone();
    newer.updated_at = at(6);
    if let Some(s) = newer.shipping.as_mut() {
        s.cost = Decimal::new(69, 1);
    }
    feed(&e, &[&newer]);
    let got = get(&e, "5001");
    assert_eq!(got.state, OrderState::Booked);
    assert!(got.conflicts.is_empty(), "{:?}", got.conflicts);
    assert_eq!(
        got.shipping
            .as_ref()
            .and_then(|s| s.address.as_ref())
            .map(|a| a.address1.as_str()),
        Some("Váci út 2")
    );
    assert_eq!(stock(&e, "P1"), 9, "stock taken once");
    assert_eq!(
        deliveries(&e, "5001")[1..],
        [
            "delivery changed at the shop: cost 4.90 EUR -> 6.90 EUR; address Anna Kovács, \
          Fő utca 1, 1011 Budapest, HU -> Anna Kovács, Váci út 2, 1011 Budapest, HU"
        ]
    );
    assert_eq!(
        kinds(&e, got.id),
        [
            "fetched", "delivery", "matched", "booked", "delivery", "updated"
        ]
    );
    assert!(e.check().expect("check").is_clean());
}

#[test]
fn a_delivery_change_before_booking_is_recorded_as_intake_runs_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let o = shipped(stranger(order("5002", &[("MUG", 1)])));
    feed(&e, &[&o]);
    assert_eq!(get(&e, "5002").state, OrderState::CustomerIdNeeded);
    let mut pickup = o.clone();
    pickup.updated_at = at(3);
    pickup.shipping = Some(ShopShipping {
        title: "Local pickup".into(),
        carrier: None,
        cost: Decimal::ZERO,
        pickup: true,
    });
    pickup.shipping_address = None;
    feed(&e, &[&pickup, &pickup]);
    let got = get(&e, "5002");
    assert_eq!(got.state, OrderState::CustomerIdNeeded);
    assert!(got.shipping.as_ref().is_some_and(|s| s.pickup));
    assert_eq!(
        deliveries(&e, "5002"),
        [
            "delivery: Standard, carrier DHL, 4.90 EUR, to Anna Kovács, Fő utca 1, 1011 Budapest, HU",
            "delivery changed at the shop: delivery -> pickup; method Standard -> Local pickup; \
             carrier DHL -> none; cost 4.90 EUR -> 0.00 EUR; address Anna Kovács, Fő utca 1, \
             1011 Budapest, HU -> none",
        ]
    );
}
