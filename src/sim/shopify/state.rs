//! The server's shared state.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::SimOptions;
use super::bucket::Bucket;
use super::world::World;

/// Faults armed through `POST /_sim/faults`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Faults {
    /// The next this many GraphQL requests answer `status` and do nothing.
    pub fail_next: u32,
    pub status: u16,
    /// The next this many mutations are applied, then answered 502.
    pub drop_after_apply_next: u32,
}

impl Faults {
    /// The status to fail this request with, if one is armed.
    pub fn take_failure(&mut self) -> Option<axum::http::StatusCode> {
        if self.fail_next == 0 {
            return None;
        }
        self.fail_next -= 1;
        Some(
            axum::http::StatusCode::from_u16(self.status)
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        )
    }

    /// Whether this applied mutation's answer is to be dropped.
    pub fn take_drop(&mut self) -> bool {
        let armed = self.drop_after_apply_next > 0;
        self.drop_after_apply_next = self.drop_after_apply_next.saturating_sub(1);
        armed
    }
}

pub struct AppState {
    pub opts: SimOptions,
    world: Mutex<World>,
    bucket: Mutex<Bucket>,
    faults: Mutex<Faults>,
}

impl AppState {
    pub fn new(opts: SimOptions, world: World) -> AppState {
        let bucket = Bucket::new(opts.bucket, opts.restore);
        AppState {
            opts,
            world: Mutex::new(world),
            bucket: Mutex::new(bucket),
            faults: Mutex::new(Faults::default()),
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
}
