//! What the store keeps beside orders and records: each order's timeline, the sync runs, the
//! connected stores and the order counters. Defined here so the store needs nothing from the
//! layers above it.

use super::OrderState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Counts kept as the data changes (never recounted per frame).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub total: u64,
    /// Indexed by `OrderState::code()`.
    pub by_state: [u64; 10],
}

impl Counts {
    pub fn get(&self, s: OrderState) -> u64 {
        self.by_state[s.code() as usize]
    }
    pub fn needs_action(&self) -> u64 {
        self.get(OrderState::CustomerIdNeeded) + self.get(OrderState::ProductMatchFailed)
    }
    /// Rows in the Pending pane: every open order.
    pub fn pending(&self) -> u64 {
        OrderState::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| self.get(*s))
            .sum()
    }
}

/// One entry of an order's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `sync` for what the sync loop did, else the operator's name.
    pub by: String,
    /// A short kind: fetched, updated, matched, booked, parked, rejected, cancelled, conflict...
    pub kind: String,
    pub text: String,
}

/// One sync run of one store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRun {
    pub id: u64,
    pub store: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub ok: bool,
    pub fetched: u64,
    pub booked: u64,
    pub parked: u64,
    pub rejected: u64,
    pub skipped: u64,
    pub cancelled: u64,
    pub errors: u64,
    /// Stock levels the shop took in the run.
    #[serde(default)]
    pub stock_updated: u64,
    /// Why the run failed, or its notable errors, in the shop's words.
    pub message: Option<String>,
    /// `(local order id, name, what happened)` for each order the run touched.
    pub touched: Vec<(u64, String, String)>,
    /// Errors of this run (unreadable orders, ...), one line each.
    pub error_lines: Vec<String>,
}

/// Where a run that stopped part-way through its pages goes on (a shop that allows so many
/// requests a day may need several days for a first sync): the next run asks for the same
/// window from the page where this one stopped, instead of reading every page again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    /// The window the stopped run asked for (the shop's clock).
    pub since: DateTime<Utc>,
    /// The page it could not take (the connector's own token).
    pub after: String,
    /// When the first run of the series began: an order read by an earlier run and changed
    /// again may sit on a page already passed, so the cursor never passes this.
    pub began: DateTime<Utc>,
    /// Whether the series is the store's first sync (its window is by creation date).
    pub first_run: bool,
    /// Orders taken in by the series so far.
    pub taken: u64,
}

impl SyncRun {
    /// Run `id` of `store`, begun at `started_at`: running, nothing counted yet.
    pub fn begun(id: u64, store: &str, started_at: DateTime<Utc>) -> SyncRun {
        SyncRun {
            id,
            store: store.to_string(),
            started_at,
            finished_at: None,
            ok: false,
            fetched: 0,
            booked: 0,
            parked: 0,
            rejected: 0,
            skipped: 0,
            cancelled: 0,
            errors: 0,
            stock_updated: 0,
            message: None,
            touched: vec![],
            error_lines: vec![],
        }
    }
}

/// A connected store as the store's records know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreInfo {
    pub id: String,
    pub platform: String,
    pub read_only: bool,
    pub last_sync: Option<SyncRun>,
}
