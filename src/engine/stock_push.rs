//! The stock levels queued for the shops (`store::stock_push`), as the sync's worker takes
//! them: a read-only store's are dropped, never sent; what a shop took is removed unless a
//! newer quantity was queued while it was on its way.

use super::{Engine, EngineError};
use crate::domain::outbox::QueuedStock;

impl Engine {
    /// The quantities waiting for `store`, oldest first (none for a read-only store: what was
    /// queued for it is dropped).
    pub fn queued_stock(&self, store: &str) -> Result<Vec<QueuedStock>, EngineError> {
        let read_only = self.setting(store)?.read_only;
        let queued = self.store().queued_stock(store)?;
        if read_only && !queued.is_empty() {
            tracing::info!(
                store,
                n = queued.len(),
                "stock not sent: the store is read-only"
            );
            self.stock_delivered(store, &queued)?;
            return Ok(Vec::new());
        }
        Ok(queued)
    }

    /// Removes `sent` from what waits for `store` (each unless a newer quantity came).
    pub fn stock_delivered(&self, store: &str, sent: &[QueuedStock]) -> Result<(), EngineError> {
        let _g = self.lock();
        self.store().write(|tx| tx.stock_sent(store, sent))?;
        drop(_g);
        self.flush_step()
    }
}
