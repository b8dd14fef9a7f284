//! Work over many orders at once (the console's multi-selection): each order on its own, so
//! one order's refusal does not stop the rest, and the outcome reported per order.

use super::{Engine, EngineError, EngineEvent};
use crate::domain::lifecycle::StatusChange;

/// What happened to one order of a bulk action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkOutcome {
    pub order_id: u64,
    /// As `STORE:NAME` (`web:1042`), or the id when the order is gone.
    pub name: String,
    /// What was done, or why it was refused.
    pub result: Result<String, String>,
}

impl BulkOutcome {
    /// One line for a report: `web:1042: now ready to ship` / `web:1043: NOT DONE: …`.
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
        let total = order_ids.len();
        order_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| {
                let name = match self.store().order(id) {
                    Ok(Some(o)) => o.reference(),
                    _ => format!("order {id}"),
                };
                let result = step(self, id).map_err(|e| e.to_string());
                if total > 1 {
                    self.emit(EngineEvent::BulkProgress { done: i + 1, total });
                }
                BulkOutcome {
                    order_id: id,
                    name,
                    result,
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

impl Engine {
    /// The orders the Pending pane shows under `filter` (none: every open order), in its
    /// order, at most `cap` of them.
    pub fn matching_orders(
        &self,
        filter: Option<&super::filter::OrderFilter>,
        cap: usize,
    ) -> Result<Vec<super::OrderRow>, EngineError> {
        let mut out: Vec<super::OrderRow> = Vec::new();
        let mut from = super::PageFrom::Start;
        loop {
            let (rows, next, more) = match filter {
                Some(f) => {
                    let page = self.filter_page(f, from.clone(), 200)?;
                    let next = page.resume.clone();
                    (page.rows, next, page.more)
                }
                None => {
                    let rows = self.pending_page(from.clone(), 200)?;
                    let more = rows.len() == 200;
                    (rows, None, more)
                }
            };
            let last = rows.last().map(|r| r.key.clone());
            out.extend(rows);
            match next.or(last) {
                Some(key) if more && out.len() < cap => from = super::PageFrom::After(key),
                _ => break,
            }
        }
        out.truncate(cap);
        Ok(out)
    }
}
