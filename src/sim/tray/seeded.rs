//! The seeded world (`crate::sim::seed`) in Tray's shapes: `{"Order": …}` as
//! `GET /orders/:id/complete` answers it, every value text, dates in Brasília time. Tray sells
//! in the store's one currency, so no order is in another; its prices include taxes.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::Path;

use super::TrayOptions;
use super::state::{CANCELLED, PAID_OPEN, PENDING, SENT, status_id};
use crate::sim::seed::buyer::{buyer, sold};
use crate::sim::seed::catalog::{self, Customer, Product, SKU_SHARED};
use crate::sim::seed::shop_catalog::ShopCatalog;
use crate::sim::seed::{self, Expected, Plan, Planned, cases};

#[derive(Debug, Clone)]
pub struct Seeded {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    /// Each order's `Order` object, oldest first.
    pub orders: Vec<Value>,
    /// The store's own catalog (the seeded products and `TrayOptions::catalog` more).
    pub catalog: ShopCatalog,
    expected: Vec<Expected>,
}

/// Brasília time as Tray writes it: `(date, time)`.
pub fn local(t: DateTime<Utc>) -> (String, String) {
    let t = t.with_timezone(&crate::channels::tray::session::zone());
    (
        t.format("%Y-%m-%d").to_string(),
        t.format("%H:%M:%S").to_string(),
    )
}

/// `YYYY-MM-DD HH:MM:SS` in Brasília time.
pub fn stamp(t: DateTime<Utc>) -> String {
    let (d, h) = local(t);
    format!("{d} {h}")
}

/// Tray's text of an amount: two decimals.
pub fn money(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

fn status(spec: &cases::Spec) -> &'static str {
    match (spec.cancelled, spec.fulfillment, spec.financial) {
        (true, _, _) | (_, _, "VOIDED" | "REFUNDED") => CANCELLED,
        (_, "FULFILLED", _) => SENT,
        (_, _, "PENDING" | "AUTHORIZED") => PENDING,
        _ => PAID_OPEN,
    }
}

impl Seeded {
    pub fn new(opts: &TrayOptions) -> Seeded {
        let mut plan = Plan::new(opts.orders, opts.seed);
        catalog::renumber(&mut plan.customers, |i, _| 1 + i as u64);
        let mut orders = Vec::with_capacity(plan.orders.len());
        let mut expected = Vec::with_capacity(plan.orders.len());
        for (n, p) in plan.orders.iter().enumerate() {
            let id = 40_001 + n as u64;
            // Tray cannot take an order in another currency: that case is an ordinary order.
            let mut spec = p.spec.clone();
            if spec.foreign {
                spec.state = cases::BOOKED;
            }
            (spec.foreign, spec.presentment_foreign) = (false, false);
            let state = if [CANCELLED, SENT].contains(&status(&spec)) {
                "skipped"
            } else {
                cases::expected_state(&spec, &opts.currency, true)
            };
            expected.push(Expected {
                name: id.to_string(),
                case: spec.case.to_string(),
                state: state.to_string(),
            });
            orders.push(build(p, &spec, &plan, id));
        }
        Seeded {
            catalog: ShopCatalog::new(&plan.products, opts.catalog),
            products: plan.products,
            customers: plan.customers,
            orders,
            expected,
        }
    }

    pub fn expected(&self) -> &[Expected] {
        &self.expected
    }

    pub fn write_export(&self, dir: &Path) -> std::io::Result<()> {
        seed::write_export(dir, &self.products, &self.customers, &self.expected)
    }
}

fn customer(b: &crate::sim::seed::buyer::Buyer) -> Value {
    let addresses: Vec<Value> = b
        .address
        .iter()
        .map(|c| {
            json!({"CustomerAddress": {"id": (c.shop_id * 3).to_string(),
                "customer_id": c.shop_id.to_string(), "address": c.address, "number": "",
                "complement": "", "neighborhood": "", "city": c.city, "state": "",
                "zip_code": c.postal_code, "country": c.country_code, "type": "1", "active": "1",
                "recipient": format!("{} {}", c.first_name, c.last_name)}})
        })
        .collect();
    json!({
        "id": b.account.unwrap_or(0).to_string(),
        "name": format!("{} {}", b.first_name, b.last_name).trim(),
        "email": b.email.clone().unwrap_or_default(),
        "cellphone": b.phone.clone().unwrap_or_default(), "phone": "",
        "CustomerAddresses": addresses,
    })
}

/// Order `id` as planned by `p` (`spec`: its case as Tray can have it).
fn build(p: &Planned, spec: &cases::Spec, plan: &Plan, id: u64) -> Value {
    let status = status(spec);
    let mut sold_lines = Vec::new();
    let (mut subtotal, mut discount) = (Decimal::ZERO, Decimal::ZERO);
    for (j, l) in spec.lines.iter().enumerate() {
        let (name, unit, product_id) = sold(&plan.products, l, j);
        let row = unit * Decimal::from(l.current);
        subtotal += row;
        discount += (row * Decimal::from(l.discount_pct) / Decimal::ONE_HUNDRED).round_dp(2);
        // The blue mug is sold as its variant (`crate::sim::seed::shop_catalog`).
        let shared = l.sku.as_deref().map(str::trim) == Some(SKU_SHARED);
        let variant_id = if shared { product_id + 500 } else { 0 };
        sold_lines.push(json!({"ProductsSold": {
            "id": (id * 10 + j as u64).to_string(), "order_id": id.to_string(),
            "product_id": product_id.to_string(), "variant_id": variant_id.to_string(),
            "reference": l.sku.clone().unwrap_or_default(), "name": name,
            "quantity": l.current.to_string(), "price": money(unit), "original_price": money(unit),
        }}));
    }
    let (shipment, integrator, ship) = if spec.pickup {
        ("Retirar na loja", "", Decimal::ZERO)
    } else if spec.carrier {
        ("DHL Express", "DHL", Decimal::new(690, 2))
    } else {
        ("Correios PAC", "Correios", Decimal::new(490, 2))
    };
    let (date, hour) = local(p.created);
    let paid = status == PAID_OPEN || status == SENT;
    json!({
        "id": id.to_string(), "status": status, "status_id": status_id(status).to_string(),
        "date": date, "hour": hour, "modified": stamp(p.updated),
        "customer_id": buyer(spec, &plan.customers, p.index).account.unwrap_or(0).to_string(),
        "partial_total": money(subtotal), "taxes": "0.00", "discount": money(discount),
        "shipment": shipment, "shipment_integrator": integrator, "shipment_value": money(ship),
        "total": money(subtotal - discount + ship), "has_payment": if paid { "1" } else { "0" },
        "payment_method": if paid { "Cartão de crédito" } else { "Boleto" },
        "sending_code": "", "sending_date": "0000-00-00", "store_note": "", "point_sale": "LOJA VIRTUAL",
        "OrderStatus": {"id": status_id(status).to_string(), "status": status},
        "Customer": customer(&buyer(spec, &plan.customers, p.index)),
        "ProductsSold": sold_lines,
    })
}
