//! What a PrestaShop store needs to connect: its address, its webservice key, and how its
//! order states (numeric ids, each shop's own beyond the defaults) map onto orderdesk's life
//! cycle. Filled by whoever reads the application's config.

use crate::channels::ChannelError;
use crate::domain::platform::{LocalChange, StatusMap};

/// The order states of a fresh PrestaShop install, by id, with their default names.
pub const DEFAULT_STATES: [(&str, &str); 13] = [
    ("1", "Awaiting check payment"),
    ("2", "Payment accepted"),
    ("3", "Processing in progress"),
    ("4", "Shipped"),
    ("5", "Delivered"),
    ("6", "Canceled"),
    ("7", "Refunded"),
    ("8", "Payment error"),
    ("9", "On backorder (paid)"),
    ("10", "Awaiting bank wire payment"),
    ("11", "Remote payment accepted"),
    ("12", "On backorder (not paid)"),
    ("13", "Awaiting Cash On Delivery validation"),
];

/// The state ids a store may name without declaring them (`custom` adds a shop's own).
pub const KNOWN: [&str; 13] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
];

/// Fetched by default: every default state, the ending ones included (an order moved there
/// at the shop must come back for orderdesk to see it delivered or cancelled).
pub const FETCHED: [&str; 13] = KNOWN;

/// What each local change sets by default: shipped "4", completed "5" (delivered), refused
/// "6" (canceled). PrestaShop's webservice makes no refund: a refund is whatever the state
/// set on refusal does at the shop (a store that wants "7", refunded, maps `refused` to it).
pub const ON_CHANGE: [(LocalChange, &str); 3] = [
    (LocalChange::Shipped, "4"),
    (LocalChange::Completed, "5"),
    (LocalChange::Refused, "6"),
];

/// One PrestaShop store's connection.
#[derive(Clone)]
pub struct PsSettings {
    /// The shop's address (`https://shop.example.com`); the webservice is under `/api/`.
    pub url: String,
    /// The webservice key (Advanced Parameters → Webservice), sent as the Basic-auth user.
    pub key: String,
    pub statuses: PsStatuses,
}

impl std::fmt::Debug for PsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PsSettings")
            .field("url", &self.url)
            .field("key", &"<redacted>")
            .field("statuses", &self.statuses)
            .finish()
    }
}

impl PsSettings {
    /// A store with the default state mapping.
    pub fn new(url: &str, key: String) -> Self {
        PsSettings {
            url: url.to_string(),
            key,
            statuses: PsStatuses::default(),
        }
    }
}

/// The store's order states, as ids written as text ("4").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsStatuses {
    /// Orders in these states are pulled.
    pub fetched: Vec<String>,
    pub ready_for_pickup: Option<String>,
    pub ready_to_ship: Option<String>,
    /// Set when shipped (default "4"); an order in it reads as fulfilled.
    pub shipped: Option<String>,
    /// Set when completed (default "5"); reads as fulfilled.
    pub completed: Option<String>,
    /// Set when refused (default "6"); reads as cancelled.
    pub refused: Option<String>,
}

impl Default for PsStatuses {
    fn default() -> Self {
        Self::from_map(&StatusMap::from_parts(&FETCHED, &ON_CHANGE))
    }
}

impl PsStatuses {
    /// The store's status map (`[store.statuses]` over the registry's defaults) as this
    /// connector keeps it.
    pub fn from_map(map: &StatusMap) -> Self {
        let set = |change| map.status_for(change).map(str::to_string);
        PsStatuses {
            fetched: map.fetch.clone(),
            ready_for_pickup: set(LocalChange::ReadyForPickup),
            ready_to_ship: set(LocalChange::ReadyToShip),
            shipped: set(LocalChange::Shipped),
            completed: set(LocalChange::Completed),
            refused: set(LocalChange::Refused),
        }
    }
}

impl PsStatuses {
    /// Every state checked to be an id.
    pub(super) fn checked(&self) -> Result<PsStatuses, ChannelError> {
        let one = |key: &str, s: &Option<String>| s.as_deref().map(|s| id(key, s)).transpose();
        let fetched = self
            .fetched
            .iter()
            .map(|s| id("fetched", s))
            .collect::<Result<Vec<_>, _>>()?;
        if fetched.is_empty() {
            return Err(ChannelError::Config(
                "no PrestaShop order state is fetched: name at least one (e.g. \"2\")".into(),
            ));
        }
        Ok(PsStatuses {
            fetched,
            ready_for_pickup: one("ready_for_pickup", &self.ready_for_pickup)?,
            ready_to_ship: one("ready_to_ship", &self.ready_to_ship)?,
            shipped: one("shipped", &self.shipped)?,
            completed: one("completed", &self.completed)?,
            refused: one("refused", &self.refused)?,
        })
    }

    /// Shipped or delivered at the shop, or in the state set when shipped or completed.
    pub fn is_fulfilled(&self, state: &str) -> bool {
        matches!(state, "4" | "5")
            || self.shipped.as_deref() == Some(state)
            || self.completed.as_deref() == Some(state)
    }

    /// Canceled, refunded or failed in payment at the shop, or in the state set on refusal.
    pub fn is_cancelled(&self, state: &str) -> bool {
        matches!(state, "6" | "7" | "8") || self.refused.as_deref() == Some(state)
    }
}

/// The state's name on a default install ("state 14" for a shop's own).
pub fn state_name(state: &str) -> String {
    DEFAULT_STATES
        .iter()
        .find(|(id, _)| *id == state)
        .map_or_else(|| format!("state {state}"), |(_, name)| name.to_string())
}

/// A state id: digits, not zero.
pub(super) fn id(key: &str, name: &str) -> Result<String, ChannelError> {
    let s = name.trim();
    let fine = !s.is_empty()
        && s.len() <= 10
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.trim_start_matches('0') == s;
    if fine {
        Ok(s.to_string())
    } else {
        Err(ChannelError::Config(format!(
            "`{name}` ({key}) is not a PrestaShop order state id (a number such as 4)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_ids_and_the_defaults_see_every_ending() {
        let d = PsStatuses::default().checked().expect("defaults check");
        assert!(d.fetched.iter().any(|s| s == "6"));
        assert!(d.is_fulfilled("5") && d.is_cancelled("7") && !d.is_cancelled("2"));
        let bad = PsStatuses {
            refused: Some("canceled".into()),
            ..PsStatuses::default()
        };
        let e = bad.checked().expect_err("not an id").to_string();
        assert!(e.contains("refused"), "{e}");
        assert_eq!(state_name("4"), "Shipped");
        assert_eq!(state_name("14"), "state 14");
    }

    #[test]
    fn debug_hides_the_key() {
        let s = PsSettings::new("https://s.example", "KEY123SECRET".into());
        assert!(!format!("{s:?}").contains("KEY123SECRET"));
    }
}
