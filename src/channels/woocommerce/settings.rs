//! What a WooCommerce store needs to connect: its address, its REST API key, and how its order
//! statuses map onto orderdesk's life cycle. Filled by whoever reads the application's config.

use crate::channels::ChannelError;

use crate::domain::platform::{LocalChange, StatusMap};

/// The order statuses WooCommerce itself has (`trash` is where a deleted order goes,
/// `checkout-draft` an order still in the block checkout).
pub const CORE_STATUSES: [&str; 9] = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "trash",
    "checkout-draft",
];

/// The statuses pulled by default: every core one but `trash` and `checkout-draft` (which
/// WooCommerce's own default, `any`, leaves out as well). The ending ones are in it: an order
/// moved there at the shop must come back for orderdesk to see it completed or cancelled.
pub const FETCHED: [&str; 7] = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
];

/// What each local change sets by default; one not listed tells the shop nothing.
pub const ON_CHANGE: [(LocalChange, &str); 3] = [
    (LocalChange::Shipped, "completed"),
    (LocalChange::Completed, "completed"),
    (LocalChange::Refused, "cancelled"),
];

/// One WooCommerce store's connection.
#[derive(Clone)]
pub struct WooSettings {
    /// The site's address (`https://shop.example.com`); the API is under `/wp-json/wc/v3/`.
    pub url: String,
    /// The REST API consumer key (`ck_…`) and secret (`cs_…`), from WooCommerce → Settings →
    /// Advanced → REST API, with read/write permission.
    pub consumer_key: String,
    pub consumer_secret: String,
    /// Send the key and secret as `consumer_key`/`consumer_secret` query parameters instead of
    /// HTTP Basic, for servers that strip the `Authorization` header.
    pub query_string_auth: bool,
    /// The Shipment Tracking extension is installed: tracking goes to its endpoint; otherwise
    /// it goes on the order as a note (to the customer when the change says to notify).
    pub shipment_tracking: bool,
    pub statuses: WooStatuses,
}

impl std::fmt::Debug for WooSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WooSettings")
            .field("url", &self.url)
            .field("consumer_key", &"<redacted>")
            .field("consumer_secret", &"<redacted>")
            .field("query_string_auth", &self.query_string_auth)
            .field("shipment_tracking", &self.shipment_tracking)
            .field("statuses", &self.statuses)
            .finish()
    }
}

impl WooSettings {
    /// A store with the default status mapping, HTTP Basic and tracking as order notes.
    pub fn new(url: &str, consumer_key: String, consumer_secret: String) -> Self {
        WooSettings {
            url: url.to_string(),
            consumer_key,
            consumer_secret,
            query_string_auth: false,
            shipment_tracking: false,
            statuses: WooStatuses::default(),
        }
    }
}

/// The store's statuses (slugs as the REST API writes them: `on-hold`, not `wc-on-hold`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WooStatuses {
    /// The statuses asked for when orders are pulled. Orders in any other status are never
    /// seen, so this holds the ones that end an order too (`completed`, `cancelled`,
    /// `refunded`, `failed`): an order moved there at the shop must come back for orderdesk to
    /// see it was completed or cancelled. Default: every core status but `trash` (which
    /// WooCommerce's own default, `any`, leaves out as well).
    pub fetched: Vec<String>,
    /// Set when a pickup order is ready (default: none, the shop is not told).
    pub ready_for_pickup: Option<String>,
    /// Set when an order is ready to ship (default: none). orderdesk queues no change for it
    /// yet; kept so a store's config can name it.
    pub ready_to_ship: Option<String>,
    /// Set when an order is shipped (default `completed`); an order in it reads as fulfilled.
    pub shipped: Option<String>,
    /// What the shop calls a completed order (default `completed`); reads as fulfilled.
    pub completed: Option<String>,
    /// Set when an order is refused (default `cancelled`); an order in it reads as cancelled.
    pub refused: Option<String>,
}

impl Default for WooStatuses {
    fn default() -> Self {
        Self::from_map(&StatusMap::from_parts(&FETCHED, &ON_CHANGE))
    }
}

impl WooStatuses {
    /// The store's status map (`[store.statuses]` over the registry's defaults) as this
    /// connector keeps it.
    pub fn from_map(map: &StatusMap) -> Self {
        let set = |change| map.status_for(change).map(str::to_string);
        WooStatuses {
            fetched: map.fetch.clone(),
            ready_for_pickup: set(LocalChange::ReadyForPickup),
            ready_to_ship: set(LocalChange::ReadyToShip),
            shipped: set(LocalChange::Shipped),
            completed: set(LocalChange::Completed),
            refused: set(LocalChange::Refused),
        }
    }
}

impl WooStatuses {
    /// Every name checked and written as the API writes it (a leading `wc-` dropped).
    pub(super) fn checked(&self) -> Result<WooStatuses, ChannelError> {
        let one = |key: &str, s: &Option<String>| s.as_deref().map(|s| slug(key, s)).transpose();
        let fetched = self
            .fetched
            .iter()
            .map(|s| slug("fetched", s))
            .collect::<Result<Vec<_>, _>>()?;
        if fetched.is_empty() {
            return Err(ChannelError::Config(
                "no WooCommerce status is fetched: name at least one (e.g. processing)".into(),
            ));
        }
        Ok(WooStatuses {
            fetched,
            ready_for_pickup: one("ready_for_pickup", &self.ready_for_pickup)?,
            ready_to_ship: one("ready_to_ship", &self.ready_to_ship)?,
            shipped: one("shipped", &self.shipped)?,
            completed: one("completed", &self.completed)?,
            refused: one("refused", &self.refused)?,
        })
    }

    /// The order is done at the shop: completed, or in the status set when shipped.
    pub fn is_fulfilled(&self, status: &str) -> bool {
        status == "completed"
            || self.completed.as_deref() == Some(status)
            || self.shipped.as_deref() == Some(status)
    }

    /// The order is cancelled at the shop (refunded, failed and trashed ones included).
    pub fn is_cancelled(&self, status: &str) -> bool {
        matches!(status, "cancelled" | "refunded" | "failed" | "trash")
            || self.refused.as_deref() == Some(status)
    }
}

/// A status slug: lowercase letters, digits, `-` and `_` (custom statuses are registered as
/// `wc-<slug>`; the REST API shows them without the prefix).
pub(super) fn slug(key: &str, name: &str) -> Result<String, ChannelError> {
    let s = name.trim().to_lowercase();
    let s = s.strip_prefix("wc-").unwrap_or(&s).to_string();
    let fine = !s.is_empty()
        && s.len() <= 20
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if fine {
        Ok(s)
    } else {
        Err(ChannelError::Config(format!(
            "`{name}` ({key}) is not a WooCommerce order status (a slug such as on-hold)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_slugs_and_the_defaults_see_every_ending() {
        let d = WooStatuses::default().checked().expect("defaults check");
        assert!(d.fetched.iter().any(|s| s == "cancelled"));
        assert!(!d.fetched.iter().any(|s| s == "trash"));
        assert!(d.is_fulfilled("completed") && d.is_cancelled("refunded"));
        let custom = WooStatuses {
            ready_for_pickup: Some("wc-Ready-Pickup".into()),
            ..WooStatuses::default()
        };
        assert_eq!(
            custom
                .checked()
                .expect("a slug")
                .ready_for_pickup
                .as_deref(),
            Some("ready-pickup")
        );
        let bad = WooStatuses {
            refused: Some("Cancelled please".into()),
            ..WooStatuses::default()
        };
        let e = bad.checked().expect_err("not a slug").to_string();
        assert!(e.contains("refused"), "{e}");
        for s in CORE_STATUSES {
            assert!(slug("x", s).is_ok());
        }
    }

    #[test]
    fn debug_hides_the_key_and_secret() {
        let s = WooSettings::new("https://s.example", "ck_abc".into(), "cs_def".into());
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("ck_abc") && !shown.contains("cs_def"),
            "{shown}"
        );
    }
}
