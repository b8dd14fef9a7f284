//! What the engine's queries answer: plain data for screens and scripts.

pub use crate::domain::history::{Counts, StoreInfo, SyncRun, TimelineEntry};
use crate::domain::{Money, Order, OrderState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An opaque position in an index, for keyset paging.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RowKey(pub Vec<u8>);

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageFrom {
    /// The first rows.
    Start,
    /// The rows after this one (scrolling down).
    After(RowKey),
    /// The rows before this one (scrolling up); still returned in display order.
    Before(RowKey),
    /// The last rows.
    End,
}

/// One row of the Pending orders pane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRow {
    pub key: RowKey,
    pub id: u64,
    pub store: String,
    /// As the shop shows it (`#1042`).
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub customer: String,
    pub total: Money,
    pub currency: String,
    pub state: OrderState,
    pub test: bool,
}

impl OrderRow {
    /// The row of `order`, found at `key` in an index.
    pub fn of(key: Vec<u8>, o: &Order) -> OrderRow {
        OrderRow {
            key: RowKey(key),
            id: o.id,
            store: o.store.clone(),
            name: o.display_name(),
            created_at: o.created_at,
            customer: o.customer.name(),
            total: o.total,
            currency: o.currency.clone(),
            state: o.state,
            test: o.test,
        }
    }
}

/// Everything the Order detail view shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order: Order,
    pub timeline: Vec<TimelineEntry>,
    /// What the shop was to hear of it, oldest first, with the shop's answers.
    pub outbox: Vec<crate::domain::outbox::OutboxItem>,
}

/// Kinds of open problems (DESIGN.md §1 "Problems and the Errors pane").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    StoreFailed,
    Unreadable,
    Parked,
    Rejected,
    Oversold,
    Conflict,
    OutboxFailed,
}

/// One open problem, for the Errors pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub store: String,
    /// The order it is about, when it is about one.
    pub order_id: Option<u64>,
    /// `#1042`, a product id, or the store id.
    pub subject: String,
    /// The reason in plain words, e.g. `line 2: no product with SKU "TSH-RED-XL"`.
    pub text: String,
    pub at: DateTime<Utc>,
    /// The outbox item, for a failed one (retry or dismiss acts on it).
    pub outbox_id: Option<u64>,
}

/// What happened, so screens know what to ask again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum EngineEvent {
    /// Orders changed (intake, an operator action): counts, Pending and details may differ.
    OrdersChanged,
    /// A sync run started or finished for this store.
    SyncRun { store: String, running: bool },
    /// The running run of this store recorded its counts so far (after a page of orders).
    SyncProgress { store: String },
    /// The open problems changed.
    ProblemsChanged,
    /// A manifest was created, changed or shipped.
    ManifestsChanged,
    /// Invoices were generated or sent.
    InvoicesChanged,
    /// A bulk action over many orders has done `done` of `total`.
    BulkProgress { done: usize, total: usize },
    /// A store's catalog sync has taken `done` products of `total` (when the shop says), at
    /// `per_second` products a second in this run, `seconds_left` to go at that rate.
    CatalogProgress {
        store: String,
        done: u64,
        total: Option<u64>,
        per_second: u64,
        seconds_left: Option<u64>,
    },
    /// A store's catalog sync ended (complete, or stopped: it resumes where it stands).
    CatalogDone { store: String, message: String },
    /// An operator asked for a sync run now: of this store, or of every store.
    SyncRequested { store: Option<String> },
    /// An operator asked for a catalog sync of this store (it runs in the background where
    /// the sync loops run: the console's process or the service).
    CatalogRequested { store: String },
}
