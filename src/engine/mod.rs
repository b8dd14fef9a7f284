//! The one place that changes state: commands, queries and events (DESIGN.md §2).

pub mod view;

pub use view::*;

use std::sync::Arc;
use tokio::sync::broadcast;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Store(String),
    #[error("{0}")]
    Refused(String),
}

/// Cheap to clone; the console and the sync loop share one.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    events: broadcast::Sender<EngineEvent>,
    operator: String,
}

impl Engine {
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.inner.events.subscribe()
    }
    pub fn operator(&self) -> &str {
        &self.inner.operator
    }
    /// Counts kept as data changes.
    pub fn counts(&self) -> Counts {
        todo!()
    }
    /// The Pending pane's rows: orders needing action first (oldest first), then the other
    /// open orders; keyset paging over an index.
    pub fn pending_page(&self, _from: PageFrom, _limit: usize) -> Result<Vec<OrderRow>, EngineError> {
        todo!()
    }
    pub fn order_detail(&self, _id: u64) -> Result<Option<OrderDetail>, EngineError> {
        todo!()
    }
    /// Newest first.
    pub fn sync_runs(&self, _limit: usize) -> Result<Vec<SyncRun>, EngineError> {
        todo!()
    }
    pub fn sync_run(&self, _id: u64) -> Result<Option<SyncRun>, EngineError> {
        todo!()
    }
    /// Open problems, newest first.
    pub fn problems(&self) -> Result<Vec<Problem>, EngineError> {
        todo!()
    }
    pub fn stores(&self) -> Result<Vec<StoreInfo>, EngineError> {
        todo!()
    }
}
