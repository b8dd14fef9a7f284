//! The open problems of the Errors pane (DESIGN.md §1 "Problems and the Errors pane").

use super::{Engine, EngineError, Problem, ProblemKind};
use crate::domain::OrderState;
use crate::domain::outbox::OutboxStatus;
use crate::store::OrderIndex;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// At most this many rows per kind of order problem (the pane pages within them).
const PER_KIND: usize = 5000;

impl Engine {
    /// Open problems: failed stores and unreadable orders first, then parked orders (oldest
    /// first), rejected orders, oversold products and conflicts. Read once after each event
    /// (see `kept.rs`).
    pub fn problems(&self) -> Result<Vec<Problem>, EngineError> {
        Ok(self.kept_problems()?.to_vec())
    }

    fn kept_problems(&self) -> Result<Arc<Vec<Problem>>, EngineError> {
        (self.inner.problems).get(self.generation(), || self.read_problems().map(Arc::new))
    }

    /// `limit` open problems from the `from`th on, and how many there are: what the Errors
    /// pane shows, without sending thousands of rows to every console after each change.
    pub fn problem_page(&self, from: usize, limit: usize) -> Result<ProblemPage, EngineError> {
        let all = self.kept_problems()?;
        let from = from.min(all.len());
        Ok(ProblemPage {
            total: all.len(),
            from,
            rows: all.iter().skip(from).take(limit).cloned().collect(),
        })
    }

    fn read_problems(&self) -> Result<Vec<Problem>, EngineError> {
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
        for (_, o) in store.order_keys(OrderIndex::Pending, None, false, PER_KIND)? {
            if !o.state.needs_action() {
                break;
            }
            for p in &o.problems {
                out.push(order_problem(ProblemKind::Parked, &o, p.clone()));
            }
        }
        for (_, o) in store.order_keys(
            OrderIndex::State(OrderState::Rejected),
            None,
            false,
            PER_KIND,
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
        Ok(out)
    }
}

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
