//! The operator's status changes (DESIGN.md §1 "The order life cycle").

use super::{Order, OrderState};
use serde::{Deserialize, Serialize};

/// A status change the operator asks for, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum StatusChange {
    ReadyForPickup,
    ReadyToShip,
    Shipped { carrier: String, tracking: String },
    Completed,
    Refused { reason: String },
}

impl StatusChange {
    pub fn target(&self) -> OrderState {
        match self {
            StatusChange::ReadyForPickup => OrderState::ReadyForPickup,
            StatusChange::ReadyToShip => OrderState::ReadyToShip,
            StatusChange::Shipped { .. } => OrderState::Shipped,
            StatusChange::Completed => OrderState::Completed,
            StatusChange::Refused { .. } => OrderState::Refused,
        }
    }
}

/// The states the operator may move an order to from its current state.
pub fn allowed_targets(order: &Order) -> Vec<OrderState> {
    use OrderState::*;
    let mut out = match order.state {
        Booked => vec![ReadyForPickup, ReadyToShip],
        ReadyForPickup => vec![Completed],
        ReadyToShip => vec![Shipped],
        Shipped => vec![Completed],
        _ => vec![],
    };
    if refusable(order) {
        out.push(Refused);
    }
    out
}

/// Refused is allowed from the parked and booked states, never once shipped or fulfilled at
/// the shop (Shopify refuses to cancel a fulfilled order).
pub fn refusable(order: &Order) -> bool {
    use OrderState::*;
    let fulfilled_at_shop = !matches!(order.fulfillment, super::RemoteFulfillment::Unfulfilled);
    matches!(
        order.state,
        CustomerIdNeeded | ProductMatchFailed | Booked | ReadyForPickup | ReadyToShip
    ) && !fulfilled_at_shop
}

/// Why a change is refused, in plain words; `None` when it is allowed.
pub fn refusal(order: &Order, change: &StatusChange) -> Option<String> {
    let to = change.target();
    if !allowed_targets(order).contains(&to) {
        let allowed = allowed_targets(order);
        let list = if allowed.is_empty() {
            "none".to_string()
        } else {
            allowed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Some(format!(
            "{} cannot go from {} to {} (allowed: {list})",
            order.display_name(),
            order.state.as_str(),
            to.as_str()
        ));
    }
    match change {
        StatusChange::Completed if order.balance() > rust_decimal::Decimal::ZERO => Some(format!(
            "{} is not paid in full: balance {} {} (record the payment first)",
            order.display_name(),
            order.balance(),
            order.currency
        )),
        StatusChange::Shipped { carrier, tracking }
            if carrier.trim().is_empty() || tracking.trim().is_empty() =>
        {
            Some("shipping needs a carrier and a tracking number".into())
        }
        StatusChange::Refused { reason } if reason.trim().is_empty() => {
            Some("refusing needs a reason".into())
        }
        _ => None,
    }
}
