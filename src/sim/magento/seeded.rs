//! The seeded world (`crate::sim::seed`) in Magento 2's shapes: the same seed gives the same
//! orders; only the dates move with the clock. `entity_id`s are small and sequential, as a
//! shop's are; the `increment_id` (the name people see) is the store's nine digits.

use crate::sim::seed::shop_catalog::ShopCatalog;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::Path;

use super::MagentoOptions;
use super::state::stamp;
use crate::sim::seed::cases::{self, Spec, Who};
use crate::sim::seed::catalog::{self, Customer, LINK_ONLY, PHONE_ONLY, Product, SKU_SHARED};
use crate::sim::seed::{self, Expected, Plan, Planned};

/// Statuses an order never seen before is skipped in: it is over at the shop.
pub const DONE: [&str; 3] = ["complete", "closed", "canceled"];

/// The tax rate on every line, excluded from prices (Magento's default display).
const TAX: Decimal = Decimal::from_parts(27, 0, 0, false, 2);

#[derive(Debug, Clone)]
pub struct Seeded {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    /// Each order one JSON value in the shape of Magento's order, oldest first.
    pub orders: Vec<Value>,
    /// The shop's own catalog (the seeded products and `MagentoOptions::catalog` more).
    pub catalog: ShopCatalog,
    expected: Vec<Expected>,
}

/// A JSON number of a decimal, as Magento writes amounts.
pub fn num(d: Decimal) -> Value {
    serde_json::from_str(&d.round_dp(4).normalize().to_string()).unwrap_or(Value::Null)
}

/// The name people see for order `id`.
pub fn increment_id(id: u64) -> String {
    format!("{}", 100_000_000 + id)
}

/// The status a case is in at the shop, in Magento's words.
pub fn status(spec: &Spec) -> &'static str {
    match (spec.cancelled, spec.fulfillment, spec.financial) {
        (true, _, _) | (_, _, "VOIDED") => "canceled",
        (_, _, "REFUNDED") => "closed",
        (_, "FULFILLED", _) => "complete",
        (_, _, "PENDING") => "pending",
        _ => "processing",
    }
}

impl Seeded {
    pub fn new(opts: &MagentoOptions) -> Seeded {
        let mut plan = Plan::new(opts.orders, opts.seed);
        // Magento customer ids are small and sequential.
        catalog::renumber(&mut plan.customers, |i, _| 1 + i as u64);
        let mut orders = Vec::with_capacity(plan.orders.len());
        let mut expected = Vec::with_capacity(plan.orders.len());
        for (n, p) in plan.orders.iter().enumerate() {
            let id = 1 + n as u64;
            let state = if DONE.contains(&status(&p.spec)) {
                "skipped"
            } else {
                cases::expected_state(&p.spec, &opts.currency, true)
            };
            expected.push(Expected {
                name: increment_id(id),
                case: p.spec.case.to_string(),
                state: state.to_string(),
            });
            orders.push(build(p, &plan, &opts.currency, id));
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

fn address(c: Option<&Customer>, kind: &str, email: Option<&str>, phone: Option<&str>) -> Value {
    let f = |s: Option<&str>| s.unwrap_or_default().to_string();
    json!({
        "address_type": kind, "firstname": f(c.map(|c| c.first_name.as_str())),
        "lastname": f(c.map(|c| c.last_name.as_str())), "street": [f(c.map(|c| c.address.as_str()))],
        "city": f(c.map(|c| c.city.as_str())), "postcode": f(c.map(|c| c.postal_code.as_str())),
        "country_id": f(c.map(|c| c.country_code.as_str())), "email": email, "telephone": phone,
    })
}

/// The customer fields of the order and its billing address.
fn who(spec: &Spec, cs: &[Customer], index: usize) -> (Value, Option<usize>) {
    let at = |i: usize| &cs[i % cs.len()];
    let registered = |c: &Customer, email: Option<&str>, phone: Option<&str>| {
        json!({"customer_id": c.shop_id, "customer_is_guest": 0, "customer_email": email,
            "customer_firstname": c.first_name, "customer_lastname": c.last_name,
            "billing_address": address(Some(c), "billing", email, phone)})
    };
    match &spec.who {
        Who::Known(i) => {
            let c = at(*i);
            (registered(c, Some(&c.email), Some(&c.phone)), Some(*i))
        }
        Who::KnownEmailCase(i) => {
            let c = at(*i);
            let e = format!(" {} ", c.email.to_uppercase());
            (registered(c, Some(&e), None), Some(*i))
        }
        Who::PhoneOnly => {
            let c = at(PHONE_ONLY);
            let p = format!(
                "{} {}",
                c.phone.get(..3).unwrap_or(""),
                c.phone.get(3..).unwrap_or("")
            );
            (registered(c, None, Some(&p)), Some(PHONE_ONLY))
        }
        Who::LinkOnly => {
            let c = at(LINK_ONLY);
            let o = registered(
                c,
                Some("odon.lakatos.new@example.org"),
                Some("+36705550000"),
            );
            (o, Some(LINK_ONLY))
        }
        Who::Unknown => {
            let mut c = cs[0].clone();
            c.first_name = "Hedda".into();
            c.last_name = "Gabler".into();
            c.shop_id = 900 + index as u64;
            let e = format!("hedda.gabler.{index}@example.no");
            (registered(&c, Some(&e), Some("+4722334455")), None)
        }
        Who::Guest(i) => {
            let c = at(*i);
            let e = c.email.to_uppercase();
            let o = json!({"customer_id": null, "customer_is_guest": 1, "customer_email": e,
                "customer_firstname": null, "customer_lastname": null,
                "billing_address": address(Some(c), "billing", Some(&e), None)});
            (o, Some(*i))
        }
        Who::Nobody => {
            let o = json!({"customer_id": null, "customer_is_guest": 1, "customer_email": null,
                "customer_firstname": null, "customer_lastname": null,
                "billing_address": address(None, "billing", None, None)});
            (o, None)
        }
    }
}

/// The items of one line: a configurable parent and its child for the shared SKU (a mug
/// chosen by colour), else one simple item. Amounts: price, row total, discount, tax.
fn items(spec: &Spec, plan: &Plan, id: u64, j: usize, shipped: bool) -> (Vec<Value>, [Decimal; 3]) {
    let l = &spec.lines[j];
    let trimmed = l.sku.as_deref().map(str::trim);
    let found = plan
        .products
        .iter()
        .position(|p| Some(p.sku.as_str()) == trimmed);
    let (name, unit, product_id) = match (found, &l.sku) {
        (Some(k), _) => (
            plan.products[k].name.clone(),
            plan.products[k].price,
            90 + k as u64,
        ),
        (None, None) => ("Gift wrapping".to_string(), Decimal::new(300, 2), 0),
        (None, Some(_)) => (
            "Mystery item".to_string(),
            Decimal::new(1500, 2),
            900 + j as u64,
        ),
    };
    let qty = Decimal::from(l.qty);
    let row = unit * qty;
    let discount = (row * Decimal::from(l.discount_pct) / Decimal::ONE_HUNDRED).round_dp(2);
    let tax = ((row - discount) * TAX).round_dp(2);
    let removed = l.qty - l.current;
    let item_id = id * 10 + j as u64;
    let configurable = trimmed == Some(SKU_SHARED);
    let mut item = json!({
        "item_id": item_id, "order_id": id, "product_id": product_id,
        "product_type": if configurable { "configurable" } else { "simple" },
        "sku": l.sku, "name": name, "qty_ordered": l.qty, "qty_canceled": removed, "qty_refunded": 0,
        "qty_invoiced": 0, "qty_shipped": if shipped { l.current } else { 0 },
        "price": num(unit), "base_price": num(unit), "row_total": num(row), "base_row_total": num(row),
        "discount_amount": num(discount), "base_discount_amount": num(discount),
        "tax_amount": num(tax), "base_tax_amount": num(tax), "tax_percent": 27, "parent_item_id": null,
    });
    let sums = [row, discount, tax];
    if !configurable {
        return (vec![item], sums);
    }
    item["product_option"] = json!({"extension_attributes": {"configurable_item_options":
        [{"option_id": "93", "option_value": 49}]}});
    let child = json!({
        "item_id": item_id + 5, "order_id": id, "product_id": product_id + 500, "product_type": "simple",
        "sku": l.sku, "name": format!("{name}-Blue"), "qty_ordered": l.qty, "qty_canceled": removed,
        "qty_shipped": 0, "price": 0, "base_price": 0, "row_total": 0, "base_row_total": 0,
        "parent_item_id": item_id,
    });
    (vec![item, child], sums)
}

fn shipping(spec: &Spec) -> (&'static str, &'static str, Decimal) {
    if spec.pickup {
        (
            "instore_pickup",
            "In-Store Pickup - Pick up in store",
            Decimal::ZERO,
        )
    } else if spec.carrier {
        ("dhl_express", "DHL - Express", Decimal::new(690, 2))
    } else {
        (
            "flatrate_flatrate",
            "Flat Rate - Fixed",
            Decimal::new(490, 2),
        )
    }
}

/// Order `id`, the planned order `p`.
pub fn build(p: &Planned, plan: &Plan, currency: &str, id: u64) -> Value {
    let spec = &p.spec;
    let status = status(spec);
    let base = match (spec.foreign, currency) {
        (true, "USD") => "GBP",
        (true, _) => "USD",
        _ => currency,
    };
    let shown = if spec.presentment_foreign {
        "HUF"
    } else {
        base
    };
    let shipped = spec.fulfillment == "FULFILLED";
    let (mut lines, mut sums) = (Vec::new(), [Decimal::ZERO; 3]);
    for j in 0..spec.lines.len() {
        let (more, s) = items(spec, plan, id, j, shipped);
        lines.extend(more);
        sums.iter_mut().zip(s).for_each(|(a, b)| *a += b);
    }
    if spec.fulfillment == "PARTIALLY_FULFILLED"
        && let Some(first) = lines.first_mut()
    {
        first["qty_shipped"] = json!(1);
    }
    let [subtotal, discount, tax] = sums;
    let (method, title, ship) = shipping(spec);
    let total = subtotal - discount + tax + ship;
    let paid = !matches!(spec.financial, "PENDING" | "AUTHORIZED");
    let refunded = match spec.financial {
        "REFUNDED" => total,
        "PARTIALLY_REFUNDED" => ship,
        _ => Decimal::ZERO,
    };
    let (who, ships) = who(spec, &plan.customers, p.index);
    let ship_to = match (spec.pickup, ships) {
        (false, Some(i)) => address(plan.customers.get(i), "shipping", None, None),
        _ => Value::Null,
    };
    let state = match status {
        "pending" => "new",
        other => other,
    };
    let mut o = json!({
        "entity_id": id, "increment_id": increment_id(id), "status": status, "state": state,
        "store_id": 1, "created_at": stamp(p.created), "updated_at": stamp(p.updated),
        "base_currency_code": base, "order_currency_code": shown, "store_currency_code": base,
        "base_subtotal": num(subtotal), "subtotal": num(subtotal),
        "base_discount_amount": num(-discount), "discount_amount": num(-discount),
        "base_tax_amount": num(tax), "tax_amount": num(tax),
        "base_shipping_amount": num(ship), "shipping_amount": num(ship),
        "base_grand_total": num(total), "grand_total": num(total),
        "base_total_paid": num(if paid { total } else { Decimal::ZERO }),
        "base_total_invoiced": num(if paid { total } else { Decimal::ZERO }),
        "base_total_refunded": num(refunded),
        "shipping_description": title, "is_virtual": 0,
        "payment": {"method": if paid { "braintree" } else { "checkmo" },
            "last_trans_id": if paid { Some(format!("txn{:08}", id * 7919)) } else { None },
            "additional_information": [if paid { "Credit Card" } else { "Check / Money order" }]},
        "items": lines, "status_histories": [],
        "extension_attributes": {"shipping_assignments": [{"shipping": {"method": method, "address": ship_to}}]},
    });
    if let (Value::Object(o), Value::Object(w)) = (&mut o, who) {
        o.extend(w);
    }
    o
}
