//! Mapping tests from hand-written orders in Magento 2 REST's shape.
use super::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal")
}

fn order(status: &str) -> Value {
    json!({
        "entity_id": 41, "increment_id": "000000041", "status": status, "state": "processing",
        "created_at": "2026-11-20 09:15:00", "updated_at": "2026-11-21 10:00:00",
        "base_currency_code": "EUR", "order_currency_code": "EUR",
        "base_grand_total": 104.9, "base_subtotal": 110, "base_tax_amount": 0,
        "base_discount_amount": -10, "base_shipping_amount": 4.9,
        "base_total_paid": 104.9, "base_total_invoiced": 104.9,
        "customer_id": 7, "customer_is_guest": 0, "customer_email": "anna@example.com",
        "customer_firstname": "Anna", "customer_lastname": "Kovács",
        "shipping_description": "Flat Rate - Fixed",
        "billing_address": {"firstname": "Anna", "lastname": "Kovács", "street": ["Fő utca 1", "2. em."],
            "city": "Budapest", "postcode": "1011", "country_id": "HU", "telephone": "+36 1 234 5678"},
        "payment": {"method": "checkmo", "last_trans_id": null},
        "items": [
            {"item_id": 90, "product_id": 500, "product_type": "configurable", "sku": "HOOD-XS-BLUE",
             "name": "Hoodie", "qty_ordered": 2, "qty_canceled": 0, "qty_refunded": 0, "qty_shipped": 0,
             "base_price": 50, "base_row_total": 100, "base_discount_amount": 10},
            {"item_id": 91, "parent_item_id": 90, "product_id": 501, "product_type": "simple",
             "sku": "HOOD-XS-BLUE-C", "name": "Hoodie-XS-Blue", "qty_ordered": 2, "base_price": 0,
             "base_row_total": 0},
            {"item_id": 92, "product_id": 77, "product_type": "simple", "sku": " MUG ", "name": "Mug",
             "qty_ordered": 3, "qty_canceled": 1, "qty_refunded": 0, "qty_shipped": 0,
             "base_price": 5, "base_row_total": 15}
        ],
        "status_histories": [],
        "extension_attributes": {"shipping_assignments": [{"shipping": {
            "method": "flatrate_flatrate",
            "address": {"firstname": "Anna", "lastname": "Kovács", "street": ["Fő utca 1"],
                "city": "Budapest", "postcode": "1011", "country_id": "HU", "telephone": null}}}]}
    })
}

fn read(v: &Value) -> Result<ShopOrder, String> {
    read_order(&At::root(v), &MagentoStatuses::default())
}

#[test]
fn an_order_reads_with_entity_id_apart_from_increment_id() {
    let o = read(&order("processing")).expect("reads");
    assert_eq!((o.remote_id.as_str(), o.name.as_str()), ("41", "000000041"));
    assert_eq!(o.total, dec("104.9"));
    assert_eq!(o.discount_total, dec("10"));
    assert_eq!(o.financial, RemoteFinancial::Paid);
    assert_eq!(o.fulfillment, RemoteFulfillment::Unfulfilled);
    assert!(!o.cancelled);
    let c = o.customer.expect("a registered customer");
    assert_eq!(
        (c.remote_id.as_str(), c.last_name.as_str()),
        ("7", "Kovács")
    );
    let b = o.billing_address.expect("billing");
    assert_eq!(
        (b.address1.as_str(), b.address2.as_str()),
        ("Fő utca 1", "2. em.")
    );
    let s = o.shipping.expect("shipping");
    assert_eq!(
        (s.title.as_str(), s.cost, s.pickup),
        ("Flat Rate - Fixed", dec("4.9"), false)
    );
    assert_eq!(o.payment_gateways, ["checkmo"]);
}

#[test]
fn a_configurable_parent_and_child_are_one_line_with_the_child_s_sku() {
    let o = read(&order("processing")).expect("reads");
    assert_eq!(o.lines.len(), 2);
    let hoodie = &o.lines[0];
    assert_eq!(hoodie.sku.as_deref(), Some("HOOD-XS-BLUE-C"));
    assert_eq!(hoodie.variant_id.as_deref(), Some("501"));
    assert_eq!(hoodie.product_remote_id.as_deref(), Some("500"));
    assert_eq!(
        (hoodie.quantity, hoodie.unit_price, hoodie.total),
        (2, dec("50"), dec("90"))
    );
    let mug = &o.lines[1];
    assert_eq!(
        (mug.sku.as_deref(), mug.quantity, mug.variant_id.as_deref()),
        (Some("MUG"), 2, None)
    );
}

#[test]
fn a_guest_order_has_no_customer_but_keeps_its_email() {
    let mut v = order("pending");
    v["customer_is_guest"] = json!(1);
    v["customer_id"] = Value::Null;
    v["customer_firstname"] = Value::Null;
    let o = read(&v).expect("reads");
    assert!(o.customer.is_none());
    assert_eq!(o.email.as_deref(), Some("anna@example.com"));
    assert!(o.has_contact());
}

#[test]
fn statuses_shipments_and_refunds_read() {
    let o = read(&order("canceled")).expect("reads");
    assert!(o.cancelled);
    let mut v = order("complete");
    v["base_total_refunded"] = json!(4.9);
    let o = read(&v).expect("reads");
    assert_eq!(o.fulfillment, RemoteFulfillment::Fulfilled);
    assert_eq!(o.financial, RemoteFinancial::PartiallyRefunded);
    let mut v = order("processing");
    v["items"][0]["qty_shipped"] = json!(2);
    assert_eq!(
        read(&v).expect("reads").fulfillment,
        RemoteFulfillment::PartiallyFulfilled
    );
    v["items"][2]["qty_shipped"] = json!(2);
    assert_eq!(
        read(&v).expect("reads").fulfillment,
        RemoteFulfillment::Fulfilled
    );
    let mut v = order("pickup");
    v["extension_attributes"]["shipping_assignments"][0]["shipping"]["method"] =
        json!("instore_pickup");
    assert!(read(&v).expect("reads").shipping.expect("shipping").pickup);
}

#[test]
fn an_order_that_does_not_read_keeps_its_id_and_says_why() {
    let mut v = order("processing");
    v["base_grand_total"] = json!("12,50");
    let f = fetched_order(&v, 3, &MagentoStatuses::default());
    assert_eq!(f.remote_id, "41");
    assert_eq!(f.name.as_deref(), Some("000000041"));
    let why = f.order.expect_err("a bad total");
    assert!(why.contains("base_grand_total"), "{why}");
    v["entity_id"] = Value::Null;
    let f = fetched_order(&v, 3, &MagentoStatuses::default());
    assert_eq!(f.remote_id, "unreadable-3");
    v["items"][0]["qty_ordered"] = json!(1.5);
    v["entity_id"] = json!(41);
    v["base_grand_total"] = json!(1);
    assert!(
        fetched_order(&v, 0, &MagentoStatuses::default())
            .order
            .is_err()
    );
}
