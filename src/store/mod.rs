//! The store: tables, indexes, counters, atomic multi-table transactions, layout version,
//! the holder's lock and `status.json`. The only module that touches the storage engine, and
//! only through its seam (`kv`: redb for new stores, sled for those written before).

mod backfill;
pub mod baseline;
mod catalog;
pub mod check;
mod check_docs;
mod check_refs;
mod check_words;
mod codec;
mod filter;
mod invoices;
mod kv;
mod lock;
mod manifests;
mod merge;
pub mod migrate;
mod new_orders;
pub mod read;
mod stock;
mod stock_push;
mod tx;

pub use check::{CheckReport, Difference};
pub use codec::{SCHEMA_VERSION, encode_order as encode_record};
pub use filter::IndexEntry;
pub use kv::{Engine, Tx, TxError, Usage};
pub use new_orders::{NewOrder, NewOrders};
pub use read::OrderIndex;
pub use tx::{StoreRecord, Unreadable};

use std::io::Write;
use std::path::{Path, PathBuf};

/// The store's layout: which trees and indexes it keeps (records carry their own version, see
/// [`SCHEMA_VERSION`]). 2: `idx_order_word`. 3: `idx_customer_phone` keyed by libphonenumber's
/// reading of each number. 4: `manifests`, `idx_manifest_order`, `invoices` and
/// `idx_invoice_order` (new tables, empty in an older store, so raising it needs no build).
/// 5: a timeline record may hold the several entries of one change (an older orderdesk
/// reads one entry a record), and only an order that may run intake again keeps its parsed
/// shop order (opening an older store drops the others' once). An orderdesk refuses a store of a later layout, since writing there
/// without keeping its newer indexes would leave them stale, or reading it would misread.
pub const STORE_LAYOUT: u8 = 5;

/// What opening found of the store's layout.
enum Layout {
    /// Never opened: written at [`STORE_LAYOUT`], reaching the disk with the first flush.
    New,
    /// An older layout: raised once what it lacks is built.
    Older,
    Current,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the store in {dir} is held by another orderdesk process (pid {pid}); close that console or stop that sync or service, then try again"
    )]
    Locked { dir: String, pid: String },
    /// The engine's own lock is held (named with the directory as [`StoreError::Locked`]).
    #[error("the store is held by another process")]
    EngineLocked,
    #[error(
        "there is no store in {0}: the first import, sync or console makes one (or --data names another directory)"
    )]
    NoStore(String),
    #[error(
        "the disk holding the store is full ({0}): nothing of this change was saved; free some space, then run it again (what was saved before is kept)"
    )]
    DiskFull(String),
    #[error("{}", damaged_message(.dir, .what))]
    Damaged { dir: Option<String>, what: String },
    #[error("store: {0}")]
    Engine(String),
    #[error("store data is damaged: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Refused(String),
    #[error("store directory {0}: {1}")]
    Io(String, String),
}

fn damaged_message(dir: &Option<String>, what: &str) -> String {
    let dir = dir.as_deref().unwrap_or("the data directory");
    format!(
        "the store in {dir} is damaged ({what}): run `orderdesk check` to see what it holds; \
         if the store does not open, restore {dir} from your last backup"
    )
}

/// Whether an I/O error says the disk (or the user's quota) is full.
pub(crate) fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
        || e.kind() == std::io::ErrorKind::StorageFull
}

impl StoreError {
    /// The same error, naming the store's directory where it says "the data directory".
    fn in_dir(self, dir: &Path) -> StoreError {
        match self {
            StoreError::Damaged { dir: None, what } => StoreError::Damaged {
                dir: Some(dir.display().to_string()),
                what,
            },
            StoreError::EngineLocked => lock::held_by(dir),
            e => e,
        }
    }
}

/// The store's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(usize)]
pub(crate) enum T {
    Meta,
    Orders,
    Raw,
    OrderRemote,
    OrderName,
    OrderState,
    Pending,
    Timeline,
    Products,
    ProductSku,
    ProductName,
    ProductRemote,
    Customers,
    CustomerEmail,
    CustomerPhone,
    CustomerName,
    CustomerLink,
    LineMap,
    Runs,
    Stores,
    Unreadable,
    Oversold,
    Conflicts,
    ShopOrders,
    Outbox,
    OutboxOpen,
    StockBase,
    OutboxOrder,
    OrderWord,
    Manifests,
    ManifestOrder,
    Invoices,
    InvoiceOrder,
}

impl T {
    pub(crate) const COUNT: usize = 33;
    pub(crate) const ALL: [T; T::COUNT] = [
        T::Meta,
        T::Orders,
        T::Raw,
        T::OrderRemote,
        T::OrderName,
        T::OrderState,
        T::Pending,
        T::Timeline,
        T::Products,
        T::ProductSku,
        T::ProductName,
        T::ProductRemote,
        T::Customers,
        T::CustomerEmail,
        T::CustomerPhone,
        T::CustomerName,
        T::CustomerLink,
        T::LineMap,
        T::Runs,
        T::Stores,
        T::Unreadable,
        T::Oversold,
        T::Conflicts,
        T::ShopOrders,
        T::Outbox,
        T::OutboxOpen,
        T::StockBase,
        T::OutboxOrder,
        T::OrderWord,
        T::Manifests,
        T::ManifestOrder,
        T::Invoices,
        T::InvoiceOrder,
    ];
}

/// Each table's name in the engine, by [`T`].
pub(crate) const TABLE_NAMES: [&str; T::COUNT] = [
    "meta",
    "orders",
    "raw",
    "idx_order_remote",
    "idx_order_name",
    "idx_order_state",
    "idx_pending",
    "timeline",
    "products",
    "idx_product_sku",
    "idx_product_name",
    "idx_product_remote",
    "customers",
    "idx_customer_email",
    "idx_customer_phone",
    "idx_customer_name",
    "customer_links",
    "line_mappings",
    "sync_runs",
    "stores",
    "unreadable",
    "oversold",
    "conflicts",
    "shop_orders",
    "outbox",
    "idx_outbox_open",
    "stock_base",
    "idx_outbox_order",
    "idx_order_word",
    "manifests",
    "idx_manifest_order",
    "invoices",
    "idx_invoice_order",
];

/// An open store. Dropping it releases the lock.
pub struct Store {
    kv: kv::Kv,
    dir: PathBuf,
    /// The holder's lock on `orderdesk.lock` (see [`lock::Holder`]), released on drop.
    _holder: lock::Holder,
}

/// One table's entries and their bytes ([`Store::table_sizes`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableSize {
    pub name: &'static str,
    pub entries: u64,
    pub key_bytes: u64,
    pub value_bytes: u64,
}

/// Whether opening may make a new store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Make the store when the directory has none (imports, syncs, the console).
    OrCreate,
    /// Refuse a directory without a store (what only reads, or changes an order).
    Existing,
}

impl Store {
    /// Opens (or creates) the store in `dir`, taking its lock.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Self::open_as(dir, Open::OrCreate)
    }

    /// Opens the store in `dir`, taking its lock; with [`Open::Existing`] a directory without
    /// a store is refused ([`StoreError::NoStore`]) and nothing is written there. A new store
    /// gets [`Engine::for_new_store`].
    pub fn open_as(dir: &Path, how: Open) -> Result<Store, StoreError> {
        let shown = dir.display().to_string();
        if dir.exists() && !dir.is_dir() {
            return Err(StoreError::Io(
                shown,
                "this is a file, not a directory: give --data a directory".into(),
            ));
        }
        let engine = match (Engine::found_in(dir), how) {
            (Some(engine), _) => engine,
            (None, Open::Existing) => return Err(StoreError::NoStore(shown)),
            (None, Open::OrCreate) => Engine::for_new_store()?,
        };
        Self::open_with(dir, engine)
    }

    /// Opens the store in `dir` with `engine`, making one there if it has none.
    pub(crate) fn open_with(dir: &Path, engine: Engine) -> Result<Store, StoreError> {
        let shown = dir.display().to_string();
        std::fs::create_dir_all(dir).map_err(|e| io_error(&shown, e))?;
        let holder = lock::Holder::take(dir)?;
        Self::open_held(dir, engine, holder).map_err(|e| e.in_dir(dir))
    }

    fn open_held(dir: &Path, engine: Engine, holder: lock::Holder) -> Result<Store, StoreError> {
        let store = Store {
            kv: kv::Kv::open(dir, engine)?,
            dir: dir.to_path_buf(),
            _holder: holder,
        };
        let layout = store.check_layout()?;
        store.backfill_stock_base()?;
        store.backfill_outbox_order()?;
        store.backfill_order_words()?;
        store.backfill_customer_phones()?;
        store.backfill_kits()?;
        if matches!(layout, Layout::Older) {
            store.prune_shop_orders()?;
        }
        // Only now: a build cut short leaves the old layout, so it runs again next time.
        if !matches!(layout, Layout::Current) {
            store.write(|tx| tx.t(T::Meta).insert("schema", [STORE_LAYOUT]))?;
        }
        if matches!(layout, Layout::Older) {
            store.flush()?;
        }
        let _ = std::fs::write(dir.join("holder.pid"), format!("{}\n", std::process::id()));
        Ok(store)
    }

    /// The engine holding this store.
    pub fn engine(&self) -> Engine {
        self.kv.engine()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn tree(&self, t: T) -> kv::Table<'_> {
        self.kv.table(t)
    }

    /// Refuses a store of a later layout; says whether this one is new, older or current.
    fn check_layout(&self) -> Result<Layout, StoreError> {
        match self.tree(T::Meta).get("schema")?.as_deref() {
            None => Ok(Layout::New),
            Some([v]) if *v == STORE_LAYOUT => Ok(Layout::Current),
            Some([v]) if *v < STORE_LAYOUT => Ok(Layout::Older),
            Some(v) => Err(StoreError::Refused(format!(
                "the store in {} has layout {} and this orderdesk knows layouts up to {STORE_LAYOUT}: \
                 a newer orderdesk wrote it, and an older one would leave its indexes stale; \
                 run the newer orderdesk",
                self.dir.display(),
                v.iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join(".")
            ))),
        }
    }

    /// The layout the store is at (see [`STORE_LAYOUT`]); `None` before the first open.
    pub fn layout(&self) -> Result<Option<u8>, StoreError> {
        Ok(self
            .tree(T::Meta)
            .get("schema")?
            .and_then(|v| v.first().copied()))
    }

    /// Writes to disk what is still in memory (after operator actions and intake batches).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.kv.flush()?;
        crate::killpoint::here("store: after flush");
        Ok(())
    }

    /// Bulk loading on or off (see `kv::Kv::bulk_load`): for a fill or a copy that is redone
    /// whole if cut short, never for a store in use.
    pub fn bulk_load(&self, on: bool) -> Result<(), StoreError> {
        self.kv.bulk_load(on)
    }

    /// Holding writes on or off while bulk loading (see `kv::Kv::hold_writes`): a fill's
    /// many writes join one transaction until each flush.
    pub fn hold_writes(&self, on: bool) -> Result<(), StoreError> {
        self.kv.hold_writes(on)
    }

    /// Writes `status.json` atomically (a temporary file renamed over it).
    pub fn write_status_file(&self, json: &str) -> Result<(), StoreError> {
        write_atomic(&self.dir.join("status.json"), json.as_bytes())
            .map_err(|e| io_error(&self.dir.display().to_string(), e))
    }

    /// Gives the file's free pages back to the disk (see `kv::Kv::compact`); false when the
    /// engine had nothing to do. The store is the caller's alone while it runs.
    pub fn compact(&mut self) -> Result<bool, StoreError> {
        self.kv.compact()
    }

    /// How the store's file is used, where its engine says (redb).
    pub fn usage(&self) -> Result<Option<Usage>, StoreError> {
        self.kv.usage()
    }

    /// Each table's entries and the bytes of their keys and values (a walk over the store).
    pub fn table_sizes(&self) -> Result<Vec<TableSize>, StoreError> {
        let mut out = Vec::new();
        for t in T::ALL {
            let mut size = TableSize {
                name: TABLE_NAMES[t as usize],
                ..TableSize::default()
            };
            for kv in self.tree(t).iter() {
                let (k, v) = kv?;
                size.entries += 1;
                size.key_bytes += k.len() as u64;
                size.value_bytes += v.len() as u64;
            }
            out.push(size);
        }
        Ok(out)
    }

    /// On-disk size of the store, in bytes.
    pub fn size_on_disk(&self) -> u64 {
        self.kv.size_on_disk()
    }
}

/// Reads the `status.json` a holder keeps, for `status` while the store is held.
pub fn read_status_file(dir: &Path) -> std::io::Result<String> {
    std::fs::read_to_string(dir.join("status.json"))
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(tmp, path)
}

fn io_error(dir: &str, e: std::io::Error) -> StoreError {
    if is_disk_full(&e) {
        StoreError::DiskFull(e.to_string())
    } else {
        StoreError::Io(dir.to_string(), e.to_string())
    }
}
