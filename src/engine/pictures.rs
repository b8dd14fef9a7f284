//! What the Sync log pane draws as pictures: orders fetched per hour over the last day, each
//! store's recent sync durations, and the outbox backlog.

use super::{Engine, EngineError};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// Hours in [`SyncPictures::fetched_per_hour`].
pub const HOURS: usize = 24;
/// Durations kept per store in [`SyncPictures::durations`].
pub const DURATIONS: usize = 60;
/// Runs read at most beyond the last day, looking for stores' durations (a store that has not
/// synced for a day still shows its last runs).
const OLDER_RUNS: usize = 500;

/// Figures for the Sync log's pictures, as of `at`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyncPictures {
    pub at: Option<DateTime<Utc>>,
    /// Orders fetched by runs that started in each of the last [`HOURS`] hours, oldest
    /// first; the last is the hour now running.
    pub fetched_per_hour: Vec<u64>,
    /// Per store (by id), how long its last finished runs took, in milliseconds, oldest first.
    pub durations: Vec<(String, Vec<u64>)>,
    /// Outbox items waiting to be sent, and those that failed.
    pub outbox_waiting: u64,
    pub outbox_failed: u64,
}

impl SyncPictures {
    /// The last hour of [`SyncPictures::fetched_per_hour`] starts at the top of `now`'s hour.
    pub fn compute(
        now: DateTime<Utc>,
        runs_newest_first: impl Iterator<Item = crate::domain::history::SyncRun>,
        outbox: (u64, u64),
    ) -> SyncPictures {
        let hour_now = now.timestamp().div_euclid(3600);
        let day_ago = now - Duration::hours(HOURS as i64);
        let mut per_hour = vec![0; HOURS];
        let mut durations: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        let mut older = 0;
        for run in runs_newest_first {
            if run.started_at < day_ago {
                older += 1;
                if older > OLDER_RUNS {
                    break;
                }
            } else {
                let back = hour_now - run.started_at.timestamp().div_euclid(3600);
                if let Some(slot) = usize::try_from(back)
                    .ok()
                    .and_then(|b| (HOURS - 1).checked_sub(b))
                {
                    per_hour[slot] += run.fetched;
                }
            }
            if let Some(end) = run.finished_at {
                let took = durations.entry(run.store.clone()).or_default();
                if took.len() < DURATIONS {
                    took.push((end - run.started_at).num_milliseconds().max(0) as u64);
                }
            }
        }
        SyncPictures {
            at: Some(now),
            fetched_per_hour: per_hour,
            durations: durations
                .into_iter()
                .map(|(store, mut took)| {
                    took.reverse();
                    (store, took)
                })
                .collect(),
            outbox_waiting: outbox.0,
            outbox_failed: outbox.1,
        }
    }
}

impl Engine {
    /// The Sync log's pictures as of now: the runs' part as read after the last event (see
    /// `kept.rs`), the outbox's counts read now.
    pub fn sync_pictures(&self) -> Result<SyncPictures, EngineError> {
        let outbox = self.outbox_counts()?;
        let runs = (self.inner.pictures).get(self.generation(), || self.read_pictures(outbox))?;
        Ok(SyncPictures {
            outbox_waiting: outbox.0,
            outbox_failed: outbox.1,
            ..runs
        })
    }

    fn read_pictures(&self, outbox: (u64, u64)) -> Result<SyncPictures, EngineError> {
        let mut failed = None;
        let runs = self.store().runs_newest_first().map_while(|r| match r {
            Ok(run) => Some(run),
            Err(e) => {
                failed = Some(e);
                None
            }
        });
        let pictures = SyncPictures::compute(Utc::now(), runs, outbox);
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(pictures),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::SyncRun;

    fn run(store: &str, started: DateTime<Utc>, secs: i64, fetched: u64) -> SyncRun {
        SyncRun {
            finished_at: Some(started + Duration::seconds(secs)),
            ok: true,
            fetched,
            ..SyncRun::begun(0, store, started)
        }
    }

    #[test]
    fn runs_fall_in_their_hour_and_stores_keep_their_durations_oldest_first() {
        let now: DateTime<Utc> = "2026-12-06T10:30:00Z".parse().expect("time");
        let runs = vec![
            run("web", now - Duration::minutes(5), 3, 10),
            run("woo", now - Duration::minutes(20), 7, 4),
            run("web", now - Duration::minutes(50), 2, 5),
            run("web", now - Duration::hours(23), 1, 100),
            // Older than a day: no hour, but still a duration.
            run("web", now - Duration::hours(30), 9, 1000),
        ];
        let mut running = run("woo", now - Duration::minutes(1), 0, 6);
        running.finished_at = None;
        let all = std::iter::once(running).chain(runs);
        let p = SyncPictures::compute(now, all, (12, 2));
        assert_eq!(p.fetched_per_hour.len(), HOURS);
        // 10:25 and 10:10 in the hour now running (with the running run's 6), 09:40 in the one
        // before, 11:30 yesterday in the first.
        assert_eq!(p.fetched_per_hour[HOURS - 1], 10 + 4 + 6);
        assert_eq!(p.fetched_per_hour[HOURS - 2], 5);
        assert_eq!(p.fetched_per_hour[0], 100);
        assert_eq!(p.fetched_per_hour.iter().sum::<u64>(), 125);
        assert_eq!(
            p.durations,
            vec![
                ("web".into(), vec![9000, 1000, 2000, 3000]),
                ("woo".into(), vec![7000])
            ]
        );
        assert_eq!((p.outbox_waiting, p.outbox_failed), (12, 2));
    }
}
