//! One seeded order in the shape of PrestaShop's webservice (`display=full`, JSON): ids as
//! numbers and some as text (as the webservice mixes them), amounts with six decimals, the
//! customer and addresses apart, named by id, and the order's carrier (`order_carriers`).

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

use crate::sim::seed::Planned;
use crate::sim::seed::cases::{Spec, Who};
use crate::sim::seed::catalog::{Customer, LINK_ONLY, PHONE_ONLY, Product, SKU_SHARED};

pub const DATE: &str = "%Y-%m-%d %H:%M:%S";

/// The carriers of the simulated shop: id, name.
pub const CARRIERS: [(u64, &str); 3] = [
    (1, "Pick up in store"),
    (2, "Standard delivery"),
    (3, "DHL Express"),
];

/// `12.5` → `"12.500000"`
pub fn six(d: Decimal) -> String {
    format!(
        "{:.6}",
        d.round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
    )
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The state a case is in at the shop (a default install's ids).
pub fn state(spec: &Spec) -> &'static str {
    match (spec.cancelled, spec.fulfillment, spec.financial) {
        (true, _, _) => "6",
        (_, _, "REFUNDED") => "7",
        (_, _, "VOIDED") => "8",
        (_, "FULFILLED", _) => "5",
        (_, "PARTIALLY_FULFILLED", _) => "3",
        (_, _, "PENDING") => "10",
        (_, _, "AUTHORIZED") => "13",
        _ => "2",
    }
}

/// Whether an order in `state` counts as validated (paid) at the shop.
pub fn valid(state: &str) -> &'static str {
    if matches!(state, "2" | "3" | "4" | "5" | "9" | "11") {
        "1"
    } else {
        "0"
    }
}

/// What one order brings to the shop besides itself.
pub struct Built {
    pub order: Value,
    /// A customer made for this order (a guest, someone new), if any.
    pub customer: Option<Value>,
    pub address: Value,
    pub order_carrier: Value,
}

pub struct Ctx<'a> {
    pub products: &'a [Product],
    pub customers: &'a [Customer],
    /// Country id by ISO code.
    pub country: &'a dyn Fn(&str) -> u64,
}

/// A customer record as `/api/customers` gives it.
pub fn customer(id: u64, first: &str, last: &str, email: &str, guest: bool) -> Value {
    json!({"id": id, "firstname": first, "lastname": last, "email": email,
           "is_guest": if guest { "1" } else { "0" }, "active": "1", "id_default_group": "3"})
}

/// The customer id, a customer made for the order, whose details the address takes and
/// the address's phone.
fn who(spec: &Spec, ctx: &Ctx<'_>, order_id: u64) -> (u64, Option<Value>, Customer, String) {
    let cs = ctx.customers;
    let at = |i: usize| cs[i % cs.len()].clone();
    match &spec.who {
        Who::Known(i) => {
            let c = at(*i);
            (c.shop_id, None, c.clone(), c.phone)
        }
        Who::KnownEmailCase(i) => (at(*i).shop_id, None, at(*i), String::new()),
        Who::PhoneOnly => {
            let c = at(PHONE_ONLY);
            let p = &c.phone;
            let spaced = match (p.get(..3), p.get(3..5), p.get(5..8), p.get(8..)) {
                (Some(a), Some(b), Some(c), Some(d)) => format!("{a} {b} {c} {d}"),
                _ => p.clone(),
            };
            (c.shop_id, None, c, spaced)
        }
        Who::LinkOnly => (
            at(LINK_ONLY).shop_id,
            None,
            at(LINK_ONLY),
            "+36705550000".into(),
        ),
        Who::Unknown => {
            let mut c = cs[0].clone();
            (c.first_name, c.last_name) = ("Hedda".into(), "Gabler".into());
            let email = format!("hedda.gabler.{order_id}@example.no");
            let made = customer(900_000 + order_id, "Hedda", "Gabler", &email, false);
            (900_000 + order_id, Some(made), c, "+4722334455".into())
        }
        Who::Guest(i) => {
            let c = at(*i);
            let made = customer(
                800_000 + order_id,
                &c.first_name,
                &c.last_name,
                &c.email.to_uppercase(),
                true,
            );
            (800_000 + order_id, Some(made), c, String::new())
        }
        Who::Nobody => {
            let mut c = cs[0].clone();
            (c.first_name, c.last_name) = ("Guest".into(), "Buyer".into());
            let made = customer(800_000 + order_id, "Guest", "Buyer", "", true);
            (800_000 + order_id, Some(made), c, String::new())
        }
    }
}

fn rows(spec: &Spec, ctx: &Ctx<'_>, id: u64) -> (Vec<Value>, Decimal) {
    let mut sum = Decimal::ZERO;
    let mut out = Vec::new();
    for (j, l) in spec.lines.iter().enumerate() {
        if l.current == 0 {
            continue; // a line removed at the shop is gone from the order
        }
        let trimmed = l.sku.as_deref().map(str::trim);
        let found = ctx
            .products
            .iter()
            .position(|p| Some(p.sku.as_str()) == trimmed);
        let (name, price, product_id) = match (found, &l.sku) {
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
        let unit =
            round2(price * Decimal::from(100 - l.discount_pct.min(100)) / Decimal::from(100));
        let combination = if trimmed == Some(SKU_SHARED) {
            product_id + 500
        } else {
            0
        };
        sum += unit * Decimal::from(l.current);
        out.push(json!({
            "id": (id * 10 + j as u64).to_string(), "product_id": product_id.to_string(),
            "product_attribute_id": combination.to_string(), "product_quantity": l.current.to_string(),
            "product_name": name, "product_reference": l.sku.clone().unwrap_or_default(),
            "product_ean13": "", "product_upc": "", "product_price": six(price),
            "id_customization": "0", "unit_price_tax_incl": six(unit),
            "unit_price_tax_excl": six(round2(unit / Decimal::new(127, 2))),
        }));
    }
    (out, sum)
}

/// Order `id`, the planned order `p`, in currency `currency_id`.
pub fn build(p: &Planned, ctx: &Ctx<'_>, id: u64, currency_id: u64) -> Built {
    let spec = &p.spec;
    let (customer_id, made, c, phone) = who(spec, ctx, id);
    let address_id = id * 10;
    let address = json!({
        "id": address_id, "id_customer": customer_id.to_string(),
        "id_country": ((ctx.country)(&c.country_code)).to_string(), "alias": "My address",
        "firstname": c.first_name, "lastname": c.last_name, "company": "",
        "address1": c.address, "address2": "", "postcode": c.postal_code, "city": c.city,
        "phone": phone, "phone_mobile": "",
    });
    let carrier = if spec.pickup {
        1
    } else if spec.carrier {
        3
    } else {
        2
    };
    let shipping = match carrier {
        1 => Decimal::ZERO,
        3 => Decimal::new(690, 2),
        _ => Decimal::new(490, 2),
    };
    let (rows, products) = rows(spec, ctx, id);
    let total = products + shipping;
    let state = state(spec);
    let date = |t: chrono::DateTime<chrono::Utc>| t.format(DATE).to_string();
    let order = json!({
        "id": id, "id_address_delivery": address_id.to_string(), "id_address_invoice": address_id.to_string(),
        "id_cart": (id + 3).to_string(), "id_currency": currency_id.to_string(), "id_lang": "1",
        "id_customer": customer_id.to_string(), "id_carrier": carrier.to_string(),
        "current_state": state, "module": "ps_wirepayment", "invoice_number": "0",
        "invoice_date": "0000-00-00 00:00:00", "delivery_number": "0",
        "delivery_date": "0000-00-00 00:00:00", "valid": valid(state),
        "date_add": date(p.created), "date_upd": date(p.updated), "shipping_number": "",
        "id_shop_group": "1", "id_shop": "1", "payment": "Bank transfer",
        "total_discounts": six(Decimal::ZERO), "total_discounts_tax_incl": six(Decimal::ZERO),
        "total_discounts_tax_excl": six(Decimal::ZERO),
        "total_paid": six(total), "total_paid_tax_incl": six(total),
        "total_paid_tax_excl": six(round2(total / Decimal::new(127, 2))),
        "total_paid_real": six(if valid(state) == "1" { total } else { Decimal::ZERO }),
        "total_products": six(round2(products / Decimal::new(127, 2))), "total_products_wt": six(products),
        "total_shipping": six(shipping), "total_shipping_tax_incl": six(shipping),
        "total_shipping_tax_excl": six(round2(shipping / Decimal::new(127, 2))),
        "carrier_tax_rate": "27.000", "conversion_rate": "1.000000",
        "reference": format!("{:09}", id * 7919 % 1_000_000_000),
        "associations": {"order_rows": rows},
    });
    let order_carrier = json!({
        "id": id, "id_order": id.to_string(), "id_carrier": carrier.to_string(),
        "id_order_invoice": "0", "weight": "0.000000",
        "shipping_cost_tax_excl": six(round2(shipping / Decimal::new(127, 2))),
        "shipping_cost_tax_incl": six(shipping), "tracking_number": "",
        "date_add": date(p.created),
    });
    Built {
        order,
        customer: made,
        address,
        order_carrier,
    }
}

/// `order_carrier` → `Order carrier`, for messages.
pub fn title(name: &str) -> String {
    let s = name.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}
