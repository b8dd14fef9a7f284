//! The server's shared state.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::SimOptions;
use super::bucket::Bucket;
use super::charges::ChargeLog;
use super::faults::Faults;
use super::world::World;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct AppState {
    pub opts: SimOptions,
    world: Mutex<World>,
    bucket: Mutex<Bucket>,
    faults: Mutex<Faults>,
    /// What the bucket charged, query by query (`GET /_sim/charges`).
    charges: Mutex<ChargeLog>,
    /// GraphQL requests received (`GET /_sim/stats`).
    requests: AtomicU64,
}

impl AppState {
    pub fn new(opts: SimOptions, world: World) -> AppState {
        let bucket = Bucket::new(opts.bucket, opts.restore);
        AppState {
            opts,
            world: Mutex::new(world),
            bucket: Mutex::new(bucket),
            faults: Mutex::new(Faults::default()),
            charges: Mutex::new(ChargeLog::default()),
            requests: AtomicU64::new(0),
        }
    }

    /// The world; a panic elsewhere while it was held does not make it unusable.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn bucket(&self) -> MutexGuard<'_, Bucket> {
        self.bucket.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn charges(&self) -> MutexGuard<'_, ChargeLog> {
        self.charges.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts one GraphQL request.
    pub fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
}
