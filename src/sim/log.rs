//! What a simulated shop received, as `GET /_sim/log` lists it (DESIGN.md §4): the same
//! entry for every platform.

use serde::Serialize;

/// One thing the shop received (a change it applied).
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
    /// The refunded amount as a decimal string.
    pub refund: Option<String>,
    pub restock: Option<bool>,
}

impl LogEntry {
    /// An entry of `kind` for one order, the other fields empty.
    pub fn new(kind: &str, order_id: String, order_name: String, at: String) -> LogEntry {
        LogEntry {
            at,
            order_id: Some(order_id),
            order_name: Some(order_name),
            kind: kind.to_string(),
            tracking_number: None,
            tracking_company: None,
            notify_customer: None,
            refund: None,
            restock: None,
        }
    }
}
