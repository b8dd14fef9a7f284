//! The intake benchmark's yardstick: plain sled inserts into one tree of a fresh database
//! configured as the store is (same cache, no background flusher), no transaction.

use super::{CACHE_BYTES, StoreError};
use std::path::Path;

pub struct RawTree {
    db: sled::Db,
    tree: sled::Tree,
}

impl RawTree {
    pub fn open(dir: &Path) -> Result<RawTree, StoreError> {
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(CACHE_BYTES)
            .flush_every_ms(None)
            .open()?;
        let tree = db.open_tree("raw")?;
        Ok(RawTree { db, tree })
    }

    pub fn insert(&self, key: u64, value: &[u8]) -> Result<(), StoreError> {
        self.tree.insert(key.to_be_bytes(), value)?;
        Ok(())
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}
