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
    let row = |label: &str, v: Money| format!("{label:>49} {:>10}\n", m(v));
    out.push('\n');
    out.push_str(&row("Subtotal", o.subtotal));
    if !o.discount_total.is_zero() {
        out.push_str(&row("Discount", -o.discount_total.abs()));
    }
    if let Some(s) = &o.shipping
        && !s.cost.is_zero()
    {
        out.push_str(&row("Shipping", s.cost));
    }
    let tax = if o.taxes_included {
        "Tax (included)"
    } else {
        "Tax"
    };
    out.push_str(&row(tax, o.tax_total));
    out.push_str(&row(&format!("Total {}", o.currency), o.total));
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
