//! Sync runs as the engine records them: the sync log, cursors, store records.

use super::{Engine, EngineError, EngineEvent, IntakeTally, StoreInfo, SyncRun};
use crate::domain::history::Resume;
use crate::store::StoreRecord;
use chrono::{DateTime, Utc};

impl SyncRun {
    /// Takes the counts of what the run took in so far (the orders it touched and its error
    /// lines are kept for its end).
    pub fn set_counts(&mut self, tally: &IntakeTally) {
        self.fetched = tally.fetched;
        self.booked = tally.booked;
        self.parked = tally.parked;
        self.rejected = tally.rejected;
        self.skipped = tally.skipped;
        self.cancelled = tally.cancelled;
        self.errors = tally.errors;
        self.stock_updated = tally.stock_updated;
    }
}

impl Engine {
    /// Starts a run of `store`: recorded at once so the sync log shows it running.
    pub fn begin_run(&self, store: &str) -> Result<SyncRun, EngineError> {
        self.setting(store)?;
        let _g = self.lock();
        let run = self.store().write(|tx| {
            let run = SyncRun::begun(tx.next_id("run")?, store, Utc::now());
            tx.put_run(&run)?;
            Ok(run)
        })?;
        drop(_g);
        self.emit(EngineEvent::SyncRun {
            store: store.to_string(),
            running: true,
        });
        Ok(run)
    }

    /// Records a running run's counts so far (`run` as [`SyncRun::set_counts`] left it), once
    /// a page: the sync log shows them as the run goes. Not flushed on its own; the run's end
    /// is.
    pub fn record_progress(&self, run: &SyncRun) -> Result<(), EngineError> {
        let _g = self.lock();
        self.store().write(|tx| tx.put_run(run))?;
        drop(_g);
        self.emit(EngineEvent::SyncProgress {
            store: run.store.clone(),
        });
        Ok(())
    }

    /// Ends a run. On success the cursor moves to `cursor` (the newest `updated_at` the run
    /// saw, the shop's clock); on failure it is kept.
    pub fn finish_run(
        &self,
        run: SyncRun,
        tally: IntakeTally,
        failure: Option<String>,
        cursor: Option<DateTime<Utc>>,
    ) -> Result<SyncRun, EngineError> {
        self.end_run(run, tally, failure, cursor, None)
    }

    /// Ends a run that may have stopped part-way through its pages: on failure, `stopped`
    /// (when given) is where the next run goes on; on success the series of runs is done, and
    /// the cursor goes no later than when its first run began ([`Resume::began`]).
    pub fn end_run(
        &self,
        mut run: SyncRun,
        tally: IntakeTally,
        failure: Option<String>,
        cursor: Option<DateTime<Utc>>,
        stopped: Option<Resume>,
    ) -> Result<SyncRun, EngineError> {
        let st = self.setting(&run.store)?.clone();
        run.finished_at = Some(Utc::now());
        run.ok = failure.is_none();
        run.set_counts(&tally);
        run.errors += u64::from(failure.is_some());
        run.touched = tally.touched;
        run.error_lines = tally.error_lines;
        if let Some(f) = &failure {
            run.error_lines.push(f.clone());
        }
        run.message = failure.or_else(|| run.error_lines.first().cloned());
        if let Some(note) = tally.note {
            run.message = Some(match run.message.take() {
                Some(m) => format!("{m} · {note}"),
                None => note,
            });
        }
        let _g = self.lock();
        self.store().write(|tx| {
            tx.put_run(&run)?;
            let mut rec = tx.get_store_record(&st.id)?.unwrap_or_else(|| StoreRecord {
                info: StoreInfo {
                    id: st.id.clone(),
                    platform: st.platform.clone(),
                    read_only: st.read_only,
                    last_sync: None,
                },
                cursor: None,
                resume: None,
            });
            rec.info.platform = st.platform.clone();
            rec.info.read_only = st.read_only;
            rec.info.last_sync = Some(SyncRun {
                touched: vec![],
                error_lines: vec![],
                ..run.clone()
            });
            if run.ok {
                let cursor = match rec.resume.take() {
                    Some(r) => Some(cursor.map_or(r.began, |c| c.min(r.began))),
                    None => cursor,
                };
                rec.cursor = match (rec.cursor, cursor) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => b.or(a),
                };
            } else if stopped.is_some() {
                rec.resume = stopped.clone();
            }
            tx.put_store_record(&rec)?;
            Ok(())
        })?;
        self.store().flush()?;
        drop(_g);
        self.emit(EngineEvent::SyncRun {
            store: run.store.clone(),
            running: false,
        });
        self.emit(EngineEvent::ProblemsChanged);
        Ok(run)
    }

    /// Where the next run of `store` starts asking (the shop's clock), `None` before the
    /// first successful run.
    pub fn cursor(&self, store: &str) -> Result<Option<DateTime<Utc>>, EngineError> {
        Ok(self.store().store_record(store)?.and_then(|r| r.cursor))
    }

    /// Where the next run of `store` goes on, when the last one stopped part-way through its
    /// pages.
    pub fn resume(&self, store: &str) -> Result<Option<Resume>, EngineError> {
        Ok(self.store().store_record(store)?.and_then(|r| r.resume))
    }

    /// What the connector of `store` kept between runs (its session), if anything.
    pub fn channel_session(&self, store: &str) -> Result<Option<String>, EngineError> {
        Ok(self.store().channel_session(store)?)
    }

    /// Keeps the session of `store`'s connector, durably, before the connector goes on.
    pub fn keep_channel_session(&self, store: &str, text: &str) -> Result<(), EngineError> {
        let _g = self.lock();
        self.store()
            .write(|tx| tx.put_channel_session(store, text))?;
        Ok(())
    }

    /// Remote ids of this store's orders that could not be read (fetched again every run).
    pub fn unreadable_ids(&self, store: &str) -> Result<Vec<String>, EngineError> {
        Ok(self
            .store()
            .unreadable()?
            .into_iter()
            .filter(|u| u.store == store)
            .map(|u| u.remote_id)
            .collect())
    }

    /// Newest first.
    pub fn sync_runs(&self, limit: usize) -> Result<Vec<SyncRun>, EngineError> {
        Ok(self.store().runs(limit)?)
    }

    pub fn sync_run(&self, id: u64) -> Result<Option<SyncRun>, EngineError> {
        Ok(self.store().run(id)?)
    }

    /// Every store that ever synced, from the store's own records.
    pub fn stores(&self) -> Result<Vec<StoreInfo>, EngineError> {
        let mut recs: Vec<StoreInfo> = self
            .store()
            .store_records()?
            .into_iter()
            .map(|r| r.info)
            .collect();
        // Configured stores that have not synced yet show too.
        for st in self.settings() {
            if !recs.iter().any(|r| r.id == st.id) {
                recs.push(StoreInfo {
                    id: st.id.clone(),
                    platform: st.platform.clone(),
                    read_only: st.read_only,
                    last_sync: None,
                });
            }
        }
        recs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(recs)
    }
}
