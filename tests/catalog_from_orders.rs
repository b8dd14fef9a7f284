//! `catalog_from_orders = true`: a product an order names that the store's product key finds
//! nowhere joins the catalog (name, SKU, price, the shop's id as its remote code, unit
//! piece), once per key however many lines and orders name it; with the switch off nothing
//! is made.

mod engine_common;

use engine_common::*;
use orderdesk::domain::ShopOrder;
use orderdesk::domain::intake::IntakeOptions;
use orderdesk::domain::matching::ProductKey;
use orderdesk::engine::Engine;

fn store(dir: &std::path::Path, product_key: ProductKey, on: bool) -> Engine {
    let mut st = settings(
        "web",
        IntakeOptions {
            product_key,
            ..options()
        },
    );
    st.catalog_from_orders = on;
    let e = Engine::open(dir, "anna", vec![st]).expect("store opens");
    e.import_products("products.csv", PRODUCTS)
        .expect("products");
    e.import_customers("customers.csv", CUSTOMERS, None)
        .expect("customers");
    e
}

fn with_ids(mut o: ShopOrder, ids: &[&str]) -> ShopOrder {
    for (l, id) in o.lines.iter_mut().zip(ids) {
        l.variant_id = Some(id.to_string());
    }
    o
}

#[test]
fn a_new_sku_joins_the_catalog_once_and_books() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = store(dir.path(), ProductKey::Sku, true);
    let before = e.products(None).expect("p").len();
    let a = with_ids(order("5001", &[("NEW-1", 1), ("NEW-1", 2)]), &["77", "77"]);
    let b = with_ids(order("5002", &[("NEW-1", 1), ("NEW-2", 1)]), &["77", "78"]);
    feed(&e, &[&a, &b]);
    feed(&e, &[&with_ids(order("5003", &[("NEW-2", 1)]), &["78"])]);
    let products = e.products(None).expect("p");
    assert_eq!(products.len(), before + 2, "one product per SKU");
    let new1 = products.iter().find(|p| p.sku == "NEW-1").expect("NEW-1");
    assert_eq!(
        (new1.name.as_str(), new1.unit.as_str()),
        ("item 5001-1", "piece")
    );
    assert_eq!(new1.price.to_string(), "10.00");
    assert_eq!(new1.remote_codes.get("web").map(String::as_str), Some("77"));
    // No stock was counted for it: the orders booked oversell it (the Errors pane says so).
    assert_eq!((new1.stock, new1.oversold), (-4, true));
    for id in ["5001", "5002", "5003"] {
        let o = get(&e, id);
        assert!(
            o.lines.iter().all(|l| l.matched.product_id.is_some()),
            "{id}: {:?}",
            o.lines
        );
    }
    check_counts(&e);
}

#[test]
fn by_remote_id_a_known_sku_takes_the_code_and_off_makes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = store(dir.path(), ProductKey::RemoteId, true);
    let before = e.products(None).expect("p");
    let known = before
        .iter()
        .find(|p| !p.sku.is_empty())
        .expect("a product")
        .clone();
    let o = with_ids(order("6001", &[(known.sku.as_str(), 1)]), &["555"]);
    feed(&e, &[&o]);
    let after = e.products(None).expect("p");
    assert_eq!(after.len(), before.len(), "no second product for the SKU");
    let p = after
        .iter()
        .find(|p| p.id == known.id)
        .expect("the product");
    assert_eq!(p.remote_codes.get("web").map(String::as_str), Some("555"));
    assert_eq!(
        get(&e, "6001").lines[0].matched.product_id.as_deref(),
        Some(known.id.as_str())
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let off = store(dir.path(), ProductKey::Sku, false);
    let n = off.products(None).expect("p").len();
    feed(&off, &[&order("7001", &[("NEW-9", 1)])]);
    assert_eq!(off.products(None).expect("p").len(), n);
}
