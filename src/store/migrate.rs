//! `orderdesk store migrate --to redb|sled`: the store copied into the other engine, table by
//! table, while its lock is held; the copy verified (every table's entries and digest equal,
//! and `check` on the copy finding nothing the original does not); only then put in place,
//! with the original kept beside it until the operator removes it.
//!
//! The copy is put in place before the original is moved away, and a directory holding both
//! opens redb's file ([`Engine::found_in`]): a migration cut short at any point leaves a store
//! that opens with everything in it.

use super::kv::Engine;
use super::{Difference, Store, StoreError, T, TABLE_NAMES, io_error};
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// Entries copied per transaction.
const CHUNK: usize = 10_000;

/// What a migration did.
#[derive(Debug)]
pub struct Migrated {
    pub from: Engine,
    pub to: Engine,
    pub entries: u64,
    /// Where the original store now is.
    pub kept: PathBuf,
    /// What `check` finds in the copy, as it found it in the original.
    pub differences: Vec<Difference>,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// Entries and a digest of one table, read in key order.
#[derive(Debug, PartialEq, Eq, Default)]
struct Tally {
    entries: u64,
    digest: u64,
}

impl Tally {
    fn add(&mut self, h: &mut std::collections::hash_map::DefaultHasher, k: &[u8], v: &[u8]) {
        self.entries += 1;
        h.write_usize(k.len());
        h.write(k);
        h.write_usize(v.len());
        h.write(v);
    }
}

fn tally(store: &Store, t: T) -> Result<Tally, StoreError> {
    let mut out = Tally::default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for kv in store.tree(t).iter() {
        let (k, v) = kv?;
        out.add(&mut h, &k, &v);
    }
    out.digest = h.finish();
    Ok(out)
}

/// Moves the store in `dir` to the engine `to`. `progress` hears each table as it is copied.
pub fn migrate(
    dir: &Path,
    to: Engine,
    mut progress: impl FnMut(&str, u64),
) -> Result<Migrated, StoreError> {
    let source = Store::open_as(dir, super::Open::Existing)?;
    let from = source.engine();
    if from == to {
        return Err(StoreError::Refused(format!(
            "the store in {} is already a {to} store: nothing to migrate",
            dir.display()
        )));
    }
    let shown = dir.display().to_string();
    if to.path_in(dir).exists() {
        return Err(StoreError::Refused(format!(
            "{} is in the way: an earlier migration was cut short after putting its copy in \
             place (the store opens {}); move it out of {shown}, then run the migration again",
            to.path_in(dir).display(),
            Engine::Redb.path_in(dir).display()
        )));
    }
    let staging = dir.join(format!("migrate-to-{to}.tmp"));
    if staging.exists() {
        // What a migration cut short before its copy was verified left: never in use.
        std::fs::remove_dir_all(&staging).map_err(|e| io_error(&shown, e))?;
    }
    let copied = copy_into(&source, &staging, to, &mut progress);
    let copied = match copied {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let bytes_before = source.size_on_disk();
    // The switch: the copy in place, then the original moved into a folder of its own.
    let kept = dir.join(format!(
        "before-migrate-{from}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    std::fs::create_dir_all(&kept).map_err(|e| io_error(&shown, e))?;
    sync_dir(&kept);
    std::fs::rename(to.path_in(&staging), to.path_in(dir)).map_err(|e| io_error(&shown, e))?;
    sync_dir(dir);
    crate::killpoint::here("store migrate: copy in place");
    std::fs::rename(from.path_in(dir), from.path_in(&kept)).map_err(|e| io_error(&shown, e))?;
    sync_dir(dir);
    let _ = std::fs::remove_dir_all(&staging);
    drop(source);
    let after = Store::open_as(dir, super::Open::Existing)?;
    Ok(Migrated {
        from,
        to,
        entries: copied.0,
        kept,
        differences: copied.1,
        bytes_before,
        bytes_after: after.size_on_disk(),
    })
}

/// Copies every table of `source` into a new store of `to` in `staging` and verifies it;
/// answers the entries copied and the differences `check` finds in both.
fn copy_into(
    source: &Store,
    staging: &Path,
    to: Engine,
    progress: &mut impl FnMut(&str, u64),
) -> Result<(u64, Vec<Difference>), StoreError> {
    let mut target = Store::open_with(staging, to)?;
    // A copy cut short is made again whole: its commits need not be durable one by one.
    target.bulk_load(true)?;
    let mut entries = 0;
    for t in T::ALL {
        let name = TABLE_NAMES[t as usize];
        // A new store writes its own marks in `meta`; the original's replace them.
        let (mut chunk, mut n) = (Vec::with_capacity(CHUNK), 0u64);
        let mut walk = source.tree(t).iter();
        loop {
            let next = walk.next().transpose()?;
            let end = next.is_none();
            chunk.extend(next);
            if chunk.len() >= CHUNK || (end && !chunk.is_empty()) {
                target.write(|tx| {
                    for (k, v) in &chunk {
                        tx.t(t).insert(k, v)?;
                    }
                    Ok(())
                })?;
                n += chunk.len() as u64;
                chunk.clear();
                progress(name, n);
            }
            if end {
                break;
            }
        }
        entries += n;
    }
    target.bulk_load(false)?;
    // Bulk commits leave pages free that no durable commit could reuse yet: give them back.
    target.compact()?;
    // Verified: every table equal, entry by entry.
    for t in T::ALL {
        let (a, b) = (tally(source, t)?, tally(&target, t)?);
        if a != b {
            return Err(StoreError::Refused(format!(
                "the copy's table {} differs from the original ({} entries against {}): \
                 nothing was changed; the store stays as it was",
                TABLE_NAMES[t as usize], b.entries, a.entries
            )));
        }
    }
    let report = target.check()?;
    if !report.is_clean() {
        let original = source.check()?;
        if original.differences != report.differences {
            return Err(StoreError::Refused(format!(
                "`check` finds {} difference(s) in the copy that the original does not have: \
                 nothing was changed; the store stays as it was",
                report.differences.len()
            )));
        }
    }
    Ok((entries, report.differences))
}

/// Makes a rename in `dir` durable (best effort: some file systems refuse to sync a
/// directory).
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}
