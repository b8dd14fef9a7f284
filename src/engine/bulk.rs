//! Work over many orders at once (the console's multi-selection): each order on its own, so
//! one order's refusal does not stop the rest, and the outcome reported per order.

use super::{Engine, EngineError};
use crate::domain::lifecycle::StatusChange;

/// What happened to one order of a bulk action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkOutcome {
    pub order_id: u64,
    /// As the shop shows it (`#1042`), or the id when the order is gone.
    pub name: String,
    /// What was done, or why it was refused.
    pub result: Result<String, String>,
}

impl BulkOutcome {
    /// One line for a report: `#1042: now ready to ship` / `#1043: refused: …`.
    pub fn line(&self) -> String {
        match &self.result {
            Ok(done) => format!("{}: {done}", self.name),
            Err(why) => format!("{}: NOT DONE: {why}", self.name),
        }
    }
}

impl Engine {
    /// Runs `step` for each order in turn, each its own transaction; a failure is recorded
    /// and the next order goes on.
    pub fn for_each_order(
        &self,
        order_ids: &[u64],
        step: impl Fn(&Engine, u64) -> Result<String, EngineError>,
    ) -> Vec<BulkOutcome> {
        order_ids
            .iter()
            .map(|&id| {
                let name = match self.store().order(id) {
                    Ok(Some(o)) => o.display_name(),
                    _ => format!("order {id}"),
                };
                BulkOutcome {
                    order_id: id,
                    name,
                    result: step(self, id).map_err(|e| e.to_string()),
                }
            })
            .collect()
    }

    /// The same status change for each order.
    pub fn change_status_many(&self, order_ids: &[u64], change: &StatusChange) -> Vec<BulkOutcome> {
        self.for_each_order(order_ids, |e, id| {
            e.change_status(id, change)
                .map(|s| format!("now {}", s.label()))
        })
    }
}
