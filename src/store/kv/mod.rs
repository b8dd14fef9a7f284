//! The storage engine seam: the few operations the store needs of an ordered key-value engine
//! (named tables, point reads, ordered range walks both ways, one atomic and durable write over
//! several tables). Two engines stand behind it: redb, the engine of new stores (one file,
//! `store.redb`), and sled 0.34, kept for the stores written before (a directory, `db/`).
//! Nothing outside this folder names either.

mod redb_kv;
mod sled_kv;

use super::{StoreError, T};
use std::ops::Bound;
use std::path::Path;

/// Which storage engine holds a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Redb,
    Sled,
}

impl Engine {
    pub const ALL: [Engine; 2] = [Engine::Redb, Engine::Sled];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Redb => "redb",
            Engine::Sled => "sled",
        }
    }

    /// The engine named `s` (`redb` or `sled`).
    pub fn parse(s: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.name() == s)
    }

    /// The engine of a store in `dir`, if `dir` holds one.
    pub fn found_in(dir: &Path) -> Option<Engine> {
        if dir.join(redb_kv::FILE).is_file() {
            Some(Engine::Redb)
        } else if dir.join(sled_kv::DIR).is_dir() {
            Some(Engine::Sled)
        } else {
            None
        }
    }

    /// The engine a new store gets: redb, unless `ORDERDESK_NEW_STORE_ENGINE` names another
    /// (how the tests run every store test on both engines).
    pub fn for_new_store() -> Result<Engine, StoreError> {
        match std::env::var("ORDERDESK_NEW_STORE_ENGINE") {
            Ok(s) if !s.is_empty() => Engine::parse(&s).ok_or_else(|| {
                StoreError::Refused(format!(
                    "ORDERDESK_NEW_STORE_ENGINE={s}: the storage engines are redb and sled"
                ))
            }),
            _ => Ok(Engine::Redb),
        }
    }

    /// What the engine keeps in the store's directory (removed whole by a migration).
    pub fn path_in(self, dir: &Path) -> std::path::PathBuf {
        match self {
            Engine::Redb => dir.join(redb_kv::FILE),
            Engine::Sled => dir.join(sled_kv::DIR),
        }
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One entry of a table: key and value.
pub(crate) type Entry = Result<(Vec<u8>, Vec<u8>), StoreError>;

/// An ordered walk over a table's entries (either way; `rev` walks backwards).
pub(crate) struct Entries(Box<dyn DoubleEndedIterator<Item = Entry>>);

impl Iterator for Entries {
    type Item = Entry;
    fn next(&mut self) -> Option<Entry> {
        self.0.next()
    }
}

impl DoubleEndedIterator for Entries {
    fn next_back(&mut self) -> Option<Entry> {
        self.0.next_back()
    }
}

impl Entries {
    fn new(it: impl DoubleEndedIterator<Item = Entry> + 'static) -> Entries {
        Entries(Box::new(it))
    }

    fn failed(e: StoreError) -> Entries {
        Entries::new(std::iter::once(Err(e)))
    }

    pub fn keys(self) -> impl DoubleEndedIterator<Item = Result<Vec<u8>, StoreError>> {
        self.map(|kv| kv.map(|(k, _)| k))
    }

    pub fn values(self) -> impl DoubleEndedIterator<Item = Result<Vec<u8>, StoreError>> {
        self.map(|kv| kv.map(|(_, v)| v))
    }
}

/// An open engine.
pub(crate) enum Kv {
    Redb(redb_kv::RedbKv),
    Sled(sled_kv::SledKv),
}

/// A range of keys, as owned bounds.
pub(crate) type KeyBounds = (Bound<Vec<u8>>, Bound<Vec<u8>>);

/// The range of every key that starts with `p`.
pub(crate) fn prefix_bounds(p: &[u8]) -> KeyBounds {
    let mut end = p.to_vec();
    // The first key after every key with this prefix: the prefix with its last byte below
    // 0xff raised by one (and what follows it dropped); none when it is all 0xff.
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return (Bound::Included(p.to_vec()), Bound::Excluded(end));
        }
    }
    (Bound::Included(p.to_vec()), Bound::Unbounded)
}

impl Kv {
    /// Opens the store's engine in `dir` (`engine` from [`Engine::found_in`], or the engine of
    /// a new store), making its tables.
    pub fn open(dir: &Path, engine: Engine) -> Result<Kv, StoreError> {
        Ok(match engine {
            Engine::Redb => Kv::Redb(redb_kv::RedbKv::open(&dir.join(redb_kv::FILE))?),
            Engine::Sled => Kv::Sled(sled_kv::SledKv::open(&dir.join(sled_kv::DIR))?),
        })
    }

    pub fn engine(&self) -> Engine {
        match self {
            Kv::Redb(_) => Engine::Redb,
            Kv::Sled(_) => Engine::Sled,
        }
    }

    /// One table, for reads outside a transaction.
    pub fn table(&self, t: T) -> Table<'_> {
        Table { kv: self, t }
    }

    /// Runs `f` as one atomic, durable write over every table: all of it or nothing. `f` may
    /// run more than once (sled retries on conflict), so it must only write through the `Tx`.
    pub fn write<R>(&self, f: impl Fn(&Tx) -> Result<R, TxError>) -> Result<R, StoreError> {
        match self {
            Kv::Redb(db) => db.write(f),
            Kv::Sled(db) => db.write(f),
        }
    }

    /// Makes what was written durable (redb's commits already are, but while bulk loading).
    pub fn flush(&self) -> Result<(), StoreError> {
        match self {
            Kv::Redb(db) => db.flush(),
            Kv::Sled(db) => db.flush(),
        }
    }

    /// Bulk loading (a benchmark's fill, a migration's copy): commits need not be durable one
    /// by one, and [`Kv::flush`] makes all before it durable. sled's commits never are until
    /// a flush, so it changes nothing there. Turning it off flushes.
    pub fn bulk_load(&self, on: bool) -> Result<(), StoreError> {
        if let Kv::Redb(db) = self {
            db.defer(on)?;
        }
        if on { Ok(()) } else { self.flush() }
    }

    /// While bulk loading, writes joined into one transaction until the next flush (redb;
    /// sled's are flushed together anyway): a fill's many small writes without a commit
    /// each. A write that fails drops those since the last flush and ends the holding.
    pub fn hold_writes(&self, on: bool) -> Result<(), StoreError> {
        match self {
            Kv::Redb(db) => db.hold(on),
            Kv::Sled(_) => Ok(()),
        }
    }

    /// Gives the file's free pages back to the disk (redb: moves pages to the front and packs
    /// partly filled ones; needs the store to itself). sled cleans its segments on its own:
    /// nothing to do. False when nothing could be done.
    pub fn compact(&mut self) -> Result<bool, StoreError> {
        match self {
            Kv::Redb(db) => db.compact(),
            Kv::Sled(_) => Ok(false),
        }
    }

    /// How the file is used, where the engine says (redb).
    pub fn usage(&self) -> Result<Option<Usage>, StoreError> {
        match self {
            Kv::Redb(db) => db.usage().map(Some),
            Kv::Sled(_) => Ok(None),
        }
    }

    pub fn size_on_disk(&self) -> u64 {
        match self {
            Kv::Redb(db) => db.size_on_disk(),
            Kv::Sled(db) => db.size_on_disk(),
        }
    }
}

/// How a store's file is used (redb): bytes of entries, of the trees' own pages, and of pages
/// free for reuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub stored: u64,
    pub metadata: u64,
    pub free: u64,
}

/// A table, for reads outside a transaction (each read sees what was committed before it).
#[derive(Clone, Copy)]
pub(crate) struct Table<'a> {
    kv: &'a Kv,
    t: T,
}

impl Table<'_> {
    pub fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<Vec<u8>>, StoreError> {
        match self.kv {
            Kv::Redb(db) => db.get(self.t, key.as_ref()),
            Kv::Sled(db) => db.get(self.t, key.as_ref()),
        }
    }

    /// The entries whose keys are in `bounds`, in key order (`rev()` for the other way).
    pub fn range(&self, bounds: KeyBounds) -> Entries {
        match self.kv {
            Kv::Redb(db) => db.range(self.t, bounds),
            Kv::Sled(db) => db.range(self.t, bounds),
        }
    }

    pub fn iter(&self) -> Entries {
        self.range((Bound::Unbounded, Bound::Unbounded))
    }

    pub fn scan_prefix(&self, p: impl AsRef<[u8]>) -> Entries {
        self.range(prefix_bounds(p.as_ref()))
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        match self.iter().next() {
            None => Ok(true),
            Some(Ok(_)) => Ok(false),
            Some(Err(e)) => Err(e),
        }
    }
}

/// Why a transaction's function stopped: an error that aborts it (nothing written), or a
/// conflict the engine retries on (sled only).
#[derive(Debug)]
pub enum TxError {
    Abort(StoreError),
    Conflict,
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> TxError {
        TxError::Abort(e)
    }
}

/// One write transaction: the tables as it sees them (its own writes included). The store's
/// typed writes (`store/tx.rs`) are built on its [`Tx::t`].
pub struct Tx<'a>(TxInner<'a>);

enum TxInner<'a> {
    Redb(redb_kv::RedbTx<'a>),
    Sled(&'a [sled::transaction::TransactionalTree]),
}

impl<'a> Tx<'a> {
    /// One table, inside this transaction.
    pub(crate) fn t(&self, t: T) -> TxTable<'_, 'a> {
        TxTable { tx: self, t }
    }
}

/// A table inside a transaction.
pub(crate) struct TxTable<'r, 'a> {
    tx: &'r Tx<'a>,
    t: T,
}

impl TxTable<'_, '_> {
    pub fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<Vec<u8>>, TxError> {
        match &self.tx.0 {
            TxInner::Redb(tx) => tx.get(self.t, key.as_ref()),
            TxInner::Sled(trees) => sled_kv::tx_get(trees, self.t, key.as_ref()),
        }
    }

    pub fn insert(&self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Result<(), TxError> {
        match &self.tx.0 {
            TxInner::Redb(tx) => tx.insert(self.t, key.as_ref(), value.as_ref()),
            TxInner::Sled(trees) => sled_kv::tx_insert(trees, self.t, key.as_ref(), value.as_ref()),
        }
    }

    pub fn remove(&self, key: impl AsRef<[u8]>) -> Result<(), TxError> {
        match &self.tx.0 {
            TxInner::Redb(tx) => tx.remove(self.t, key.as_ref()),
            TxInner::Sled(trees) => sled_kv::tx_remove(trees, self.t, key.as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(e: Entries) -> Vec<Vec<u8>> {
        e.keys().collect::<Result<_, _>>().expect("walk")
    }

    #[test]
    fn a_prefix_range_holds_exactly_the_keys_under_it() {
        let (lo, hi) = prefix_bounds(&[1, 0xff, 0xff]);
        assert_eq!(lo, Bound::Included(vec![1, 0xff, 0xff]));
        assert_eq!(hi, Bound::Excluded(vec![2]));
        assert_eq!(prefix_bounds(&[0xff]).1, Bound::Unbounded);
        assert_eq!(prefix_bounds(b"ab").1, Bound::Excluded(b"ac".to_vec()));
    }

    /// redb keeps the tables it opened for reads until the next commit: a read after each
    /// write, a flush or a held batch sees it, a walk begun before a write keeps its own
    /// snapshot (redb), and compaction right after reads is not held up by them.
    #[test]
    fn reads_see_every_commit_and_do_not_hold_up_compaction() {
        for engine in Engine::ALL {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut kv = Kv::open(dir.path(), engine).expect("open");
            for n in 0u8..5 {
                let orders = || kv.table(T::Orders);
                assert_eq!(orders().get([n]).expect("get"), None, "{engine}");
                let before = orders().iter();
                kv.write(|tx| tx.t(T::Orders).insert([n], [n]))
                    .expect("write");
                assert_eq!(orders().get([n]).expect("get"), Some(vec![n]), "{engine}");
                if engine == Engine::Redb {
                    // (sled's walks are not snapshots: they see what was written since.)
                    assert_eq!(keys(before).len(), n as usize, "{engine}: its own snapshot");
                } else {
                    drop(before);
                }
            }
            kv.bulk_load(true).expect("bulk");
            kv.hold_writes(true).expect("hold");
            kv.write(|tx| tx.t(T::Orders).remove([0]))
                .expect("held write");
            kv.flush().expect("flush");
            kv.hold_writes(false).expect("release");
            kv.bulk_load(false).expect("bulk off");
            let orders = kv.table(T::Orders);
            assert_eq!(
                orders.get([0]).expect("get"),
                None,
                "{engine}: after a flush"
            );
            assert_eq!(keys(orders.iter()).len(), 4, "{engine}");
            kv.compact().expect("compaction after reads");
            let orders = kv.table(T::Orders);
            assert_eq!(orders.get([4]).expect("get"), Some(vec![4]), "{engine}");
        }
    }

    /// The seam's promises, on each engine: what a transaction writes is seen by its own reads
    /// and by everyone after its commit; an aborted one leaves nothing; walks are in key order
    /// both ways, within their bounds; tables are apart; all of it after reopening.
    #[test]
    fn both_engines_keep_the_seams_promises() {
        for engine in Engine::ALL {
            let dir = tempfile::tempdir().expect("tempdir");
            let kv = Kv::open(dir.path(), engine).expect("open");
            assert_eq!(kv.engine(), engine);
            assert!(kv.table(T::Orders).is_empty().expect("empty"));
            let seen = kv
                .write(|tx| {
                    for k in [b"b".as_slice(), b"a", b"ab", b"c", b"b\xff"] {
                        tx.t(T::Orders).insert(k, [k.len() as u8])?;
                    }
                    tx.t(T::Products).insert(b"a", b"product")?;
                    tx.t(T::Orders).remove(b"c")?;
                    tx.t(T::Orders).get(b"ab")
                })
                .expect("write");
            assert_eq!(
                seen,
                Some(vec![2]),
                "{engine}: a transaction reads its own writes"
            );
            let failed: Result<(), StoreError> = kv.write(|tx| {
                tx.t(T::Orders).insert(b"zz", b"never")?;
                tx.t(T::Orders).remove(b"a")?;
                Err(TxError::Abort(StoreError::Refused("no".into())))
            });
            assert!(matches!(failed, Err(StoreError::Refused(_))), "{engine}");
            kv.flush().expect("flush");
            drop(kv);
            let kv = reopen(dir.path(), engine);
            let orders = kv.table(T::Orders);
            assert_eq!(orders.get(b"zz").expect("get"), None, "{engine}: aborted");
            assert_eq!(orders.get(b"a").expect("get"), Some(vec![1]), "{engine}");
            assert_eq!(orders.get(b"c").expect("get"), None, "{engine}: removed");
            let all: Vec<Vec<u8>> = vec![
                b"a".to_vec(),
                b"ab".to_vec(),
                b"b".to_vec(),
                b"b\xff".to_vec(),
            ];
            assert_eq!(keys(orders.iter()), all, "{engine}: key order");
            let mut back = all.clone();
            back.reverse();
            assert_eq!(keys(orders.iter()).len(), 4);
            assert_eq!(
                orders
                    .iter()
                    .keys()
                    .rev()
                    .collect::<Result<Vec<_>, _>>()
                    .expect("rev"),
                back,
                "{engine}: backwards"
            );
            assert_eq!(
                keys(orders.scan_prefix(b"a")),
                all[..2].to_vec(),
                "{engine}"
            );
            assert_eq!(
                keys(orders.scan_prefix(b"b")),
                all[2..].to_vec(),
                "{engine}"
            );
            assert_eq!(
                keys(orders.range((
                    Bound::Excluded(b"a".to_vec()),
                    Bound::Excluded(b"b\xff".to_vec())
                ))),
                all[1..3].to_vec(),
                "{engine}: bounds"
            );
            assert_eq!(
                kv.table(T::Products).get(b"a").expect("get"),
                Some(b"product".to_vec()),
                "{engine}: tables apart"
            );
            assert!(kv.table(T::Customers).is_empty().expect("empty"));
        }
    }

    /// The store opened again after a drop: sled's background threads may hold its lock a
    /// moment longer (seen once in a full test run), so a lock is waited out for a while.
    fn reopen(dir: &std::path::Path, engine: Engine) -> Kv {
        for _ in 0..100 {
            match Kv::open(dir, engine) {
                Err(StoreError::EngineLocked) => {
                    std::thread::sleep(std::time::Duration::from_millis(50))
                }
                opened => return opened.expect("reopen"),
            }
        }
        Kv::open(dir, engine).expect("reopen")
    }

    /// A fresh store of `engine`, bulk loading (its directory lives as long as the first).
    fn bulk_loading(engine: Engine) -> (tempfile::TempDir, Kv) {
        let dir = tempfile::tempdir().expect("tempdir");
        let kv = Kv::open(dir.path(), engine).expect("open");
        kv.bulk_load(true).expect("bulk");
        (dir, kv)
    }

    /// Held writes (a fill): each is seen by the reads after it, point and range, before any
    /// commit; a failed one drops those since the last flush and says so; a flush keeps the
    /// rest for good.
    #[test]
    fn held_writes_are_read_back_and_kept_by_a_flush() {
        for engine in Engine::ALL {
            let (dir, kv) = bulk_loading(engine);
            kv.hold_writes(true).expect("hold");
            for i in 0u32..50 {
                kv.write(|tx| tx.t(T::Raw).insert(i.to_be_bytes(), [i as u8]))
                    .expect("write");
                assert_eq!(
                    kv.table(T::Raw).get(i.to_be_bytes()).expect("get"),
                    Some(vec![i as u8]),
                    "{engine}: a held write is read back"
                );
            }
            let seen = kv
                .write(|tx| tx.t(T::Raw).get(7u32.to_be_bytes()))
                .expect("write");
            assert_eq!(seen, Some(vec![7]), "{engine}");
            assert_eq!(kv.table(T::Raw).iter().count(), 50, "{engine}: walked");
            assert_eq!(kv.table(T::Raw).iter().rev().count(), 50, "{engine}");
            kv.flush().expect("flush");
            kv.write(|tx| tx.t(T::Raw).insert(b"after", b"x"))
                .expect("write");
            let failed: Result<(), StoreError> = kv.write(|tx| {
                tx.t(T::Raw).insert(b"never", b"x")?;
                Err(TxError::Abort(StoreError::Refused("no".into())))
            });
            assert!(failed.is_err(), "{engine}");
            assert_eq!(kv.table(T::Raw).get(b"never").expect("get"), None);
            if engine == Engine::Redb {
                assert!(
                    matches!(&failed, Err(StoreError::Engine(m)) if m.contains("not kept")),
                    "{failed:?}"
                );
                assert_eq!(
                    kv.table(T::Raw).get(b"after").expect("get"),
                    None,
                    "the held write before the failed one is dropped with it"
                );
            }
            kv.write(|tx| tx.t(T::Raw).insert(b"later", b"x"))
                .expect("writes go on, one by one");
            kv.bulk_load(false).expect("flush");
            drop(kv);
            let kv = reopen(dir.path(), engine);
            assert_eq!(
                kv.table(T::Raw).get(b"later").expect("get"),
                Some(b"x".to_vec())
            );
            let kept = kv.table(T::Raw).iter().count();
            let expected = if engine == Engine::Redb { 51 } else { 52 };
            assert_eq!(kept, expected, "{engine}");
        }
    }

    #[test]
    fn bulk_loading_is_made_durable_by_a_flush() {
        for engine in Engine::ALL {
            let (dir, kv) = bulk_loading(engine);
            for i in 0u32..100 {
                kv.write(|tx| tx.t(T::Raw).insert(i.to_be_bytes(), b"x"))
                    .expect("write");
            }
            kv.bulk_load(false).expect("flush");
            drop(kv);
            let kv = reopen(dir.path(), engine);
            assert_eq!(kv.table(T::Raw).iter().count(), 100, "{engine}");
        }
    }
}
