//! The sync loop: every store runs every `poll_seconds`, or at once when an operator asks
//! (the engine's `SyncRequested` event).

use super::outbox::drain;
use super::run::{RunOptions, run_once};
use crate::channels::Channel;
use crate::engine::{Engine, EngineEvent, SyncRun};
use std::sync::Arc;
use tokio::task::JoinHandle;

/// One store the loop syncs.
pub struct Scheduled {
    pub store: String,
    pub channel: Arc<dyn Channel>,
    pub poll: std::time::Duration,
    pub options: RunOptions,
}

/// Starts a task per store, and the one that runs the catalog syncs operators ask for.
pub fn spawn(engine: Engine, stores: Vec<Scheduled>) -> Vec<JoinHandle<()>> {
    let channels = (stores.iter())
        .map(|s| (s.store.clone(), s.channel.clone()))
        .collect();
    let mut handles = vec![super::catalog::serve(engine.clone(), channels)];
    for s in stores {
        let engine = engine.clone();
        handles.push(tokio::spawn(async move {
            let mut events = engine.subscribe();
            loop {
                if let Err(e) = run_once(&engine, s.channel.as_ref(), &s.store, s.options).await {
                    tracing::error!(store = %s.store, "sync run could not be recorded: {e}");
                }
                let next_run = tokio::time::Instant::now() + s.poll.min(std::time::Duration::from_secs(86_400));
                loop {
                    tokio::select! {
                        _ = tokio::time::sleep_until(next_run) => break,
                        ev = events.recv() => {
                            if let Ok(EngineEvent::SyncRequested { store }) = &ev {
                                if store.as_deref().is_none_or(|r| r == s.store) {
                                    break;
                                }
                                continue;
                            }
                            // An operator action queued something: send it now, not at the next run
                            // (items already tried wait for the next run, so a shop that is down
                            // is not hammered).
                            if matches!(ev, Ok(EngineEvent::OrdersChanged) | Err(_))
                                && engine.outbox_to_send(&s.store).is_ok_and(|v| v.iter().any(|i| i.attempts == 0))
                                && let Err(e) = drain(&engine, s.channel.as_ref(), &s.store).await
                            {
                                tracing::error!(store = %s.store, "outbox: {e}");
                            }
                        }
                    }
                }
            }
        }));
    }
    handles
}

/// One run of every store, one after another (for `sync --once`).
pub async fn run_all_once(engine: &Engine, stores: &[Scheduled]) -> Vec<SyncRun> {
    let mut out = Vec::new();
    for s in stores {
        match run_once(engine, s.channel.as_ref(), &s.store, s.options).await {
            Ok(r) => out.push(r),
            Err(e) => tracing::error!(store = %s.store, "sync run could not be recorded: {e}"),
        }
    }
    out
}
