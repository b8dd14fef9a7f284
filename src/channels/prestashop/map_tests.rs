//! Mapping tests: the fixture order (a real webservice answer, tests/fixtures/NOTICE) and
//! hand-written ones in its shape.
use super::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;

const FIXTURE: &str =
    include_str!("../../../tests/fixtures/prestashop/order-amazon-fr-foxchip.json");

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal")
}

fn related() -> Related {
    let mut r = Related::default();
    r.currencies
        .insert("1".into(), json!({"id": 1, "iso_code": "EUR"}));
    r.carriers
        .insert("103".into(), json!({"id": 103, "name": "Colissimo"}));
    r.countries
        .insert("8".into(), json!({"id": 8, "iso_code": "FR"}));
    r.customers.insert(
        "532822".into(),
        json!({"id": 532822, "firstname": "Élodie", "lastname": "Martin",
               "email": "elodie@example.fr", "is_guest": "0"}),
    );
    r.addresses.insert(
        "967452".into(),
        json!({"id": "967452", "id_country": "8", "firstname": "Élodie", "lastname": "Martin",
               "address1": "1 rue de la Paix", "address2": "", "postcode": "75002",
               "city": "Paris", "phone": "", "phone_mobile": "0612345678"}),
    );
    r
}

fn fixture() -> Value {
    let v: Value = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    v["order"].clone()
}

#[test]
fn the_fixture_order_reads_with_its_related_objects() {
    let node = fixture();
    let f = fetched_order(&node, 0, &related(), &PsStatuses::default());
    assert_eq!(f.remote_id, "549085");
    assert_eq!(f.name.as_deref(), Some("549085"));
    let o = f.order.expect("the order reads");
    assert_eq!(o.currency, "EUR");
    assert_eq!(o.total, dec("20.23"));
    assert_eq!(o.tax_total, dec("3.37"));
    assert_eq!(o.shipping_total, dec("8.5"));
    assert_eq!(o.subtotal, dec("11.73"));
    assert_eq!(
        o.fulfillment,
        RemoteFulfillment::Fulfilled,
        "state 4, shipped"
    );
    assert_eq!(o.financial, RemoteFinancial::Paid, "valid is \"1\"");
    assert_eq!(o.financial_label, "Shipped");
    assert!(!o.cancelled);
    assert_eq!(o.email.as_deref(), Some("elodie@example.fr"));
    assert_eq!(o.phone.as_deref(), Some("0612345678"));
    let c = o.customer.expect("a customer");
    assert_eq!(
        (c.remote_id.as_str(), c.first_name.as_str()),
        ("532822", "Élodie")
    );
    assert_eq!(o.shipping_address.expect("an address").country, "FR");
    let s = o.shipping.expect("a carrier");
    assert_eq!((s.title.as_str(), s.pickup), ("Colissimo", false));
    assert_eq!(o.payment_gateways, ["Amazon - FR"]);
    assert_eq!(o.lines.len(), 1);
    let l = &o.lines[0];
    assert_eq!(
        l.name,
        "Porte Clé Capitaine Flam - Professeur Simon Gomme 8cm"
    );
    assert_eq!(l.sku.as_deref(), Some("4589504961513"));
    assert_eq!((l.variant_id.clone(), l.quantity), (None, 1));
    assert_eq!((l.unit_price, l.total), (dec("11.73"), dec("11.73")));
    assert_eq!(o.created_at.to_rfc3339(), "2024-07-05T16:40:18+00:00");
}

#[test]
fn ids_and_quantities_as_text_and_a_guest_read() {
    let mut node = fixture();
    node["id"] = json!("549085");
    node["current_state"] = json!("6");
    node["associations"]["order_rows"][0]["product_quantity"] = json!("2");
    node["associations"]["order_rows"][0]["product_attribute_id"] = json!("44");
    let mut r = related();
    r.customers.get_mut("532822").expect("c")["is_guest"] = json!("1");
    let o = fetched_order(&node, 0, &r, &PsStatuses::default())
        .order
        .expect("reads");
    assert!(o.cancelled && o.customer.is_none());
    assert_eq!(o.email.as_deref(), Some("elodie@example.fr"));
    assert_eq!(o.lines[0].quantity, 2);
    assert_eq!(o.lines[0].total, dec("23.46"));
    assert_eq!(o.lines[0].variant_id.as_deref(), Some("44"));
}

#[test]
fn a_bad_field_is_named_and_a_bad_id_keeps_the_place() {
    let mut node = fixture();
    node["total_paid_tax_incl"] = json!("20,23");
    let f = fetched_order(&node, 0, &related(), &PsStatuses::default());
    let e = f.order.expect_err("does not read");
    assert!(e.contains("total_paid_tax_incl"), "{e}");
    node["id"] = json!(null);
    let f = fetched_order(&node, 3, &related(), &PsStatuses::default());
    assert_eq!(f.remote_id, "unreadable-3");
    let mut node = fixture();
    node["id_currency"] = json!(9);
    let e = fetched_order(&node, 0, &related(), &PsStatuses::default())
        .order
        .expect_err("no such currency");
    assert!(e.contains("id_currency"), "{e}");
}
