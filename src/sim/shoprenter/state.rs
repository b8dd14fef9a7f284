//! The server's shared state: the shop's orders (`orderExtend` objects by inner id), the
//! order histories added through the API, the budget's count, the log and the faults.

use crate::sim::seed::shop_catalog::ShopCatalog;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::ShoprenterOptions;
use crate::sim::faults::Faults;
use crate::sim::log::LogEntry;
use crate::sim::rest::{Counted, decode64, encode64};

pub const PENDING: &str = "1";
pub const PROCESSING: &str = "2";
pub const SHIPPED: &str = "3";
pub const COMPLETED: &str = "4";
pub const CANCELLED: &str = "5";
/// A status this shop added for pickups.
pub const READY_PICKUP: &str = "6";
pub const STATUSES: [&str; 6] = [
    PENDING,
    PROCESSING,
    SHIPPED,
    COMPLETED,
    CANCELLED,
    READY_PICKUP,
];

/// A resource id: base64 of `{resource}-{key}={n}`.
pub fn resource_id(resource: &str, key: &str, n: u64) -> String {
    encode64(format!("{resource}-{key}={n}").as_bytes())
}

/// The number inside a resource id of `resource`.
pub fn inner_of(resource: &str, id: &str) -> Option<u64> {
    let text = String::from_utf8(decode64(id.trim())?).ok()?;
    let (name, n) = text.split_once('=')?;
    name.starts_with(&format!("{resource}-")).then_some(())?;
    n.parse().ok()
}

/// Whether a resource id is safe in a URL path as it is (no `+` or `/`): the simulator gives
/// out only those, passing over numbers whose id is not.
pub fn plain(id: &str) -> bool {
    !id.contains(['+', '/'])
}

pub fn status_ref(base: &str, status: &str) -> Value {
    let id = resource_id(
        "orderStatus",
        "order_status_id",
        status.parse().unwrap_or(0),
    );
    serde_json::json!({"href": format!("{base}/orderStatuses/{id}"), "id": id})
}

pub fn inner_id(o: &Value) -> u64 {
    o["innerId"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

pub struct World {
    /// By inner id, ascending.
    pub orders: Vec<Value>,
    pub histories: Vec<Value>,
    pub log: Vec<LogEntry>,
    /// The shop's products and categories.
    pub catalog: ShopCatalog,
}

impl World {
    pub fn order_mut(&mut self, id: &str) -> Option<&mut Value> {
        self.orders.iter_mut().find(|o| o["id"] == id.trim())
    }

    pub fn log(&mut self, kind: &str, o: &Value, now: DateTime<Utc>) -> &mut LogEntry {
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let id = o["id"].as_str().unwrap_or_default().to_string();
        let name = o["innerId"].as_str().unwrap_or_default().to_string();
        self.log.push(LogEntry::new(kind, id, name, at));
        let last = self.log.len() - 1;
        &mut self.log[last]
    }
}

pub struct AppState {
    pub opts: ShoprenterOptions,
    /// `http://127.0.0.1:PORT`, the start of every `href`.
    pub base: String,
    world: Mutex<World>,
    pub(super) faults: Mutex<Faults>,
    pub(super) counted: Mutex<Counted>,
}

impl AppState {
    pub fn new(
        opts: ShoprenterOptions,
        base: String,
        mut orders: Vec<Value>,
        catalog: ShopCatalog,
        armed: Faults,
    ) -> Self {
        orders.sort_by_key(inner_id);
        for o in &mut orders {
            super::seeded::link(o, &base);
        }
        AppState {
            opts,
            base,
            world: Mutex::new(World {
                orders,
                histories: Vec::new(),
                log: Vec::new(),
                catalog,
            }),
            faults: Mutex::new(armed),
            counted: Mutex::new(Counted::default()),
        }
    }

    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn counted(&self) -> MutexGuard<'_, Counted> {
        self.counted.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
