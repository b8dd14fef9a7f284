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

    /// The store's refused status (a fresh store's 5 unless `[store.statuses]` says
    /// otherwise): each shop numbers its own statuses, so no number means cancelled by itself.
    pub fn is_cancelled(&self, status: &str) -> bool {
        self.set_on(LocalChange::Refused) == Some(status)
    }

    /// The store's shipped or completed status (3 and 4 in a fresh store).
    pub fn is_sent(&self, status: &str) -> bool {
        [LocalChange::Shipped, LocalChange::Completed]
            .iter()
            .any(|c| self.set_on(*c) == Some(status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stores_own_numbers_decide_what_is_cancelled_and_sent() {
        let fresh = SrStatuses {
            map: StatusMap::from_parts(&FETCHED, &ON_CHANGE),
        };
        assert!(fresh.is_cancelled("5") && fresh.is_sent("3") && fresh.is_sent("4"));
        assert!(!fresh.is_cancelled("2") && !fresh.is_sent("2"));
        // A shop that renumbered: 5 is its "packed", 9 its cancelled, 7 and 8 sent.
        let own = SrStatuses {
            map: StatusMap::from_parts(
                &["1", "5", "7", "8", "9"],
                &[
                    (LocalChange::Shipped, "7"),
                    (LocalChange::Completed, "8"),
                    (LocalChange::Refused, "9"),
                ],
            ),
        };
        assert!(
            !own.is_cancelled("5") && !own.is_sent("5"),
            "5 is only packed here"
        );
        assert!(!own.is_sent("3") && !own.is_sent("4"));
        assert!(own.is_cancelled("9") && own.is_sent("7") && own.is_sent("8"));
    }
}
