//! The one place that changes state: commands, queries and events (DESIGN.md §2).
//! The console and the sync loop both go through it; neither opens the store.

mod bulk;
mod catalog;
mod catalog_orders;
pub mod command;
mod commands;
pub mod filter;
mod import;
mod import_customers;
pub use import::{CUSTOMER_COLUMNS, PRODUCT_COLUMNS};
mod intake;
mod invoices;
mod kept;
mod manifests;
mod outbox;
pub mod pictures;
mod problems;
mod records;
mod runs;
mod status;
mod stock_push;
pub mod view;

pub use bulk::BulkOutcome;
pub use commands::{FormErrors, Merged, ProblemRef, ProductEdit};
pub use import::{ImportError, read_customers, read_products};
pub use intake::IntakeTally;
pub use invoices::InvoiceView;
pub use manifests::{ManifestDetail, shop_answer};
pub use outbox::Delivery;
use pictures::SyncPictures;
pub use problems::ProblemPage;
pub use view::*;

use crate::domain::intake::IntakeOptions;
use crate::store::{OrderIndex, Store, StoreError};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Refused(String),
    #[error("unknown store \"{0}\"")]
    UnknownStore(String),
    /// A form value refused, each field with its reason.
    #[error(transparent)]
    Form(#[from] FormErrors),
    #[error("{0} not found")]
    NotFound(String),
}

impl EngineError {
    /// A stable code for `--json` errors.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::Store(StoreError::Locked { .. }) => "locked",
            EngineError::Store(StoreError::NoStore(_)) => "no_store",
            EngineError::Store(StoreError::DiskFull(_)) => "disk_full",
            EngineError::Store(StoreError::Damaged { .. }) => "damaged",
            EngineError::Store(_) => "store",
            EngineError::Refused(_) => "refused",
            EngineError::UnknownStore(_) => "unknown_store",
            EngineError::Form(_) => "invalid",
            EngineError::NotFound(_) => "not_found",
        }
    }
}

/// What the engine needs to know of each configured store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSettings {
    pub id: String,
    pub platform: String,
    pub read_only: bool,
    /// How far back the first run reaches (days, by creation date).
    pub initial_days: u32,
    pub intake: IntakeOptions,
    /// Local carrier name -> this shop's carrier name; tracking is only sent for a mapped one.
    pub carriers: std::collections::BTreeMap<String, String>,
    /// The statuses the store maps (`[store.statuses]` over its platform's defaults); `None`
    /// for a platform without status names of its own (Shopify).
    pub statuses: Option<crate::domain::platform::StatusMap>,
    /// Its platform takes a free order note from orderdesk (the invoice number).
    pub order_notes: bool,
    /// Products met in its orders that the catalog lacks join it (`catalog_from_orders`).
    pub catalog_from_orders: bool,
}

/// An engine held without keeping it open ([`Engine::downgrade`]).
pub(crate) struct WeakEngine(std::sync::Weak<Inner>, Arc<str>);

impl WeakEngine {
    pub(crate) fn upgrade(&self) -> Option<Engine> {
        self.0.upgrade().map(|inner| Engine {
            inner,
            operator: self.1.clone(),
        })
    }
}

/// Cheap to clone; the console and the sync loop share one. Each handle acts for one
/// operator ([`Engine::as_operator`]): the name its timeline entries carry.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
    operator: Arc<str>,
}

struct Inner {
    store: Store,
    stores: Vec<StoreSettings>,
    events: broadcast::Sender<EngineEvent>,
    /// Writers take this, so a command's reads and its transaction see one state.
    write: Mutex<()>,
    status: status::StatusWriter,
    /// Loading in bulk (`bench-data`): writes reach disk at the loader's flushes only.
    bulk: std::sync::atomic::AtomicBool,
    /// Counts the events sent: what was computed at one count is still true at it.
    generation: std::sync::atomic::AtomicU64,
    /// The Sync log's pictures of the runs and the open problems, as of a generation.
    pictures: kept::Kept<SyncPictures>,
    problems: kept::Kept<std::sync::Arc<problems::Sections>>,
}

impl Engine {
    /// Opens the store in `dir` (taking its lock) for these stores.
    pub fn open(
        dir: &Path,
        operator: &str,
        stores: Vec<StoreSettings>,
    ) -> Result<Engine, EngineError> {
        Self::open_as(dir, crate::store::Open::OrCreate, operator, stores)
    }

    /// Opens the engine on the store in `dir`; with `Open::Existing` a directory without a
    /// store is refused and left as it was.
    pub fn open_as(
        dir: &Path,
        how: crate::store::Open,
        operator: &str,
        stores: Vec<StoreSettings>,
    ) -> Result<Engine, EngineError> {
        let store = Store::open_as(dir, how)?;
        let (events, _) = broadcast::channel(256);
        let engine = Engine {
            inner: Arc::new(Inner {
                store,
                stores,
                events,
                write: Mutex::new(()),
                status: status::StatusWriter::default(),
                bulk: std::sync::atomic::AtomicBool::new(false),
                generation: std::sync::atomic::AtomicU64::new(0),
                pictures: kept::Kept::default(),
                problems: kept::Kept::default(),
            }),
            operator: operator.into(),
        };
        engine.write_status(true);
        Ok(engine)
    }

    /// The store's data directory (where printed sheets go).
    pub fn data_dir(&self) -> &Path {
        self.store().dir()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    /// A hold on the engine that does not keep it (and its store's lock) alive.
    pub(crate) fn downgrade(&self) -> WeakEngine {
        WeakEngine(Arc::downgrade(&self.inner), self.operator.clone())
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.inner.write.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many events were sent: an answer read at one count holds until the next.
    pub(crate) fn generation(&self) -> u64 {
        (self.inner.generation).load(std::sync::atomic::Ordering::SeqCst)
    }

    pub(crate) fn emit(&self, e: EngineEvent) {
        (self.inner.generation).fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let _ = self.inner.events.send(e);
        self.write_status(false);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.inner.events.subscribe()
    }

    /// The operator this handle acts for (the config's `operator` for the one opened).
    pub fn operator(&self) -> &str {
        &self.operator
    }

    /// The same engine acting for `operator`: what it does carries that name.
    pub fn as_operator(&self, operator: &str) -> Engine {
        Engine {
            inner: self.inner.clone(),
            operator: operator.into(),
        }
    }

    pub fn settings(&self) -> &[StoreSettings] {
        &self.inner.stores
    }

    pub fn setting(&self, id: &str) -> Result<&StoreSettings, EngineError> {
        self.inner
            .stores
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| EngineError::UnknownStore(id.to_string()))
    }

    /// Writes what is still in memory to disk.
    pub fn flush(&self) -> Result<(), EngineError> {
        Ok(self.store().flush()?)
    }

    /// Waits for the write in flight to end (none starts while it waits) and flushes: the
    /// last thing a stopping service does.
    pub fn finish(&self) -> Result<(), EngineError> {
        let _g = self.lock();
        self.flush()
    }

    /// The store's size on disk, in bytes.
    pub fn size_on_disk(&self) -> u64 {
        self.store().size_on_disk()
    }

    /// Bulk loading (`bench-data`): commands and intake batches stop flushing one by one,
    /// and their writes join one transaction until the loader calls `flush`, which makes
    /// them durable. Never for a store in use.
    pub fn bulk_load(&self, on: bool) -> Result<(), EngineError> {
        self.inner
            .bulk
            .store(on, std::sync::atomic::Ordering::Relaxed);
        if on {
            self.store().bulk_load(true)?;
            self.store().hold_writes(true)?;
        } else {
            self.store().hold_writes(false)?;
            self.store().bulk_load(false)?;
        }
        Ok(())
    }

    /// The flush after an operator action, an intake batch or an answer from the shop.
    pub(crate) fn flush_step(&self) -> Result<(), EngineError> {
        if self.inner.bulk.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        self.flush()
    }

    /// Recounts every counter, index and stock level against the records (`orderdesk check`);
    /// see src/store/check.rs. Holds the engine lock so no command writes half-way through.
    pub fn check(&self) -> Result<crate::store::CheckReport, EngineError> {
        let _g = self.lock();
        Ok(self.store().check()?)
    }

    /// FOR TESTS ONLY: damages the store on purpose (see `Store::tamper_for_tests`).
    #[doc(hidden)]
    pub fn tamper_for_tests(
        &self,
        tree: &str,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<(), EngineError> {
        Ok(self.store().tamper_for_tests(tree, key, value)?)
    }

    /// Counts kept as data changes.
    pub fn counts(&self) -> Counts {
        self.store().counts().unwrap_or_default()
    }

    /// The Pending pane's rows: orders needing action first (oldest first), then the other
    /// open orders; keyset paging over an index.
    pub fn pending_page(&self, from: PageFrom, limit: usize) -> Result<Vec<OrderRow>, EngineError> {
        self.page(OrderIndex::Pending, from, limit)
    }

    /// Orders in one state, oldest first, by keyset paging.
    pub fn state_page(
        &self,
        state: crate::domain::OrderState,
        from: PageFrom,
        limit: usize,
    ) -> Result<Vec<OrderRow>, EngineError> {
        self.page(OrderIndex::State(state), from, limit)
    }

    fn page(
        &self,
        index: OrderIndex,
        from: PageFrom,
        limit: usize,
    ) -> Result<Vec<OrderRow>, EngineError> {
        let rows = match &from {
            PageFrom::Start => self.store().order_keys(index, None, false, limit)?,
            PageFrom::After(k) => self.store().order_keys(index, Some(&k.0), false, limit)?,
            PageFrom::Before(k) => self.store().order_keys(index, Some(&k.0), true, limit)?,
            PageFrom::End => self.store().order_keys(index, None, true, limit)?,
        };
        Ok(rows
            .into_iter()
            .map(|(key, o)| OrderRow::of(key, &o))
            .collect())
    }

    pub fn order_detail(&self, id: u64) -> Result<Option<OrderDetail>, EngineError> {
        let Some(order) = self.store().order(id)? else {
            return Ok(None);
        };
        let timeline = self.store().timeline(id)?;
        let outbox = self.store().order_outbox(id)?;
        Ok(Some(OrderDetail {
            order,
            timeline,
            outbox,
        }))
    }

    /// The order a `STORE:NAME` reference names.
    pub fn order_by_ref(&self, reference: &str) -> Result<Option<u64>, EngineError> {
        let Some((store, name)) = reference.split_once(':') else {
            return Err(EngineError::Refused(format!(
                "\"{reference}\" is not an order reference; write STORE:NAME, e.g. web:1042"
            )));
        };
        let store = self.store_id_as_kept(store.trim())?;
        Ok(self.store().order_by_name(&store, name.trim())?)
    }

    /// A store id as typed (`WEB`) in the case the store keeps it (`web`): references compare
    /// store ids case-insensitively (DESIGN.md §4). Configured stores first, then stores that
    /// synced once and have left the config; an unknown id comes back as typed.
    fn store_id_as_kept(&self, typed: &str) -> Result<String, EngineError> {
        let same = |id: &str| id.to_lowercase() == typed.to_lowercase();
        if let Some(s) = self.inner.stores.iter().find(|s| same(&s.id)) {
            return Ok(s.id.clone());
        }
        Ok(self
            .store()
            .store_records()?
            .into_iter()
            .map(|r| r.info.id)
            .find(|id| same(id))
            .unwrap_or_else(|| typed.to_string()))
    }

    /// Every stored order, sorted by store, creation time, remote id.
    pub fn all_orders(
        &self,
        state: Option<crate::domain::OrderState>,
    ) -> Result<Vec<crate::domain::Order>, EngineError> {
        let mut out = Vec::new();
        for o in self.store().all_orders() {
            let o = o?;
            if state.is_none_or(|s| s == o.state) {
                out.push(o);
            }
        }
        out.sort_by(|a, b| {
            (&a.store, a.created_at, remote_sort_key(&a.remote_id)).cmp(&(
                &b.store,
                b.created_at,
                remote_sort_key(&b.remote_id),
            ))
        });
        Ok(out)
    }
}

/// Remote ids compare as numbers when they are numbers.
fn remote_sort_key(id: &str) -> (usize, &str) {
    (id.len(), id)
}
