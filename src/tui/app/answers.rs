//! Engine answers: search results for the picker that asked (older ones dropped), field
//! refusals under their fields, and what a finished command closes.

use super::forms::{customer_fields, line_query};
use super::modal::{FormKind, ModalBody, PickerKind};
use super::{App, Effect};
use crate::engine::command::{Answer, Command, CommandError};

impl App {
    /// An engine answer for the modal `modal` (or for none: the Errors pane, intake again).
    pub(super) fn answer(
        &mut self,
        modal: Option<u64>,
        seq: u64,
        command: Command,
        result: Result<Answer, CommandError>,
    ) -> Vec<Effect> {
        let Some(id) = modal.filter(|id| self.modals.iter().any(|m| m.id == *id)) else {
            // Its modal was closed meanwhile: only a command's outcome is still worth a line.
            if !command.is_query() {
                self.notice = Some(match result {
                    Ok(Answer::Done(text)) => text,
                    Ok(Answer::Report { title, lines }) => {
                        self.show_report(title, lines);
                        return Vec::new();
                    }
                    Ok(Answer::Merged(m)) => merged(&m),
                    Ok(_) => return Vec::new(),
                    Err(e) => e.to_string(),
                });
            }
            return Vec::new();
        };
        match result {
            Ok(Answer::Customers(list)) => match self.body(id) {
                Some(ModalBody::Picker(p)) if p.seq == seq => {
                    p.searching = false;
                    if let PickerKind::Customers { results, .. } = &mut p.kind {
                        *results = list;
                    }
                    p.move_by(0);
                }
                Some(ModalBody::Form(f)) => {
                    if let FormKind::EditCustomer { customer_id } = &f.kind {
                        let found = list.iter().find(|c| c.id == *customer_id);
                        f.intro = vec![match found {
                            Some(_) => format!("Customer {customer_id}"),
                            None => format!(
                                "Customer {customer_id} (record not found by search; from the order)"
                            ),
                        }];
                        if let (Some(c), false) = (found, f.touched()) {
                            let d = crate::domain::forms::CustomerDraft {
                                first_name: c.first_name.clone(),
                                last_name: c.last_name.clone(),
                                email: c.email.clone().unwrap_or_default(),
                                phone: c.phone.clone().unwrap_or_default(),
                                address: c.address.clone(),
                                city: c.city.clone(),
                                postal_code: c.postal_code.clone(),
                                country: c.country.clone(),
                            };
                            f.fields = customer_fields(&d);
                        }
                    }
                }
                _ => {}
            },
            Ok(Answer::Products(list)) => {
                if let Some(ModalBody::Picker(p)) = self.body(id)
                    && p.seq == seq
                {
                    p.searching = false;
                    if let PickerKind::Products { results, .. } = &mut p.kind {
                        *results = list;
                    }
                    p.move_by(0);
                }
            }
            Ok(Answer::Draft(d)) => {
                if let Some(ModalBody::Picker(p)) = self.body(id)
                    && let PickerKind::Customers { order_id, .. } = p.kind
                {
                    let label = p.label.clone();
                    let f = super::modal::Form {
                        title: format!(" New customer for {label} "),
                        intro: vec![format!("From the order's data; {label} is linked to it.")],
                        fields: customer_fields(&d),
                        focus: 0,
                        kind: FormKind::CreateCustomer { order_id },
                        label,
                        error: None,
                        busy: false,
                    };
                    self.push_modal(ModalBody::Form(f));
                }
            }
            Ok(Answer::Done(text)) => {
                self.notice = Some(text);
                return self.done(id, command);
            }
            Ok(Answer::Report { title, lines }) => self.show_report(title, lines),
            Ok(Answer::Merged(m)) => self.notice = Some(merged(&m)),
            Err(e) => {
                let text = match &e {
                    CommandError::Fields(errs) => errs
                        .iter()
                        .map(|e| e.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    other => other.to_string(),
                };
                match self.body(id) {
                    Some(ModalBody::Form(f)) => {
                        f.busy = false;
                        match e {
                            CommandError::Fields(errs) => f.show_errors(&errs),
                            other => f.error = Some(other.to_string()),
                        }
                    }
                    Some(ModalBody::Picker(p)) => {
                        p.busy = false;
                        p.searching = false;
                        p.error = Some(text);
                    }
                    _ => self.notice = Some(text),
                }
            }
        }
        Vec::new()
    }

    /// A command of modal `id` went through: close what it finished.
    fn done(&mut self, id: u64, command: Command) -> Vec<Effect> {
        match command {
            Command::MapLine { line, .. } => {
                let Some(ModalBody::Picker(p)) = self.body(id) else {
                    return Vec::new();
                };
                p.busy = false;
                let PickerKind::Products { lines, at, .. } = &mut p.kind else {
                    return Vec::new();
                };
                lines.retain(|l| l.line != line);
                if lines.is_empty() {
                    self.close_from(id);
                    return Vec::new();
                }
                *at = (*at).min(lines.len() - 1);
                let query = line_query(&lines[*at]);
                p.query = Some(super::modal::Field::search(query));
                p.sel = 0;
                vec![self.search(id)]
            }
            Command::UpdateProduct { .. } | Command::CreateProduct { .. } => {
                let sku = match &command {
                    Command::CreateProduct { sku, .. } => Some(sku.clone()),
                    _ => None,
                };
                self.close_from(id);
                let picker = self.top_id();
                if let Some(ModalBody::Picker(p)) = self.top() {
                    if let Some(sku) = sku {
                        p.query = Some(super::modal::Field::search(sku));
                    }
                    return vec![self.search(picker)];
                }
                Vec::new()
            }
            _ => {
                // The order's task is finished: the whole stack over it closes.
                self.modals.clear();
                Vec::new()
            }
        }
    }
}

/// A merge's outcome in one line: the product kept, the orders moved, those booked again.
fn merged(m: &crate::engine::Merged) -> String {
    let again = m.matched_again.len();
    format!(
        "merged into {} ({}): {} order(s) now name it, {} matched again",
        m.product.id,
        m.product.name,
        m.orders.len(),
        again
    )
}
