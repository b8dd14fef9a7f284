//! Checks on the seeded WooCommerce world: determinism, every case in WooCommerce's
//! statuses, money reconciled, expected.json true for WooCommerce's rules.

use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;

use super::money::read;
use super::seeded::DONE;
use super::{Seeded, WooOptions};

fn strip_dates(orders: &[Value]) -> Vec<Value> {
    let mut out = orders.to_vec();
    for o in &mut out {
        if let Value::Object(m) = o {
            m.retain(|k, _| !k.starts_with("date_"));
        }
    }
    out
}

#[test]
fn same_seed_same_world_other_seed_differs() {
    let a = Seeded::new(&WooOptions::default());
    let b = Seeded::new(&WooOptions::default());
    let c = Seeded::new(&WooOptions {
        seed: 2,
        ..WooOptions::default()
    });
    assert_eq!(strip_dates(&a.orders), strip_dates(&b.orders));
    assert_eq!(a.expected(), b.expected());
    assert_ne!(a.orders[50]["id"], c.orders[50]["id"]);
}

#[test]
fn cases_take_woocommerce_statuses_and_expected_follows_them() {
    let s = Seeded::new(&WooOptions::default());
    assert_eq!(s.orders.len(), 200);
    let by_case: BTreeMap<&str, (&Value, &str)> = s
        .expected()
        .iter()
        .zip(&s.orders)
        .map(|(e, o)| (e.case.as_str(), (o, e.state.as_str())))
        .collect();
    let want = [
        ("already_fulfilled", "completed", "skipped"),
        ("cancelled", "cancelled", "skipped"),
        ("refunded", "refunded", "skipped"),
        ("voided", "failed", "skipped"),
        ("payment_pending", "pending", "booked"),
        ("payment_authorized", "on-hold", "booked"),
        ("partially_refunded", "processing", "booked"),
        ("unknown_customer", "processing", "customer_id_needed"),
        ("all_lines_removed", "processing", "rejected"),
    ];
    for (case, status, state) in want {
        let (o, got) = by_case[case];
        assert_eq!((o["status"].as_str(), got), (Some(status), state), "{case}");
    }
    for (e, o) in s.expected().iter().zip(&s.orders) {
        assert_eq!(o["number"], e.name, "the number is the name");
        let done = DONE.contains(&o["status"].as_str().unwrap_or_default());
        assert_eq!(done, e.state == "skipped", "{}", e.case);
    }
    let guest = by_case["no_contact"].0;
    assert_eq!(guest["customer_id"], 0);
    assert_eq!(guest["billing"]["email"], "");
    let pickup = by_case["local_pickup"].0;
    assert_eq!(pickup["shipping_lines"][0]["method_id"], "local_pickup");
    assert!(by_case["custom_item_no_sku"].0["line_items"][0]["sku"].is_null());
    assert_eq!(by_case["empty_sku"].0["line_items"][0]["sku"], "");
    assert_eq!(by_case["other_currency"].0["currency"], "USD");
    assert_eq!(
        by_case["all_lines_removed"].0["line_items"],
        Value::Array(vec![])
    );
    let ids: Vec<u64> = s.orders.iter().filter_map(|o| o["id"].as_u64()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] + 2 <= w[1]),
        "ids rise with room for refunds"
    );
}

#[test]
fn totals_reconcile_and_dates_are_the_shops_wall_clock() {
    let s = Seeded::new(&WooOptions::default());
    for o in &s.orders {
        let lines: Decimal = o["line_items"].as_array().map_or(Decimal::ZERO, |l| {
            l.iter()
                .map(|x| read(&x["total"]) + read(&x["total_tax"]))
                .sum()
        });
        let ship = read(&o["shipping_total"]) + read(&o["shipping_tax"]);
        assert_eq!(lines + ship, read(&o["total"]), "{}", o["id"]);
        let local = o["date_created"].as_str().unwrap_or_default();
        let gmt = o["date_created_gmt"].as_str().unwrap_or_default();
        let parse = |t: &str| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S");
        let (Ok(l), Ok(g)) = (parse(local), parse(gmt)) else {
            panic!("dates of {}: {local} {gmt}", o["id"]);
        };
        assert_eq!((l - g).num_minutes(), -180);
    }
}
