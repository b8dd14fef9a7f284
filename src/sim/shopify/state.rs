//! The server's shared state.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::SimOptions;
use super::bucket::Bucket;
use super::world::World;

pub struct AppState {
    pub opts: SimOptions,
    world: Mutex<World>,
    bucket: Mutex<Bucket>,
}

impl AppState {
    pub fn new(opts: SimOptions, world: World) -> AppState {
        let bucket = Bucket::new(opts.bucket, opts.restore);
        AppState {
            opts,
            world: Mutex::new(world),
            bucket: Mutex::new(bucket),
        }
    }

    /// The world; a panic elsewhere while it was held does not make it unusable.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn bucket(&self) -> MutexGuard<'_, Bucket> {
        self.bucket.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
