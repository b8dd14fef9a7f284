//! The server's shared state: the shop's orders (one JSON value each, by id ascending), the
//! notes and refunds made through the API, the log, the faults.

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::WooOptions;
use super::order::Clock;
use super::seeded::clock;
use crate::sim::faults::Faults;
use crate::sim::log::LogEntry;
use crate::sim::seed::shop_catalog::ShopCatalog;

/// Statuses the shop knows: WooCommerce's own and one a plugin added.
pub const STATUSES: [&str; 10] = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
    "trash",
    "ready-pickup",
];

pub struct World {
    /// By id, ascending.
    pub orders: Vec<Value>,
    /// Notes by order id, oldest first.
    pub notes: HashMap<u64, Vec<Value>>,
    /// Refunds made through the API, by refund id.
    pub refunds: HashMap<u64, Value>,
    pub log: Vec<LogEntry>,
    /// The shop's products and categories.
    pub catalog: ShopCatalog,
    next_id: u64,
}

pub fn id_of(o: &Value) -> u64 {
    o["id"].as_u64().unwrap_or(0)
}

impl World {
    /// The position of order `id`.
    pub fn position(&self, id: u64) -> Option<usize> {
        self.orders.binary_search_by_key(&id, id_of).ok()
    }

    pub fn order_mut(&mut self, id: u64) -> Option<&mut Value> {
        let i = self.position(id)?;
        self.orders.get_mut(i)
    }

    /// A new id for a note, refund or tracking item (past every order's).
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
                self.next_id = self.next_id.max(id + 10);
                self.orders.insert(at, o);
                true
            }
        }
    }

    /// Logs `kind` for order `o` at `now`.
    pub fn log(&mut self, kind: &str, o: &Value, now: DateTime<Utc>) -> &mut LogEntry {
        let number = o["number"].as_str().unwrap_or_default().to_string();
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.log
            .push(LogEntry::new(kind, id_of(o).to_string(), number, at));
        let last = self.log.len() - 1;
        &mut self.log[last]
    }
}

pub struct AppState {
    pub opts: WooOptions,
    pub clock: Clock,
    world: Mutex<World>,
    pub(super) faults: Mutex<Faults>,
}

impl AppState {
    pub fn new(
        opts: WooOptions,
        mut orders: Vec<Value>,
        catalog: ShopCatalog,
        armed: Faults,
    ) -> AppState {
        orders.sort_by_key(id_of);
        let next_id = orders.last().map_or(1000, |o| id_of(o) + 10);
        let world = World {
            orders,
            notes: HashMap::new(),
            refunds: HashMap::new(),
            log: Vec::new(),
            catalog,
            next_id,
        };
        AppState {
            clock: clock(&opts),
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
