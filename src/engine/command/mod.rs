//! The operator's actions as one serializable [`Command`], run by one entry point
//! ([`Engine::execute`]) for whoever asks: the console, the command line and the service's
//! clients all send these. The engine's own methods stay underneath.

mod documents;
mod query;
mod roles;

pub use query::{Query, QueryAnswer};
pub use roles::{Operator, Role, UnknownRole};

use crate::domain::forms::{CustomerDraft, FieldError};
use crate::domain::lifecycle::StatusChange;
use crate::domain::outbox::OutboxStatus;
use crate::domain::{Customer, Money, Product};
use crate::engine::{Engine, EngineError, EngineEvent, Merged, ProblemRef, ProductEdit};
use serde::{Deserialize, Serialize};

/// Searches return at most this many rows (the picker shows what fits).
pub const SEARCH_LIMIT: usize = 50;

/// One operator action (or one of the console's searches), as any client sends it. New
/// actions are new variants: each names the role it needs in `roles.rs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    SearchCustomers {
        query: String,
    },
    SearchProducts {
        query: String,
    },
    CustomerDraft {
        order_id: u64,
    },
    Identify {
        order_id: u64,
        customer_id: String,
    },
    CreateCustomer {
        order_id: u64,
        draft: Box<CustomerDraft>,
    },
    UpdateCustomer {
        customer_id: String,
        draft: Box<CustomerDraft>,
    },
    MapLine {
        order_id: u64,
        line: u32,
        product_id: String,
    },
    UpdateProduct {
        product_id: String,
        edit: Box<ProductEdit>,
    },
    CreateProduct {
        sku: String,
        name: String,
        price: Money,
        stock: i64,
    },
    IntakeAgain {
        order_id: u64,
    },
    RecordPayment {
        order_id: u64,
        method: String,
        amount: Money,
        comment: String,
        over_balance_ok: bool,
    },
    ChangeStatus {
        order_id: u64,
        change: StatusChange,
    },
    AddNote {
        order_id: u64,
        text: String,
    },
    Acknowledge(ProblemRef),
    Dismiss(ProblemRef),
    /// Put one failed outbox item back in the queue.
    Retry(u64),
    /// Retry (or dismiss) the order's failed outbox items, found by asking the engine.
    FailedSends {
        order_id: u64,
        retry: bool,
    },
    /// The same status change for each order, each on its own.
    BulkStatus {
        order_ids: Vec<u64>,
        change: StatusChange,
    },
    /// Orders onto a manifest (made first when new), each with its tracking number.
    AddToManifest {
        target: ManifestTarget,
        orders: Vec<(u64, String)>,
    },
    NewManifest {
        carrier: String,
    },
    RemoveFromManifest {
        manifest_id: u64,
        order_id: u64,
    },
    /// A store's catalog sync, run in the background where the sync loops run (the engine's
    /// `CatalogRequested` event; progress and the end come as engine events).
    CatalogSync {
        store: String,
    },
    /// The order's receipt through `command`, or into a file in the data directory.
    PrintReceipt {
        order_id: u64,
        command: Option<String>,
    },
    ShipManifest(u64),
    /// The driver's sheet as a text file in the data directory.
    PrintManifest(u64),
    /// The invoice of each order, each on its own.
    GenerateInvoices {
        order_ids: Vec<u64>,
    },
    SendInvoice(u64),
    /// The invoice as text and JSON files in the data directory.
    ExportInvoice(u64),
    /// A product merged into another (a duplicate SKU cleared); cannot be undone.
    MergeProducts {
        from: String,
        into: String,
    },
    /// A sync run now: of one store, or of every store. The sync loops hear it as an event.
    SyncNow {
        store: Option<String>,
    },
}

/// Which manifest orders go onto.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManifestTarget {
    Open {
        id: u64,
        carrier: String,
        orders: usize,
    },
    New {
        carrier: String,
    },
}

impl ManifestTarget {
    /// As the form offers it.
    pub fn label(&self) -> String {
        match self {
            ManifestTarget::Open {
                id,
                carrier,
                orders,
            } => format!("manifest {id} · {carrier} · {orders} order(s)"),
            ManifestTarget::New { carrier } => format!("a new manifest for {carrier}"),
        }
    }
}

impl Command {
    /// Searches and lookups change nothing; the rest are operator actions.
    pub fn is_query(&self) -> bool {
        matches!(
            self,
            Command::SearchCustomers { .. }
                | Command::SearchProducts { .. }
                | Command::CustomerDraft { .. }
        )
    }
}

/// What a command answered.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Customers(Vec<Customer>),
    Products(Vec<Product>),
    Draft(CustomerDraft),
    /// Done: one line for the footer.
    Done(String),
    /// Done over many orders: a title and one line per order, shown until closed.
    Report {
        title: String,
        lines: Vec<String>,
    },
    /// Products merged: what the merge did.
    Merged(Box<Merged>),
}

/// Why a command failed: per field (shown under each field), one line, or a role it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandError {
    Fields(Vec<FieldError>),
    /// Refused, with the reason.
    Other(String),
    /// The operator's role does not allow it: the message names the role needed.
    Forbidden(String),
    /// Could not be done (a record not found, the store failing): `code` as `--json` gives it.
    Failed {
        code: String,
        message: String,
    },
}

impl CommandError {
    /// A stable code for `--json` errors (as [`EngineError::code`] gives them).
    pub fn code(&self) -> &str {
        match self {
            CommandError::Fields(_) => "invalid",
            CommandError::Other(_) => "refused",
            CommandError::Forbidden(_) => "forbidden",
            CommandError::Failed { code, .. } => code,
        }
    }

    /// The one line an operator reads.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::Fields(errs) => {
                let each: Vec<String> = (errs.iter())
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                write!(f, "{}", each.join("; "))
            }
            CommandError::Other(s) | CommandError::Forbidden(s) => write!(f, "{s}"),
            CommandError::Failed { message, .. } => write!(f, "{message}"),
        }
    }
}

impl From<EngineError> for CommandError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Form(f) => CommandError::Fields(f.0),
            EngineError::Refused(r) => CommandError::Other(r),
            other => CommandError::Failed {
                code: other.code().to_string(),
                message: other.to_string(),
            },
        }
    }
}

impl Engine {
    /// Runs one command for `who` (refused when their role does not allow it); what it
    /// changes carries their name. `label` names what it is about (`#1042`) for the answer.
    pub fn execute(
        &self,
        who: &Operator,
        label: &str,
        cmd: Command,
    ) -> Result<Answer, CommandError> {
        who.may(&cmd)?;
        let engine = self.as_operator(&who.name);
        tracing::debug!(operator = %who.name, role = %who.role, "{cmd:?}");
        run(&engine, label, cmd)
    }
}

fn run(engine: &Engine, label: &str, cmd: Command) -> Result<Answer, CommandError> {
    let done = |s: String| Ok(Answer::Done(s));
    match cmd {
        Command::SearchCustomers { query } => Ok(Answer::Customers(
            engine.search_customers(&query, SEARCH_LIMIT)?,
        )),
        Command::SearchProducts { query } => Ok(Answer::Products(
            engine.search_products(&query, SEARCH_LIMIT)?,
        )),
        Command::CustomerDraft { order_id } => Ok(Answer::Draft(engine.customer_draft(order_id)?)),
        Command::Identify {
            order_id,
            customer_id,
        } => {
            let state = engine.identify_customer(order_id, &customer_id)?;
            done(format!(
                "{label}: customer {customer_id} identified; now {}",
                state.label()
            ))
        }
        Command::CreateCustomer { order_id, draft } => {
            let (id, state) = engine.create_customer_for(order_id, &draft)?;
            done(format!(
                "{label}: customer {id} created; now {}",
                state.label()
            ))
        }
        Command::UpdateCustomer { customer_id, draft } => {
            engine.update_customer(&customer_id, &draft)?;
            done(format!("customer {customer_id} saved"))
        }
        Command::MapLine {
            order_id,
            line,
            product_id,
        } => {
            let state = engine.map_line(order_id, line, &product_id)?;
            done(format!(
                "{label}: line {line} mapped to {product_id}; now {}",
                state.label()
            ))
        }
        Command::UpdateProduct { product_id, edit } => {
            let p = engine.update_product(&product_id, &edit)?;
            done(format!("product {} saved ({} {})", p.id, p.sku, p.name))
        }
        Command::CreateProduct {
            sku,
            name,
            price,
            stock,
        } => {
            let p = engine.create_product(&sku, &name, price, stock)?;
            done(format!("product {} created ({} {})", p.id, p.sku, p.name))
        }
        Command::IntakeAgain { order_id } => {
            let state = engine.intake_again(order_id)?;
            done(format!("{label}: intake ran again; now {}", state.label()))
        }
        Command::RecordPayment {
            order_id,
            method,
            amount,
            comment,
            over_balance_ok,
        } => {
            let p = engine.record_payment(order_id, &method, amount, &comment, over_balance_ok)?;
            done(format!(
                "{label}: payment of {} by {} recorded",
                crate::domain::limits::show_money(p.amount),
                p.method
            ))
        }
        Command::ChangeStatus { order_id, change } => {
            let state = engine.change_status(order_id, &change)?;
            done(format!("{label}: now {}", state.label()))
        }
        Command::AddNote { order_id, text: t } => {
            engine.add_note(order_id, &t)?;
            done(format!("{label}: note added"))
        }
        Command::Acknowledge(what) => {
            engine.acknowledge(&what)?;
            done(format!("{label}: acknowledged"))
        }
        Command::Dismiss(what) => {
            engine.dismiss(&what)?;
            done(format!("{label}: dismissed"))
        }
        Command::Retry(item_id) => {
            engine.retry_outbox(item_id)?;
            done(format!("{label}: queued again"))
        }
        Command::FailedSends { order_id, retry } => {
            let failed: Vec<_> = engine
                .order_outbox(order_id)?
                .into_iter()
                .filter(|i| i.status == OutboxStatus::Failed)
                .collect();
            if failed.is_empty() {
                return done(format!("{label}: no failed send left"));
            }
            for item in &failed {
                if retry {
                    engine.retry_outbox(item.id)?;
                } else {
                    engine.dismiss(&ProblemRef::Outbox(item.id))?;
                }
            }
            let what: Vec<String> = failed.iter().map(|i| i.change.describe()).collect();
            let verb = if retry { "queued again" } else { "dismissed" };
            done(format!("{label}: {} {verb}", what.join(", ")))
        }
        Command::CatalogSync { store } => {
            engine.setting(&store)?;
            tracing::info!(store, operator = %engine.operator(), "catalog sync requested");
            engine.emit(EngineEvent::CatalogRequested {
                store: store.clone(),
            });
            done(format!("catalog sync of {store} started in the background"))
        }
        Command::BulkStatus { order_ids, change } => {
            let out = engine.change_status_many(&order_ids, &change);
            Ok(report(
                format!("{} → {}", label, change.target().label()),
                &out,
            ))
        }
        Command::AddToManifest { target, orders } => {
            let id = match target {
                ManifestTarget::Open { id, .. } => id,
                ManifestTarget::New { carrier } => engine.create_manifest(&carrier)?.id,
            };
            let ids: Vec<u64> = orders.iter().map(|(id, _)| *id).collect();
            let out = engine.for_each_order(&ids, |e, order_id| {
                let tracking = orders
                    .iter()
                    .find(|(o, _)| *o == order_id)
                    .map(|(_, t)| t.as_str())
                    .unwrap_or_default();
                e.add_to_manifest(id, order_id, tracking)
                    .map(|_| format!("on manifest {id}, tracking {}", tracking.trim()))
            });
            Ok(report(format!("{label} onto manifest {id}"), &out))
        }
        Command::NewManifest { carrier } => {
            let m = engine.create_manifest(&carrier)?;
            done(format!("manifest {} for {} created", m.id, m.carrier))
        }
        Command::RemoveFromManifest {
            manifest_id,
            order_id,
        } => {
            engine.remove_from_manifest(manifest_id, order_id)?;
            done(format!("{label} taken off manifest {manifest_id}"))
        }
        Command::ShipManifest(id) => {
            let m = engine.ship_manifest(id)?;
            done(format!(
                "manifest {id} shipped: {} order(s) shipped, their shops told",
                m.orders.len()
            ))
        }
        Command::PrintManifest(id) => done(documents::print_manifest(engine, id)?),
        Command::ExportInvoice(id) => done(documents::export_invoice(engine, id)?),
        Command::PrintReceipt { order_id, command } => {
            done(documents::print_receipt(engine, label, order_id, command)?)
        }
        Command::MergeProducts { from, into } => Ok(Answer::Merged(Box::new(
            engine.merge_products(&from, &into)?,
        ))),
        Command::SyncNow { store } => {
            if let Some(s) = &store {
                engine.setting(s)?;
            }
            tracing::info!(store = ?store, operator = %engine.operator(), "sync requested");
            engine.emit(EngineEvent::SyncRequested {
                store: store.clone(),
            });
            done(match store {
                Some(s) => format!("sync of {s} requested"),
                None => "sync of every store requested".into(),
            })
        }
        Command::GenerateInvoices { order_ids } => Ok(report(
            format!("invoices for {label}"),
            &engine.generate_invoices(&order_ids),
        )),
        Command::SendInvoice(id) => {
            let v = engine.send_invoice(id)?;
            let number = v.invoice.number();
            done(match (v.state, v.answer) {
                (crate::domain::invoice::InvoiceState::Failed, Some(why)) => {
                    format!("invoice {number} failed: {why}")
                }
                _ => format!("invoice {number} queued for the shop"),
            })
        }
    }
}

/// A bulk action's report: how many went through, then one line per order.
fn report(title: String, out: &[crate::engine::BulkOutcome]) -> Answer {
    let ok = out.iter().filter(|o| o.result.is_ok()).count();
    let mut lines = vec![format!("{ok} of {} done.", out.len())];
    lines.extend(out.iter().map(|o| o.line()));
    Answer::Report { title, lines }
}
