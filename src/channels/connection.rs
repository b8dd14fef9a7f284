//! What a connector is given of its store: the address, the credentials read from where the
//! config says, the status mapping and the platform's own switches. Never the application's
//! config: a connector depends on nothing above `channels`.

use super::ChannelError;
use crate::domain::platform::StatusMap;
use std::collections::BTreeMap;

#[derive(Clone, Default)]
pub struct Connection {
    /// The store's id, for messages.
    pub store: String,
    /// The shop's base address, without a trailing `/`.
    pub url: String,
    /// Credentials by key (`token`; `key` and `secret`; ...): never printed.
    pub credentials: BTreeMap<&'static str, String>,
    pub statuses: StatusMap,
    /// The platform's own switches (`shipment_tracking`, ...); absent means off.
    pub options: BTreeMap<&'static str, bool>,
    /// The store's currency, for a platform whose orders do not say theirs (a shop with one
    /// currency).
    pub currency: String,
    /// Where stock levels are set, on a platform with locations (the config's
    /// `stock_location`); `None`: the shop's primary location or default source.
    pub stock_location: Option<String>,
}

impl Connection {
    /// The credential of this key; its absence is a config error naming the store.
    pub fn credential(&self, key: &str) -> Result<String, ChannelError> {
        self.credentials.get(key).cloned().ok_or_else(|| {
            ChannelError::Config(format!(
                "store {} has no {key}_env or {key}_file",
                self.store
            ))
        })
    }

    pub fn option(&self, key: &str) -> bool {
        self.options.get(key).copied().unwrap_or(false)
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("store", &self.store)
            .field("url", &self.url)
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .field("statuses", &self.statuses)
            .field("options", &self.options)
            .field("currency", &self.currency)
            .field("stock_location", &self.stock_location)
            .finish()
    }
}
