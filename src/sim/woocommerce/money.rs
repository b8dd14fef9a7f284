//! Amounts as WooCommerce keeps them (rust_decimal): line and shipping totals without tax,
//! taxes beside them, two decimals as strings ("29.35").

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};
use std::str::FromStr;

pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `"12.50"`
pub fn text(d: Decimal) -> String {
    format!("{:.2}", round2(d))
}

/// A decimal string or number of `v` (zero when absent or unreadable).
pub fn read(v: &Value) -> Decimal {
    match v {
        Value::String(s) => Decimal::from_str(s.trim()).unwrap_or_default(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}

/// A line's money without tax (`subtotal` before the discount, `total` after) and its taxes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub subtotal: Decimal,
    pub subtotal_tax: Decimal,
    pub total: Decimal,
    pub total_tax: Decimal,
}

/// The tax in `price` (tax included) or on it (added), `rate` a fraction (0.27).
fn tax(price: Decimal, rate: Decimal, included: bool) -> Decimal {
    if included {
        round2(price * rate / (Decimal::ONE + rate))
    } else {
        round2(price * rate)
    }
}

/// `qty` at `unit` (as the shop's catalogue prices it), `discount_pct` off.
pub fn line(unit: Decimal, qty: u64, discount_pct: u32, rate: Decimal, included: bool) -> Line {
    let gross = unit * Decimal::from(qty);
    let discounted = gross - round2(gross * Decimal::from(discount_pct) / Decimal::from(100));
    let (subtotal_tax, total_tax) = (tax(gross, rate, included), tax(discounted, rate, included));
    let net = |price: Decimal, t: Decimal| if included { price - t } else { price };
    Line {
        subtotal: net(gross, subtotal_tax),
        subtotal_tax,
        total: net(discounted, total_tax),
        total_tax,
    }
}

/// Shipping that costs `cost` (as the shop prices it): its total without tax and the tax.
pub fn shipping(cost: Decimal, rate: Decimal, included: bool) -> (Decimal, Decimal) {
    let t = tax(cost, rate, included);
    (if included { cost - t } else { cost }, t)
}

/// Sets the order's totals from its lines and shipping lines, as WooCommerce computes them.
pub fn total_up(o: &mut Value) {
    let sum = |list: &Value, key: &str| -> Decimal {
        list.as_array()
            .map_or(Decimal::ZERO, |l| l.iter().map(|i| read(&i[key])).sum())
    };
    let lines = &o["line_items"];
    let (sub, sub_tax) = (sum(lines, "subtotal"), sum(lines, "subtotal_tax"));
    let (total, cart_tax) = (sum(lines, "total"), sum(lines, "total_tax"));
    let ship = sum(&o["shipping_lines"], "total");
    let ship_tax = sum(&o["shipping_lines"], "total_tax");
    let fees = sum(&o["fee_lines"], "total") + sum(&o["fee_lines"], "total_tax");
    let set = json!({
        "discount_total": text(sub - total), "discount_tax": text(sub_tax - cart_tax),
        "shipping_total": text(ship), "shipping_tax": text(ship_tax), "cart_tax": text(cart_tax),
        "total_tax": text(cart_tax + ship_tax),
        "total": text(total + cart_tax + ship + ship_tax + fees),
    });
    if let (Value::Object(map), Value::Object(set)) = (&mut *o, set) {
        map.extend(set);
    }
    let tax_lines = o.get_mut("tax_lines").and_then(Value::as_array_mut);
    for tl in tax_lines.into_iter().flatten() {
        tl["tax_total"] = json!(text(cart_tax));
        tl["shipping_tax_total"] = json!(text(ship_tax));
    }
}

/// What remains to refund: the total less the refunds (kept negative, as WooCommerce shows).
pub fn remaining(o: &Value) -> Decimal {
    let refunded: Decimal = o["refunds"]
        .as_array()
        .map_or(Decimal::ZERO, |r| r.iter().map(|x| read(&x["total"])).sum());
    read(&o["total"]) + refunded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxes_included_or_added_reconcile() {
        let rate = Decimal::new(27, 2);
        let inc = line(Decimal::new(1999, 2), 3, 10, rate, true);
        // 59.97 less 6.00 is 53.97 with tax in it
        assert_eq!(inc.total + inc.total_tax, Decimal::new(5397, 2));
        assert_eq!(inc.subtotal + inc.subtotal_tax, Decimal::new(5997, 2));
        let add = line(Decimal::new(1000, 2), 2, 0, rate, false);
        assert_eq!(
            (add.total, add.total_tax),
            (Decimal::new(2000, 2), Decimal::new(540, 2))
        );
        assert_eq!(text(Decimal::new(5, 1)), "0.50");
        assert_eq!(read(&json!("12.5")), Decimal::new(125, 1));
        assert_eq!(read(&json!(3)), Decimal::from(3));
    }
}
