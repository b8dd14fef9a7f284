//! Keys and answers for the modal on top: moving between fields, submitting (the form refuses
//! a bad value itself, under its field, before the engine is asked), confirming, cancelling.

use super::modal::{ModalBody, OnYes, PickerKind};
use super::{App, Effect};
use crate::domain::OrderState;
use crate::domain::lifecycle::{StatusChange, refusal};
use crate::engine::command::Command;
use crate::tui::action::Action;
use crossterm::event::KeyEvent;

impl App {
    pub(super) fn top(&mut self) -> Option<&mut ModalBody> {
        self.modals.last_mut().map(|m| &mut m.body)
    }

    pub(super) fn top_id(&self) -> u64 {
        self.modals.last().map(|m| m.id).unwrap_or(0)
    }

    pub(super) fn body(&mut self, id: u64) -> Option<&mut ModalBody> {
        self.modals
            .iter_mut()
            .find(|m| m.id == id)
            .map(|m| &mut m.body)
    }

    /// Closes the modal `id` and everything above it.
    pub(super) fn close_from(&mut self, id: u64) {
        if let Some(i) = self.modals.iter().position(|m| m.id == id) {
            self.modals.truncate(i);
        }
    }

    /// A new search for the picker `id`, from its field as it is now.
    pub(super) fn search(&mut self, id: u64) -> Effect {
        let seq = self.next_seq();
        let Some(ModalBody::Picker(p)) = self.body(id) else {
            return Effect::Redraw;
        };
        p.seq = seq;
        p.searching = true;
        let query = p.query_text();
        let command = match p.kind {
            PickerKind::Customers { .. } => Command::SearchCustomers { query },
            _ => Command::SearchProducts { query },
        };
        Effect::Command {
            modal: Some(id),
            seq,
            label: String::new(),
            command,
        }
    }

    /// A key the keymap left unclaimed goes to the focused field.
    pub(super) fn modal_key(&mut self, ev: &KeyEvent) -> Vec<Effect> {
        let id = self.top_id();
        let changed = match self.modals.last_mut().and_then(|m| m.focused_field()) {
            Some(f) => f.key(ev),
            None => false,
        };
        if changed {
            self.field_changed(id)
        } else {
            Vec::new()
        }
    }

    /// Pasted text goes, whole, into the focused field.
    pub fn paste(&mut self, text: &str) -> Vec<Effect> {
        let id = self.top_id();
        let changed = match self.modals.last_mut().and_then(|m| m.focused_field()) {
            Some(f) => f.paste(text),
            None => false,
        };
        if changed {
            self.field_changed(id)
        } else {
            Vec::new()
        }
    }

    fn field_changed(&mut self, id: u64) -> Vec<Effect> {
        match self.top() {
            Some(ModalBody::Picker(p)) if p.query.is_some() => {
                p.error = None;
                vec![self.search(id)]
            }
            Some(ModalBody::Form(f)) => {
                let i = f.focus;
                f.fields[i].error = None;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn modal_action(&mut self, action: Action) -> Vec<Effect> {
        let id = self.top_id();
        let touched = self.modals.last().is_some_and(|m| m.touched());
        let Some(top) = self.top() else {
            return Vec::new();
        };
        match (action, top) {
            (Action::Cancel | Action::Back, ModalBody::Confirm(_)) => {
                self.modals.pop();
            }
            (Action::Cancel | Action::Back, _) => {
                if touched {
                    self.confirm(
                        "Discard?",
                        vec!["Close this form and lose what you typed?".into()],
                        OnYes::Discard,
                    );
                } else {
                    self.modals.pop();
                }
            }
            (Action::Confirm | Action::Submit, ModalBody::Confirm(c)) => {
                let on_yes = c.on_yes.clone();
                self.modals.pop();
                match on_yes {
                    OnYes::Discard => {
                        self.modals.pop();
                    }
                    OnYes::Close => {}
                    OnYes::Command { label, command } => {
                        self.notice = Some(format!("{label}: working…"));
                        return vec![self.command(None, &label, command)];
                    }
                    OnYes::Run { owner, command } => {
                        let label = match self.body(owner) {
                            Some(ModalBody::Form(f)) => {
                                f.busy = true;
                                f.label.clone()
                            }
                            Some(ModalBody::Picker(p)) => {
                                p.busy = true;
                                p.label.clone()
                            }
                            _ => String::new(),
                        };
                        return vec![self.command(Some(owner), &label, command)];
                    }
                }
            }
            (Action::NextField | Action::PrevField, ModalBody::Form(f)) => {
                let n = f.fields.len().max(1);
                let by = if action == Action::NextField {
                    1
                } else {
                    n - 1
                };
                f.focus = (f.focus + by) % n;
            }
            (
                Action::Up | Action::Down | Action::PageUp | Action::PageDown,
                ModalBody::Picker(p),
            ) => {
                let page = 10;
                p.move_by(match action {
                    Action::Up => -1,
                    Action::Down => 1,
                    Action::PageUp => -page,
                    _ => page,
                });
            }
            (Action::Submit, ModalBody::Form(f)) if !f.busy => return self.submit_form(id),
            (Action::Submit, ModalBody::Picker(p)) if !p.busy => return self.pick(id),
            (Action::NewRecord, ModalBody::Picker(p)) => match &p.kind {
                PickerKind::Customers { order_id, .. } => {
                    let order_id = *order_id;
                    let label = p.label.clone();
                    return vec![self.command(
                        Some(id),
                        &label,
                        Command::CustomerDraft { order_id },
                    )];
                }
                PickerKind::Products { lines, at, .. } => {
                    let line = lines[*at].clone();
                    self.open_product_form(None, &line);
                }
                PickerKind::Status { .. } => {}
            },
            (Action::EditRecord, ModalBody::Picker(p)) => {
                if let PickerKind::Products {
                    lines, at, results, ..
                } = &p.kind
                    && let Some(prod) = results.get(p.sel)
                {
                    let (prod, line) = (prod.clone(), lines[*at].clone());
                    self.open_product_form(Some(&prod), &line);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Enter in a picker: the selected row.
    fn pick(&mut self, id: u64) -> Vec<Effect> {
        let Some(ModalBody::Picker(p)) = self.body(id) else {
            return Vec::new();
        };
        let label = p.label.clone();
        let command = match &p.kind {
            PickerKind::Customers { order_id, results } => match results.get(p.sel) {
                Some(c) => Command::Identify {
                    order_id: *order_id,
                    customer_id: c.id.clone(),
                },
                None => return Vec::new(),
            },
            PickerKind::Products {
                order_id,
                lines,
                at,
                results,
            } => match results.get(p.sel) {
                Some(prod) => Command::MapLine {
                    order_id: *order_id,
                    line: lines[*at].line,
                    product_id: prod.id.clone(),
                },
                None => return Vec::new(),
            },
            PickerKind::Status { order, targets } => {
                let Some(to) = targets.get(p.sel).copied() else {
                    return Vec::new();
                };
                let order = order.clone();
                let change = match to {
                    OrderState::ReadyForPickup => StatusChange::ReadyForPickup,
                    OrderState::ReadyToShip => StatusChange::ReadyToShip,
                    OrderState::Completed => StatusChange::Completed,
                    OrderState::Shipped => {
                        self.open_shipped(&order);
                        return Vec::new();
                    }
                    _ => {
                        self.open_refuse(&order);
                        return Vec::new();
                    }
                };
                if let Some(why) = refusal(&order, &change) {
                    p.error = Some(why);
                    return Vec::new();
                }
                Command::ChangeStatus {
                    order_id: order.id,
                    change,
                }
            }
        };
        p.busy = true;
        p.error = None;
        vec![self.command(Some(id), &label, command)]
    }
}
