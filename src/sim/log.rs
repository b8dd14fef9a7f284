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
    /// `inventory_set`: the shop's product (or variant) id and the quantity it was set to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// `inventory_set` on a platform with locations: where it was set (a Shopify location's
    /// gid, a Magento source's code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
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
            product_id: None,
            quantity: None,
            location: None,
        }
    }

    /// `inventory_set`: the shop's product `product_id` set to `quantity`.
    pub fn stock(product_id: String, quantity: i64, at: String) -> LogEntry {
        LogEntry {
            order_id: None,
            order_name: None,
            product_id: Some(product_id),
            quantity: Some(quantity),
            ..LogEntry::new("inventory_set", String::new(), String::new(), at)
        }
    }

    /// `inventory_set` at `location` (a platform with locations).
    pub fn stock_at(product_id: String, quantity: i64, location: &str, at: String) -> LogEntry {
        LogEntry {
            location: Some(location.to_string()),
            ..LogEntry::stock(product_id, quantity, at)
        }
    }
}
