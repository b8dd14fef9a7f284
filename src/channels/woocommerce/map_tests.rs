//! Mapping tests from hand-written orders in WooCommerce REST v3's shape.
use super::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal")
}

fn order(status: &str) -> Value {
    json!({
        "id": 901, "number": "901", "status": status, "currency": "EUR",
        "date_created_gmt": "2026-11-20T09:15:00", "date_modified_gmt": "2026-11-21T10:00:00",
        "discount_total": "0.00", "shipping_total": "4.90", "total": "29.90", "total_tax": "5.36",
        "prices_include_tax": true, "customer_id": "17", "date_paid_gmt": "2026-11-20T09:16:00",
        "transaction_id": "ch_123", "payment_method": "stripe", "payment_method_title": "Card",
        "billing": {"first_name": "Anna", "last_name": "Kovács", "company": "", "address_1": "Fő utca 1",
            "address_2": "", "city": "Budapest", "state": "", "postcode": "1011", "country": "HU",
            "email": "anna@example.com", "phone": "+36 1 234 5678"},
        "shipping": {"first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "",
            "city": "", "state": "", "postcode": "", "country": ""},
        "line_items": [
            {"id": "11", "name": "Mug &amp; Saucer", "product_id": 5, "variation_id": 0, "quantity": 2,
             "subtotal": "10.00", "total": "10.00", "sku": "", "price": 5},
            {"id": 12, "name": "Shirt", "product_id": "6", "variation_id": 61, "quantity": 3,
             "subtotal": "10.00", "total": "9.00", "sku": "SH-1", "price": 3.3333333333333335}
        ],
        "shipping_lines": [{"id": 3, "method_title": "Local pickup", "method_id": "local_pickup",
            "total": "4.90"}],
        "refunds": []
    })
}

fn read(v: &Value) -> Result<ShopOrder, String> {
    read_order(&At::root(v), &WooStatuses::default())
}

#[test]
fn an_order_reads_into_the_neutral_shape() {
    let o = read(&order("processing")).expect("reads");
    assert_eq!((o.remote_id.as_str(), o.name.as_str()), ("901", "901"));
    assert_eq!(o.updated_at.to_rfc3339(), "2026-11-21T10:00:00+00:00");
    assert_eq!(
        (o.total, o.subtotal, o.shipping_total),
        (dec("29.90"), dec("20.00"), dec("4.90"))
    );
    assert_eq!(o.financial, RemoteFinancial::Paid);
    assert_eq!(o.fulfillment, RemoteFulfillment::Unfulfilled);
    assert!(!o.cancelled && o.taxes_included);
    let c = o.customer.as_ref().expect("a registered customer");
    assert_eq!(
        (c.remote_id.as_str(), c.last_name.as_str()),
        ("17", "Kovács")
    );
    assert_eq!(
        o.shipping_address, None,
        "an empty shipping address is none"
    );
    let ship = o.shipping.as_ref().expect("a shipping line");
    assert!(ship.pickup && ship.cost == dec("4.90") && ship.title == "Local pickup");
    assert_eq!(o.lines[0].sku, None, "an empty SKU");
    assert_eq!(o.lines[0].variant_id, None, "variation 0 is none");
    assert_eq!(o.lines[0].name, "Mug & Saucer");
    assert_eq!(o.lines[1].variant_id.as_deref(), Some("61"));
    assert_eq!(o.lines[1].unit_price, dec("3.333333"));
    assert_eq!(o.authorization.as_deref(), Some("ch_123"));
    assert_eq!(o.payment_gateways, vec!["Card".to_string()]);
}

#[test]
fn statuses_map_onto_the_intake_rules() {
    let cases = [
        ("pending", false, RemoteFulfillment::Unfulfilled),
        ("on-hold", false, RemoteFulfillment::Unfulfilled),
        ("completed", false, RemoteFulfillment::Fulfilled),
        ("cancelled", true, RemoteFulfillment::Unfulfilled),
        ("failed", true, RemoteFulfillment::Unfulfilled),
        ("trash", true, RemoteFulfillment::Unfulfilled),
        ("awaiting-shipment", false, RemoteFulfillment::Other),
    ];
    for (status, cancelled, fulfillment) in cases {
        let o = read(&order(status)).expect(status);
        assert_eq!(
            (o.cancelled, o.fulfillment),
            (cancelled, fulfillment),
            "{status}"
        );
    }
    let mut unpaid = order("pending");
    unpaid["date_paid_gmt"] = Value::Null;
    let o = read(&unpaid).expect("reads");
    assert_eq!(o.financial, RemoteFinancial::Pending);
    assert_eq!(o.financial_label, "pending payment");
    assert_eq!(o.dealt_with_elsewhere(), None);
    let o = read(&order("refunded")).expect("reads");
    assert_eq!(o.financial, RemoteFinancial::Refunded);
    assert!(o.cancelled && o.dealt_with_elsewhere().is_some());
    assert_eq!(
        read(&order("on-hold")).expect("reads").financial_label,
        "on hold"
    );
}

#[test]
fn a_guest_and_ids_as_numbers() {
    let mut guest = order("processing");
    guest["customer_id"] = json!(0);
    guest["id"] = json!("902");
    let o = read(&guest).expect("reads");
    assert_eq!(o.customer, None);
    assert_eq!(o.remote_id, "902");
    assert!(o.has_contact());
}

#[test]
fn an_order_that_does_not_read_names_the_field() {
    let mut bad = order("processing");
    bad["total"] = json!("12,50");
    let f = fetched_order(&bad, 4, &WooStatuses::default());
    assert_eq!(f.remote_id, "901");
    assert_eq!(f.raw, bad.to_string());
    let why = f.order.expect_err("a bad total");
    assert!(why.contains("`total`") && why.contains("12,50"), "{why}");
    let mut no_id = order("processing");
    no_id["id"] = Value::Null;
    let f = fetched_order(&no_id, 4, &WooStatuses::default());
    assert_eq!(f.remote_id, "unreadable-4");
    let mut huge = order("processing");
    huge["total"] = json!("99999999999999999");
    assert!(read(&huge).is_err(), "beyond the shop limit");
}
