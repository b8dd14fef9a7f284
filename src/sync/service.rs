//! The sync loop: every store runs every `poll_seconds`, or at once when asked.

use super::outbox::drain;
use super::run::{RunOptions, run_once};
use crate::channels::Channel;
use crate::engine::{Engine, EngineEvent, SyncRun};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;

/// One store the loop syncs.
pub struct Scheduled {
    pub store: String,
    pub channel: Arc<dyn Channel>,
    pub poll: std::time::Duration,
    pub options: RunOptions,
}

/// Starts a task per store and one that routes "sync now" requests to them.
pub fn spawn(
    engine: Engine,
    stores: Vec<Scheduled>,
    mut requests: mpsc::UnboundedReceiver<Option<String>>,
) -> Vec<JoinHandle<()>> {
    let mut handles = Vec::new();
    let mut wake: HashMap<String, Arc<Notify>> = HashMap::new();
    for s in stores {
        let notify = Arc::new(Notify::new());
        wake.insert(s.store.clone(), notify.clone());
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
                        _ = notify.notified() => break,
                        ev = events.recv() => {
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
    handles.push(tokio::spawn(async move {
        while let Some(req) = requests.recv().await {
            for (id, n) in &wake {
                if req.as_deref().is_none_or(|r| r == id) {
                    n.notify_one();
                }
            }
        }
    }));
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
