//! The server's shared state: the shop's resources (one JSON value each, by id), the log,
//! the faults.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::PsOptions;
use super::seeded::Resources;
use crate::sim::faults::Faults;
use crate::sim::log::LogEntry;
use serde_json::Value;

pub struct World {
    pub resources: Resources,
    pub log: Vec<LogEntry>,
    /// The last order history's id.
    pub histories: u64,
}

impl World {
    pub fn order_mut(&mut self, id: u64) -> Option<&mut Value> {
        self.resources.get_mut("orders")?.get_mut(&id)
    }

    /// Logs `kind` for order `id` now.
    pub fn log(&mut self, kind: &str, id: u64) -> &mut LogEntry {
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.log
            .push(LogEntry::new(kind, id.to_string(), id.to_string(), at));
        let last = self.log.len() - 1;
        &mut self.log[last]
    }
}

pub struct AppState {
    pub opts: PsOptions,
    world: Mutex<World>,
    pub(super) faults: Mutex<Faults>,
}

impl AppState {
    pub fn new(opts: PsOptions, resources: Resources, armed: Faults) -> AppState {
        AppState {
            opts,
            world: Mutex::new(World {
                resources,
                log: Vec::new(),
                histories: 0,
            }),
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
