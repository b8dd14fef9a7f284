//! Magento 2's order statuses and what a store maps onto orderdesk's life cycle.

use crate::channels::ChannelError;
use crate::domain::platform::{LocalChange, StatusMap};

/// The order statuses a Magento 2 shop has out of the box (`holded` is "On Hold", `fraud`
/// "Suspected Fraud").
pub const CORE_STATUSES: [&str; 11] = [
    "pending",
    "pending_payment",
    "processing",
    "holded",
    "payment_review",
    "fraud",
    "complete",
    "closed",
    "canceled",
    "paypal_canceled_reversal",
    "paypal_reversed",
];

/// The statuses pulled by default: every core one but PayPal's reversals and
/// `pending_payment` (a checkout still waiting on a payment page). The ending ones are in it:
/// an order moved there at the shop must come back for orderdesk to see it.
pub const FETCHED: [&str; 8] = [
    "pending",
    "processing",
    "holded",
    "payment_review",
    "fraud",
    "complete",
    "closed",
    "canceled",
];

/// Statuses in which an order is over at the shop.
pub const DONE: [&str; 3] = ["complete", "closed", "canceled"];

/// What each local change sets by default. Magento moves an order to `complete` itself once
/// it is invoiced and shipped, so shipping sets no status; a refused order is cancelled (or
/// refunded, then `closed`) through its own endpoints.
pub const ON_CHANGE: [(LocalChange, &str); 1] = [(LocalChange::Refused, "canceled")];

/// One store's statuses, as Magento's REST API writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MagentoStatuses {
    /// Pulled statuses (ending ones included).
    pub fetched: Vec<String>,
    /// Set (with a comment) when a pickup order is ready; none: the comment alone.
    pub ready_for_pickup: Option<String>,
    /// Set with a comment once the shipment is made; none by default.
    pub shipped: Option<String>,
    /// Set when refused; reads as cancelled (default `canceled`).
    pub refused: Option<String>,
}

impl Default for MagentoStatuses {
    fn default() -> Self {
        Self::from_map(&StatusMap::from_parts(&FETCHED, &ON_CHANGE))
    }
}

impl MagentoStatuses {
    /// The store's status map (`[store.statuses]` over the registry's defaults) as this
    /// connector keeps it.
    pub fn from_map(map: &StatusMap) -> Self {
        let set = |change| map.status_for(change).map(str::to_string);
        MagentoStatuses {
            fetched: map.fetch.clone(),
            ready_for_pickup: set(LocalChange::ReadyForPickup),
            shipped: set(LocalChange::Shipped),
            refused: set(LocalChange::Refused),
        }
    }
}

impl MagentoStatuses {
    /// Every name checked as a status code (lowercase letters, digits and `_`).
    pub fn checked(&self) -> Result<MagentoStatuses, ChannelError> {
        let one = |key: &str, s: &Option<String>| s.as_deref().map(|s| code(key, s)).transpose();
        let fetched = self
            .fetched
            .iter()
            .map(|s| code("fetched", s))
            .collect::<Result<Vec<_>, _>>()?;
        if fetched.is_empty() {
            return Err(ChannelError::Config(
                "no Magento status is fetched: name at least one (e.g. processing)".into(),
            ));
        }
        Ok(MagentoStatuses {
            fetched,
            ready_for_pickup: one("ready_for_pickup", &self.ready_for_pickup)?,
            shipped: one("shipped", &self.shipped)?,
            refused: one("refused", &self.refused)?,
        })
    }

    /// The order is cancelled at the shop: `canceled`, `closed` (refunded by a credit memo),
    /// or the store's refused status.
    pub fn is_cancelled(&self, status: &str) -> bool {
        matches!(status, "canceled" | "closed") || self.refused.as_deref() == Some(status)
    }
}

pub(super) fn code(key: &str, name: &str) -> Result<String, ChannelError> {
    let s = name.trim().to_lowercase();
    let fine = !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if fine {
        Ok(s)
    } else {
        Err(ChannelError::Config(format!(
            "`{name}` ({key}) is not a Magento order status code (such as payment_review)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_codes_and_the_defaults_see_every_ending() {
        let d = MagentoStatuses::default()
            .checked()
            .expect("defaults check");
        assert!(DONE.iter().all(|s| d.fetched.iter().any(|f| f == s)));
        assert!(d.is_cancelled("closed") && !d.is_cancelled("complete"));
        let bad = MagentoStatuses {
            refused: Some("on-hold".into()),
            ..MagentoStatuses::default()
        };
        let e = bad.checked().expect_err("not a code").to_string();
        assert!(e.contains("refused"), "{e}");
        for s in CORE_STATUSES {
            assert!(code("x", s).is_ok());
        }
    }
}
