//! The intake benchmark's yardstick: plain inserts into one table of a fresh store's engine
//! (the engine a new store gets, configured as the store configures it), a commit per batch,
//! with none of the store's records, indexes or checks.

use super::kv::{Engine, Kv};
use super::{StoreError, T};
use std::path::Path;

pub struct RawTree {
    kv: Kv,
}

impl RawTree {
    pub fn open(dir: &Path) -> Result<RawTree, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Io(dir.display().to_string(), e.to_string()))?;
        Ok(RawTree {
            kv: Kv::open(dir, Engine::for_new_store()?)?,
        })
    }

    pub fn engine(&self) -> Engine {
        self.kv.engine()
    }

    /// Inserts `values` under keys `first`, `first + 1`, ... in one commit.
    pub fn insert_batch(&self, first: u64, values: &[Vec<u8>]) -> Result<(), StoreError> {
        self.kv.write(|tx| {
            for (i, v) in values.iter().enumerate() {
                tx.t(T::Raw).insert((first + i as u64).to_be_bytes(), v)?;
            }
            Ok(())
        })
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.kv.flush()
    }
}
