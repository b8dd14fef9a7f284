use super::*;
use crate::domain::platform::StatusMap;
use serde_json::json;

fn statuses() -> TrayStatuses {
    TrayStatuses::from_map(&StatusMap::from_parts(
        &super::super::statuses::FETCHED,
        &super::super::statuses::ON_CHANGE,
    ))
}

fn order() -> Value {
    json!({"Order": {
        "id": "1042", "status": "A ENVIAR", "date": "2026-03-02", "hour": "21:15:00",
        "modified": "2026-03-03 08:00:00", "partial_total": "120.00", "taxes": "0.00",
        "discount": "10.00", "shipment": "Retirar na loja", "shipment_value": "0.00",
        "total": "110.00", "has_payment": "1", "payment_method": "Pix", "sending_code": "",
        "Customer": {"id": "77", "name": "João da Silva", "email": "joao@example.com.br",
            "cellphone": "11987654321", "phone": "",
            "CustomerAddresses": [{"CustomerAddress": {"id": "5", "address": "Rua Augusta",
                "number": "1500", "complement": "ap 12", "neighborhood": "Consolação",
                "city": "São Paulo", "state": "SP", "zip_code": "01304-001", "country": "Brasil"}}]},
        "ProductsSold": [{"ProductsSold": {"id": "9001", "product_id": "13", "variant_id": "0",
            "reference": "CAFE-500", "name": "Café torrado 500 g", "quantity": "2", "price": "60.00"}}]
    }})
}

#[test]
fn a_complete_order_reads_in_utc_with_its_customer_and_lines() {
    let o = read_order(&At::root(&order()).get("Order"), &statuses(), "BRL").expect("reads");
    assert_eq!(o.created_at.to_rfc3339(), "2026-03-03T00:15:00+00:00");
    assert_eq!(o.updated_at.to_rfc3339(), "2026-03-03T11:00:00+00:00");
    assert_eq!(
        (o.total, o.discount_total),
        (Money::new(11000, 2), Money::new(1000, 2))
    );
    assert_eq!(o.currency, "BRL");
    assert_eq!(o.financial, RemoteFinancial::Paid);
    assert!(o.shipping.as_ref().is_some_and(|s| s.pickup));
    let c = o.customer.expect("an account");
    assert_eq!(
        (c.first_name.as_str(), c.last_name.as_str()),
        ("João", "da Silva")
    );
    assert_eq!(o.phone.as_deref(), Some("11987654321"));
    let a = o.shipping_address.expect("an address");
    assert_eq!(
        (a.address1.as_str(), a.country.as_str()),
        ("Rua Augusta, 1500", "BR")
    );
    assert_eq!(o.lines[0].sku.as_deref(), Some("CAFE-500"));
    assert_eq!(
        (o.lines[0].quantity, o.lines[0].variant_id.clone()),
        (2, None)
    );
    assert_eq!(o.lines[0].total, Money::new(12000, 2));
}

#[test]
fn cancelled_guest_and_broken_orders() {
    let mut v = order();
    v["Order"]["status"] = json!("CANCELADO");
    v["Order"]["Customer"]["id"] = json!("0");
    let o = read_order(&At::root(&v).get("Order"), &statuses(), "BRL").expect("reads");
    assert!(o.cancelled && o.customer.is_none());
    assert_eq!(o.email.as_deref(), Some("joao@example.com.br"));
    v["Order"]["ProductsSold"][0]["ProductsSold"]["quantity"] = json!("1.5");
    let f = fetched_order(&v, 0, &statuses(), "BRL");
    let e = f.order.expect_err("a half");
    assert!(e.contains("ProductsSold[0].ProductsSold.quantity"), "{e}");
    v["Order"]["id"] = json!(null);
    assert_eq!(
        fetched_order(&v, 3, &statuses(), "BRL").remote_id,
        "unreadable-3"
    );
}
