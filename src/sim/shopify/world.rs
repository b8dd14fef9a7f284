//! What the simulated shop holds: its orders (each one JSON value in the shape of Shopify's
//! `Order`), the shop itself, and the log of what it received.

use serde::Serialize;
use serde_json::Value;

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

#[derive(Debug, Clone)]
pub struct World {
    pub orders: Vec<Value>,
    pub shop: Value,
    pub log: Vec<LogEntry>,
}
