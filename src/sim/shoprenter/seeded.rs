//! The seeded world (`crate::sim::seed`) in Shoprenter's shapes: each order an `orderExtend`
//! object as `?full=1` gives it, values as text, dates in Budapest time, prices net with a
//! 27% tax. Ids are base64 resource ids; the `href`s are paths until the server knows its
//! address ([`link`]).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::Path;

use super::ShoprenterOptions;
use super::state::{CANCELLED, PENDING, PROCESSING, SHIPPED, plain, resource_id, status_ref};
use crate::sim::seed::buyer::{Buyer, buyer, sold};
use crate::sim::seed::catalog::{self, Customer, Product};
use crate::sim::seed::shop_catalog::ShopCatalog;
use crate::sim::seed::{self, Expected, Plan, Planned, cases};

const TAX: Decimal = Decimal::from_parts(27, 0, 0, false, 2);

#[derive(Debug, Clone)]
pub struct Seeded {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    pub orders: Vec<Value>,
    /// The shop's own catalog (the seeded products and `ShoprenterOptions::catalog` more).
    pub catalog: ShopCatalog,
    expected: Vec<Expected>,
}

/// Shoprenter's dates: Budapest time, `YYYY-MM-DDTHH:MM:SS`.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Budapest)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// Shoprenter's text of an amount: four decimals.
pub fn money(d: Decimal) -> String {
    format!("{:.4}", d.round_dp(4))
}

fn status(spec: &cases::Spec) -> &'static str {
    match (spec.cancelled, spec.fulfillment, spec.financial) {
        (true, _, _) | (_, _, "VOIDED" | "REFUNDED") => CANCELLED,
        (_, "FULFILLED", _) => SHIPPED,
        (_, _, "PENDING" | "AUTHORIZED") => PENDING,
        _ => PROCESSING,
    }
}

/// The next number from `n` whose resource id is plain.
fn next_plain(resource: &str, key: &str, n: &mut u64) -> (u64, String) {
    loop {
        *n += 1;
        let id = resource_id(resource, key, *n);
        if plain(&id) {
            return (*n, id);
        }
    }
}

impl Seeded {
    pub fn new(opts: &ShoprenterOptions) -> Seeded {
        let mut plan = Plan::new(opts.orders, opts.seed);
        catalog::renumber(&mut plan.customers, |i, _| 30 + i as u64);
        let (mut orders, mut expected) = (Vec::new(), Vec::new());
        let (mut order_n, mut line_n) = (7_000, 90_000);
        for p in &plan.orders {
            let (n, id) = next_plain("order", "order_id", &mut order_n);
            let state = if [CANCELLED, SHIPPED].contains(&status(&p.spec)) {
                "skipped"
            } else {
                cases::expected_state(&p.spec, &opts.currency, true)
            };
            expected.push(Expected {
                name: n.to_string(),
                case: p.spec.case.to_string(),
                state: state.to_string(),
            });
            orders.push(build(p, &plan, &opts.currency, (n, id), &mut line_n));
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

/// Every `href` path made a whole address on `base`.
pub fn link(v: &mut Value, base: &str) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                match x {
                    Value::String(s) if k == "href" && s.starts_with('/') => {
                        *s = format!("{base}{s}");
                    }
                    _ => link(x, base),
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|x| link(x, base)),
        _ => {}
    }
}

fn address(b: &Buyer, kind: &str) -> Value {
    let c = b.address.as_ref();
    let f = |s: Option<&String>| s.cloned().unwrap_or_default();
    json!({
        format!("{kind}Firstname"): f(c.map(|c| &c.first_name)),
        format!("{kind}Lastname"): f(c.map(|c| &c.last_name)),
        format!("{kind}Address1"): f(c.map(|c| &c.address)), format!("{kind}Address2"): "",
        format!("{kind}City"): f(c.map(|c| &c.city)),
        format!("{kind}Postcode"): f(c.map(|c| &c.postal_code)),
        format!("{kind}CountryName"): f(c.map(|c| &c.country)),
        format!("{kind}Country"): c.map(|c| json!({"isoCode2": c.country_code})),
    })
}

fn total(kind: &str, name: &str, value: Decimal) -> Value {
    json!({"name": name, "type": kind, "value": money(value), "valueText": money(value)})
}

/// Order `(n, id)` as planned by `p`; its lines' numbers follow `line_n`.
fn build(
    p: &Planned,
    plan: &Plan,
    currency: &str,
    (n, id): (u64, String),
    line_n: &mut u64,
) -> Value {
    let spec = &p.spec;
    let mut products = Vec::new();
    let (mut subtotal, mut discount) = (Decimal::ZERO, Decimal::ZERO);
    for (j, l) in spec.lines.iter().enumerate() {
        let (name, unit, product_id) = sold(&plan.products, l, j);
        let row = unit * Decimal::from(l.current);
        let off = (row * Decimal::from(l.discount_pct) / Decimal::ONE_HUNDRED).round_dp(2);
        (subtotal, discount) = (subtotal + row, discount + off);
        let (_, line_id) = next_plain("orderProduct", "order_product_id", line_n);
        let product = resource_id("product", "product_id", product_id);
        products.push(json!({
            "href": format!("/orderProducts/{line_id}"), "id": line_id, "name": name,
            "sku": l.sku, "price": money(unit), "total": money(row - off), "taxRate": "27.0000",
            "quantity": l.current.to_string(), "product": {"href": format!("/products/{product}")},
        }));
    }
    let ship = if spec.pickup {
        Decimal::ZERO
    } else if spec.carrier {
        Decimal::new(690, 2)
    } else {
        Decimal::new(490, 2)
    };
    let (method, kind) = if spec.pickup {
        ("Személyes átvétel (pickup)", "PERSONAL_PICKUP")
    } else if spec.carrier {
        ("DHL futárszolgálat", "COURIER_SERVICE")
    } else {
        ("GLS házhozszállítás", "COURIER_SERVICE")
    };
    let tax = ((subtotal - discount) * TAX).round_dp(2);
    let grand = subtotal - discount + tax + ship;
    let shop_currency = match (spec.foreign, currency) {
        (true, "USD") => "GBP",
        (true, _) => "USD",
        (false, c) => c,
    };
    let b = buyer(spec, &plan.customers, p.index);
    let customer = b.account.map(
        |a| json!({"href": format!("/customers/{}", resource_id("customer", "customer_id", a))}),
    );
    let mut o = json!({
        "id": id, "href": format!("/orderExtend/{id}"), "innerId": n.to_string(),
        "firstname": b.first_name, "lastname": b.last_name,
        "email": b.email.clone().unwrap_or_default(), "phone": b.phone.clone().unwrap_or_default(),
        "shippingMethodName": method, "paymentMethodName": "Bankkártya", "paymentMethodCode": "card",
        "total": money(grand), "dateCreated": stamp(p.created), "dateUpdated": stamp(p.updated),
        "customer": customer, "orderStatus": status_ref("", status(spec)),
        "currency": {"code": shop_currency, "name": shop_currency},
        "shippingMode": {"shippingType": kind},
        "orderTotals": [
            total("SUB_TOTAL", "Nettó részösszeg:", subtotal),
            total("COUPON", "Kedvezmény:", -discount),
            total("TAX", "ÁFA (27%):", tax),
            total("SHIPPING", method, ship),
            total("TOTAL", "Összesen:", grand),
        ],
        "orderProducts": products,
    });
    for kind in ["payment", "shipping"] {
        if let (Value::Object(o), Value::Object(a)) = (&mut o, address(&b, kind)) {
            o.extend(a);
        }
    }
    o
}
