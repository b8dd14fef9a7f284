//! Amounts with rust_decimal: Shopify's `MoneyBag`s and an order's totals, reconciled to the
//! cent.

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Shopify prints a `Decimal` as Ruby's BigDecimal does: `"12.5"`, `"679.0"`, `"704.99"`.
pub fn amount(d: Decimal) -> String {
    let s = d.normalize().to_string();
    if s.contains('.') { s } else { format!("{s}.0") }
}

/// `cents` as a Decimal (e.g. 1250 → 12.50).
pub fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

/// A MoneyBag: shop money in `shop`, presentment money in `presentment` at `rate`.
#[derive(Debug, Clone)]
pub struct Currencies {
    pub shop: String,
    pub presentment: String,
    pub rate: Decimal,
}

impl Currencies {
    pub fn bag(&self, d: Decimal) -> Value {
        let p = if self.shop == self.presentment {
            d
        } else {
            round2(d * self.rate)
        };
        json!({
            "shopMoney": {"amount": amount(d), "currencyCode": self.shop},
            "presentmentMoney": {"amount": amount(p), "currencyCode": self.presentment},
        })
    }
}

/// One line's money, at a quantity.
#[derive(Debug, Clone, Default)]
pub struct LineMoney {
    pub original_total: Decimal,
    pub discount: Decimal,
    pub discounted_total: Decimal,
    pub discounted_unit: Decimal,
    pub tax: Decimal,
}

/// `discount_pct` of the line, `tax_rate` a fraction (0.27); taxes included in the price or
/// added to it.
pub fn line_money(
    unit: Decimal,
    qty: u64,
    discount_pct: u32,
    tax_rate: Decimal,
    included: bool,
) -> LineMoney {
    let q = Decimal::from(qty);
    let original_total = unit * q;
    let discount = round2(original_total * Decimal::from(discount_pct) / Decimal::from(100));
    let discounted_total = original_total - discount;
    let discounted_unit = if qty == 0 {
        unit
    } else {
        round2(discounted_total / q)
    };
    let tax = tax_on(discounted_total, tax_rate, included);
    LineMoney {
        original_total,
        discount,
        discounted_total,
        discounted_unit,
        tax,
    }
}

pub fn tax_on(price: Decimal, rate: Decimal, included: bool) -> Decimal {
    if included {
        round2(price * rate / (Decimal::ONE + rate))
    } else {
        round2(price * rate)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub subtotal: Decimal,
    pub discounts: Decimal,
    pub shipping: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
    pub quantity: u64,
}

pub fn totals(
    lines: &[(LineMoney, u64)],
    shipping: Decimal,
    shipping_tax: Decimal,
    included: bool,
) -> Totals {
    let subtotal: Decimal = lines.iter().map(|(l, _)| l.discounted_total).sum();
    let discounts = lines.iter().map(|(l, _)| l.discount).sum();
    let tax = lines.iter().map(|(l, _)| l.tax).sum::<Decimal>() + shipping_tax;
    let total = subtotal + shipping + if included { Decimal::ZERO } else { tax };
    let quantity = lines.iter().map(|(_, q)| q).sum();
    Totals {
        subtotal,
        discounts,
        shipping,
        tax,
        total,
        quantity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_like_shopify_and_reconcile() {
        assert_eq!(amount(cents(67900)), "679.0");
        assert_eq!(amount(cents(1250)), "12.5");
        assert_eq!(amount(cents(70499)), "704.99");
        let rate = Decimal::new(27, 2);
        let a = line_money(cents(1999), 3, 10, rate, true);
        assert_eq!(a.original_total, cents(5997));
        assert_eq!(a.discount, cents(600));
        assert_eq!(a.discounted_total, cents(5397));
        let t = totals(
            &[(a.clone(), 3)],
            cents(490),
            tax_on(cents(490), rate, true),
            true,
        );
        assert_eq!(t.total, cents(5397 + 490));
        let t2 = totals(&[(a, 3)], cents(0), cents(0), false);
        assert_eq!(t2.total, t2.subtotal + t2.tax);
    }
}
