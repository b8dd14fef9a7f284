//! `status.json`: what `orderdesk status` answers while another process holds the store.
//! Written atomically when something changes, at most once a second.

use super::{Engine, EngineError};
use crate::domain::OrderState;
use crate::store::OrderIndex;
use serde_json::{Value, json};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub(super) struct StatusWriter {
    /// When it was last written, and whether a later write is already scheduled.
    state: Mutex<(Option<Instant>, bool)>,
}

const EVERY: Duration = Duration::from_secs(1);

impl Engine {
    /// The status as `status --json` prints it (DESIGN.md §4).
    pub fn status_json(&self) -> Result<Value, EngineError> {
        let counts = self.counts();
        let mut by_state = serde_json::Map::new();
        for s in OrderState::ALL {
            by_state.insert(s.as_str().to_string(), json!(counts.get(s)));
        }
        let store = self.store();
        let rejected = store
            .order_keys(
                OrderIndex::State(OrderState::Rejected),
                None,
                false,
                usize::MAX,
            )?
            .iter()
            .filter(|(_, o)| !o.dismissed)
            .count();
        // Every store that ever synced, and a configured one that has not yet with
        // `last_sync: null` (DESIGN.md §4).
        let stores: Vec<Value> = self
            .stores()?
            .into_iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "platform": r.platform,
                    "read_only": r.read_only,
                    "last_sync": r.last_sync.map(|s| json!({
                        "started_at": s.started_at,
                        "finished_at": s.finished_at,
                        "ok": s.ok,
                        "fetched": s.fetched,
                        "booked": s.booked,
                        "parked": s.parked,
                        "rejected": s.rejected,
                        "skipped": s.skipped,
                        "cancelled": s.cancelled,
                        "errors": s.errors,
                        "message": s.message,
                    })),
                })
            })
            .collect();
        let outbox = self.outbox_counts()?;
        Ok(json!({
            "generated_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "orders": {"total": counts.total, "by_state": by_state},
            "needs_action": counts.needs_action(),
            "problems": {
                "rejected": rejected,
                "oversold": store.oversold_products()?.len(),
                "conflicts": store.conflict_orders()?.len(),
                "outbox_failed": outbox.1,
                "unreadable": store.unreadable()?.len(),
            },
            "outbox": {"pending": outbox.0, "failed": outbox.1},
            "stores": stores,
        }))
    }

    /// Keeps `status.json` current: now if a second has passed since the last write (or
    /// `force`), else once that second is up.
    pub(super) fn write_status(&self, force: bool) {
        let w = &self.inner.status;
        let mut st = w.state.lock().unwrap_or_else(|p| p.into_inner());
        let due = force || st.0.is_none_or(|t| t.elapsed() >= EVERY);
        if due {
            st.0 = Some(Instant::now());
            st.1 = false;
            drop(st);
            match self.status_json() {
                Ok(v) => {
                    if let Err(e) = self.store().write_status_file(&format!("{v:#}\n")) {
                        tracing::warn!("status.json not written: {e}");
                    }
                }
                Err(e) => tracing::warn!("status not computed: {e}"),
            }
        } else if !st.1 {
            st.1 = true;
            let wait = EVERY.saturating_sub(st.0.map(|t| t.elapsed()).unwrap_or_default());
            drop(st);
            // A weak hold: an engine dropped meanwhile (its store closed, its lock released)
            // has nothing left to write.
            let engine = self.downgrade();
            std::thread::spawn(move || {
                std::thread::sleep(wait);
                if let Some(engine) = engine.upgrade() {
                    engine.write_status(true);
                }
            });
        }
    }
}
