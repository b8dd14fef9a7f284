//! Invoices in the console: `v` invoices the selected orders (or the one under the cursor);
//! the Invoices view (I) lists every invoice with its state, sends (again) and exports one.

use super::{App, Effect, Pane, View};
use crate::engine::InvoiceView;
use crate::engine::command::Command;
use crate::tui::action::Action;

impl App {
    pub(super) fn generate_invoices(&mut self) -> Vec<Effect> {
        if self.view != View::Main || self.focus != Pane::Pending {
            return self.say("invoice orders from Pending orders (1)".into());
        }
        let mut ids: Vec<u64> = self.selection().into_iter().map(|(id, _)| id).collect();
        if ids.is_empty()
            && let Some(row) = self.pending.selected()
        {
            ids.push(row.id);
        }
        if ids.is_empty() {
            return Vec::new();
        }
        let label = format!("{} order(s)", ids.len());
        self.notice = Some(format!("invoicing {label}…"));
        vec![self.command(None, &label, Command::GenerateInvoices { order_ids: ids })]
    }

    /// `P` in an order's detail: its receipt through `receipt_command`, else into a file.
    pub(super) fn print_receipt(&mut self) -> Vec<Effect> {
        let View::Order {
            detail: Some(d), ..
        } = &self.view
        else {
            return self.say("open an order to print its receipt".into());
        };
        let (order_id, label) = (d.order.id, d.order.display_name());
        let command = Command::PrintReceipt {
            order_id,
            command: self.settings.receipt_command.clone(),
        };
        self.notice = Some(format!("{label}: printing the receipt…"));
        vec![self.command(None, &label, command)]
    }

    pub(super) fn open_invoices(&mut self) -> Vec<Effect> {
        self.view = View::Invoices { sel: 0 };
        vec![Effect::LoadInvoices]
    }

    pub(super) fn invoices_action(&mut self, action: Action) -> Vec<Effect> {
        let View::Invoices { sel } = &mut self.view else {
            return Vec::new();
        };
        let len = self.invoices.len();
        let current = self
            .invoices
            .get(*sel)
            .map(|v| (v.invoice.id, v.invoice.number()));
        let by = match action {
            Action::Back => {
                self.view = View::Main;
                return Vec::new();
            }
            Action::SendInvoice | Action::ExportInvoice => {
                let Some((id, number)) = current else {
                    return Vec::new();
                };
                let command = if action == Action::SendInvoice {
                    Command::SendInvoice(id)
                } else {
                    Command::ExportInvoice(id)
                };
                self.notice = Some(format!("invoice {number}: working…"));
                return vec![self.command(None, &number, command)];
            }
            other => match super::actions::scroll_step(other, 10) {
                Some(by) => by,
                None => return Vec::new(),
            },
        };
        *sel = super::actions::moved(*sel, by, len);
        Vec::new()
    }

    pub(super) fn invoices_loaded(&mut self, list: Vec<InvoiceView>) {
        self.invoices = list;
        if let View::Invoices { sel } = &mut self.view {
            *sel = (*sel).min(self.invoices.len().saturating_sub(1));
        }
    }
}
