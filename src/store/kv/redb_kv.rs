//! redb behind the seam: one file, `store.redb`, a table per store table, keys and values as
//! bytes. Every write is one transaction committed durably (fsync), with quick repair on, so
//! the first open after a kill -9 reads the allocator state a commit saved instead of walking
//! the whole file.

use super::{Entries, KeyBounds, Tx, TxError, TxInner};
use crate::store::{StoreError, T, TABLE_NAMES, is_disk_full};
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use std::cell::{Cell, RefCell};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The file redb keeps in the store's directory.
pub(super) const FILE: &str = "store.redb";

/// redb's page cache: what a console at a million orders can afford.
const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// The most writes one held transaction takes before it is committed (see [`RedbKv::hold`]).
const HELD_WRITES: usize = 20_000;

thread_local! {
    /// This thread is inside a held transaction's write: a plain read here reads what was
    /// committed, as it would beside any transaction (and does not wait for itself).
    static IN_HELD_WRITE: Cell<bool> = const { Cell::new(false) };
}

type Bytes = &'static [u8];

fn def(t: T) -> TableDefinition<'static, Bytes, Bytes> {
    TableDefinition::new(TABLE_NAMES[t as usize])
}

pub(crate) struct RedbKv {
    db: redb::Database,
    path: std::path::PathBuf,
    /// Bulk loading: commits are not made durable one by one; `flush` makes them so.
    deferred: AtomicBool,
    /// Commits since the last durable one (bulk loading).
    pending: AtomicBool,
    /// Holding writes (a bulk fill): each write joins one transaction left open, which reads
    /// see through, until a flush or [`HELD_WRITES`] writes commit it (not durably).
    hold: AtomicBool,
    held: Mutex<Option<Box<Held>>>,
    /// The tables as last committed, opened for reads (see [`RedbKv::read_table`]).
    readers: Mutex<Vec<Option<Arc<ReadTable>>>>,
}

type ReadTable = redb::ReadOnlyTable<Bytes, Bytes>;

impl Drop for RedbKv {
    /// The tables kept for reads go before the database, so that its closing finds no read
    /// transaction open.
    fn drop(&mut self) {
        self.forget_readers();
    }
}

/// The transaction held open, and how many writes it took.
struct Held {
    wtx: redb::WriteTransaction,
    writes: usize,
}

impl RedbKv {
    pub fn open(path: &Path) -> Result<RedbKv, StoreError> {
        // A file altered behind redb's back makes its open panic in a debug build (its checks
        // of what only it could have written; a release build returns the error): the
        // operator gets words, not a panic and its backtrace.
        // The hook is the process's: it is silenced only in a debug build, one open at a
        // time, so that no other thread's panic goes unsaid for long.
        static SILENCED: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let open = || {
            redb::Database::builder()
                .set_cache_size(CACHE_BYTES)
                .create(path)
        };
        let opened = if cfg!(debug_assertions) {
            let _one = SILENCED.lock().unwrap_or_else(|e| e.into_inner());
            let hook = std::panic::take_hook();
            std::panic::set_hook(Box::new(|_| {}));
            let opened = std::panic::catch_unwind(open);
            std::panic::set_hook(hook);
            opened
        } else {
            std::panic::catch_unwind(open)
        };
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(e)) => return Err(from_redb(e)),
            Err(_) => {
                return Err(StoreError::Damaged {
                    dir: None,
                    what: format!("{FILE} does not read as a store"),
                });
            }
        };
        let kv = RedbKv {
            db,
            path: path.to_path_buf(),
            deferred: AtomicBool::new(false),
            pending: AtomicBool::new(false),
            hold: AtomicBool::new(false),
            held: Mutex::new(None),
            readers: Mutex::new((0..TABLE_NAMES.len()).map(|_| None).collect()),
        };
        // Every table exists from the first open on, so a read never meets a missing one; made
        // once (a commit, with its fsync, only when one is missing).
        let present = {
            let rtx = kv.db.begin_read().map_err(from_redb)?;
            rtx.list_tables().map_err(from_redb)?.count()
        };
        if present >= T::COUNT {
            return Ok(kv);
        }
        kv.write(|tx| {
            if let TxInner::Redb(tx) = &tx.0 {
                for t in T::ALL {
                    tx.open(t)?;
                }
            }
            Ok(())
        })?;
        Ok(kv)
    }

    /// Table `t` as last committed. Opened once per commit and kept for the reads until the
    /// next one (a read transaction and a table opened for each read cost more than many
    /// reads do).
    fn read_table(&self, t: T) -> Result<Arc<ReadTable>, StoreError> {
        let mut tables = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(table) = &tables[t as usize] {
            return Ok(table.clone());
        }
        let rtx = self.db.begin_read().map_err(from_redb)?;
        let table = Arc::new(rtx.open_table(def(t)).map_err(from_redb)?);
        tables[t as usize] = Some(table.clone());
        Ok(table)
    }

    /// Drops the tables kept for reads: a commit made them stale, and a kept read
    /// transaction holds the pages it sees from reuse (and compaction).
    fn forget_readers(&self) {
        let mut tables = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        tables.iter_mut().for_each(|t| *t = None);
    }

    pub fn get(&self, t: T, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let held = self.with_held(|wtx| {
            let table = wtx.open_table(def(t)).map_err(from_redb)?;
            let found = table.get(key).map_err(from_redb)?;
            Ok(found.map(|v| v.value().to_vec()))
        });
        if let Some(found) = held {
            return found;
        }
        let table = self.read_table(t)?;
        let found = table.get(key).map_err(from_redb)?;
        Ok(found.map(|v| v.value().to_vec()))
    }

    pub fn range(&self, t: T, bounds: KeyBounds) -> Entries {
        // Inside a held transaction the walk is read whole at once: its tables cannot outlive
        // the lock (a fill walks short ranges: an order's timeline, an index prefix).
        let held = self.with_held(|wtx| {
            let table = wtx.open_table(def(t)).map_err(from_redb)?;
            let (lo, hi) = &bounds;
            let range = table
                .range((
                    lo.as_ref().map(|k| k.as_slice()),
                    hi.as_ref().map(|k| k.as_slice()),
                ))
                .map_err(from_redb)?;
            Ok(range
                .map(|kv| {
                    kv.map(|(k, v)| (k.value().to_vec(), v.value().to_vec()))
                        .map_err(from_redb)
                })
                .collect::<Vec<_>>())
        });
        match held {
            Some(Ok(all)) => return Entries::new(all.into_iter()),
            Some(Err(e)) => return Entries::failed(e),
            None => {}
        }
        let table = match self.read_table(t) {
            Ok(table) => table,
            Err(e) => return Entries::failed(e),
        };
        let (lo, hi) = bounds;
        let range = match table.range_owned((
            lo.as_ref().map(|k| k.as_slice()),
            hi.as_ref().map(|k| k.as_slice()),
        )) {
            Ok(range) => range,
            Err(e) => return Entries::failed(from_redb(e)),
        };
        Entries::new(range.map(|kv| {
            kv.map(|(k, v)| (k.value().to_vec(), v.value().to_vec()))
                .map_err(from_redb)
        }))
    }

    pub fn write<R>(&self, f: impl Fn(&Tx) -> Result<R, TxError>) -> Result<R, StoreError> {
        if self.hold.load(Ordering::Relaxed) && self.deferred.load(Ordering::Relaxed) {
            return self.write_held(f);
        }
        self.forget_readers();
        let mut wtx = self.db.begin_write().map_err(from_redb)?;
        if self.deferred.load(Ordering::Relaxed) {
            wtx.set_durability(redb::Durability::None)
                .map_err(|e| StoreError::Engine(e.to_string()))?;
            self.pending.store(true, Ordering::Relaxed);
        } else {
            wtx.set_quick_repair(true);
        }
        match run(&wtx, f) {
            Ok(r) => {
                let done = wtx.commit().map_err(from_redb);
                self.forget_readers();
                done?;
                Ok(r)
            }
            Err(e) => {
                // Dropping an aborted transaction's pages needs no disk; its error is the
                // function's.
                let _ = wtx.abort();
                Err(match e {
                    TxError::Abort(e) => e,
                    TxError::Conflict => {
                        StoreError::Engine("a transaction conflicted where none can".into())
                    }
                })
            }
        }
    }

    /// Bulk loading on or off (see [`RedbKv::flush`]).
    pub fn defer(&self, on: bool) -> Result<(), StoreError> {
        if !on {
            self.release()?;
        }
        self.deferred.store(on, Ordering::Relaxed);
        Ok(())
    }

    /// Holding writes on or off, while bulk loading: many writes in one transaction, which
    /// saves a commit (its pages copied and checksummed again) per write. A write that fails
    /// drops the transaction held, with the writes before it since the last flush, and ends
    /// the holding: it is for a fill redone whole if cut short.
    pub fn hold(&self, on: bool) -> Result<(), StoreError> {
        if !on {
            self.release()?;
        }
        self.hold.store(on, Ordering::Relaxed);
        Ok(())
    }

    /// `f` written in the transaction held open (begun if none is).
    fn write_held<R>(&self, f: impl Fn(&Tx) -> Result<R, TxError>) -> Result<R, StoreError> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let h = match held.take() {
            Some(h) => held.insert(h),
            None => {
                let mut wtx = self.db.begin_write().map_err(from_redb)?;
                wtx.set_durability(redb::Durability::None)
                    .map_err(|e| StoreError::Engine(e.to_string()))?;
                held.insert(Box::new(Held { wtx, writes: 0 }))
            }
        };
        IN_HELD_WRITE.with(|w| w.set(true));
        let done = run(&h.wtx, f);
        IN_HELD_WRITE.with(|w| w.set(false));
        self.pending.store(true, Ordering::Relaxed);
        match done {
            Ok(r) => {
                h.writes += 1;
                if h.writes >= HELD_WRITES
                    && let Some(h) = held.take()
                {
                    self.forget_readers();
                    h.wtx.commit().map_err(from_redb)?;
                    self.forget_readers();
                }
                Ok(r)
            }
            Err(e) => {
                if let Some(h) = held.take() {
                    let _ = h.wtx.abort();
                }
                self.hold.store(false, Ordering::Relaxed);
                let e = match e {
                    TxError::Abort(e) => e.to_string(),
                    TxError::Conflict => "a transaction conflicted where none can".into(),
                };
                Err(StoreError::Engine(format!(
                    "{e} (bulk loading: what was written since the last flush is not kept)"
                )))
            }
        }
    }

    /// `f` on the transaction held open, if there is one and this is not its own write.
    fn with_held<R>(
        &self,
        f: impl FnOnce(&redb::WriteTransaction) -> Result<R, StoreError>,
    ) -> Option<Result<R, StoreError>> {
        if !self.hold.load(Ordering::Relaxed) || IN_HELD_WRITE.with(Cell::get) {
            return None;
        }
        let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.as_ref().map(|h| f(&h.wtx))
    }

    /// Commits the transaction held open, if any (not durably: see `flush`).
    fn release(&self) -> Result<(), StoreError> {
        let held = self.held.lock().unwrap_or_else(|e| e.into_inner()).take();
        self.forget_readers();
        if let Some(h) = held {
            h.wtx.commit().map_err(from_redb)?;
        }
        self.forget_readers();
        Ok(())
    }

    /// Makes every commit so far durable: while bulk loading, an empty durable commit (which
    /// carries the non-durable ones before it); otherwise each commit already was.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.release()?;
        if self.pending.swap(false, Ordering::Relaxed) {
            let mut wtx = self.db.begin_write().map_err(from_redb)?;
            wtx.set_quick_repair(true);
            wtx.commit().map_err(from_redb)?;
            self.forget_readers();
        }
        Ok(())
    }

    /// Compacts the file: pages moved to its front, partly filled ones packed, the free end
    /// cut off. Makes what was written durable first.
    pub fn compact(&mut self) -> Result<bool, StoreError> {
        self.flush()?;
        self.db
            .compact(redb::CompactionMode::Maximum)
            .map_err(from_redb)
    }

    /// What the file holds: the entries' bytes, the trees' own, and pages free for reuse.
    pub fn usage(&self) -> Result<super::Usage, StoreError> {
        self.release()?;
        let wtx = self.db.begin_write().map_err(from_redb)?;
        let s = wtx.stats().map_err(from_redb)?;
        let _ = wtx.abort();
        Ok(super::Usage {
            stored: s.stored_bytes(),
            metadata: s.metadata_bytes(),
            free: s.fragmented_bytes(),
        })
    }

    pub fn size_on_disk(&self) -> u64 {
        std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
    }
}

/// Runs `f` over `wtx`'s tables (each opened when first used, closed after).
fn run<R>(
    wtx: &redb::WriteTransaction,
    f: impl Fn(&Tx) -> Result<R, TxError>,
) -> Result<R, TxError> {
    let tx = Tx(TxInner::Redb(RedbTx {
        wtx,
        open: RefCell::new((0..TABLE_NAMES.len()).map(|_| None).collect()),
    }));
    f(&tx)
}

/// A write transaction's tables, each opened when first used (redb opens a table once per
/// transaction).
pub(crate) struct RedbTx<'a> {
    wtx: &'a redb::WriteTransaction,
    open: RefCell<Vec<Option<redb::Table<'a, Bytes, Bytes>>>>,
}

impl RedbTx<'_> {
    fn open(&self, t: T) -> Result<(), TxError> {
        let mut open = self.open.borrow_mut();
        if open[t as usize].is_none() {
            open[t as usize] = Some(self.wtx.open_table(def(t)).map_err(from_redb)?);
        }
        Ok(())
    }

    fn with<R>(
        &self,
        t: T,
        f: impl FnOnce(&mut redb::Table<'_, Bytes, Bytes>) -> Result<R, redb::StorageError>,
    ) -> Result<R, TxError> {
        self.open(t)?;
        let mut open = self.open.borrow_mut();
        match open[t as usize].as_mut() {
            Some(table) => f(table).map_err(|e| TxError::Abort(from_redb(e))),
            None => Err(TxError::Abort(StoreError::Engine(format!(
                "table {} did not open",
                TABLE_NAMES[t as usize]
            )))),
        }
    }

    pub fn get(&self, t: T, key: &[u8]) -> Result<Option<Vec<u8>>, TxError> {
        self.with(t, |table| Ok(table.get(key)?.map(|v| v.value().to_vec())))
    }

    pub fn insert(&self, t: T, key: &[u8], value: &[u8]) -> Result<(), TxError> {
        self.with(t, |table| table.insert(key, value).map(|_| ()))
    }

    pub fn remove(&self, t: T, key: &[u8]) -> Result<(), TxError> {
        self.with(t, |table| table.remove(key).map(|_| ()))
    }
}

/// redb's errors in the store's words.
fn from_redb(e: impl Into<redb::Error>) -> StoreError {
    match e.into() {
        redb::Error::Io(io) if is_disk_full(&io) => StoreError::DiskFull(io.to_string()),
        // What redb says of a file that is not one of its databases (its magic number).
        redb::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            StoreError::Damaged {
                dir: None,
                what: format!("{FILE}: {io}"),
            }
        }
        redb::Error::Io(io) => StoreError::Engine(format!("{FILE}: {io}")),
        redb::Error::Corrupted(what) => StoreError::Damaged {
            dir: None,
            what: format!("{FILE}: {what}"),
        },
        redb::Error::DatabaseAlreadyOpen => StoreError::EngineLocked,
        redb::Error::UpgradeRequired(v) => StoreError::Refused(format!(
            "{FILE} is in redb's file format {v}, which this orderdesk's redb does not read"
        )),
        // redb refuses every write after one that failed (a full disk, say) until it opens
        // again; what was committed before is kept.
        redb::Error::PreviousIo => StoreError::Engine(
            "an earlier write to the store failed (was the disk full?); nothing since was \
             saved: restart orderdesk once the cause is fixed"
                .into(),
        ),
        e => StoreError::Engine(e.to_string()),
    }
}
