//! One sync run of one store: pull since the cursor, intake page by page, fetch again what
//! could not be read, record the run (DESIGN.md §1 "Sync runs and the outbox").

use crate::channels::{Channel, FetchedOrder};
use crate::engine::{Engine, EngineError, IntakeTally, SyncRun};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// How a run is paced against the shop.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    pub overlap_seconds: i64,
}

/// Runs intake for a batch off the async threads (the engine's writes are blocking).
async fn intake(
    engine: &Engine,
    store: &str,
    batch: Vec<FetchedOrder>,
) -> Result<IntakeTally, EngineError> {
    let engine = engine.clone();
    let store = store.to_string();
    tokio::task::spawn_blocking(move || engine.intake_batch(&store, batch))
        .await
        .map_err(|e| EngineError::Refused(format!("intake task failed: {e}")))?
}

/// Records the running run's counts so far (once a page). Only the sync log reads them, so a
/// write that fails is logged and the run goes on; its end records the counts again.
async fn record_progress(engine: &Engine, run: &SyncRun, tally: &IntakeTally) {
    let mut now = SyncRun {
        touched: Vec::new(),
        error_lines: Vec::new(),
        ..run.clone()
    };
    now.set_counts(tally);
    let e = engine.clone();
    let done = tokio::task::spawn_blocking(move || e.record_progress(&now)).await;
    let done = (done.map_err(|e| e.to_string())).and_then(|r| r.map_err(|e| e.to_string()));
    if let Err(e) = done {
        tracing::warn!(
            store = run.store,
            "sync run's counts so far not recorded: {e}"
        );
    }
}

fn add(total: &mut IntakeTally, t: IntakeTally) {
    total.fetched += t.fetched;
    total.booked += t.booked;
    total.parked += t.parked;
    total.rejected += t.rejected;
    total.skipped += t.skipped;
    total.cancelled += t.cancelled;
    total.errors += t.errors;
    total.touched.extend(t.touched);
    total.error_lines.extend(t.error_lines);
}

/// One run of `store` through `channel`. A shop that cannot be read fails the run (cursor
/// kept); an order that cannot be read does not.
pub async fn run_once(
    engine: &Engine,
    channel: &dyn Channel,
    store: &str,
    opts: RunOptions,
) -> Result<SyncRun, EngineError> {
    let settings = engine.setting(store)?.clone();
    let run = {
        let e = engine.clone();
        let s = store.to_string();
        tokio::task::spawn_blocking(move || e.begin_run(&s))
            .await
            .map_err(|e| EngineError::Refused(e.to_string()))??
    };
    tracing::info!(store, run = run.id, "sync run started");
    let cursor = engine.cursor(store)?;
    let first_run = cursor.is_none();
    let window_start = Duration::try_days(i64::from(settings.initial_days))
        .and_then(|d| Utc::now().checked_sub_signed(d))
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let since = match cursor {
        Some(c) => Duration::try_seconds(opts.overlap_seconds)
            .and_then(|d| c.checked_sub_signed(d))
            .unwrap_or(c),
        None => window_start,
    };
    let mut tally = IntakeTally::default();
    let mut newest: Option<DateTime<Utc>> = None;
    // Each order seen this run, with its `updated_at`: a page repeating an order the run has
    // already taken in the same version does not take it twice.
    let mut seen: HashMap<String, Option<DateTime<Utc>>> = HashMap::new();
    let mut failure = None;
    let mut after: Option<String> = None;
    loop {
        let page = match channel.fetch_orders_page(since, after.as_deref()).await {
            Ok(p) => p,
            Err(e) => {
                failure = Some(format!("store {store}: {e}"));
                break;
            }
        };
        let mut batch = Vec::with_capacity(page.orders.len());
        for f in page.orders {
            if let Some(u) = f.updated_at {
                newest = Some(newest.map_or(u, |n| n.max(u)));
            }
            // The first run reaches back `initial_days` by creation date.
            if first_run && f.order.as_ref().is_ok_and(|o| o.created_at < window_start) {
                continue;
            }
            if seen.get(&f.remote_id) == Some(&f.updated_at) {
                tracing::debug!(store, order = f.remote_id, "the shop sent this order again");
                continue;
            }
            seen.insert(f.remote_id.clone(), f.updated_at);
            batch.push(f);
        }
        add(&mut tally, intake(engine, store, batch).await?);
        record_progress(engine, &run, &tally).await;
        match page.next {
            Some(n) if Some(&n) != after.as_ref() => after = Some(n),
            _ => break,
        }
    }
    if failure.is_none() {
        // Orders that could not be read are fetched again by id until they read.
        for id in engine.unreadable_ids(store)? {
            if seen.contains_key(&id) {
                continue;
            }
            match channel.fetch_order(&id).await {
                Ok(Some(f)) => add(&mut tally, intake(engine, store, vec![f]).await?),
                Ok(None) => {}
                Err(e) => {
                    failure = Some(format!("store {store}: {e}"));
                    break;
                }
            }
        }
    }
    if failure.is_none() {
        // What the shop must hear goes out after the pull (its answers land on the timelines).
        let sent = super::outbox::drain(engine, channel, store).await?;
        if sent.refused + sent.failed > 0 {
            tally
                .error_lines
                .extend(sent.lines.iter().filter(|l| !l.contains(": sent")).cloned());
        }
    }
    if let Some(f) = &failure {
        tracing::warn!(store, "sync run failed: {f}");
    }
    let e = engine.clone();
    let run = tokio::task::spawn_blocking(move || e.finish_run(run, tally, failure, newest))
        .await
        .map_err(|e| EngineError::Refused(e.to_string()))??;
    tracing::info!(
        store,
        run = run.id,
        ok = run.ok,
        fetched = run.fetched,
        booked = run.booked,
        parked = run.parked,
        "sync run finished"
    );
    Ok(run)
}
