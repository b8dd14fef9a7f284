//! The platform registry: one row per shop platform, the one place a platform plugs in. A row
//! holds the platform's facts (`domain::platform::Platform`), its connector (a folder under
//! `channels/`) and its simulator (a folder under `sim/`), when this version has them. Config,
//! sync, `orderdesk sim` and `orderdesk demo` find a platform here by name and switch on
//! nothing else.

use crate::channels::prestashop;
use crate::channels::shoprenter;
use crate::channels::tray;
use crate::channels::woocommerce;
use crate::channels::{
    BoxFuture, BulkRead, Channel, ChannelError, Connection, FetchedOrder, OrdersPage, PushOutcome,
};
use crate::domain::intake::NoContact;
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use crate::domain::platform::{Credential, Platform, Statuses};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Connects a configured store to its shop.
pub type Connect = fn(&Connection) -> Result<Arc<dyn Channel>, ChannelError>;

/// One platform: its facts, its connector and its simulator.
pub struct Row {
    pub platform: Platform,
    /// `None`: this version has no connector for it yet (config refuses such a store).
    pub connect: Option<Connect>,
    /// `None`: no simulator yet (`orderdesk sim --platform` refuses it).
    pub simulator: Option<crate::sim::Simulator>,
}

const TOKEN: Credential = Credential {
    key: "token",
    what: "access token",
};

/// Every platform orderdesk knows, connected or not.
pub static PLATFORMS: [Row; 6] = [
    Row {
        platform: Platform {
            name: crate::channels::shopify::PLATFORM,
            title: "Shopify",
            credentials: &[TOKEN],
            no_contact: NoContact::Unspecified,
            has_locations: true,
            options: &[],
            statuses: None,
            order_notes: true,
        },
        connect: Some(crate::channels::shopify::connect),
        simulator: Some(crate::sim::shopify::SIMULATOR),
    },
    Row {
        platform: Platform {
            name: "woocommerce",
            title: "WooCommerce",
            credentials: &[
                Credential {
                    key: "key",
                    what: "consumer key",
                },
                Credential {
                    key: "secret",
                    what: "consumer secret",
                },
            ],
            no_contact: NoContact::Reject,
            has_locations: false,
            options: &["query_string_auth", "shipment_tracking"],
            statuses: Some(Statuses {
                known: &woocommerce::CORE_STATUSES,
                fetch: &woocommerce::FETCHED,
                on_change: &woocommerce::ON_CHANGE,
            }),
            order_notes: true,
        },
        connect: Some(crate::channels::woocommerce::connect),
        simulator: Some(crate::sim::woocommerce::SIMULATOR),
    },
    Row {
        platform: Platform {
            name: "prestashop",
            title: "PrestaShop",
            credentials: &[Credential {
                key: "token",
                what: "webservice key",
            }],
            no_contact: NoContact::Reject,
            has_locations: false,
            options: &[],
            statuses: Some(Statuses {
                known: &prestashop::KNOWN,
                fetch: &prestashop::FETCHED,
                on_change: &prestashop::ON_CHANGE,
            }),
            order_notes: false,
        },
        connect: Some(crate::channels::prestashop::connect),
        simulator: Some(crate::sim::prestashop::SIMULATOR),
    },
    Row {
        platform: Platform {
            name: "magento",
            title: "Magento 2",
            credentials: &[TOKEN],
            no_contact: NoContact::Reject,
            has_locations: true,
            options: &["all_store_views"],
            statuses: Some(Statuses {
                known: &crate::channels::magento::CORE_STATUSES,
                fetch: &crate::channels::magento::FETCHED,
                on_change: &crate::channels::magento::ON_CHANGE,
            }),
            order_notes: false,
        },
        connect: Some(crate::channels::magento::connect),
        simulator: Some(crate::sim::magento::SIMULATOR),
    },
    Row {
        platform: Platform {
            name: "tray",
            title: "Tray",
            credentials: &[
                Credential {
                    key: "key",
                    what: "consumer key",
                },
                Credential {
                    key: "secret",
                    what: "consumer secret",
                },
                Credential {
                    key: "code",
                    what: "store authorisation code",
                },
            ],
            no_contact: NoContact::Reject,
            has_locations: false,
            options: &[],
            statuses: Some(Statuses {
                known: &tray::KNOWN,
                fetch: &tray::FETCHED,
                on_change: &tray::ON_CHANGE,
            }),
            order_notes: true,
        },
        connect: Some(crate::channels::tray::connect),
        simulator: Some(crate::sim::tray::SIMULATOR),
    },
    Row {
        platform: Platform {
            name: "shoprenter",
            title: "Shoprenter",
            credentials: &[
                Credential {
                    key: "user",
                    what: "API user",
                },
                Credential {
                    key: "password",
                    what: "API password",
                },
            ],
            no_contact: NoContact::Reject,
            has_locations: false,
            options: &[],
            statuses: Some(Statuses {
                known: &shoprenter::KNOWN,
                fetch: &shoprenter::FETCHED,
                on_change: &shoprenter::ON_CHANGE,
            }),
            order_notes: true,
        },
        connect: Some(crate::channels::shoprenter::connect),
        simulator: Some(crate::sim::shoprenter::SIMULATOR),
    },
];

/// The row of the platform named `name` (as written in the config).
pub fn find(name: &str) -> Option<&'static Row> {
    PLATFORMS.iter().find(|r| r.platform.name == name)
}

/// Every platform's name, for messages.
pub fn names() -> Vec<&'static str> {
    PLATFORMS.iter().map(|r| r.platform.name).collect()
}

/// The names of the platforms this version connects to.
pub fn connected() -> Vec<&'static str> {
    PLATFORMS
        .iter()
        .filter(|r| r.connect.is_some())
        .map(|r| r.platform.name)
        .collect()
}

/// The connector of a configured store: its platform's, given the store's connection
/// (credentials read now; a missing one is a config error naming its line).
pub fn connect(store: &crate::config::StoreConfig) -> Result<Arc<dyn Channel>, ChannelError> {
    let row = find(&store.platform);
    let connect = row.and_then(|r| r.connect).ok_or_else(|| {
        ChannelError::Config(format!(
            "platform {} has no connector in this version",
            store.platform
        ))
    })?;
    let connection = store
        .connection()
        .map_err(|e| ChannelError::Config(e.to_string()))?;
    let keys = row.map(|r| {
        r.platform
            .credentials
            .iter()
            .map(|c| format!("{k}_env/{k}_file", k = c.key))
            .collect::<Vec<_>>()
            .join(", ")
    });
    Ok(Arc::new(Hinted {
        inner: connect(&connection)?,
        keys: keys.unwrap_or_default(),
    }))
}

/// A connector whose refused-credentials errors say which config keys give them.
struct Hinted {
    inner: Arc<dyn Channel>,
    keys: String,
}

impl Hinted {
    fn hint<T>(&self, r: Result<T, ChannelError>) -> Result<T, ChannelError> {
        r.map_err(|e| match e {
            ChannelError::Auth(why) => {
                ChannelError::Auth(format!("{why}; check the store's {}", self.keys))
            }
            e => e,
        })
    }
}

impl Channel for Hinted {
    fn platform(&self) -> &'static str {
        self.inner.platform()
    }

    fn keep_in(&self, keeper: Arc<dyn crate::channels::Keeper>) {
        self.inner.keep_in(keeper);
    }

    fn usage(&self) -> Option<String> {
        self.inner.usage()
    }

    fn fetch_orders_page<'a>(
        &'a self,
        since: DateTime<Utc>,
        after: Option<&'a str>,
    ) -> BoxFuture<'a, Result<OrdersPage, ChannelError>> {
        Box::pin(async move { self.hint(self.inner.fetch_orders_page(since, after).await) })
    }

    fn takes_stock(&self) -> bool {
        self.inner.takes_stock()
    }

    fn push_stock<'a>(
        &'a self,
        levels: &'a [crate::domain::outbox::QueuedStock],
    ) -> BoxFuture<'a, Result<Vec<(String, String)>, ChannelError>> {
        Box::pin(async move { self.hint(self.inner.push_stock(levels).await) })
    }

    fn fetch_products_page<'a>(
        &'a self,
        after: Option<&'a str>,
    ) -> BoxFuture<'a, Result<crate::channels::CatalogPage, ChannelError>> {
        Box::pin(async move { self.hint(self.inner.fetch_products_page(after).await) })
    }

    fn fetch_order<'a>(
        &'a self,
        remote_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<FetchedOrder>, ChannelError>> {
        Box::pin(async move { self.hint(self.inner.fetch_order(remote_id).await) })
    }

    fn order_state<'a>(
        &'a self,
        remote_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<RemoteOrderState>, ChannelError>> {
        Box::pin(async move { self.hint(self.inner.order_state(remote_id).await) })
    }

    fn bulk_orders<'a>(
        &'a self,
        created_since: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Option<Box<dyn BulkRead + 'a>>, ChannelError>> {
        Box::pin(async move { self.hint(self.inner.bulk_orders(created_since).await) })
    }

    fn push<'a>(
        &'a self,
        remote_id: &'a str,
        change: &'a ShopChange,
        key: &'a str,
    ) -> BoxFuture<'a, Result<PushOutcome, ChannelError>> {
        Box::pin(async move { self.hint(self.inner.push(remote_id, change, key).await) })
    }
}
