//! Sync runs per store: pull -> intake -> push; cursors; the sync log.

use tokio::sync::mpsc;

/// Asks the sync loop for a run now. `None` = every store.
#[derive(Clone, Debug)]
pub struct SyncControl {
    tx: mpsc::UnboundedSender<Option<String>>,
}

impl SyncControl {
    pub fn new() -> (SyncControl, mpsc::UnboundedReceiver<Option<String>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (SyncControl { tx }, rx)
    }
    /// Sync this store now (or every store with `None`).
    pub fn request(&self, store: Option<&str>) {
        let _ = self.tx.send(store.map(str::to_string));
    }
}

pub mod outbox;
mod run;
mod service;

pub use run::{RunOptions, bulk_progress, run_once};
pub use service::{Scheduled, run_all_once, spawn};
