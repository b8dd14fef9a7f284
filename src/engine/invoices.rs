//! Invoices (issue 16): generated for booked orders in one go, numbered per store in the same
//! transaction as the invoice itself; sending tells the shop through the store's "invoiced"
//! status mapping (`[store.statuses] invoiced`).

use super::commands::queue;
use super::{BulkOutcome, Engine, EngineError, EngineEvent};
use crate::domain::OrderState;
use crate::domain::invoice::{Invoice, InvoiceState};
use crate::domain::limits::show_money;
use crate::domain::outbox::{OutboxItem, ShopChange};
use crate::domain::platform::LocalChange;
use crate::store::{StoreError, TxError};
use chrono::Utc;

/// An invoice with its state as the outbox shows it now.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InvoiceView {
    pub invoice: Invoice,
    pub state: InvoiceState,
    /// Queued for the shop, not yet sent.
    pub queued: bool,
    /// The shop's words (or ours) on a failure.
    pub answer: Option<String>,
}

/// Why the shop cannot be told of an invoice: its store maps no "invoiced" status and its
/// platform takes no order note from orderdesk.
fn cannot_tell(store: &str) -> String {
    format!(
        "the shop was not told: store {store} maps no status for invoiced \
         ([store.statuses] invoiced), and its platform takes no order note from orderdesk"
    )
}

impl Engine {
    /// Generates the invoice of each order, each on its own (one refusal stops nothing).
    pub fn generate_invoices(&self, order_ids: &[u64]) -> Vec<BulkOutcome> {
        let out = self.for_each_order(order_ids, |e, id| {
            e.generate_invoice(id)
                .map(|inv| format!("invoice {} generated", inv.number()))
        });
        self.emit(EngineEvent::InvoicesChanged);
        out
    }

    /// One order's invoice: its number is the store's next, taken in the same transaction that
    /// writes the invoice, so no number is lost or used twice, even by a crash.
    pub fn generate_invoice(&self, order_id: u64) -> Result<Invoice, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        let name = order.display_name();
        let invoiceable = matches!(
            order.state,
            OrderState::Booked
                | OrderState::ReadyForPickup
                | OrderState::ReadyToShip
                | OrderState::Shipped
                | OrderState::Completed
        );
        if !invoiceable {
            return Err(EngineError::Refused(format!(
                "{name} is {}: only a booked order is invoiced",
                order.state.label()
            )));
        }
        let (by, at) = (self.operator().to_string(), Utc::now());
        let inv = self.store().write(|tx| {
            if let Some(existing) = tx.invoice_of(order_id)? {
                return Err(TxError::Abort(StoreError::Refused(format!(
                    "{name} already has an invoice (invoice id {existing})"
                ))));
            }
            let seq = tx.next_invoice_seq(&order.store)?;
            let inv = Invoice::of(&order, tx.next_id("invoice")?, seq, &by, at);
            tx.timeline(
                order_id,
                &crate::domain::history::TimelineEntry {
                    at,
                    by: by.clone(),
                    kind: "invoice".into(),
                    text: format!("invoice {} generated", inv.number()),
                },
            )?;
            tx.put_invoice(&inv)?;
            Ok(inv)
        })?;
        drop(_g);
        self.flush_step()?;
        Ok(inv)
    }

    /// Tells the shop an invoice exists: the status its store maps to "invoiced", and the
    /// invoice's number as a note for the staff where the platform takes notes, queued in the
    /// same transaction. A store that can be told neither way: the invoice fails, saying so.
    /// A failed invoice is sent again the same way.
    pub fn send_invoice(&self, id: u64) -> Result<InvoiceView, EngineError> {
        let _g = self.lock();
        let mut inv = self
            .store()
            .invoice(id)?
            .ok_or_else(|| EngineError::NotFound(format!("invoice {id}")))?;
        let items = self.invoice_items(&inv)?;
        match inv.state(&items) {
            (InvoiceState::Sent, ..) => {
                return Err(EngineError::Refused(format!(
                    "invoice {} was already sent",
                    inv.number()
                )));
            }
            (_, true, _) => {
                return Err(EngineError::Refused(format!(
                    "invoice {} is queued for the shop already",
                    inv.number()
                )));
            }
            _ => {}
        }
        let order = self.order_of(inv.order_id)?;
        let st = self.setting(&order.store)?.clone();
        // What is sent again is only what the shop does not have yet.
        let has = |c: &ShopChange| {
            items
                .iter()
                .any(|i| i.status == crate::domain::outbox::OutboxStatus::Sent && i.change == *c)
        };
        let mut changes = Vec::new();
        if let Some(status) = st
            .statuses
            .as_ref()
            .and_then(|m| m.status_for(LocalChange::Invoiced))
        {
            changes.push(ShopChange::SetStatus {
                change: LocalChange::Invoiced,
                status: status.to_string(),
            });
        }
        if st.order_notes {
            changes.push(ShopChange::Note {
                text: format!("Invoice {}", inv.number()),
            });
        }
        let kept: Vec<u64> = items
            .iter()
            .filter(|i| i.status == crate::domain::outbox::OutboxStatus::Sent)
            .map(|i| i.id)
            .collect();
        changes.retain(|c| !has(c));
        let operator = self.operator().to_string();
        inv.failure = None;
        let text = if kept.is_empty() && changes.is_empty() {
            inv.failure = Some(cannot_tell(&st.id));
            format!("invoice {}: {}", inv.number(), cannot_tell(&st.id))
        } else {
            let what: Vec<String> = changes.iter().map(ShopChange::describe).collect();
            format!("invoice {} sent: {}", inv.number(), what.join(", "))
        };
        let entry = self.op("invoice", text);
        let inv = self.store().write(|tx| {
            let mut inv = inv.clone();
            inv.outbox_ids = kept.clone();
            tx.timeline(order.id, &entry)?;
            for change in &changes {
                if let Some(id) = queue(tx, &st, &order, change.clone(), &operator)? {
                    inv.outbox_ids.push(id);
                }
            }
            tx.put_invoice(&inv)?;
            Ok(inv)
        })?;
        drop(_g);
        self.done()?;
        self.emit(EngineEvent::InvoicesChanged);
        self.invoice_view(inv)
    }

    fn invoice_items(&self, inv: &Invoice) -> Result<Vec<OutboxItem>, EngineError> {
        let mut out = Vec::new();
        for id in &inv.outbox_ids {
            out.extend(self.store().outbox_item(*id)?);
        }
        Ok(out)
    }

    fn invoice_view(&self, invoice: Invoice) -> Result<InvoiceView, EngineError> {
        let items = self.invoice_items(&invoice)?;
        let (state, queued, answer) = invoice.state(&items);
        Ok(InvoiceView {
            invoice,
            state,
            queued,
            answer,
        })
    }

    pub fn invoice(&self, id: u64) -> Result<Option<InvoiceView>, EngineError> {
        match self.store().invoice(id)? {
            Some(inv) => Ok(Some(self.invoice_view(inv)?)),
            None => Ok(None),
        }
    }

    /// Every invoice, by store and number.
    pub fn invoices(&self) -> Result<Vec<InvoiceView>, EngineError> {
        let mut all = self.store().invoices()?;
        all.sort_by(|a, b| (&a.store, a.seq).cmp(&(&b.store, b.seq)));
        all.into_iter().map(|i| self.invoice_view(i)).collect()
    }
}

impl InvoiceView {
    /// The invoice as `--json` and the export give it.
    pub fn to_json(&self) -> serde_json::Value {
        let v = self;
        let i = &v.invoice;
        serde_json::json!({
            "id": i.id.to_string(),
            "number": i.number(),
            "store": i.store,
            "seq": i.seq,
            "order": format!("{}:{}", i.store, i.order_name),
            "state": v.state.as_str(),
            "queued": v.queued,
            "answer": v.answer,
            "buyer": i.buyer,
            "email": i.email,
            "address": i.address,
            "currency": i.currency,
            "lines": i.lines.iter().map(|l| serde_json::json!({
                "line": l.line, "sku": l.sku, "name": l.name, "quantity": l.quantity,
                "unit_price": show_money(l.unit_price), "total": show_money(l.total),
            })).collect::<Vec<_>>(),
            "subtotal": show_money(i.subtotal),
            "discount_total": show_money(i.discount_total),
            "shipping_total": show_money(i.shipping_total),
            "tax_total": show_money(i.tax_total),
            "taxes_included": i.taxes_included,
            "total": show_money(i.total),
            "created_at": i.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "created_by": i.created_by,
        })
    }
}
