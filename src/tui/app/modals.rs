//! Keys and answers for the modal on top: moving between fields, submitting (the form refuses
//! a bad value itself, under its field, before the engine is asked), confirming, cancelling.

use super::forms::{customer_fields, draft_of, line_query};
use super::modal::{FormKind, ModalBody, OnYes, PickerKind};
use super::{App, Effect};
use crate::domain::OrderState;
use crate::domain::forms::{check_customer, parse_amount};
use crate::domain::lifecycle::{StatusChange, refusal};
use crate::engine::ProductEdit;
use crate::tui::action::Action;
use crate::tui::command::{Answer, Command, CommandError};
use crossterm::event::KeyEvent;

impl App {
    fn top(&mut self) -> Option<&mut ModalBody> {
        self.modals.last_mut().map(|m| &mut m.body)
    }

    fn top_id(&self) -> u64 {
        self.modals.last().map(|m| m.id).unwrap_or(0)
    }

    fn body(&mut self, id: u64) -> Option<&mut ModalBody> {
        self.modals
            .iter_mut()
            .find(|m| m.id == id)
            .map(|m| &mut m.body)
    }

    /// Closes the modal `id` and everything above it.
    fn close_from(&mut self, id: u64) {
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

    fn submit_form(&mut self, id: u64) -> Vec<Effect> {
        let region = self.settings.phone_region.clone();
        let Some(ModalBody::Form(f)) = self.body(id) else {
            return Vec::new();
        };
        f.clear_errors();
        let command = match &f.kind {
            FormKind::CreateCustomer { .. } | FormKind::EditCustomer { .. } => {
                let draft = draft_of(f);
                if let Err(errors) = check_customer(&draft, region.as_deref()) {
                    f.show_errors(&errors);
                    return Vec::new();
                }
                match &f.kind {
                    FormKind::CreateCustomer { order_id } => Command::CreateCustomer {
                        order_id: *order_id,
                        draft: Box::new(draft),
                    },
                    FormKind::EditCustomer { customer_id } => Command::UpdateCustomer {
                        customer_id: customer_id.clone(),
                        draft: Box::new(draft),
                    },
                    _ => return Vec::new(),
                }
            }
            FormKind::CreateProduct | FormKind::EditProduct { .. } => {
                let (sku, name) = (f.value("sku").trim().to_string(), f.value("name"));
                if sku.is_empty() {
                    f.error_on("sku", "a SKU is needed");
                    return Vec::new();
                }
                if name.trim().is_empty() {
                    f.error_on("name", "a name is needed");
                    return Vec::new();
                }
                let price = match parse_amount(&f.value("price")) {
                    Ok(p) => p,
                    Err(e) => {
                        f.error_on("price", e);
                        return Vec::new();
                    }
                };
                match &f.kind {
                    FormKind::EditProduct { product_id } => Command::UpdateProduct {
                        product_id: product_id.clone(),
                        edit: Box::new(ProductEdit {
                            sku: Some(sku),
                            name: Some(name.trim().to_string()),
                            price: Some(price),
                            ..Default::default()
                        }),
                    },
                    _ => {
                        let Ok(stock) = f.value("stock").trim().parse::<i64>() else {
                            f.error_on("stock", "stock is a whole number, e.g. 0 or 12");
                            return Vec::new();
                        };
                        Command::CreateProduct {
                            sku,
                            name: name.trim().to_string(),
                            price,
                            stock,
                        }
                    }
                }
            }
            FormKind::Payment { order } => {
                let method = f.value("method");
                let amount = match parse_amount(&f.value("amount")) {
                    Ok(a) => a,
                    Err(e) => {
                        f.error_on("amount", e);
                        return Vec::new();
                    }
                };
                let balance = order.balance();
                let cur = order.currency.clone();
                let command = Command::RecordPayment {
                    order_id: order.id,
                    method,
                    amount,
                    comment: f.value("comment").trim().to_string(),
                    over_balance_ok: false,
                };
                if amount > balance {
                    let lines = vec![
                        format!("{amount} {cur} is more than the balance due ({balance} {cur})."),
                        "Record it anyway?".into(),
                    ];
                    let command = over_balance(command);
                    self.confirm(
                        "More than the balance",
                        lines,
                        OnYes::Run { owner: id, command },
                    );
                    return Vec::new();
                }
                command
            }
            FormKind::Shipped { order } => {
                let change = StatusChange::Shipped {
                    carrier: f.value("carrier").trim().to_string(),
                    tracking: f.value("tracking").trim().to_string(),
                };
                if let Some(why) = refusal(order, &change) {
                    let field = if f.value("carrier").trim().is_empty() {
                        "carrier"
                    } else {
                        "tracking"
                    };
                    f.error_on(field, why);
                    return Vec::new();
                }
                Command::ChangeStatus {
                    order_id: order.id,
                    change,
                }
            }
            FormKind::Refuse { order } => {
                let change = StatusChange::Refused {
                    reason: f.value("reason").trim().to_string(),
                };
                if let Some(why) = refusal(order, &change) {
                    f.error_on("reason", why);
                    return Vec::new();
                }
                let name = order.display_name();
                let lines = vec![
                    format!("Refuse {name}? This cannot be taken back:"),
                    format!("• the order is cancelled in the shop ({}),", order.store),
                    "• it is refunded to the customer's payment method,".into(),
                    "• the customer is notified,".into(),
                    "• booked stock comes back.".into(),
                ];
                let command = Command::ChangeStatus {
                    order_id: order.id,
                    change,
                };
                self.confirm("Refuse the order", lines, OnYes::Run { owner: id, command });
                return Vec::new();
            }
            FormKind::Note { order_id } => {
                let text = f.value("text").trim().to_string();
                if text.is_empty() {
                    f.error_on("text", "write the note first");
                    return Vec::new();
                }
                Command::AddNote {
                    order_id: *order_id,
                    text,
                }
            }
        };
        f.busy = true;
        let label = f.label.clone();
        vec![self.command(Some(id), &label, command)]
    }

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
                    Ok(_) => return Vec::new(),
                    Err(CommandError::Other(e)) => e,
                    Err(CommandError::Fields(errs)) => errs
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
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
            Err(e) => {
                let text = match &e {
                    CommandError::Other(t) => t.clone(),
                    CommandError::Fields(errs) => errs
                        .iter()
                        .map(|e| e.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                };
                match self.body(id) {
                    Some(ModalBody::Form(f)) => {
                        f.busy = false;
                        match e {
                            CommandError::Fields(errs) => f.show_errors(&errs),
                            CommandError::Other(t) => f.error = Some(t),
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
                p.query = Some(super::modal::Field::text("query", "Search", query));
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
                        p.query = Some(super::modal::Field::text("query", "Search", sku));
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

fn over_balance(c: Command) -> Command {
    match c {
        Command::RecordPayment {
            order_id,
            method,
            amount,
            comment,
            ..
        } => Command::RecordPayment {
            order_id,
            method,
            amount,
            comment,
            over_balance_ok: true,
        },
        other => other,
    }
}
