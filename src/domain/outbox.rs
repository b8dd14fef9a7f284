//! What a shop must hear: outbox items, written in the same transaction as the local change
//! and sent by the sync layer's worker (DESIGN.md §1 "Sync runs and the outbox").

use super::platform::LocalChange;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A change the shop must make to one of its orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShopChange {
    /// A pickup order is ready: its fulfillment order is marked prepared for pickup.
    PreparedForPickup,
    /// Shipped (or completed while not yet fulfilled at the shop): a fulfillment, with the
    /// carrier and tracking number when there are any.
    Fulfil {
        company: Option<String>,
        number: Option<String>,
        notify_customer: bool,
    },
    /// Refused: cancel at the shop, refund to the original payment method, restock, notify.
    Cancel {
        reason: String,
        notify_customer: bool,
        refund: bool,
        restock: bool,
    },
    /// A plain move here (ready to ship, completed): the order gets the status the store maps
    /// to it (`[store.statuses]`), as the platform names it.
    SetStatus { change: LocalChange, status: String },
    /// A note on the order at the shop, for the staff (the invoice number, on a platform
    /// without an invoice resource that takes notes).
    Note { text: String },
}

impl ShopChange {
    /// A short description for the timeline and the Errors pane.
    pub fn describe(&self) -> String {
        match self {
            ShopChange::PreparedForPickup => "mark ready for pickup".into(),
            ShopChange::Fulfil {
                company, number, ..
            } => match (company, number) {
                (Some(c), Some(n)) => format!("fulfil with {c} tracking {n}"),
                (None, Some(n)) => format!("fulfil with tracking {n}"),
                _ => "fulfil".into(),
            },
            ShopChange::Cancel { reason, .. } => format!("cancel, refund and restock ({reason})"),
            ShopChange::SetStatus { change, status } => {
                format!("set status {status} ({})", change.label())
            }
            ShopChange::Note { text } => format!("order note \"{text}\""),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting to be sent (or to be retried).
    Pending,
    /// Being sent: if the process dies now, the shop is asked before anything is sent again.
    InFlight,
    /// The shop has it.
    Sent,
    /// The shop refused it, or retries ran out; waits for the operator (retry or dismiss).
    Failed,
    /// The operator dismissed the failure.
    Dismissed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: u64,
    pub store: String,
    pub order_id: u64,
    /// As the shop shows it (`#1042`).
    pub order_name: String,
    pub remote_order_id: String,
    pub change: ShopChange,
    /// Sent as the idempotency key where the platform takes one; unique per item.
    pub key: String,
    pub status: OutboxStatus,
    pub attempts: u32,
    /// The shop's words on the last failure.
    pub last_error: Option<String>,
    /// The shop's answer once it took the change (ids, status), as the timeline says.
    #[serde(default)]
    pub answer: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A product's available quantity waiting to go to one store (the outbox's stock kind):
/// one per product and store, a newer quantity replacing an older one before it is sent, so
/// the shop never gets an older quantity after a newer one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedStock {
    pub product_id: String,
    /// The product's SKU (what a platform that sets stock by SKU names it by).
    pub sku: String,
    /// The shop's id of the product (its remote code for the store).
    pub remote_id: String,
    /// The shop's id of the product `remote_id` is a variant of, where known (what
    /// WooCommerce sets a variation's stock through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub quantity: i64,
    /// Grows with every quantity queued: what is sent is removed only if no newer one came.
    pub seq: u64,
    pub queued_at: DateTime<Utc>,
}

/// What the shop shows of an order now, to tell whether a change already took effect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteOrderState {
    pub cancelled: bool,
    /// Every line fulfilled.
    pub fulfilled: bool,
    /// Tracking numbers of the order's fulfillments.
    pub tracking_numbers: Vec<String>,
    /// A pickup fulfillment order is marked prepared for pickup.
    pub prepared_for_pickup: bool,
    /// The order's status as the platform names it (`None` where it has no status names).
    #[serde(default)]
    pub status: Option<String>,
}

impl RemoteOrderState {
    /// Whether `change` has already taken effect at the shop.
    pub fn shows(&self, change: &ShopChange) -> bool {
        match change {
            ShopChange::PreparedForPickup => self.prepared_for_pickup || self.fulfilled,
            ShopChange::Fulfil {
                number: Some(n), ..
            } => self.tracking_numbers.iter().any(|t| t == n),
            ShopChange::Fulfil { number: None, .. } => self.fulfilled,
            ShopChange::Cancel { .. } => self.cancelled,
            ShopChange::SetStatus { status, .. } => self.status.as_deref() == Some(status.trim()),
            // Not read here: the connector looks at the order's notes before adding one.
            ShopChange::Note { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remote_state_tells_which_changes_took_effect() {
        let fulfil = ShopChange::Fulfil {
            company: Some("DHL".into()),
            number: Some("JD1".into()),
            notify_customer: true,
        };
        let mut s = RemoteOrderState::default();
        assert!(!s.shows(&fulfil));
        s.tracking_numbers.push("JD1".into());
        assert!(s.shows(&fulfil));
        let cancel = ShopChange::Cancel {
            reason: "x".into(),
            notify_customer: true,
            refund: true,
            restock: true,
        };
        assert!(!s.shows(&cancel));
        s.cancelled = true;
        assert!(s.shows(&cancel));
        let completed = ShopChange::SetStatus {
            change: LocalChange::Completed,
            status: "5".into(),
        };
        assert!(!s.shows(&completed), "no status known");
        s.status = Some("4".into());
        assert!(!s.shows(&completed));
        s.status = Some("5".into());
        assert!(s.shows(&completed));
        assert_eq!(completed.describe(), "set status 5 (completed)");
    }
}
