//! A store's catalog sync: every page of the shop's catalog into the products, from where the
//! last sync stopped, each page written with where the sync stands (`Engine::catalog_page`);
//! progress (done / total, rate, time left) as engine events; the end marks what the shop no
//! longer has and says so in the sync log.

use crate::channels::Channel;
use crate::domain::catalog::CatalogProgress;
use crate::engine::{Engine, EngineError, EngineEvent};
use std::time::Instant;

/// Runs engine work off the async threads (its writes are blocking).
async fn blocking<T: Send + 'static>(
    engine: &Engine,
    f: impl FnOnce(Engine) -> Result<T, EngineError> + Send + 'static,
) -> Result<T, EngineError> {
    let engine = engine.clone();
    tokio::task::spawn_blocking(move || f(engine))
        .await
        .map_err(|e| EngineError::Refused(format!("catalog task failed: {e}")))?
}

/// Products a second, and the seconds left at that rate when the total is known.
pub fn pace(
    done_here: u64,
    elapsed: std::time::Duration,
    at: &CatalogProgress,
) -> (f64, Option<u64>) {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        done_here as f64 / secs
    } else {
        0.0
    };
    let left = at
        .total
        .filter(|_| rate > 0.0)
        .map(|t| (t.saturating_sub(at.done) as f64 / rate).ceil() as u64);
    (rate, left)
}

/// Syncs store `store`'s catalog from `channel` to the end of a pass (resuming a pass cut
/// short). The error is why it stopped (recorded in the sync log when a page failed; the next
/// sync resumes). Whichever way it ends, `CatalogDone` says so and the store's run is over.
pub async fn run_catalog(
    engine: &Engine,
    channel: &dyn Channel,
    store: &str,
) -> Result<CatalogProgress, EngineError> {
    super::attach(engine, channel, store);
    let mut running = false;
    let outcome = pass(engine, channel, store, &mut running).await;
    if let Err(e) = &outcome {
        engine.emit(EngineEvent::CatalogDone {
            store: store.to_string(),
            message: format!("catalog sync stopped: {e}"),
        });
        if running {
            engine.emit(EngineEvent::SyncRun {
                store: store.to_string(),
                running: false,
            });
        }
    }
    outcome
}

/// The pages of a pass, then its end; `running` once the store's run was announced.
async fn pass(
    engine: &Engine,
    channel: &dyn Channel,
    store: &str,
    running: &mut bool,
) -> Result<CatalogProgress, EngineError> {
    let id = store.to_string();
    let mut at = blocking(engine, move |e| e.catalog_begin(&id)).await?;
    engine.emit(EngineEvent::SyncRun {
        store: store.to_string(),
        running: true,
    });
    *running = true;
    let began = Instant::now();
    let from = at.done;
    // Every page was written when a pass has pages and no next one: only its end is left.
    while at.pages == 0 || at.next.is_some() {
        let page = match channel.fetch_products_page(at.next.as_deref()).await {
            Ok(page) => page,
            Err(e) => {
                let why = e.to_string();
                let (id, stood) = (store.to_string(), at.clone());
                let shown = why.clone();
                blocking(engine, move |e| e.catalog_failed(&id, &stood, &shown)).await?;
                return Err(EngineError::Refused(why));
            }
        };
        let (id, stood) = (store.to_string(), at.clone());
        at = blocking(engine, move |e| {
            e.catalog_page(&id, &stood, &page.products, page.next, page.total)
        })
        .await?;
        let (per_second, seconds_left) = pace(at.done - from, began.elapsed(), &at);
        tracing::info!(
            store,
            done = at.done,
            total = at.total,
            per_second,
            "catalog page taken"
        );
        engine.emit(EngineEvent::CatalogProgress {
            store: store.to_string(),
            done: at.done,
            total: at.total,
            per_second: per_second.round() as u64,
            seconds_left,
        });
    }
    let (id, stood) = (store.to_string(), at);
    blocking(engine, move |e| e.catalog_finish(&id, &stood)).await
}

/// Runs the catalog syncs operators ask for (the engine's `CatalogRequested` event) in the
/// background, one at a time per store (a request for a store already syncing its catalog is
/// dropped), each through the store's connector in `channels` (the sync loop's own, so a
/// platform's session is shared).
pub fn serve(
    engine: Engine,
    channels: std::collections::HashMap<String, std::sync::Arc<dyn Channel>>,
) -> tokio::task::JoinHandle<()> {
    let mut events = engine.subscribe();
    tokio::spawn(async move {
        let running = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
        loop {
            let store = match events.recv().await {
                Ok(EngineEvent::CatalogRequested { store }) => store,
                Ok(_) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!("the catalog runner missed {n} engine events");
                    continue;
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            };
            let Some(channel) = channels.get(&store).cloned() else {
                tracing::warn!(store, "a catalog sync asked for a store with no connector");
                engine.emit(EngineEvent::CatalogDone {
                    message: format!(
                        "catalog sync of {store} not run: the store has no connector here"
                    ),
                    store,
                });
                continue;
            };
            let fresh = running
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(store.clone());
            if !fresh {
                tracing::info!(store, "its catalog sync is already running");
                continue;
            }
            let (engine, running) = (engine.clone(), running.clone());
            tokio::spawn(async move {
                match run_catalog(&engine, channel.as_ref(), &store).await {
                    Ok(p) => tracing::info!(store, "{}", p.summary()),
                    Err(e) => tracing::warn!(store, "catalog sync stopped: {e}"),
                }
                running
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .remove(&store);
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_is_the_rate_of_this_run_and_the_time_left_at_it() {
        let mut at = CatalogProgress::next_pass(None, chrono::Utc::now());
        at.done = 600;
        at.total = Some(1000);
        let (rate, left) = pace(400, std::time::Duration::from_secs(4), &at);
        assert_eq!((rate, left), (100.0, Some(4)));
        at.total = None;
        assert_eq!(pace(0, std::time::Duration::ZERO, &at), (0.0, None));
    }
}
