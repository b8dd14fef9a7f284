//! What differs from one shop platform to another, as data: its name, the credentials a
//! store of it needs, its defaults, its status names and the statuses orderdesk sets on each
//! local change. The registry (`crate::platforms`) holds one row per platform; config, sync,
//! the simulator and the console read these facts there and nowhere else.

use super::intake::NoContact;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One platform's facts.
#[derive(Debug)]
pub struct Platform {
    /// As written in the config (`platform = "woocommerce"`).
    pub name: &'static str,
    /// As shown to people.
    pub title: &'static str,
    /// The credentials a store of it needs, each given by `NAME_env` or `NAME_file`.
    pub credentials: &'static [Credential],
    /// Default for orders without any contact (DESIGN.md §1 intake rule 1).
    pub no_contact: NoContact,
    /// Whether stock is kept per location at the shop.
    pub has_locations: bool,
    /// The on/off settings of its own a store of it takes (`shipment_tracking = true`).
    pub options: &'static [&'static str],
    /// The platform's own order statuses, `None` when it has none to map (Shopify's state
    /// follows its fulfilments and cancels, not a status name).
    pub statuses: Option<Statuses>,
    /// Whether orderdesk sends it a free note on an order (the invoice number, where the
    /// platform has no invoice resource).
    pub order_notes: bool,
}

/// A credential by the config keys that give it: `{key}_env` or `{key}_file`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    pub key: &'static str,
    /// What it is, for messages: "access token", "consumer secret".
    pub what: &'static str,
}

/// A platform's order statuses and their defaults.
#[derive(Debug)]
pub struct Statuses {
    /// Every status the platform knows (custom ones are declared per store).
    pub known: &'static [&'static str],
    /// Orders in these statuses are fetched (new ones and changes).
    pub fetch: &'static [&'static str],
    /// What each local change sets at the shop by default; a change not listed sets nothing.
    pub on_change: &'static [(LocalChange, &'static str)],
}

/// A local change that may set a status at the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocalChange {
    ReadyForPickup,
    ReadyToShip,
    Shipped,
    Completed,
    Refused,
    Invoiced,
}

impl LocalChange {
    pub const ALL: [LocalChange; 6] = [
        LocalChange::ReadyForPickup,
        LocalChange::ReadyToShip,
        LocalChange::Shipped,
        LocalChange::Completed,
        LocalChange::Refused,
        LocalChange::Invoiced,
    ];

    /// The config key under `[store.statuses]`.
    pub fn key(self) -> &'static str {
        match self {
            LocalChange::ReadyForPickup => "ready_for_pickup",
            LocalChange::ReadyToShip => "ready_to_ship",
            LocalChange::Shipped => "shipped",
            LocalChange::Completed => "completed",
            LocalChange::Refused => "refused",
            LocalChange::Invoiced => "invoiced",
        }
    }

    /// As people read it: "ready to ship".
    pub fn label(self) -> String {
        self.key().replace('_', " ")
    }
}

/// One store's status mapping: the platform's defaults with what its config changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusMap {
    /// Remote statuses whose orders are fetched.
    pub fetch: Vec<String>,
    /// The remote status set on each local change; absent: nothing is set.
    pub on_change: BTreeMap<LocalChange, String>,
}

impl StatusMap {
    /// The platform's defaults (empty for a platform without status names).
    pub fn defaults(platform: &Platform) -> StatusMap {
        match &platform.statuses {
            Some(s) => StatusMap::from_parts(s.fetch, s.on_change),
            None => StatusMap::default(),
        }
    }

    /// A map of these statuses fetched and these set on each change.
    pub fn from_parts(fetch: &[&str], on_change: &[(LocalChange, &str)]) -> StatusMap {
        StatusMap {
            fetch: fetch.iter().map(|n| n.to_string()).collect(),
            on_change: on_change.iter().map(|(c, n)| (*c, n.to_string())).collect(),
        }
    }

    /// The status a local change sets, if any.
    pub fn status_for(&self, change: LocalChange) -> Option<&str> {
        self.on_change.get(&change).map(String::as_str)
    }
}

impl Platform {
    /// Whether `name` is one of this platform's statuses or one the store declared.
    pub fn knows_status(&self, name: &str, custom: &[String]) -> bool {
        self.statuses
            .as_ref()
            .is_some_and(|s| s.known.contains(&name))
            || custom.iter().any(|c| c == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: Platform = Platform {
        name: "shop",
        title: "Shop",
        credentials: &[Credential {
            key: "token",
            what: "access token",
        }],
        no_contact: NoContact::Reject,
        has_locations: false,
        options: &[],
        statuses: Some(Statuses {
            known: &["open", "done", "gone"],
            fetch: &["open", "done"],
            on_change: &[(LocalChange::Shipped, "done")],
        }),
        order_notes: false,
    };

    #[test]
    fn a_store_starts_from_its_platform_s_defaults() {
        let m = StatusMap::defaults(&SHOP);
        assert_eq!(m.fetch, ["open", "done"]);
        assert_eq!(m.status_for(LocalChange::Shipped), Some("done"));
        assert_eq!(m.status_for(LocalChange::ReadyToShip), None);
        assert!(SHOP.knows_status("gone", &[]));
        assert!(!SHOP.knows_status("lost", &[]));
        assert!(SHOP.knows_status("lost", &["lost".into()]));
    }
}
