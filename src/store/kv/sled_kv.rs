//! sled 0.34 behind the seam: a tree per table in the directory `db/`. Kept for the stores
//! written before redb (and converted by `orderdesk store migrate`).

use super::{Entries, KeyBounds, Tx, TxError, TxInner};
use crate::store::{StoreError, T, TABLE_NAMES, is_disk_full};
use sled::Transactional;
use sled::transaction::{
    ConflictableTransactionError, TransactionError, TransactionalTree, UnabortableTransactionError,
};
use std::path::Path;

/// The directory sled keeps in the store's directory.
pub(super) const DIR: &str = "db";

/// sled's page cache; its 1 GiB default is far too much for a console.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

pub(crate) struct SledKv {
    db: sled::Db,
    trees: Vec<sled::Tree>,
}

impl SledKv {
    pub fn open(path: &Path) -> Result<SledKv, StoreError> {
        drop_unfinished_snapshots(path);
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            // No background flusher: every write path flushes itself (after an operator
            // action, an intake batch, a run's record), and an idle console then does no work
            // at all — sled's flusher otherwise keeps compacting a big store twice a second.
            .flush_every_ms(None)
            .open()
            .map_err(from_sled)?;
        let mut trees = Vec::with_capacity(TABLE_NAMES.len());
        for name in TABLE_NAMES {
            trees.push(db.open_tree(name).map_err(from_sled)?);
        }
        Ok(SledKv { db, trees })
    }

    pub fn get(&self, t: T, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.trees[t as usize]
            .get(key)
            .map_err(from_sled)?
            .map(|v| v.to_vec()))
    }

    pub fn range(&self, t: T, bounds: KeyBounds) -> Entries {
        let it = self.trees[t as usize].range::<Vec<u8>, _>(bounds);
        Entries::new(it.map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(from_sled)))
    }

    pub fn write<R>(&self, f: impl Fn(&Tx) -> Result<R, TxError>) -> Result<R, StoreError> {
        let res = self
            .trees
            .as_slice()
            .transaction(|views: &Vec<TransactionalTree>| {
                f(&Tx(TxInner::Sled(views))).map_err(|e| match e {
                    TxError::Abort(e) => ConflictableTransactionError::Abort(e),
                    TxError::Conflict => ConflictableTransactionError::Conflict,
                })
            });
        res.map_err(|e| match e {
            TransactionError::Abort(e) => e,
            TransactionError::Storage(e) => from_sled(e),
        })
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(from_sled)?;
        Ok(())
    }

    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }
}

fn in_tx(e: UnabortableTransactionError) -> TxError {
    match e {
        UnabortableTransactionError::Conflict => TxError::Conflict,
        UnabortableTransactionError::Storage(e) => TxError::Abort(from_sled(e)),
    }
}

pub(super) fn tx_get(
    trees: &[TransactionalTree],
    t: T,
    key: &[u8],
) -> Result<Option<Vec<u8>>, TxError> {
    Ok(trees[t as usize]
        .get(key)
        .map_err(in_tx)?
        .map(|v| v.to_vec()))
}

pub(super) fn tx_insert(
    trees: &[TransactionalTree],
    t: T,
    key: &[u8],
    value: &[u8],
) -> Result<(), TxError> {
    trees[t as usize].insert(key, value).map_err(in_tx)?;
    Ok(())
}

pub(super) fn tx_remove(trees: &[TransactionalTree], t: T, key: &[u8]) -> Result<(), TxError> {
    trees[t as usize].remove(key).map_err(in_tx)?;
    Ok(())
}

fn from_sled(e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io) if is_disk_full(&io) => StoreError::DiskFull(io.to_string()),
        sled::Error::Io(io) if is_lock_error(&io) => StoreError::EngineLocked,
        sled::Error::Corruption { at, .. } => StoreError::Damaged {
            dir: None,
            what: match at {
                Some(at) => format!("unreadable data at {}", disk_place(&at)),
                None => "unreadable data".into(),
            },
        },
        sled::Error::ReportableBug(what) => StoreError::Damaged {
            dir: None,
            what: format!("the storage engine met an inconsistency: {what}"),
        },
        e => StoreError::Engine(e.to_string()),
    }
}

/// Where sled found damage, in words (its own text is a debug print).
fn disk_place(at: &sled::DiskPtr) -> String {
    match at {
        sled::DiskPtr::Inline(offset) => format!("offset {offset} of the file db/db"),
        sled::DiskPtr::Blob(offset, blob) => {
            format!("offset {offset} of the file db/db, blob {blob} under db/blobs")
        }
    }
}

/// sled's own lock on `db/db` (a store of an orderdesk from before `orderdesk.lock`).
fn is_lock_error(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("lock")
}

/// Removes the snapshot files sled was still writing when it stopped (`snap.*.generating`:
/// it renames a snapshot only once it is whole and synced). sled 0.34 reads the newest
/// `snap.*` file whatever its suffix, so an empty one left by a full disk or a kill made every
/// later open fail as "corrupted"; the log it would have summarised is still there and is read
/// instead. Call only while holding the lock.
fn drop_unfinished_snapshots(db: &Path) {
    let Ok(entries) = std::fs::read_dir(db) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => tracing::warn!("removed an unfinished snapshot, {name}"),
                Err(e) => tracing::warn!("could not remove the unfinished snapshot {name}: {e}"),
            }
        }
    }
}
