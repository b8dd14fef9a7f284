//! The server's shared state: the shop's orders (one JSON value each, by `entity_id`
//! ascending), the shipments and credit memos made through the API, the log, the faults.

use crate::sim::seed::shop_catalog::ShopCatalog;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::MagentoOptions;
use crate::sim::faults::Faults;
use crate::sim::log::LogEntry;

/// The statuses the shop knows: Magento's own and one a store added for pickups.
pub const STATUSES: [&str; 12] = [
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
    "ready_pickup",
];

/// Magento's dates: UTC, `YYYY-MM-DD HH:MM:SS`.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub fn id_of(o: &Value) -> u64 {
    o["entity_id"].as_u64().unwrap_or(0)
}

pub struct World {
    /// By `entity_id`, ascending.
    pub orders: Vec<Value>,
    pub shipments: Vec<Value>,
    pub creditmemos: Vec<Value>,
    pub log: Vec<LogEntry>,
    /// The shop's products and categories, and its products as its API lists them.
    pub catalog: ShopCatalog,
    pub products: Vec<Value>,
    /// Ids of shipments, tracks, credit memos and comments.
    next_id: u64,
}

impl World {
    pub fn order_mut(&mut self, id: u64) -> Option<&mut Value> {
        let i = self.orders.binary_search_by_key(&id, id_of).ok()?;
        self.orders.get_mut(i)
    }

    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Adds `o` in its place; false when its id is taken.
    pub fn insert(&mut self, o: Value) -> bool {
        let id = id_of(&o);
        match self.orders.binary_search_by_key(&id, id_of) {
            Ok(_) => false,
            Err(at) => {
                self.orders.insert(at, o);
                true
            }
        }
    }

    /// Logs `kind` for order `id` at `now`.
    pub fn log(&mut self, kind: &str, id: u64, now: DateTime<Utc>) -> &mut LogEntry {
        let name = self
            .orders
            .iter()
            .find(|o| id_of(o) == id)
            .and_then(|o| o["increment_id"].as_str())
            .unwrap_or_default()
            .to_string();
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.log.push(LogEntry::new(kind, id.to_string(), name, at));
        let last = self.log.len() - 1;
        &mut self.log[last]
    }
}

pub struct AppState {
    pub opts: MagentoOptions,
    world: Mutex<World>,
    pub(super) faults: Mutex<Faults>,
}

impl AppState {
    pub fn new(
        opts: MagentoOptions,
        mut orders: Vec<Value>,
        catalog: ShopCatalog,
        armed: Faults,
    ) -> AppState {
        orders.sort_by_key(id_of);
        let world = World {
            orders,
            products: super::products::products(&catalog),
            catalog,
            shipments: Vec::new(),
            creditmemos: Vec::new(),
            log: Vec::new(),
            next_id: 0,
        };
        AppState {
            opts,
            world: Mutex::new(world),
            faults: Mutex::new(armed),
        }
    }

    /// The world; a panic elsewhere while it was held does not make it unusable.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
