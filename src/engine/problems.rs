//! The open problems of the Errors pane (DESIGN.md §1 "Problems and the Errors pane").

use super::{Engine, EngineError, Problem, ProblemKind};
use crate::domain::OrderState;
use crate::domain::outbox::OutboxStatus;
use crate::store::OrderIndex;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// At most this many rejected orders are listed (each is read to see whether it was dismissed).
const REJECTED_AT_MOST: usize = 5000;

/// The open problems as the pane lists them: those read whole (few, or capped) before and
/// after the orders that need action, which are only counted until a page shows them.
#[derive(Debug, Default)]
pub(crate) struct Sections {
    head: Vec<Problem>,
    parked: usize,
    tail: Vec<Problem>,
}

impl Engine {
    /// Open problems: failed stores and unreadable orders first, then the orders that need
    /// action (oldest first, one row each with its reasons), rejected orders, oversold
    /// products, conflicts and failed sends.
    pub fn problems(&self) -> Result<Vec<Problem>, EngineError> {
        Ok(self.problem_page(0, usize::MAX)?.rows)
    }

    /// `limit` open problems from the `from`th on, and how many there are: what the Errors
    /// pane shows, without reading or sending thousands of rows after each change. The
    /// sections are read once after each event (see `kept.rs`); the parked orders a page
    /// shows are read for it.
    pub fn problem_page(&self, from: usize, limit: usize) -> Result<ProblemPage, EngineError> {
        let s =
            (self.inner.problems).get(self.generation(), || self.read_sections().map(Arc::new))?;
        let (head, parked) = (s.head.len(), s.parked);
        let total = head + parked + s.tail.len();
        let from = from.min(total);
        let end = from.saturating_add(limit).min(total);
        // Each section's share of [from, end), in its own indexes.
        let share = |lo: usize, len: usize| {
            let a = from.clamp(lo, lo + len) - lo;
            a..end.clamp(lo, lo + len) - lo
        };
        let mut rows = s.head[share(0, head)].to_vec();
        let p = share(head, parked);
        if !p.is_empty() {
            rows.extend(self.parked_rows(p.start, p.len())?);
        }
        rows.extend_from_slice(&s.tail[share(head + parked, s.tail.len())]);
        Ok(ProblemPage { total, from, rows })
    }

    /// `n` rows of the orders that need action, from the `skip`th: only the orders shown
    /// are read.
    fn parked_rows(&self, mut skip: usize, n: usize) -> Result<Vec<Problem>, EngineError> {
        let mut out = Vec::with_capacity(n.min(1000));
        self.walk_parked(|entry| {
            if skip > 0 {
                skip -= 1;
                return Ok(true);
            }
            if let Some(o) = entry.order::<crate::domain::Order>()? {
                let text = match o.problems.is_empty() {
                    true => o.state.label().to_string(),
                    false => o.problems.join("; "),
                };
                out.push(order_problem(ProblemKind::Parked, &o, text));
            }
            Ok(out.len() < n)
        })?;
        Ok(out)
    }

    /// How many orders need action: the Pending index's keys, no order read.
    fn parked_count(&self) -> Result<usize, EngineError> {
        let mut n = 0;
        self.walk_parked(|_| {
            n += 1;
            Ok(true)
        })?;
        Ok(n)
    }

    /// Walks the Pending index's orders that need action, oldest first, while `visit` says.
    fn walk_parked(
        &self,
        mut visit: impl FnMut(crate::store::IndexEntry<'_>) -> Result<bool, crate::store::StoreError>,
    ) -> Result<(), EngineError> {
        self.store()
            .visit_order_index(OrderIndex::Pending, None, false, |key, entry| {
                match key.first() == Some(&NEEDS_ACTION) {
                    true => visit(entry),
                    false => Ok(false),
                }
            })?;
        Ok(())
    }

    fn read_sections(&self) -> Result<Sections, EngineError> {
        let store = self.store();
        let mut out = Vec::new();
        for rec in store.store_records()? {
            if let Some(run) = rec.info.last_sync.as_ref().filter(|r| !r.ok) {
                out.push(Problem {
                    kind: ProblemKind::StoreFailed,
                    store: rec.info.id.clone(),
                    order_id: None,
                    subject: format!("store {}", rec.info.id),
                    text: {
                        let msg = run.message.clone().unwrap_or_default();
                        // The subject names the store already.
                        let prefix = format!("store {}: ", rec.info.id);
                        format!(
                            "last sync failed: {}",
                            msg.strip_prefix(&prefix).unwrap_or(&msg)
                        )
                    },
                    at: run.finished_at.unwrap_or(run.started_at),
                    outbox_id: None,
                });
            }
        }
        for u in store.unreadable()? {
            out.push(Problem {
                kind: ProblemKind::Unreadable,
                store: u.store.clone(),
                order_id: None,
                subject: u
                    .name
                    .as_deref()
                    .map(|n| format!("#{n}"))
                    .unwrap_or_else(|| format!("order {}", u.remote_id)),
                text: format!("could not be read: {}", u.reason),
                at: u.at,
                outbox_id: None,
            });
        }
        let head = std::mem::take(&mut out);
        let parked = self.parked_count()?;
        for (_, o) in store.order_keys(
            OrderIndex::State(OrderState::Rejected),
            None,
            false,
            REJECTED_AT_MOST,
        )? {
            if !o.dismissed {
                out.push(order_problem(
                    ProblemKind::Rejected,
                    &o,
                    format!("rejected: {}", o.problems.join("; ")),
                ));
            }
        }
        for pid in store.oversold_products()? {
            if let Some(p) = store.product(&pid)? {
                out.push(Problem {
                    kind: ProblemKind::Oversold,
                    store: String::new(),
                    order_id: None,
                    subject: p.id.clone(),
                    text: format!("{} ({}) oversold: stock {}", p.name, p.sku, p.stock),
                    at: chrono::Utc::now(),
                    outbox_id: None,
                });
            }
        }
        for id in store.conflict_orders()? {
            if let Some(o) = store.order(id)? {
                for c in &o.conflicts {
                    out.push(order_problem(ProblemKind::Conflict, &o, c.clone()));
                }
            }
        }
        for item in store.open_outbox()? {
            if item.status == OutboxStatus::Failed {
                out.push(Problem {
                    kind: ProblemKind::OutboxFailed,
                    store: item.store.clone(),
                    order_id: Some(item.order_id),
                    subject: item.order_name.clone(),
                    text: format!(
                        "not sent to the shop: {} — {} (R retries, D dismisses)",
                        item.change.describe(),
                        item.last_error.clone().unwrap_or_default()
                    ),
                    at: item.updated_at,
                    outbox_id: Some(item.id),
                });
            }
        }
        Ok(Sections {
            head,
            parked,
            tail: out,
        })
    }
}

/// The Pending index's first key byte for an order that needs action.
const NEEDS_ACTION: u8 = 0;

/// A window on the open problems (see [`Engine::problem_page`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemPage {
    /// How many problems are open.
    pub total: usize,
    /// The index of `rows[0]` among them.
    pub from: usize,
    pub rows: Vec<Problem>,
}

fn order_problem(kind: ProblemKind, o: &crate::domain::Order, text: String) -> Problem {
    Problem {
        kind,
        store: o.store.clone(),
        order_id: Some(o.id),
        subject: o.display_name(),
        text,
        at: o.updated_at,
        outbox_id: None,
    }
}
