//! What the simulated shop holds: its orders (each one JSON value in the shape of Shopify's
//! `Order`), the shop itself, and the log of what it received.

use serde_json::Value;
use std::collections::HashMap;
use std::time::Instant;

use super::index::Index;
pub use crate::sim::log::LogEntry;

/// An asynchronous job (`orderCancel`'s): not done on the first `job(id:)` that asks, done
/// on later ones or once `DONE_AFTER` has passed.
#[derive(Debug, Clone)]
pub struct Job {
    pub started: Instant,
    pub polls: u32,
}

pub const DONE_AFTER: std::time::Duration = std::time::Duration::from_millis(200);

impl Job {
    /// Whether the job is done, counting this look.
    pub fn poll(&mut self) -> bool {
        let done = self.polls > 0 || self.started.elapsed() >= DONE_AFTER;
        self.polls += 1;
        done
    }
}

#[derive(Debug, Clone)]
pub struct World {
    orders: Vec<Value>,
    pub shop: Value,
    pub log: Vec<LogEntry>,
    pub jobs: HashMap<String, Job>,
    /// Made when a query first needs it; dropped whenever an order may change.
    index: Option<Index>,
    /// Bulk operations, oldest first ([`super::bulk`]).
    pub bulk: Vec<super::bulk::BulkOp>,
    /// Where the simulator is served (`http://127.0.0.1:PORT`), for the bulk results' URLs.
    pub base_url: String,
}

impl World {
    pub fn new(orders: Vec<Value>, shop: Value) -> World {
        World {
            orders,
            shop,
            log: Vec::new(),
            jobs: HashMap::new(),
            index: None,
            bulk: Vec::new(),
            base_url: String::new(),
        }
    }

    pub fn orders(&self) -> &[Value] {
        &self.orders
    }

    /// The orders, to change: the index is made again when next needed.
    pub fn orders_mut(&mut self) -> &mut Vec<Value> {
        self.index = None;
        &mut self.orders
    }

    /// The orders and their index.
    pub fn indexed(&mut self) -> (&[Value], &Index) {
        let index = self.index.get_or_insert_with(|| Index::build(&self.orders));
        (&self.orders, index)
    }

    /// The position of the order with this gid.
    pub fn position(&mut self, gid: &str) -> Option<usize> {
        self.indexed().1.position(gid)
    }
}
