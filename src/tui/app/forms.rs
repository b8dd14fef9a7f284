//! Opening each operator form or picker for an order, prefilled from what the order knows.

use super::modal::{
    Confirm, FailingLine, Field, Form, FormKind, Modal, ModalBody, OnYes, Picker, PickerKind,
};
use super::{App, Effect};
use crate::domain::forms::CustomerDraft;
use crate::domain::lifecycle::allowed_targets;
use crate::domain::{Money, Order, OrderState, Product};
use crate::engine::command::Command;
use crate::tui::format::money;

/// What an order key opens (the order is loaded first when it comes from the Pending pane).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Identify,
    FixMatch,
    EditCustomer,
    Payment,
    Status,
    Note,
}

pub use super::fields::{customer_fields, draft_of, product_fields};

/// Payment methods when the config names none.
const DEFAULT_METHODS: [&str; 3] = ["VISA", "MC", "AMEX"];

pub fn failing_lines(o: &Order) -> Vec<FailingLine> {
    o.lines
        .iter()
        .filter(|l| !l.matched.status.is_ok())
        .map(|l| FailingLine {
            line: l.line,
            sku: l.sku.clone().unwrap_or_default().trim().to_string(),
            name: l.name.clone(),
            price: l.unit_price,
            why: crate::tui::format::line_match(&l.matched, l.sku.as_deref()),
        })
        .collect()
}

/// What to search for a failing line: its SKU, else its name.
pub fn line_query(l: &FailingLine) -> String {
    if l.sku.is_empty() {
        l.name.clone()
    } else {
        l.sku.clone()
    }
}

fn form(
    title: String,
    label: String,
    intro: Vec<String>,
    fields: Vec<Field>,
    kind: FormKind,
) -> Form {
    Form {
        title,
        intro,
        fields,
        focus: 0,
        kind,
        label,
        error: None,
        busy: false,
    }
}

impl App {
    pub(super) fn push_modal(&mut self, body: ModalBody) -> u64 {
        self.next_modal += 1;
        let id = self.next_modal;
        self.keys.reset();
        self.modals.push(Modal { id, body });
        id
    }

    pub(super) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub(super) fn command(&mut self, modal: Option<u64>, label: &str, command: Command) -> Effect {
        let seq = self.next_seq();
        Effect::Command {
            modal,
            seq,
            label: label.to_string(),
            command,
        }
    }

    /// Opens what `intent` asks for on this order.
    pub fn open_intent(&mut self, intent: Intent, o: &Order) -> Vec<Effect> {
        let label = o.display_name();
        match intent {
            Intent::Identify => {
                if o.state != OrderState::CustomerIdNeeded {
                    return self.say(format!(
                        "{label} does not need a customer ID ({})",
                        o.state.label()
                    ));
                }
                let query = o.customer.name();
                let picker = Picker {
                    title: format!(" Identify the customer of {label} "),
                    kind: PickerKind::Customers {
                        order_id: o.id,
                        results: Vec::new(),
                    },
                    query: Some(Field::search(query.clone())),
                    sel: 0,
                    seq: 0,
                    searching: true,
                    label: label.clone(),
                    error: None,
                    busy: false,
                };
                let id = self.push_modal(ModalBody::Picker(picker));
                vec![self.search(id)]
            }
            Intent::FixMatch => {
                let lines = failing_lines(o);
                let Some(first) = lines.first() else {
                    return self.say(format!("every line of {label} matches a product"));
                };
                let query = line_query(first);
                let picker = Picker {
                    title: format!(" Fix product match — {label} "),
                    kind: PickerKind::Products {
                        order_id: o.id,
                        lines,
                        at: 0,
                        results: Vec::new(),
                    },
                    query: Some(Field::search(query)),
                    sel: 0,
                    seq: 0,
                    searching: true,
                    label,
                    error: None,
                    busy: false,
                };
                let id = self.push_modal(ModalBody::Picker(picker));
                vec![self.search(id)]
            }
            Intent::EditCustomer => {
                let Some(cid) = o.customer.id.clone() else {
                    return self.say(format!("{label} has no customer yet (identify it first)"));
                };
                let c = &o.customer;
                let a = o.billing_address.clone().unwrap_or_default();
                let draft = CustomerDraft {
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    email: c.email.clone().unwrap_or_default(),
                    phone: c.phone.clone().unwrap_or_default(),
                    address: a.address1.clone(),
                    city: a.city.clone(),
                    postal_code: a.postal_code.clone(),
                    country: a.country.clone(),
                };
                let f = form(
                    format!(" Edit customer {cid} "),
                    label,
                    vec![format!(
                        "Customer {cid}, as on {}; loading the record…",
                        o.display_name()
                    )],
                    customer_fields(&draft),
                    FormKind::EditCustomer {
                        customer_id: cid.clone(),
                    },
                );
                let id = self.push_modal(ModalBody::Form(f));
                // The record itself, by its email or name (the engine's search), fills the form.
                let query = c.email.clone().unwrap_or_else(|| c.name());
                vec![self.command(Some(id), &cid, Command::SearchCustomers { query })]
            }
            Intent::Payment => {
                let mut methods = self.settings.payment_methods.clone();
                if methods.is_empty() {
                    methods = DEFAULT_METHODS.iter().map(|s| s.to_string()).collect();
                }
                let balance = o.balance();
                let amount = if balance > Money::ZERO {
                    money(balance)
                } else {
                    String::new()
                };
                let cur = &o.currency;
                let intro = vec![
                    format!(
                        "Total {} {cur} · paid {} · balance {} {cur}",
                        money(o.total),
                        money(o.paid()),
                        money(balance)
                    ),
                    format!("The shop says: {}", shop_payment(o)),
                ];
                let fields = vec![
                    Field::choice("method", "Method", methods),
                    Field::text("amount", "Amount", amount),
                    Field::text(
                        "comment",
                        "Comment",
                        o.authorization.clone().unwrap_or_default(),
                    ),
                ];
                let f = form(
                    format!(" Record a payment — {label} "),
                    label,
                    intro,
                    fields,
                    FormKind::Payment {
                        order: Box::new(o.clone()),
                    },
                );
                self.push_modal(ModalBody::Form(f));
                Vec::new()
            }
            Intent::Status => {
                let targets = allowed_targets(o);
                if targets.is_empty() {
                    return self.say(format!(
                        "{label}: no status change from {}",
                        o.state.label()
                    ));
                }
                let picker = Picker {
                    title: format!(" Change status — {label} ({}) ", o.state.label()),
                    kind: PickerKind::Status {
                        order: Box::new(o.clone()),
                        targets,
                    },
                    query: None,
                    sel: 0,
                    seq: 0,
                    searching: false,
                    label,
                    error: None,
                    busy: false,
                };
                self.push_modal(ModalBody::Picker(picker));
                Vec::new()
            }
            Intent::Note => {
                let f = form(
                    format!(" Note on {label} "),
                    label,
                    vec!["A note goes on the order's timeline, with your name.".into()],
                    vec![Field::text("text", "Note", "")],
                    FormKind::Note { order_id: o.id },
                );
                self.push_modal(ModalBody::Form(f));
                Vec::new()
            }
        }
    }

    /// The shipped form (from the status picker): carrier from the store's list, tracking.
    pub(super) fn open_shipped(&mut self, o: &Order) {
        let carriers = self
            .settings
            .carriers
            .iter()
            .find(|(s, _)| *s == o.store)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        let mut intro = vec![format!(
            "The shop ({}) is told it shipped, with the carrier and tracking number.",
            o.store
        )];
        let carrier = if carriers.is_empty() {
            intro.push(format!(
                "No carrier is mapped for store {}: tracking is sent only for a mapped one.",
                o.store
            ));
            Field::text("carrier", "Carrier", "")
        } else {
            let mut f = Field::choice("carrier", "Carrier", carriers.clone());
            if let Some(i) = o
                .shipping
                .as_ref()
                .and_then(|s| s.carrier.as_ref())
                .and_then(|c| carriers.iter().position(|x| x == c))
                && let super::modal::FieldKind::Choice { sel, .. } = &mut f.kind
            {
                *sel = i;
            }
            f
        };
        let label = o.display_name();
        let f = form(
            format!(" Shipped — {label} "),
            label,
            intro,
            vec![carrier, Field::text("tracking", "Tracking number", "")],
            FormKind::Shipped {
                order: Box::new(o.clone()),
            },
        );
        self.push_modal(ModalBody::Form(f));
    }

    pub(super) fn open_refuse(&mut self, o: &Order) {
        let label = o.display_name();
        let f = form(
            format!(" Refuse {label} "),
            label,
            vec!["Why is the order refused? The reason goes to the timeline.".into()],
            vec![Field::text("reason", "Reason", "")],
            FormKind::Refuse {
                order: Box::new(o.clone()),
            },
        );
        self.push_modal(ModalBody::Form(f));
    }

    pub(super) fn open_product_form(&mut self, product: Option<&Product>, line: &FailingLine) {
        let f = match product {
            Some(p) => form(
                format!(" Edit product {} ", p.id),
                p.id.clone(),
                vec![format!("Stock {} · {}", p.stock, p.category)],
                product_fields(&p.sku, &p.name, p.price, None),
                FormKind::EditProduct {
                    product_id: p.id.clone(),
                },
            ),
            None => form(
                " New product ".into(),
                line.sku.clone(),
                vec![format!("From line {}: {}", line.line, line.name)],
                product_fields(&line.sku, &line.name, line.price, Some(0)),
                FormKind::CreateProduct,
            ),
        };
        self.push_modal(ModalBody::Form(f));
    }

    pub(super) fn confirm(&mut self, title: &str, lines: Vec<String>, on_yes: OnYes) {
        self.push_modal(ModalBody::Confirm(Confirm {
            title: format!(" {title} "),
            lines,
            on_yes,
        }));
    }

    pub(super) fn say(&mut self, text: String) -> Vec<Effect> {
        self.notice = Some(text);
        Vec::new()
    }
}

/// The shop's own payment status, as it words it.
pub fn shop_payment(o: &Order) -> String {
    if o.financial_label.is_empty() {
        format!("{:?}", o.financial).to_lowercase()
    } else {
        o.financial_label.clone()
    }
}
