//! What the state machine reacts to, and the work it hands to the event loop.

use super::forms::Intent;
use super::pending::PageRequest;
use crate::engine::command::{Answer, Command, CommandError};
use crate::engine::{Counts, EngineEvent, OrderDetail, ProblemPage, StoreInfo, SyncRun};
use crate::tui::action::Action;
use crossterm::event::KeyEvent;

/// Everything the state machine reacts to.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Action(Action),
    Resize(u16, u16),
    Engine(EngineEvent),
    /// Engine events were missed: ask everything again.
    Resync,
    Counts(Counts),
    Pending(PageRequest, Vec<crate::engine::OrderRow>),
    Detail(u64, Option<Box<OrderDetail>>),
    SyncRuns(Vec<SyncRun>),
    /// The Sync log's pictures (fetched per hour, durations, the outbox backlog).
    Pictures(crate::engine::pictures::SyncPictures),
    /// The outbox's backlog alone (waiting, failed): what an order's change may move.
    OutboxCounts(u64, u64),
    RunDetail(u64, Option<SyncRun>),
    Problems(ProblemPage),
    Stores(Vec<StoreInfo>),
    /// A query failed; shown in the footer.
    Failed(String),
    /// The spinner's step (only while a sync runs).
    Tick,
    /// Text pasted in the terminal (bracketed paste), whole.
    Paste(String),
    /// The order an order key asked for from the Pending pane.
    OrderFor(Intent, u64, Option<Box<OrderDetail>>),
    /// A filter's page for the Pending pane.
    Filtered(PageRequest, crate::engine::filter::FilterPage),
    /// The orders `:order NAME` found, as `(STORE:NAME, id)`.
    OrdersNamed {
        seq: u64,
        name: String,
        found: Result<Vec<(String, u64)>, String>,
    },
    Manifests(Vec<crate::domain::manifest::Manifest>),
    ManifestDetail(u64, Option<Box<crate::engine::ManifestDetail>>),
    Invoices(Vec<crate::engine::InvoiceView>),
    /// The products sharing a SKU, by SKU.
    Duplicates(Vec<(String, Vec<crate::domain::Product>)>),
    /// Every order the Pending pane's filter shows, for the selection.
    SelectedAll(Result<Vec<crate::engine::OrderRow>, String>),
    /// A command's answer, for the modal that asked (if any).
    Answer {
        modal: Option<u64>,
        seq: u64,
        command: Command,
        result: Result<Answer, CommandError>,
    },
}

/// Work for the event loop: engine queries and commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    LoadPending(PageRequest),
    LoadCounts,
    LoadDetail(u64),
    LoadRuns,
    LoadPictures,
    /// Only the outbox gauge of the pictures (an intake page or an action changes nothing else
    /// they show, and the rest reads up to a day of runs).
    LoadOutboxCounts,
    LoadRunDetail(u64),
    /// The Errors pane's rows: `limit` from the `from`th on.
    LoadProblems(usize, usize),
    LoadStores,
    Sync(Option<String>),
    /// Load an order, then open what the intent asks for.
    LoadOrderFor(u64, Intent),
    /// An engine command or search, run on a blocking task; `label` names what it is about.
    Command {
        modal: Option<u64>,
        seq: u64,
        label: String,
        command: Command,
    },
    /// Find the orders named so (`:order 1042`).
    FindOrder {
        seq: u64,
        name: String,
    },
    LoadManifests,
    LoadManifest(u64),
    LoadInvoices,
    LoadDuplicates,
    /// Every order passing this filter (none: every open order), to select.
    SelectAll(Option<crate::engine::filter::OrderFilter>),
    /// Clear and repaint the whole screen.
    Redraw,
    /// Set the terminal's title.
    Title(String),
    /// Ring the terminal's bell.
    Bell,
    Quit,
}
