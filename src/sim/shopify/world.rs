//! What the simulated shop holds: its orders (each one JSON value in the shape of Shopify's
//! `Order`), the shop itself, and the log of what it received.

use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Instant;

/// One thing the shop received (a mutation that changed something).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LogEntry {
    pub at: String,
    pub order_id: Option<String>,
    pub order_name: Option<String>,
    /// `fulfillment_create`, `prepared_for_pickup`, `order_cancel`, `order_update`,
    /// `inventory_set`, `refund_create`.
    pub kind: String,
    pub tracking_number: Option<String>,
    pub tracking_company: Option<String>,
    pub notify_customer: Option<bool>,
    pub refund: Option<String>,
    pub restock: Option<bool>,
}

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
    pub orders: Vec<Value>,
    pub shop: Value,
    pub log: Vec<LogEntry>,
    pub jobs: HashMap<String, Job>,
}

impl World {
    pub fn new(orders: Vec<Value>, shop: Value) -> World {
        World {
            orders,
            shop,
            log: Vec::new(),
            jobs: HashMap::new(),
        }
    }
}
