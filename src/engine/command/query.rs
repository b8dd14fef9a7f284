//! The reads the console and the subcommands ask for, as one serializable [`Query`], and
//! their answers. Any operator may read.

use crate::domain::manifest::Manifest;
use crate::domain::{Order, OrderState};
use crate::engine::filter::{FilterPage, OrderFilter};
use crate::engine::pictures::SyncPictures;
use crate::engine::{
    Counts, Engine, EngineError, InvoiceView, ManifestDetail, OrderDetail, OrderRow, PageFrom,
    ProblemPage, StoreInfo, SyncRun,
};
use serde::{Deserialize, Serialize};

/// One read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Query {
    /// The counts kept as data changes.
    Counts,
    /// `orderdesk status --json`'s document (DESIGN.md §4).
    Status,
    /// The order a `STORE:NAME` reference names.
    OrderByRef(String),
    /// The orders `:order NAME` means (a bare name tried in every store).
    FindOrder(String),
    OrderDetail(u64),
    /// Every stored order, or those in one state, sorted as `orders --json` lists them.
    Orders {
        state: Option<OrderState>,
    },
    /// The Pending pane's rows.
    Pending {
        from: PageFrom,
        limit: usize,
    },
    /// The newest sync runs, newest first, in brief: without the orders each touched and its
    /// error lines (a big run's are tens of thousands; `SyncRun(id)` gives them).
    SyncRuns {
        limit: usize,
    },
    /// The Pending pane under a filter.
    Filter {
        filter: OrderFilter,
        from: PageFrom,
        limit: usize,
    },
    /// Every order the pane shows (under its filter), `cap` at most.
    Matching {
        filter: Option<OrderFilter>,
        cap: usize,
    },
    SyncRun(u64),
    /// The Sync log's pictures.
    Pictures,
    /// The outbox's backlog alone: items waiting to be sent, and those that failed.
    OutboxCounts,
    /// A window on the open problems (the Errors pane): `limit` from the `from`th on.
    Problems {
        from: usize,
        limit: usize,
    },
    /// Every store that ever synced.
    Stores,
    Manifests,
    Manifest(u64),
    Invoices,
    /// The products that share a SKU, by SKU (the Duplicates view).
    Duplicates,
    /// Where a store's catalog sync stands (its last pass, complete or cut short).
    CatalogProgress(String),
    /// Every product, or those whose name, SKU or id holds `search` (`products --json`).
    Products {
        search: Option<String>,
    },
    /// One product by its id.
    Product(String),
    /// Every customer, or those `search` finds (`customers --json`).
    Customers {
        search: Option<String>,
    },
}

/// What a query answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryAnswer {
    Counts(Counts),
    Status(serde_json::Value),
    Order(Option<u64>),
    Found(Vec<(String, u64)>),
    Detail(Option<Box<OrderDetail>>),
    Orders(Vec<Order>),
    Rows(Vec<OrderRow>),
    Runs(Vec<SyncRun>),
    Filtered(FilterPage),
    Run(Option<SyncRun>),
    Pictures(SyncPictures),
    /// Items waiting to be sent, and those that failed.
    OutboxCounts((u64, u64)),
    Problems(ProblemPage),
    Stores(Vec<StoreInfo>),
    Manifests(Vec<Manifest>),
    Manifest(Option<Box<ManifestDetail>>),
    Invoices(Vec<InvoiceView>),
    Duplicates(Vec<(String, Vec<crate::domain::Product>)>),
    Catalog(Option<crate::domain::catalog::CatalogProgress>),
    Products(Vec<crate::domain::Product>),
    Product(Option<Box<crate::domain::Product>>),
    Customers(Vec<crate::domain::Customer>),
}

impl Engine {
    /// Answers one read.
    pub fn ask(&self, query: Query) -> Result<QueryAnswer, EngineError> {
        Ok(match query {
            Query::Counts => QueryAnswer::Counts(self.counts()),
            Query::Status => QueryAnswer::Status(self.status_json()?),
            Query::OrderByRef(r) => QueryAnswer::Order(self.order_by_ref(&r)?),
            Query::FindOrder(name) => QueryAnswer::Found(self.find_order(&name)?),
            Query::OrderDetail(id) => QueryAnswer::Detail(self.order_detail(id)?.map(Box::new)),
            Query::Orders { state } => QueryAnswer::Orders(self.all_orders(state)?),
            Query::Pending { from, limit } => QueryAnswer::Rows(self.pending_page(from, limit)?),
            Query::SyncRuns { limit } => {
                let mut runs = self.sync_runs(limit)?;
                for r in &mut runs {
                    r.touched = Vec::new();
                    r.error_lines = Vec::new();
                }
                QueryAnswer::Runs(runs)
            }
            Query::Filter {
                filter,
                from,
                limit,
            } => QueryAnswer::Filtered(self.filter_page(&filter, from, limit)?),
            Query::Matching { filter, cap } => {
                QueryAnswer::Rows(self.matching_orders(filter.as_ref(), cap)?)
            }
            Query::SyncRun(id) => QueryAnswer::Run(self.sync_run(id)?),
            Query::Pictures => QueryAnswer::Pictures(self.sync_pictures()?),
            Query::OutboxCounts => QueryAnswer::OutboxCounts(self.outbox_counts()?),
            Query::Problems { from, limit } => {
                QueryAnswer::Problems(self.problem_page(from, limit)?)
            }
            Query::Stores => QueryAnswer::Stores(self.stores()?),
            Query::Manifests => QueryAnswer::Manifests(self.manifests()?),
            Query::Manifest(id) => QueryAnswer::Manifest(self.manifest_detail(id)?.map(Box::new)),
            Query::Invoices => QueryAnswer::Invoices(self.invoices()?),
            Query::Duplicates => QueryAnswer::Duplicates(self.duplicate_skus()?),
            Query::CatalogProgress(store) => QueryAnswer::Catalog(self.catalog_progress(&store)?),
            Query::Products { search } => QueryAnswer::Products(self.products(search.as_deref())?),
            Query::Product(id) => QueryAnswer::Product(self.product(&id)?.map(Box::new)),
            Query::Customers { search } => {
                QueryAnswer::Customers(self.customers(search.as_deref())?)
            }
        })
    }

    /// The orders `:order NAME` means: `STORE:NAME` names one; a bare name is tried in every
    /// configured store. Each found as `(STORE:NAME, local id)`.
    pub fn find_order(&self, name: &str) -> Result<Vec<(String, u64)>, EngineError> {
        let name = name.trim().trim_start_matches('#');
        if name.contains(':') {
            return Ok(self
                .order_by_ref(name)?
                .map(|id| (name.to_string(), id))
                .into_iter()
                .collect());
        }
        let mut out = Vec::new();
        for s in self.settings() {
            let reference = format!("{}:{name}", s.id);
            if let Some(id) = self.order_by_ref(&reference)? {
                out.push((reference, id));
            }
        }
        Ok(out)
    }
}
