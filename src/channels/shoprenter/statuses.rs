//! Shoprenter's order statuses, named by their inner id (`order_status_id`, as the store's
//! admin shows them), and what a store maps onto orderdesk's life cycle.

use crate::domain::platform::{LocalChange, StatusMap};

/// A fresh store's statuses: 1 pending, 2 processing, 3 shipped, 4 completed, 5 cancelled.
pub const KNOWN: [&str; 5] = ["1", "2", "3", "4", "5"];
pub const FETCHED: [&str; 5] = KNOWN;
pub const PENDING: &str = "1";
pub const CANCELLED: &str = "5";

pub const ON_CHANGE: [(LocalChange, &str); 3] = [
    (LocalChange::Shipped, "3"),
    (LocalChange::Completed, "4"),
    (LocalChange::Refused, CANCELLED),
];

/// One store's statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrStatuses {
    pub map: StatusMap,
}

impl SrStatuses {
    pub fn set_on(&self, change: LocalChange) -> Option<&str> {
        self.map.status_for(change).map(str::trim)
    }

    pub fn is_fetched(&self, status: &str) -> bool {
        self.map.fetch.iter().any(|f| f.trim() == status)
    }

    pub fn is_cancelled(&self, status: &str) -> bool {
        status == CANCELLED || self.set_on(LocalChange::Refused) == Some(status)
    }

    /// Shipped or completed (Shoprenter's, or the store's mapped ones).
    pub fn is_sent(&self, status: &str) -> bool {
        matches!(status, "3" | "4")
            || [LocalChange::Shipped, LocalChange::Completed]
                .iter()
                .any(|c| self.set_on(*c) == Some(status))
    }
}
