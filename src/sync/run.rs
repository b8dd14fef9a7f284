//! One sync run of one store: pull since the cursor, intake page by page, fetch again what
//! could not be read, record the run (DESIGN.md §1 "Sync runs and the outbox").

use crate::channels::{BulkStep, Channel, FetchedOrder};
use crate::domain::history::Resume;
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

/// Records the running run's counts so far (once a page), and `note` as what the sync log
/// shows beside them while it runs (a bulk read's progress). Only the sync log reads them, so
/// a write that fails is logged and the run goes on; its end records the counts again.
async fn record_progress(
    engine: &Engine,
    run: &SyncRun,
    tally: &IntakeTally,
    note: Option<String>,
) {
    let mut now = SyncRun {
        touched: Vec::new(),
        error_lines: Vec::new(),
        message: note,
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

/// Why orders the shop sent were not taken in (nothing of their page was written).
fn not_taken_in(e: &EngineError) -> String {
    format!(
        "orders it sent could not be taken in (none of their page was kept; the next run \
         fetches it again): {e}"
    )
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

/// What a first sync's bulk read works on.
struct Reading<'a> {
    engine: &'a Engine,
    store: &'a str,
    run: &'a SyncRun,
    window_start: DateTime<Utc>,
    tally: &'a mut IntakeTally,
    newest: &'a mut Option<DateTime<Utc>>,
    seen: &'a mut HashMap<String, Option<DateTime<Utc>>>,
}

impl Reading<'_> {
    /// The window read by the channel's bulk read.
    async fn bulk(&mut self, channel: &dyn Channel) -> Result<Bulk, EngineError> {
        let mut read = match channel.bulk_orders(self.window_start).await {
            Ok(Some(read)) => read,
            Ok(None) => return Ok(Bulk::NotOffered),
            Err(e) => return Ok(Bulk::Failed(e.to_string())),
        };
        let began = std::time::Instant::now();
        let asked = Utc::now();
        let store = self.store;
        loop {
            match read.next().await {
                Ok(None) => {
                    // The result is as of the operation's start at the latest (it is not a
                    // snapshot): an order changed after it was read must be read again by the
                    // next run, so the cursor does not pass that start.
                    let as_of = read.began().unwrap_or(asked);
                    *self.newest = self.newest.map(|n| n.min(as_of));
                    return Ok(Bulk::Read);
                }
                Ok(Some(BulkStep::Abandoned(why))) => return Ok(Bulk::Abandoned(why)),
                Ok(Some(BulkStep::Progress { done, total })) => {
                    let note = bulk_progress(done, total, began.elapsed());
                    tracing::info!(store, done, total, "bulk operation running");
                    record_progress(self.engine, self.run, self.tally, Some(note)).await;
                }
                Ok(Some(BulkStep::Orders(orders))) => {
                    let mut batch = Vec::with_capacity(orders.len());
                    for f in orders {
                        if let Some(u) = f.updated_at {
                            *self.newest = Some(self.newest.map_or(u, |n| n.max(u)));
                        }
                        if f.order
                            .as_ref()
                            .is_ok_and(|o| o.created_at < self.window_start)
                        {
                            continue;
                        }
                        self.seen.insert(f.remote_id.clone(), f.updated_at);
                        batch.push(f);
                    }
                    match intake(self.engine, store, batch).await {
                        Ok(t) => add(self.tally, t),
                        Err(e) => return Ok(Bulk::Failed(not_taken_in(&e))),
                    }
                    let note = format!(
                        "bulk operation read; {} orders taken in",
                        thousands(self.tally.fetched)
                    );
                    record_progress(self.engine, self.run, self.tally, Some(note)).await;
                }
                Err(e) => return Ok(Bulk::Failed(e.to_string())),
            }
        }
    }
}

/// How a first sync's bulk read ended.
enum Bulk {
    /// The channel has none: the run reads pages.
    NotOffered,
    /// Every order of the window was read.
    Read,
    /// It could not go on: the run reads pages instead (intake takes an order it already has
    /// as an update).
    Abandoned(String),
    /// The shop could not be read: the run fails.
    Failed(String),
}

use crate::domain::text::thousands;

/// Where the next run goes on when this one could not take the page `after` (`None`: the
/// first page of the window, so nothing to go on from but what an earlier run left).
fn stopped_at(
    resume: Option<&Resume>,
    run: &SyncRun,
    since: DateTime<Utc>,
    after: Option<&str>,
    first_run: bool,
    tally: &IntakeTally,
) -> Option<Resume> {
    let after = after?;
    let before = resume.map_or(0, |r| r.taken);
    Some(Resume {
        since,
        after: after.to_string(),
        began: resume.map_or(run.started_at, |r| r.began),
        first_run,
        taken: before + tally.fetched,
    })
}

/// What the sync log shows while a bulk operation runs: a bar (plain characters, so it reads
/// without colour), the time left at the pace so far, and orders done of the total (first
/// what a narrow pane must show).
pub fn bulk_progress(done: u64, total: Option<u64>, elapsed: std::time::Duration) -> String {
    const WIDTH: u64 = 10;
    let Some(total) = total.filter(|t| *t > 0) else {
        return format!("{} orders so far (bulk operation)", thousands(done));
    };
    let done = done.min(total);
    // In u128: the counts are the shop's, and may be anything.
    let filled =
        (u128::from(done) * u128::from(WIDTH) / u128::from(total)).min(u128::from(WIDTH)) as usize;
    let bar = format!(
        "[{}{}]",
        "#".repeat(filled),
        "-".repeat(WIDTH as usize - filled)
    );
    let left = if done == 0 {
        "time left unknown".to_string()
    } else {
        let secs = elapsed.as_secs_f64() * (total - done) as f64 / done as f64;
        let secs = secs.round() as u64;
        if secs >= 120 {
            format!("{} min left", secs.div_ceil(60))
        } else {
            format!("{secs} s left")
        }
    };
    format!(
        "{bar} {left}, {} of {} orders (bulk operation)",
        thousands(done),
        thousands(total)
    )
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
    super::attach(engine, channel, store);
    let run = {
        let e = engine.clone();
        let s = store.to_string();
        tokio::task::spawn_blocking(move || e.begin_run(&s))
            .await
            .map_err(|e| EngineError::Refused(e.to_string()))??
    };
    tracing::info!(store, run = run.id, "sync run started");
    let cursor = engine.cursor(store)?;
    // A run before this one stopped part-way through its pages: this one goes on from there.
    let resume = engine.resume(store)?;
    let first_run = resume.as_ref().map_or(cursor.is_none(), |r| r.first_run);
    // A first sync that goes on keeps its window (it asked from the window's start).
    let window_start = match &resume {
        Some(r) if r.first_run => r.since,
        _ => Duration::try_days(i64::from(settings.initial_days))
            .and_then(|d| Utc::now().checked_sub_signed(d))
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
    };
    let since = match (&resume, cursor) {
        (Some(r), _) => r.since,
        (None, Some(c)) => Duration::try_seconds(opts.overlap_seconds)
            .and_then(|d| c.checked_sub_signed(d))
            .unwrap_or(c),
        (None, None) => window_start,
    };
    let mut tally = IntakeTally::default();
    let mut newest: Option<DateTime<Utc>> = None;
    // Each order seen this run, with its `updated_at`: a page repeating an order the run has
    // already taken in the same version does not take it twice.
    let mut seen: HashMap<String, Option<DateTime<Utc>>> = HashMap::new();
    let mut failure = None;
    let mut stopped: Option<Resume> = None;
    let mut after: Option<String> = resume.as_ref().map(|r| r.after.clone());
    if let Some(r) = &resume {
        tracing::info!(
            store,
            taken = r.taken,
            "sync goes on where the last run stopped"
        );
    }
    // Where a run that fails part-way stops, for the next to go on from (when pages resume).
    let stop_here = |tally: &IntakeTally, after: Option<&str>| {
        let at = || stopped_at(resume.as_ref(), &run, since, after, first_run, tally);
        channel.pages_resume().then(at).flatten()
    };
    let mut by_bulk = false;
    if first_run && resume.is_none() {
        let mut read = Reading {
            engine,
            store,
            run: &run,
            window_start,
            tally: &mut tally,
            newest: &mut newest,
            seen: &mut seen,
        };
        match read.bulk(channel).await? {
            Bulk::NotOffered => {}
            Bulk::Read => by_bulk = true,
            Bulk::Abandoned(why) => {
                tracing::warn!(store, "first sync by bulk operation abandoned: {why}");
                tally.error_lines.push(format!(
                    "store {store}: the first sync reads pages instead of a bulk operation: {why}"
                ));
            }
            Bulk::Failed(why) => {
                failure = Some(format!("store {store}: {why}"));
                by_bulk = true;
            }
        }
    }
    loop {
        if by_bulk {
            break;
        }
        let page = match channel.fetch_orders_page(since, after.as_deref()).await {
            Ok(p) => p,
            Err(e) => {
                failure = Some(format!("store {store}: {e}"));
                stopped = stop_here(&tally, after.as_deref());
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
        // A page is taken in whole or not at all: one that cannot be written fails the run
        // where it stands (the next run fetches the page again) and says why.
        match intake(engine, store, batch).await {
            Ok(t) => add(&mut tally, t),
            Err(e) => {
                failure = Some(format!("store {store}: {}", not_taken_in(&e)));
                stopped = stop_here(&tally, after.as_deref());
                break;
            }
        }
        record_progress(engine, &run, &tally, None).await;
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
                Ok(Some(f)) => match intake(engine, store, vec![f]).await {
                    Ok(t) => add(&mut tally, t),
                    Err(e) => {
                        failure = Some(format!("store {store}: {}", not_taken_in(&e)));
                        break;
                    }
                },
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
        // Then the stock levels bookings and changes queued, in one batch.
        let stock = super::stock::push(engine, channel, store).await?;
        tally.stock_updated += stock.updated;
        tally.error_lines.extend(stock.lines);
    }
    if let Some(f) = &mut failure {
        tracing::warn!(store, "sync run failed: {f}");
        if let Some(s) = &stopped {
            f.push_str(&format!(
                "; {} orders taken in so far, the next run goes on from there",
                thousands(s.taken)
            ));
        }
    }
    tally.note = channel.usage();
    let e = engine.clone();
    let run = tokio::task::spawn_blocking(move || e.end_run(run, tally, failure, newest, stopped))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_bulk_progress_reads_without_colour() {
        let note = bulk_progress(40_000, Some(100_000), Duration::from_secs(60));
        assert_eq!(
            note,
            "[####------] 90 s left, 40,000 of 100,000 orders (bulk operation)"
        );
        let note = bulk_progress(0, Some(100_000), Duration::from_secs(3));
        assert!(
            note.starts_with("[----------] time left unknown, 0 of 100,000"),
            "{note}"
        );
        let note = bulk_progress(1_000, Some(100_000), Duration::from_secs(10));
        assert!(note.contains("] 17 min left, 1,000 of"), "{note}");
        // Counts are the shop's: any two give a bar of ten, never a panic.
        for (done, total) in [(u64::MAX, u64::MAX), (u64::MAX / 2, u64::MAX), (7, 3)] {
            let note = bulk_progress(done, Some(total), Duration::from_secs(1));
            assert_eq!(note.matches(['#', '-']).count(), 10, "{note}");
        }
        assert_eq!(
            bulk_progress(5, None, Duration::from_secs(1)),
            "5 orders so far (bulk operation)"
        );
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
