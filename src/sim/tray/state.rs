//! The server's shared state: the store's orders (each its `Order` object, by id), the
//! tokens it issued, the requests it counted against the budget, the log and the faults.

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::TrayOptions;
use crate::sim::faults::Faults;
use crate::sim::log::LogEntry;
use crate::sim::rest::Counted;
use crate::sim::seed::shop_catalog::ShopCatalog;

pub const PENDING: &str = "AGUARDANDO PAGAMENTO";
pub const PAID_OPEN: &str = "A ENVIAR";
pub const SENT: &str = "ENVIADO";
pub const CANCELLED: &str = "CANCELADO";
pub const FINISHED: &str = "FINALIZADO";
/// A status this store added for pickups.
pub const READY_PICKUP: &str = "PRONTO PARA RETIRADA";

/// The store's statuses and the ids it gave them (a store numbers its own).
pub const STATUSES: [(&str, u64); 7] = [
    (PENDING, 11),
    (PAID_OPEN, 9),
    (SENT, 13),
    ("ENTREGUE", 14),
    (FINISHED, 69),
    (CANCELLED, 8),
    (READY_PICKUP, 21),
];

pub fn status_id(name: &str) -> u64 {
    STATUSES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(0, |(_, id)| *id)
}

pub fn id_of(o: &Value) -> u64 {
    o["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// One pair of tokens the store issued.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access: String,
    pub refresh: String,
    pub access_until: DateTime<Utc>,
    pub refresh_until: DateTime<Utc>,
}

pub struct World {
    /// By id, ascending.
    pub orders: Vec<Value>,
    pub tokens: Vec<Issued>,
    pub log: Vec<LogEntry>,
    /// The store took the app's authorisation back: its code gives no token.
    pub code_revoked: bool,
    /// The store's products and categories.
    pub catalog: ShopCatalog,
    issued: u64,
}

impl World {
    pub fn order_mut(&mut self, id: u64) -> Option<&mut Value> {
        let i = self.orders.binary_search_by_key(&id, id_of).ok()?;
        self.orders.get_mut(i)
    }

    /// A new pair of tokens valid from `now`.
    pub fn issue(&mut self, opts: &TrayOptions, now: DateTime<Utc>) -> Issued {
        self.issued += 1;
        let n = self.issued;
        let t = Issued {
            access: format!("APP_ACCESS-{n:04}-{:08x}", n.wrapping_mul(2_654_435_761)),
            refresh: format!("APP_REFRESH-{n:04}-{:08x}", n.wrapping_mul(40_503)),
            access_until: now + chrono::Duration::seconds(opts.access_seconds),
            refresh_until: now + chrono::Duration::seconds(opts.refresh_seconds),
        };
        self.tokens.push(t.clone());
        t
    }

    pub fn log(&mut self, kind: &str, id: u64, now: DateTime<Utc>) -> &mut LogEntry {
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.log
            .push(LogEntry::new(kind, id.to_string(), id.to_string(), at));
        let last = self.log.len() - 1;
        &mut self.log[last]
    }
}

pub struct AppState {
    pub opts: TrayOptions,
    world: Mutex<World>,
    pub(super) faults: Mutex<Faults>,
    pub(super) counted: Mutex<Counted>,
}

impl AppState {
    pub fn new(
        opts: TrayOptions,
        mut orders: Vec<Value>,
        catalog: ShopCatalog,
        armed: Faults,
    ) -> AppState {
        orders.sort_by_key(id_of);
        AppState {
            opts,
            world: Mutex::new(World {
                orders,
                tokens: Vec::new(),
                log: Vec::new(),
                code_revoked: false,
                catalog,
                issued: 0,
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
