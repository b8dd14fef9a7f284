//! Submitting a form: each value is checked here first (the domain's own rules), so a bad
//! value is refused under its field before the engine is asked.

use super::forms::draft_of;
use super::modal::{FormKind, ModalBody, OnYes};
use super::{App, Effect};
use crate::domain::forms::{check_customer, parse_amount};
use crate::domain::lifecycle::{StatusChange, refusal};
use crate::engine::ProductEdit;
use crate::engine::command::Command;

impl App {
    pub(super) fn submit_form(&mut self, id: u64) -> Vec<Effect> {
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
                        let stock = match crate::domain::limits::parse_stock(&f.value("stock")) {
                            Ok(stock) => stock,
                            Err(e) => {
                                f.error_on("stock", &e);
                                return Vec::new();
                            }
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
            FormKind::BulkStatus { .. } | FormKind::AddToManifest { .. } => {
                match App::bulk_command(f) {
                    Some(c) => c,
                    None => return Vec::new(),
                }
            }
            FormKind::NewManifest => Command::NewManifest {
                carrier: f.value("carrier"),
            },
            FormKind::RemoveFromManifest {
                manifest_id,
                orders,
            } => {
                let chosen = f.value("order");
                let Some((order_id, name)) = orders.iter().find(|(_, n)| *n == chosen) else {
                    return Vec::new();
                };
                f.label = name.clone();
                Command::RemoveFromManifest {
                    manifest_id: *manifest_id,
                    order_id: *order_id,
                }
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
