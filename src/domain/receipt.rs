//! An order's receipt as plain text: its lines and totals as the shop sent them, the payments
//! recorded here, and the balance still due.

use super::{Money, Order};

/// The receipt; `when` formats a time for the reader (local on a printed receipt).
pub fn receipt_text(o: &Order, when: impl Fn(chrono::DateTime<chrono::Utc>) -> String) -> String {
    let m = |v: Money| format!("{v:.2}");
    let mut out = format!(
        "RECEIPT {}:{}\nOrder date: {}\nCustomer: {}\n\n",
        o.store,
        o.name,
        when(o.created_at),
        o.customer.name()
    );
    out.push_str(&format!(
        "{:<32} {:>5} {:>10} {:>10}\n",
        "Item", "Qty", "Unit", "Total"
    ));
    for l in &o.lines {
        let name: String = match &l.sku {
            Some(sku) if !sku.trim().is_empty() => format!("{} ({})", l.name, sku.trim()),
            _ => l.name.clone(),
        };
        out.push_str(&format!(
            "{:<32} {:>5} {:>10} {:>10}\n",
            name.chars().take(32).collect::<String>(),
            l.quantity,
            m(l.unit_price),
            m(l.total)
        ));
    }
    let totals = Totals {
        subtotal: o.subtotal,
        discount: o.discount_total,
        shipping: o.shipping.as_ref().map(|s| s.cost).unwrap_or_default(),
        tax: o.tax_total,
        taxes_included: o.taxes_included,
        total: o.total,
    };
    out.push('\n');
    out.push_str(&totals.text(&o.currency, 49));
    let row = |label: &str, v: Money| format!("{label:>49} {:>10}\n", m(v));
    out.push_str("\nPayments\n");
    if o.payments.is_empty() {
        out.push_str("  none recorded\n");
    }
    for p in &o.payments {
        out.push_str(&format!(
            "  {} {:<14} {:>10}{}\n",
            when(p.at),
            p.method,
            m(p.amount),
            if p.comment.is_empty() {
                String::new()
            } else {
                format!("  {}", p.comment)
            }
        ));
    }
    out.push('\n');
    out.push_str(&row("Paid", o.paid()));
    out.push_str(&row(&format!("Balance {}", o.currency), o.balance()));
    out
}

/// A document's totals as the shop sent them (never recomputed).
pub struct Totals {
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub taxes_included: bool,
    pub total: Money,
}

impl Totals {
    /// One right-aligned row each (labels `label_w` wide); a zero discount or shipping is left
    /// out.
    pub fn text(&self, currency: &str, label_w: usize) -> String {
        let row = |label: &str, v: Money| format!("{label:>label_w$} {:>10.2}\n", v);
        let mut out = row("Subtotal", self.subtotal);
        if !self.discount.is_zero() {
            out.push_str(&row("Discount", -self.discount.abs()));
        }
        if !self.shipping.is_zero() {
            out.push_str(&row("Shipping", self.shipping));
        }
        let tax = if self.taxes_included {
            "Tax (included)"
        } else {
            "Tax"
        };
        out.push_str(&row(tax, self.tax));
        out.push_str(&row(&format!("Total {currency}"), self.total));
        out
    }
}
