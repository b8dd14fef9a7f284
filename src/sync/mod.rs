//! Sync runs per store: pull -> intake -> push; cursors; the sync log.

use tokio::sync::mpsc;

/// Asks the sync loop for a run now. `None` = every store.
#[derive(Clone, Debug)]
pub struct SyncControl {
    tx: mpsc::UnboundedSender<Option<String>>,
    /// Where catalog syncs are asked for, when something runs them ([`catalog::serve`]).
    catalog: Option<mpsc::UnboundedSender<String>>,
}

impl SyncControl {
    pub fn new() -> (SyncControl, mpsc::UnboundedReceiver<Option<String>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (SyncControl { tx, catalog: None }, rx)
    }

    /// The same control, also asking `catalog` for catalog syncs.
    pub fn with_catalog(mut self, catalog: mpsc::UnboundedSender<String>) -> SyncControl {
        self.catalog = Some(catalog);
        self
    }

    /// A catalog sync of `store` in the background; false when nothing runs them here.
    pub fn catalog(&self, store: &str) -> bool {
        self.catalog
            .as_ref()
            .is_some_and(|tx| tx.send(store.to_string()).is_ok())
    }
    /// Sync this store now (or every store with `None`).
    pub fn request(&self, store: Option<&str>) {
        let _ = self.tx.send(store.map(str::to_string));
    }
}

pub mod catalog;
pub mod outbox;
mod run;
mod service;
pub mod stock;

pub use run::{RunOptions, bulk_progress, run_once};
pub use service::{Scheduled, run_all_once, spawn};

/// A store's connector session, kept in the store (`Engine::channel_session`).
struct SessionKeeper {
    engine: crate::engine::Engine,
    store: String,
}

impl crate::channels::Keeper for SessionKeeper {
    fn load(&self) -> Result<Option<String>, String> {
        blocking(|| self.engine.channel_session(&self.store)).map_err(|e| e.to_string())
    }

    fn save(&self, text: &str) -> Result<(), String> {
        blocking(|| self.engine.keep_channel_session(&self.store, text)).map_err(|e| e.to_string())
    }
}

/// Runs a store read or write the connector asks for from its async code: on a multi-thread
/// runtime the worker hands its other tasks on while this waits for the engine's lock and the
/// disk; elsewhere (a single-threaded test) in place.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// Gives `channel` the store to keep its session in, before a run or a drain uses it.
pub(crate) fn attach(
    engine: &crate::engine::Engine,
    channel: &dyn crate::channels::Channel,
    store: &str,
) {
    channel.keep_in(std::sync::Arc::new(SessionKeeper {
        engine: engine.clone(),
        store: store.to_string(),
    }));
}
