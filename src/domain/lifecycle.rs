//! The operator's status changes (DESIGN.md §1 "The order life cycle").

use super::limits::{MAX_LINE_CHARS, MAX_TRACKING_CHARS, check_text};
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

/// Whether the customer collects the order (the shop says so in its shipping).
pub fn is_pickup(order: &Order) -> bool {
    order.shipping.as_ref().is_some_and(|s| s.pickup)
}

/// The states the operator may move an order to from its current state: ready for pickup
/// only for a pickup order.
pub fn allowed_targets(order: &Order) -> Vec<OrderState> {
    use OrderState::*;
    let mut out = match order.state {
        Booked if is_pickup(order) => vec![ReadyForPickup, ReadyToShip],
        Booked => vec![ReadyToShip],
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
    if to == OrderState::ReadyForPickup && order.state == OrderState::Booked && !is_pickup(order) {
        let method = match &order.shipping {
            Some(s) if !s.title.trim().is_empty() => format!("it ships by \"{}\"", s.title.trim()),
            _ => "it has no pickup shipping".to_string(),
        };
        return Some(format!(
            "{} is not a pickup order ({method}): only an order the customer collects can be \
             ready for pickup; move it to ready_to_ship",
            order.display_name()
        ));
    }
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
            "{} is not paid in full: balance {} (record the payment first)",
            order.display_name(),
            super::limits::show_amount(order.balance(), &order.currency)
        )),
        StatusChange::Shipped { carrier, tracking }
            if carrier.trim().is_empty() || tracking.trim().is_empty() =>
        {
            Some("shipping needs a carrier and a tracking number".into())
        }
        StatusChange::Refused { reason } if reason.trim().is_empty() => {
            Some("refusing needs a reason".into())
        }
        StatusChange::Shipped { carrier, tracking } => {
            let checked = check_text("the carrier", carrier, MAX_LINE_CHARS, false);
            checked
                .and_then(|_| {
                    check_text("the tracking number", tracking, MAX_TRACKING_CHARS, false)
                })
                .err()
        }
        StatusChange::Refused { reason } => {
            check_text("the reason", reason, MAX_LINE_CHARS, false).err()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shop_order::{RemoteFinancial, RemoteFulfillment};
    use crate::domain::{Money, OrderCustomer, Payment};
    use OrderState::*;

    fn order(state: OrderState) -> Order {
        Order {
            id: 1,
            store: "web".into(),
            remote_id: "9".into(),
            name: "1042".into(),
            state,
            test: false,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            currency: "EUR".into(),
            total: Money::new(1000, 2),
            subtotal: Money::new(1000, 2),
            tax_total: Money::ZERO,
            discount_total: Money::ZERO,
            taxes_included: true,
            financial: RemoteFinancial::Paid,
            financial_label: "paid".into(),
            fulfillment: RemoteFulfillment::Unfulfilled,
            remote_cancelled: false,
            customer: OrderCustomer::default(),
            billing_address: None,
            shipping: None,
            lines: vec![],
            authorization: None,
            payments: vec![],
            booked_stock: vec![],
            problems: vec![],
            rejected_by: None,
            dismissed: false,
            conflicts: vec![],
        }
    }

    fn paid(mut o: Order) -> Order {
        o.payments.push(Payment {
            method: "VISA".into(),
            amount: o.total,
            comment: String::new(),
            operator: "anna".into(),
            at: chrono::Utc::now(),
        });
        o
    }

    #[test]
    fn every_state_allows_exactly_its_transitions() {
        let table = [
            (CustomerIdNeeded, vec![Refused]),
            (ProductMatchFailed, vec![Refused]),
            (Rejected, vec![]),
            (Booked, vec![ReadyToShip, Refused]),
            (ReadyForPickup, vec![Completed, Refused]),
            (ReadyToShip, vec![Shipped, Refused]),
            (Shipped, vec![Completed]),
            (Completed, vec![]),
            (Refused, vec![]),
            (Cancelled, vec![]),
        ];
        for (from, to) in table {
            assert_eq!(allowed_targets(&order(from)), to, "from {from}");
        }
        assert_eq!(
            allowed_targets(&pickup(order(Booked))),
            vec![ReadyForPickup, ReadyToShip, Refused]
        );
    }

    fn shipping(mut o: Order, title: &str, pickup: bool) -> Order {
        o.shipping = Some(crate::domain::Shipping {
            title: title.into(),
            carrier: None,
            cost: Money::ZERO,
            pickup,
            address: None,
        });
        o
    }

    fn pickup(o: Order) -> Order {
        shipping(o, "Pickup in store", true)
    }

    #[test]
    fn ready_for_pickup_only_for_a_pickup_order() {
        for o in [
            order(Booked),
            shipping(order(Booked), "Standard shipping", false),
        ] {
            let why = refusal(&o, &StatusChange::ReadyForPickup).unwrap_or_default();
            assert!(
                why.starts_with("#1042 is not a pickup order") && why.contains("ready_to_ship"),
                "{why}"
            );
        }
        let why = refusal(&order(Booked), &StatusChange::ReadyForPickup).unwrap_or_default();
        assert!(why.contains("(it has no pickup shipping)"), "{why}");
        let standard = shipping(order(Booked), "Standard shipping", false);
        let why = refusal(&standard, &StatusChange::ReadyForPickup).unwrap_or_default();
        assert!(why.contains("(it ships by \"Standard shipping\")"), "{why}");
        assert_eq!(
            refusal(&pickup(order(Booked)), &StatusChange::ReadyForPickup),
            None
        );
        // From another state the life cycle says what is allowed, as for any move.
        let why = refusal(&order(ReadyToShip), &StatusChange::ReadyForPickup).unwrap_or_default();
        assert!(why.contains("cannot go from ready_to_ship"), "{why}");
    }

    #[test]
    fn refusals_say_why() {
        let ship = StatusChange::Shipped {
            carrier: "DHL".into(),
            tracking: "JD1".into(),
        };
        assert!(
            refusal(&order(Booked), &ship)
                .is_some_and(|w| w.contains("cannot go from booked to shipped"))
        );
        assert_eq!(refusal(&order(ReadyToShip), &ship), None);
        let no_tracking = StatusChange::Shipped {
            carrier: "DHL".into(),
            tracking: " ".into(),
        };
        assert!(refusal(&order(ReadyToShip), &no_tracking).is_some());
        // Completed needs the order paid in full, in both flows.
        for from in [ReadyForPickup, Shipped] {
            let why = refusal(&order(from), &StatusChange::Completed).unwrap_or_default();
            assert!(
                why.contains("not paid in full") && why.contains("10.00 EUR"),
                "{why}"
            );
            assert_eq!(refusal(&paid(order(from)), &StatusChange::Completed), None);
        }
        let refuse = StatusChange::Refused {
            reason: "customer called".into(),
        };
        assert_eq!(refusal(&order(Booked), &refuse), None);
        assert!(refusal(&order(Booked), &StatusChange::Refused { reason: "".into() }).is_some());
        // A shipped order, or one the shop fulfilled even partly, is not refused.
        assert!(refusal(&order(Shipped), &refuse).is_some());
        let mut partly = order(ReadyToShip);
        partly.fulfillment = RemoteFulfillment::PartiallyFulfilled;
        assert!(refusal(&partly, &refuse).is_some());
    }
}
