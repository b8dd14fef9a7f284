//! Sync runs per store: pull -> intake -> push; cursors; the sync log.

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
