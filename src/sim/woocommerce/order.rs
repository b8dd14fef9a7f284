//! One seeded order in the shape of WooCommerce's REST v3 order (the fixtures'
//! `v3-retrieve-order.json`): id a number, number a string, money as decimal strings,
//! `customer_id` 0 for a guest, wall-clock dates beside their `_gmt` twins.

use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::money::{self, text};
use crate::sim::seed::Planned;
use crate::sim::seed::cases::{Spec, Who};
use crate::sim::seed::catalog::{Customer, LINK_ONLY, PHONE_ONLY, Product, SKU_SHARED};

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// The shop's wall clock and UTC, as WooCommerce prints them.
#[derive(Debug, Clone, Copy)]
pub struct Clock(pub FixedOffset);

impl Clock {
    pub fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0).format(FORMAT).to_string()
    }

    pub fn gmt(t: DateTime<Utc>) -> String {
        t.format(FORMAT).to_string()
    }

    /// Sets `field` and `field_gmt` of `o` to `t` (null for none).
    pub fn stamp(&self, o: &mut Value, field: &str, t: Option<DateTime<Utc>>) {
        o[field] = json!(t.map(|t| self.local(t)));
        o[format!("{field}_gmt")] = json!(t.map(Clock::gmt));
    }
}

pub struct Ctx<'a> {
    pub products: &'a [Product],
    pub customers: &'a [Customer],
    pub currency: &'a str,
    pub clock: Clock,
}

/// The status a case is in at the shop, in WooCommerce's words.
pub fn status(spec: &Spec) -> &'static str {
    match (spec.cancelled, spec.fulfillment, spec.financial) {
        (true, _, _) => "cancelled",
        (_, _, "REFUNDED") => "refunded",
        (_, _, "VOIDED") => "failed",
        (_, "FULFILLED", _) => "completed",
        (_, _, "PENDING") => "pending",
        (_, _, "AUTHORIZED") => "on-hold",
        _ => "processing",
    }
}

fn address(c: Option<&Customer>, email: Option<&str>, phone: &str) -> Value {
    let f = |s: Option<&str>| s.unwrap_or_default().to_string();
    let mut a = json!({
        "first_name": f(c.map(|c| c.first_name.as_str())), "last_name": f(c.map(|c| c.last_name.as_str())),
        "company": "", "address_1": f(c.map(|c| c.address.as_str())), "address_2": "",
        "city": f(c.map(|c| c.city.as_str())), "state": "",
        "postcode": f(c.map(|c| c.postal_code.as_str())), "country": f(c.map(|c| c.country_code.as_str())),
    });
    if let Some(e) = email {
        a["email"] = json!(e);
        a["phone"] = json!(phone);
    }
    a
}

/// `+36301234567` written as `+36 30 123 4567`.
fn spaced(p: &str) -> String {
    match (p.get(..3), p.get(3..5), p.get(5..8), p.get(8..)) {
        (Some(a), Some(b), Some(c), Some(d)) => format!("{a} {b} {c} {d}"),
        _ => p.to_string(),
    }
}

/// The customer id, the billing address and whose address ships.
fn who(spec: &Spec, ctx: &Ctx<'_>, index: usize) -> (u64, Value, Option<usize>) {
    let cs = ctx.customers;
    let at = |i: usize| &cs[i % cs.len()];
    match &spec.who {
        Who::Known(i) => {
            let c = at(*i);
            (
                c.shop_id,
                address(Some(c), Some(&c.email), &c.phone),
                Some(*i),
            )
        }
        Who::KnownEmailCase(i) => {
            let c = at(*i);
            let e = format!(" {} ", c.email.to_uppercase());
            (c.shop_id, address(Some(c), Some(&e), ""), Some(*i))
        }
        Who::PhoneOnly => {
            let c = at(PHONE_ONLY);
            let b = address(Some(c), Some(""), &spaced(&c.phone));
            (c.shop_id, b, Some(PHONE_ONLY))
        }
        Who::LinkOnly => {
            let c = at(LINK_ONLY);
            let b = address(
                Some(c),
                Some("odon.lakatos.new@example.org"),
                "+36705550000",
            );
            (c.shop_id, b, Some(LINK_ONLY))
        }
        Who::Unknown => {
            let mut c = cs[0].clone();
            c.first_name = "Hedda".into();
            c.last_name = "Gabler".into();
            let e = format!("hedda.gabler.{index}@example.no");
            (
                900 + index as u64,
                address(Some(&c), Some(&e), "+4722334455"),
                None,
            )
        }
        Who::Guest(i) => {
            let c = at(*i);
            (
                0,
                address(Some(c), Some(&c.email.to_uppercase()), ""),
                Some(*i),
            )
        }
        Who::Nobody => (0, address(None, Some(""), ""), None),
    }
}

fn line_item(spec: &Spec, ctx: &Ctx<'_>, id: u64, j: usize, inc: bool) -> Option<Value> {
    let l = &spec.lines[j];
    if l.current == 0 {
        return None; // a line removed at the shop is gone from the order
    }
    let trimmed = l.sku.as_deref().map(str::trim);
    let found = ctx
        .products
        .iter()
        .position(|p| Some(p.sku.as_str()) == trimmed);
    let (name, unit, product_id) = match (found, &l.sku) {
        (Some(k), _) => (
            ctx.products[k].name.clone(),
            ctx.products[k].price,
            90 + k as u64,
        ),
        (None, None) => ("Gift wrapping".to_string(), Decimal::new(300, 2), 0),
        (None, Some(_)) => (
            "Mystery item".to_string(),
            Decimal::new(1500, 2),
            900 + j as u64,
        ),
    };
    let m = money::line(unit, l.current, l.discount_pct, Decimal::new(27, 2), inc);
    let shared = trimmed == Some(SKU_SHARED);
    let (name, variation_id, meta) = if shared {
        let meta = json!([{"id": id * 100 + j as u64, "key": "pa_color", "value": "blue"}]);
        ("Mug &ndash; Blue".to_string(), product_id + 500, meta)
    } else {
        (name, 0, json!([]))
    };
    let price = money::round2(m.total / Decimal::from(l.current));
    Some(json!({
        "id": id * 10 + j as u64, "name": name, "product_id": product_id, "variation_id": variation_id,
        "quantity": l.current, "tax_class": "", "subtotal": text(m.subtotal), "subtotal_tax": text(m.subtotal_tax),
        "total": text(m.total), "total_tax": text(m.total_tax),
        "taxes": [{"id": 1, "total": text(m.total_tax), "subtotal": text(m.subtotal_tax)}],
        "meta_data": meta, "sku": l.sku, "price": serde_json::from_str::<Value>(&price.normalize().to_string()).unwrap_or(Value::Null),
    }))
}

fn shipping_line(spec: &Spec, id: u64, inc: bool) -> Value {
    let (method_id, title, cost) = if spec.pickup {
        ("local_pickup", "Local pickup", 0)
    } else if spec.carrier {
        ("flat_rate", "DHL Express", 690)
    } else {
        ("flat_rate", "Flat rate", 490)
    };
    let (total, tax) = money::shipping(Decimal::new(cost, 2), Decimal::new(27, 2), inc);
    json!({
        "id": id * 10 + 9, "method_title": title, "method_id": method_id,
        "instance_id": if spec.carrier { "3" } else { "1" },
        "total": text(total), "total_tax": text(tax),
        "taxes": [{"id": 1, "total": text(tax), "subtotal": ""}], "meta_data": [],
    })
}

fn payment(spec: &Spec, id: u64) -> (&'static str, &'static str, String, Vec<Value>) {
    let txn = format!("ch_3Q{:020}", id * 7919);
    if spec.test {
        let meta = vec![json!({"id": id * 100 + 50, "key": "_wcpay_mode", "value": "test"})];
        return (
            "woocommerce_payments",
            "Credit card / debit card",
            format!("pi_{id}"),
            meta,
        );
    }
    match spec.financial {
        "PENDING" => ("bacs", "Direct bank transfer", String::new(), vec![]),
        "AUTHORIZED" => ("stripe", "Credit Card (Stripe)", txn, vec![]),
        _ => ("stripe", "Credit Card (Stripe)", txn, vec![]),
    }
}

/// Order `id`, the planned order `p`, in the shop's currency unless the case says otherwise.
pub fn build(p: &Planned, ctx: &Ctx<'_>, id: u64) -> Value {
    let spec = &p.spec;
    let inc = spec.taxes_included;
    let currency = match (spec.foreign, ctx.currency) {
        (true, "USD") => "GBP",
        (true, _) => "USD",
        _ => ctx.currency,
    };
    let lines: Vec<Value> = (0..spec.lines.len())
        .filter_map(|j| line_item(spec, ctx, id, j, inc))
        .collect();
    let (customer_id, billing, ships) = who(spec, ctx, p.index);
    let shipping = match (spec.pickup, ships) {
        (false, Some(i)) => address(ctx.customers.get(i), None, ""),
        _ => address(None, None, ""),
    };
    let (method, method_title, txn, mut meta) = payment(spec, id);
    meta.insert(
        0,
        json!({"id": id * 100 + 40, "key": "_order_source", "value": "checkout"}),
    );
    let status = status(spec);
    let paid = !matches!(status, "pending" | "on-hold" | "failed");
    let mut o = json!({
        "id": id, "parent_id": 0, "number": id.to_string(), "order_key": format!("wc_order_{:013x}", id * 104_729),
        "created_via": "checkout", "version": "9.4.2", "status": status, "currency": currency,
        "prices_include_tax": inc, "customer_id": customer_id, "customer_ip_address": "",
        "customer_user_agent": "", "customer_note": "", "billing": billing, "shipping": shipping,
        "payment_method": method, "payment_method_title": method_title, "transaction_id": txn,
        "cart_hash": "", "meta_data": meta, "line_items": lines,
        "tax_lines": [{"id": id * 10 + 8, "rate_code": "VAT-1", "rate_id": 1, "label": "VAT",
                       "compound": false, "tax_total": "0.00", "shipping_tax_total": "0.00",
                       "rate_percent": 27, "meta_data": []}],
        "shipping_lines": [shipping_line(spec, id, inc)], "fee_lines": [], "coupon_lines": [], "refunds": [],
    });
    if spec.lines.iter().any(|l| l.discount_pct > 0) {
        o["coupon_lines"] = json!([{"id": id * 10 + 7, "code": "welcome", "discount": "0.00", "discount_tax": "0.00", "meta_data": []}]);
    }
    money::total_up(&mut o);
    let (discount, discount_tax) = (o["discount_total"].clone(), o["discount_tax"].clone());
    if let Some(c) = o["coupon_lines"].get_mut(0) {
        c["discount"] = discount;
        c["discount_tax"] = discount_tax;
    }
    let refund = match spec.financial {
        "REFUNDED" => money::read(&o["total"]),
        "PARTIALLY_REFUNDED" => money::read(&o["shipping_total"]) + money::read(&o["shipping_tax"]),
        _ => Decimal::ZERO,
    };
    if refund > Decimal::ZERO {
        o["refunds"] = json!([{"id": id + 1, "reason": "", "total": text(-refund)}]);
    }
    let c = ctx.clock;
    c.stamp(&mut o, "date_created", Some(p.created));
    c.stamp(&mut o, "date_modified", Some(p.updated));
    c.stamp(&mut o, "date_paid", paid.then_some(p.created));
    c.stamp(
        &mut o,
        "date_completed",
        (status == "completed").then_some(p.updated),
    );
    o
}
