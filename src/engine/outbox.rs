//! The outbox as the sending worker sees it: what is open, and the shop's answers recorded
//! on the item and the order's timeline.

use super::{Engine, EngineError, EngineEvent, TimelineEntry};
use crate::domain::outbox::{OutboxItem, OutboxStatus};
use chrono::Utc;

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The shop did it (its answer), or already showed it done (reconciled).
    Sent(String),
    /// The shop refused: no retry until the operator says so.
    Refused(String),
    /// Could not tell or could not reach the shop: tried again later unless `give_up`.
    Failed { error: String, give_up: bool },
}

impl Engine {
    /// Items of `store` waiting to be sent, in flight, oldest first.
    pub fn outbox_to_send(&self, store: &str) -> Result<Vec<OutboxItem>, EngineError> {
        Ok(self
            .store()
            .open_outbox()?
            .into_iter()
            .filter(|i| {
                i.store == store
                    && matches!(i.status, OutboxStatus::Pending | OutboxStatus::InFlight)
            })
            .collect())
    }

    /// Counts for `status`: (pending or in flight, failed).
    pub fn outbox_counts(&self) -> Result<(u64, u64), EngineError> {
        let open = self.store().open_outbox()?;
        let failed = open
            .iter()
            .filter(|i| i.status == OutboxStatus::Failed)
            .count() as u64;
        Ok((open.len() as u64 - failed, failed))
    }

    /// Marks an item in flight (on disk before anything goes to the shop), counting the attempt.
    pub fn outbox_sending(&self, item_id: u64) -> Result<OutboxItem, EngineError> {
        let _g = self.lock();
        let item = self.store().write(|tx| {
            let Some(mut item) = tx.get_outbox(item_id)? else {
                return Ok(None);
            };
            item.status = OutboxStatus::InFlight;
            item.attempts += 1;
            item.updated_at = Utc::now();
            tx.put_outbox(&item)?;
            Ok(Some(item))
        })?;
        self.flush_step()?;
        item.ok_or_else(|| EngineError::NotFound(format!("outbox item {item_id}")))
    }

    /// Records how an attempt ended, on the item and the order's timeline.
    pub fn outbox_result(&self, item_id: u64, result: &Delivery) -> Result<(), EngineError> {
        let _g = self.lock();
        self.store().write(|tx| {
            let Some(mut item) = tx.get_outbox(item_id)? else {
                return Ok(());
            };
            item.updated_at = Utc::now();
            let (kind, text) = match result {
                Delivery::Sent(answer) => {
                    item.status = OutboxStatus::Sent;
                    item.last_error = None;
                    item.answer = Some(answer.clone());
                    (
                        "pushed",
                        format!("pushed to shop: {} — ok ({answer})", item.change.describe()),
                    )
                }
                Delivery::Refused(why) => {
                    item.status = OutboxStatus::Failed;
                    item.last_error = Some(why.clone());
                    (
                        "push failed",
                        format!(
                            "pushed to shop: {} — refused: {why}",
                            item.change.describe()
                        ),
                    )
                }
                Delivery::Failed { error, give_up } => {
                    item.status = if *give_up {
                        OutboxStatus::Failed
                    } else {
                        OutboxStatus::Pending
                    };
                    item.last_error = Some(error.clone());
                    let then = if *give_up {
                        "gave up; R retries"
                    } else {
                        "will retry"
                    };
                    (
                        "push failed",
                        format!(
                            "pushed to shop: {} — failed: {error} ({then})",
                            item.change.describe()
                        ),
                    )
                }
            };
            let e = TimelineEntry {
                at: item.updated_at,
                by: "sync".into(),
                kind: kind.into(),
                text,
            };
            tx.timeline(item.order_id, &e)?;
            tx.put_outbox(&item)
        })?;
        self.flush_step()?;
        drop(_g);
        self.emit(EngineEvent::OrdersChanged);
        self.emit(EngineEvent::ProblemsChanged);
        Ok(())
    }
}
