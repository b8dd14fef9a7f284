//! Checks on the seeded world: determinism, every case present, field names real, money
//! reconciled.

use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

use super::schema::schema;
use super::select::{is_connection, is_leaf, node_type};
use super::{Seeded, SimOptions};

/// Every key of `v` is a field of `ty` in the schema, all the way down.
fn check_shape(v: &Value, ty: &str, path: &str, bad: &mut Vec<String>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| check_shape(i, ty, path, bad)),
        Value::Object(map) if !is_leaf(ty) => {
            let ty = map.get("__typename").and_then(Value::as_str).unwrap_or(ty);
            let Some(obj) = schema().get_object(ty) else {
                bad.push(format!("{path}: {ty} is not an object type"));
                return;
            };
            for (k, child) in map {
                if k == "__typename" {
                    continue;
                }
                match obj.fields.get(k.as_str()) {
                    None => bad.push(format!("{path}.{k}: no such field on {ty}")),
                    Some(f) => {
                        let mut t = f.ty.inner_named_type().to_string();
                        if is_connection(&t) {
                            t = node_type(&t).unwrap_or_default();
                        }
                        check_shape(child, &t, &format!("{path}.{k}"), bad);
                    }
                }
            }
        }
        _ => {}
    }
}

fn strip_dates(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for k in [
                "createdAt",
                "updatedAt",
                "processedAt",
                "cancelledAt",
                "closedAt",
            ] {
                if m.get(k).is_some_and(Value::is_string) {
                    m.insert(k.into(), Value::Null);
                }
            }
            m.values_mut().for_each(strip_dates);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_dates),
        _ => {}
    }
}

fn amount(v: &Value) -> Decimal {
    v["shopMoney"]["amount"]
        .as_str()
        .and_then(|s| Decimal::from_str(s).ok())
        .unwrap_or(Decimal::MIN)
}

#[test]
fn same_seed_same_world_other_seed_differs() {
    let a = Seeded::new(&SimOptions::default());
    let b = Seeded::new(&SimOptions::default());
    let c = Seeded::new(&SimOptions {
        seed: 2,
        ..SimOptions::default()
    });
    assert_eq!(a.products_csv(), b.products_csv());
    assert_eq!(a.customers_csv(), b.customers_csv());
    assert_eq!(a.expected(), b.expected());
    let (mut oa, mut ob) = (Value::Array(a.orders()), Value::Array(b.orders()));
    strip_dates(&mut oa);
    strip_dates(&mut ob);
    assert_eq!(oa, ob);
    assert_ne!(a.products_csv(), c.products_csv());
    assert_ne!(a.customers_csv(), c.customers_csv());
    assert_ne!(
        a.orders()[50]["legacyResourceId"],
        c.orders()[50]["legacyResourceId"]
    );
    let dir = std::env::temp_dir().join(format!("orderdesk-sim-export-{}", std::process::id()));
    a.write_export(&dir)
        .map_err(|e| e.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    for f in ["products.csv", "customers.csv", "expected.json"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let exp: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(exp.len(), 200);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_case_is_present_with_its_state() {
    let s = Seeded::new(&SimOptions::default());
    let exp = s.expected();
    assert_eq!(exp.len(), 200);
    let by_case: BTreeMap<&str, &str> = exp
        .iter()
        .map(|e| (e.case.as_str(), e.state.as_str()))
        .collect();
    let want = [
        ("known_customer_email", "booked"),
        ("known_customer_phone_only", "booked"),
        ("known_customer_link_only", "booked"),
        ("unknown_customer", "customer_id_needed"),
        ("guest_email_matches", "booked"),
        ("no_contact", "booked"),
        ("known_skus", "booked"),
        ("unknown_sku", "product_match_failed"),
        ("ambiguous_sku", "product_match_failed"),
        ("empty_sku", "product_match_failed"),
        ("unknown_customer_and_sku", "customer_id_needed"),
        ("several_lines", "booked"),
        ("all_lines_removed", "rejected"),
        ("oversold", "booked"),
        ("non_ascii_name_hu", "booked"),
        ("taxes_and_discounts", "booked"),
        ("shipping_with_carrier", "booked"),
        ("local_pickup", "booked"),
        ("test_order", "booked"),
        ("other_currency", "rejected"),
        ("already_fulfilled", "skipped"),
        ("partially_fulfilled", "booked"),
        ("cancelled", "skipped"),
        ("refunded", "skipped"),
        ("ordinary", "booked"),
    ];
    for (case, state) in want {
        assert_eq!(by_case.get(case).copied(), Some(state), "{case}");
    }
    assert_eq!(exp[0].name, "1001");
    assert!(
        s.orders()
            .iter()
            .zip(&exp)
            .all(|(o, e)| o["name"] == format!("#{}", e.name))
    );
    let pickup = &s.orders()[exp
        .iter()
        .position(|e| e.case == "local_pickup")
        .unwrap_or(0)];
    assert_eq!(
        pickup["fulfillmentOrders"][0]["deliveryMethod"]["methodType"],
        "PICK_UP"
    );
    assert!(pickup["shippingAddress"].is_null());
    let phone = &s.orders()[1]["customer"];
    assert!(phone["email"].is_null() && phone["phone"].as_str().unwrap_or_default().contains(' '));
}

#[test]
fn orders_use_real_field_names_and_reconcile() {
    let s = Seeded::new(&SimOptions::default());
    let mut bad = Vec::new();
    for o in &s.orders() {
        check_shape(o, "Order", o["name"].as_str().unwrap_or("?"), &mut bad);
        let lines: Decimal = o["lineItems"].as_array().map_or(Decimal::ZERO, |ls| {
            ls.iter().map(|l| amount(&l["discountedTotalSet"])).sum()
        });
        assert_eq!(lines, amount(&o["subtotalPriceSet"]), "{}", o["name"]);
        let tax = if o["taxesIncluded"] == true {
            Decimal::ZERO
        } else {
            amount(&o["totalTaxSet"])
        };
        let total = amount(&o["subtotalPriceSet"]) + amount(&o["totalShippingPriceSet"]) + tax;
        assert_eq!(total, amount(&o["totalPriceSet"]), "{}", o["name"]);
    }
    assert!(bad.is_empty(), "{bad:#?}");
    // ages: all within 58 days, a few older than 50
    let now = chrono::Utc::now();
    let ages: Vec<i64> = s
        .orders()
        .iter()
        .filter_map(|o| o["createdAt"].as_str())
        .filter_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| (now - t.with_timezone(&chrono::Utc)).num_days())
        .collect();
    assert_eq!(ages.len(), 200);
    assert!(ages.iter().all(|d| *d < 58));
    assert!(ages.iter().any(|d| *d >= 50));
}
