//! Mapping tests from hand-written nodes in the shape `OrderFields` asks for.
use super::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal")
}

fn money(amount: &str) -> Value {
    json!({"shopMoney": {"amount": amount, "currencyCode": "EUR"}})
}

fn line(id: u64, sku: Value, quantity: i64, current: i64) -> Value {
    json!({
        "id": format!("gid://shopify/LineItem/{id}"), "sku": sku, "name": format!("Item {id}"),
        "quantity": quantity, "currentQuantity": current,
        "variant": {"legacyResourceId": format!("{}", id + 1000)},
        "product": {"legacyResourceId": "777"},
        "originalUnitPriceSet": {"shopMoney": {"amount": "12.50"}},
        "discountedTotalSet": {"shopMoney": {"amount": "22.50"}}
    })
}

fn full_order() -> Value {
    json!({
        "id": "gid://shopify/Order/5001", "legacyResourceId": "5001", "name": "#1042",
        "createdAt": "2026-11-20T09:15:00Z", "updatedAt": "2026-11-21T10:00:00+01:00",
        "test": false, "email": "anna@example.com", "phone": null, "currencyCode": "EUR",
        "displayFinancialStatus": "PARTIALLY_REFUNDED", "displayFulfillmentStatus": "UNFULFILLED",
        "cancelledAt": null, "taxesIncluded": true,
        "totalPriceSet": money("49.90"), "subtotalPriceSet": money("45.00"),
        "totalTaxSet": money("8.66"), "totalDiscountsSet": money("2.50"),
        "totalShippingPriceSet": money("4.90"),
        "customer": {"id": "gid://shopify/Customer/900", "legacyResourceId": "900",
            "firstName": "Anna", "lastName": "Kovács",
            "defaultEmailAddress": {"emailAddress": "anna@example.com"},
            "defaultPhoneNumber": {"phoneNumber": "+36301234567"}},
        "billingAddress": {"firstName": "Anna", "lastName": "Kovács", "address1": "Fő utca 1",
            "address2": null, "city": "Budapest", "zip": "1011", "countryCodeV2": "HU", "phone": "+36301234567"},
        "shippingAddress": {"firstName": "Anna", "lastName": "Kovács", "address1": "Fő utca 1",
            "address2": "2/3", "city": "Budapest", "zip": "1011", "countryCodeV2": "HU", "phone": null},
        "shippingLine": {"title": "DHL Express", "carrierIdentifier": null, "source": "dhl",
            "originalPriceSet": {"shopMoney": {"amount": "4.90"}}},
        "lineItems": {"pageInfo": {"hasNextPage": false, "endCursor": "abc"},
            "nodes": [line(1, json!("SKU-1"), 2, 2), line(2, json!("SKU-2"), 1, 1)]},
        "fulfillmentOrders": {"nodes": [{"deliveryMethod": {"methodType": "SHIPPING"}}]},
        "transactions": [
            {"kind": "AUTHORIZATION", "status": "FAILURE", "gateway": "shopify_payments", "authorizationCode": "NOPE"},
            {"kind": "SALE", "status": "SUCCESS", "gateway": "shopify_payments", "authorizationCode": "A1B2C3"},
            {"kind": "REFUND", "status": "SUCCESS", "gateway": "shopify_payments", "authorizationCode": "R9"}
        ],
        "paymentGatewayNames": ["shopify_payments"]
    })
}

fn read(node: Value) -> ShopOrder {
    match fetched_order(node, 0).order {
        Ok(order) => order,
        Err(why) => panic!("the order did not read: {why}"),
    }
}

#[test]
fn a_full_order_reads() {
    let o = read(full_order());
    assert_eq!(o.remote_id, "5001");
    assert_eq!(o.name, "1042");
    assert_eq!(o.updated_at.to_rfc3339(), "2026-11-21T09:00:00+00:00");
    assert_eq!(o.currency, "EUR");
    assert_eq!(
        (o.total, o.subtotal, o.tax_total),
        (dec("49.90"), dec("45.00"), dec("8.66"))
    );
    assert_eq!(
        (o.discount_total, o.shipping_total),
        (dec("2.50"), dec("4.90"))
    );
    assert!(o.taxes_included && !o.test && !o.cancelled);
    assert_eq!(o.financial, RemoteFinancial::PartiallyRefunded);
    assert_eq!(o.financial_label, "partially refunded");
    assert_eq!(o.fulfillment, RemoteFulfillment::Unfulfilled);
    let c = o.customer.as_ref().expect("a customer");
    assert_eq!(
        (c.remote_id.as_str(), c.last_name.as_str()),
        ("900", "Kovács")
    );
    assert_eq!(c.email.as_deref(), Some("anna@example.com"));
    assert_eq!(c.phone.as_deref(), Some("+36301234567"));
    let ship = o.shipping_address.as_ref().expect("a shipping address");
    assert_eq!(ship.one_line(), "Fő utca 1 2/3, 1011 Budapest, HU");
    assert_eq!(
        o.billing_address.as_ref().map(|a| a.address2.as_str()),
        Some("")
    );
    let s = o.shipping.as_ref().expect("shipping");
    assert_eq!(
        (s.title.as_str(), s.carrier.as_deref(), s.cost, s.pickup),
        ("DHL Express", Some("dhl"), dec("4.90"), false)
    );
    assert_eq!(o.lines.len(), 2);
    let l = &o.lines[0];
    assert_eq!(
        (l.remote_id.as_str(), l.sku.as_deref(), l.quantity),
        ("1", Some("SKU-1"), 2)
    );
    assert_eq!(
        (l.variant_id.as_deref(), l.product_remote_id.as_deref()),
        (Some("1001"), Some("777"))
    );
    assert_eq!((l.unit_price, l.total), (dec("12.50"), dec("22.50")));
    assert_eq!(
        o.authorization.as_deref(),
        Some("A1B2C3"),
        "the first successful sale, not the failed one"
    );
    assert_eq!(o.payment_gateways, vec!["shopify_payments".to_string()]);
}

#[test]
fn a_guest_order_has_no_customer() {
    let mut node = full_order();
    node["customer"] = Value::Null;
    node["email"] = json!("  ");
    let o = read(node);
    assert!(o.customer.is_none());
    assert_eq!(o.email, None, "blank contact reads as none");
    assert_eq!(
        o.phones(),
        vec!["+36301234567"],
        "the billing phone still counts"
    );
}

#[test]
fn empty_and_null_skus_read_as_none() {
    let mut node = full_order();
    node["lineItems"]["nodes"] = json!([
        line(1, json!(""), 1, 1),
        line(2, Value::Null, 1, 1),
        line(3, json!(" A-1 "), 1, 1)
    ]);
    node["lineItems"]["nodes"][1]["variant"] = Value::Null;
    let o = read(node);
    let skus: Vec<_> = o.lines.iter().map(|l| l.sku.clone()).collect();
    assert_eq!(skus, vec![None, None, Some("A-1".to_string())]);
    assert_eq!(o.lines[1].variant_id, None);
}

#[test]
fn removed_lines_keep_what_is_left() {
    let mut node = full_order();
    node["lineItems"]["nodes"] = json!([line(1, json!("A"), 3, 0), line(2, json!("B"), 3, 1)]);
    let o = read(node);
    let q: Vec<u32> = o.lines.iter().map(|l| l.quantity).collect();
    assert_eq!(
        q,
        vec![0, 1],
        "currentQuantity, not the quantity first ordered"
    );
}

#[test]
fn pickup_comes_from_the_delivery_method() {
    let mut node = full_order();
    node["fulfillmentOrders"]["nodes"] =
        json!([{"deliveryMethod": null}, {"deliveryMethod": {"methodType": "PICK_UP"}}]);
    node["shippingLine"] = json!({"title": "Pickup at the shop", "carrierIdentifier": null,
        "source": "shopify", "originalPriceSet": {"shopMoney": {"amount": "0.00"}}});
    let s = read(node.clone()).shipping.expect("shipping");
    assert!(s.pickup);
    assert_eq!((s.title.as_str(), s.carrier), ("Pickup at the shop", None));
    node["shippingLine"] = Value::Null;
    let s = read(node)
        .shipping
        .expect("a pickup without a shipping line");
    assert!(s.pickup);
}

#[test]
fn cancelled_and_statuses() {
    let mut node = full_order();
    node["cancelledAt"] = json!("2026-11-21T11:00:00Z");
    node["displayFinancialStatus"] = json!("VOIDED");
    node["displayFulfillmentStatus"] = json!("ON_HOLD");
    let o = read(node.clone());
    assert!(o.cancelled);
    assert_eq!(
        (o.financial, o.fulfillment),
        (RemoteFinancial::Voided, RemoteFulfillment::Other)
    );
    assert_eq!(o.dealt_with_elsewhere(), Some("cancelled at the shop"));
    node["displayFinancialStatus"] = Value::Null;
    let o = read(node.clone());
    assert_eq!(
        (o.financial, o.financial_label.as_str()),
        (RemoteFinancial::Unknown, "unknown")
    );
    node["displayFinancialStatus"] = json!("SOMETHING_NEW");
    assert_eq!(read(node).financial, RemoteFinancial::Unknown);
    for (s, f) in [
        ("PENDING", RemoteFinancial::Pending),
        ("AUTHORIZED", RemoteFinancial::Authorized),
        ("PARTIALLY_PAID", RemoteFinancial::PartiallyPaid),
        ("PAID", RemoteFinancial::Paid),
        ("REFUNDED", RemoteFinancial::Refunded),
        ("EXPIRED", RemoteFinancial::Expired),
    ] {
        assert_eq!(financial(Some(s)), f);
    }
    assert_eq!(fulfillment("FULFILLED"), RemoteFulfillment::Fulfilled);
    assert_eq!(
        fulfillment("PARTIALLY_FULFILLED"),
        RemoteFulfillment::PartiallyFulfilled
    );
}

#[test]
fn a_malformed_node_names_the_field_and_what_was_sent() {
    let mut node = full_order();
    node["totalPriceSet"]["shopMoney"]["amount"] = json!("49,90");
    let f = fetched_order(node, 3);
    assert_eq!(f.remote_id, "5001");
    assert_eq!(f.name.as_deref(), Some("1042"));
    assert!(f.updated_at.is_some(), "the cursor can still follow it");
    let why = f.order.expect_err("a bad amount");
    assert!(
        why.contains("totalPriceSet.shopMoney.amount") && why.contains("\"49,90\""),
        "{why}"
    );

    let mut node = full_order();
    node["lineItems"]["nodes"][1]["currentQuantity"] = json!(-1);
    let why = fetched_order(node, 0)
        .order
        .expect_err("a negative quantity");
    assert!(
        why.contains("lineItems.nodes[1].currentQuantity") && why.contains("-1"),
        "{why}"
    );

    let mut node = full_order();
    node["createdAt"] = json!("yesterday");
    let why = fetched_order(node, 0).order.expect_err("a bad date");
    assert!(
        why.contains("`createdAt`") && why.contains("yesterday"),
        "{why}"
    );
}

#[test]
fn an_order_without_a_legacy_id_uses_its_gid_and_one_without_any_id_a_placeholder() {
    let mut node = full_order();
    node["legacyResourceId"] = Value::Null;
    assert_eq!(fetched_order(node.clone(), 0).remote_id, "5001");
    node["id"] = json!(17.5);
    let raw = node.clone();
    let f = fetched_order(node, 4);
    assert_eq!(f.remote_id, "unreadable-4");
    let why = f.order.expect_err("no id");
    assert!(
        why.contains("legacyResourceId") && why.contains("unreadable-4"),
        "{why}"
    );
    assert_eq!(f.raw, raw.to_string(), "the raw node is kept as received");
}

#[test]
fn lines_not_all_read_are_not_taken_as_the_whole_order() {
    let mut node = full_order();
    node["lineItems"]["pageInfo"]["hasNextPage"] = json!(true);
    let why = fetched_order(node, 0).order.expect_err("missing lines");
    assert!(why.contains("more lines"), "{why}");
}
