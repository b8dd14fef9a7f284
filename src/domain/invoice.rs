//! Invoices: numbered in sequence per store, with the lines, tax and totals as the shop sent
//! them (never recomputed here); generated, then sent (the shop told) or failed.

use super::outbox::{OutboxItem, OutboxStatus};
use super::{Money, Order};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceState {
    Generated,
    Sent,
    Failed,
}

impl InvoiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceState::Generated => "generated",
            InvoiceState::Sent => "sent",
            InvoiceState::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub line: u32,
    pub sku: Option<String>,
    pub name: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: u64,
    pub store: String,
    /// The store's own sequence: 1, 2, 3… with no gap and none used twice.
    pub seq: u64,
    pub order_id: u64,
    /// The shop's order name without a leading `#`.
    pub order_name: String,
    pub buyer: String,
    pub email: Option<String>,
    pub address: String,
    pub currency: String,
    pub lines: Vec<InvoiceLine>,
    pub subtotal: Money,
    pub discount_total: Money,
    pub shipping_total: Money,
    pub tax_total: Money,
    pub taxes_included: bool,
    pub total: Money,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// The changes queued to tell the shop (its invoiced status, the number as an order
    /// note), the last sending's.
    pub outbox_ids: Vec<u64>,
    /// Why the shop could not be told at all (nothing queued).
    pub failure: Option<String>,
}

impl Invoice {
    /// The invoice of an order as it stands, numbered `seq` in its store.
    pub fn of(order: &Order, id: u64, seq: u64, by: &str, at: DateTime<Utc>) -> Invoice {
        Invoice {
            id,
            store: order.store.clone(),
            seq,
            order_id: order.id,
            order_name: order.name.clone(),
            buyer: order.customer.name(),
            email: order.customer.email.clone(),
            address: order
                .billing_address
                .as_ref()
                .map(|a| a.one_line())
                .unwrap_or_default(),
            currency: order.currency.clone(),
            lines: order
                .lines
                .iter()
                .map(|l| InvoiceLine {
                    line: l.line,
                    sku: l.sku.clone(),
                    name: l.name.clone(),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    total: l.total,
                })
                .collect(),
            subtotal: order.subtotal,
            discount_total: order.discount_total,
            shipping_total: order.shipping.as_ref().map(|s| s.cost).unwrap_or_default(),
            tax_total: order.tax_total,
            taxes_included: order.taxes_included,
            total: order.total,
            created_at: at,
            created_by: by.to_string(),
            outbox_ids: Vec::new(),
            failure: None,
        }
    }

    /// The invoice number as printed: `WEB-000042`.
    pub fn number(&self) -> String {
        format!("{}-{:06}", self.store.to_uppercase(), self.seq)
    }

    /// Its state, with the shop's words where it failed, given its outbox items as they are
    /// now: sent once the shop has them all, failed when one failed. Queued and not yet sent is
    /// still `generated` (the flag says it is on its way).
    pub fn state(&self, items: &[OutboxItem]) -> (InvoiceState, bool, Option<String>) {
        if let Some(why) = &self.failure {
            return (InvoiceState::Failed, false, Some(why.clone()));
        }
        if items.is_empty() {
            return (InvoiceState::Generated, false, None);
        }
        if let Some(i) = items
            .iter()
            .find(|i| matches!(i.status, OutboxStatus::Failed | OutboxStatus::Dismissed))
        {
            return (InvoiceState::Failed, false, i.last_error.clone());
        }
        if items.iter().all(|i| i.status == OutboxStatus::Sent) {
            return (InvoiceState::Sent, false, None);
        }
        let words = items.iter().find_map(|i| i.last_error.clone());
        (InvoiceState::Generated, true, words)
    }

    /// The invoice as plain text (the export).
    pub fn text(&self, date: &str) -> String {
        let m = |v: Money| format!("{v:.2}");
        let mut out = format!(
            "INVOICE {}\nDate: {date}\nOrder: {}:{}\nBuyer: {}{}\n{}\n\n",
            self.number(),
            self.store,
            self.order_name,
            self.buyer,
            self.email
                .as_deref()
                .map(|e| format!(" <{e}>"))
                .unwrap_or_default(),
            self.address
        );
        out.push_str(&format!(
            "{:>3}  {:<14} {:<30} {:>5} {:>12} {:>12}\n",
            "#", "SKU", "Item", "Qty", "Unit", "Total"
        ));
        for l in &self.lines {
            out.push_str(&format!(
                "{:>3}  {:<14} {:<30} {:>5} {:>12} {:>12}\n",
                l.line,
                l.sku.as_deref().unwrap_or(""),
                l.name.chars().take(30).collect::<String>(),
                l.quantity,
                m(l.unit_price),
                m(l.total)
            ));
        }
        let totals = super::receipt::Totals {
            subtotal: self.subtotal,
            discount: self.discount_total,
            shipping: self.shipping_total,
            tax: self.tax_total,
            taxes_included: self.taxes_included,
            total: self.total,
        };
        out.push('\n');
        out.push_str(&totals.text(&self.currency, 68));
        out
    }
}
