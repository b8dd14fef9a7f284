//! The order life cycle (DESIGN.md §1).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    CustomerIdNeeded,
    ProductMatchFailed,
    Rejected,
    Booked,
    ReadyForPickup,
    ReadyToShip,
    Shipped,
    Completed,
    Refused,
    Cancelled,
}

impl OrderState {
    /// Every state, in the order `status --json` lists them.
    pub const ALL: [OrderState; 10] = [
        OrderState::CustomerIdNeeded,
        OrderState::ProductMatchFailed,
        OrderState::Rejected,
        OrderState::Booked,
        OrderState::ReadyForPickup,
        OrderState::ReadyToShip,
        OrderState::Shipped,
        OrderState::Completed,
        OrderState::Refused,
        OrderState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::CustomerIdNeeded => "customer_id_needed",
            OrderState::ProductMatchFailed => "product_match_failed",
            OrderState::Rejected => "rejected",
            OrderState::Booked => "booked",
            OrderState::ReadyForPickup => "ready_for_pickup",
            OrderState::ReadyToShip => "ready_to_ship",
            OrderState::Shipped => "shipped",
            OrderState::Completed => "completed",
            OrderState::Refused => "refused",
            OrderState::Cancelled => "cancelled",
        }
    }

    /// One byte per state, stable on disk (used in index keys).
    pub fn code(self) -> u8 {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) as u8
    }

    pub fn from_code(code: u8) -> Option<OrderState> {
        Self::ALL.get(code as usize).copied()
    }

    /// Intake may run on an order in this state again (a command on a parked or rejected
    /// order), which then needs the shop's order as read kept beside it.
    pub fn reruns_intake(self) -> bool {
        self.needs_action() || self == OrderState::Rejected
    }

    /// Parked for the operator: the queue of orders that need action.
    pub fn needs_action(self) -> bool {
        matches!(
            self,
            OrderState::CustomerIdNeeded | OrderState::ProductMatchFailed
        )
    }

    /// Still open work for the store (shown in Pending after the ones that need action).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            OrderState::CustomerIdNeeded
                | OrderState::ProductMatchFailed
                | OrderState::Booked
                | OrderState::ReadyForPickup
                | OrderState::ReadyToShip
                | OrderState::Shipped
        )
    }

    /// Holds booked stock (a sale exists).
    pub fn holds_stock(self) -> bool {
        matches!(
            self,
            OrderState::Booked
                | OrderState::ReadyForPickup
                | OrderState::ReadyToShip
                | OrderState::Shipped
                | OrderState::Completed
        )
    }

    /// The shop cancelling the order moves it to `cancelled` from these states.
    pub fn cancellable_by_shop(self) -> bool {
        !matches!(
            self,
            OrderState::Completed
                | OrderState::Shipped
                | OrderState::Refused
                | OrderState::Cancelled
        )
    }

    /// Human label for the screen.
    pub fn label(self) -> &'static str {
        match self {
            OrderState::CustomerIdNeeded => "customer ID needed",
            OrderState::ProductMatchFailed => "product match failed",
            OrderState::Rejected => "rejected",
            OrderState::Booked => "booked",
            OrderState::ReadyForPickup => "ready for pickup",
            OrderState::ReadyToShip => "ready to ship",
            OrderState::Shipped => "shipped",
            OrderState::Completed => "completed",
            OrderState::Refused => "refused",
            OrderState::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for OrderState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "unknown order state \"{0}\" (one of: customer_id_needed, product_match_failed, rejected, booked, ready_for_pickup, ready_to_ship, shipped, completed, refused, cancelled)"
)]
pub struct UnknownState(pub String);

impl FromStr for OrderState {
    type Err = UnknownState;
    /// Accepts the snake_case names and the same with dashes.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .iter()
            .copied()
            .find(|st| st.as_str() == wanted)
            .ok_or_else(|| UnknownState(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_snake_and_dashes() {
        assert_eq!("ready-to-ship".parse(), Ok(OrderState::ReadyToShip));
        assert_eq!(
            "customer_id_needed".parse(),
            Ok(OrderState::CustomerIdNeeded)
        );
        assert!("new".parse::<OrderState>().is_err());
    }

    #[test]
    fn codes_round_trip() {
        for s in OrderState::ALL {
            assert_eq!(OrderState::from_code(s.code()), Some(s));
        }
    }
}
