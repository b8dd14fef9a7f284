//! Indexes added after stores were first written: built once when such a store is opened.

use super::codec::decode;
use super::{Store, StoreError, T};
use crate::domain::Order;

/// The `meta` key saying `idx_order_word` is complete (a build cut short starts over). Its
/// suffix moves when the entries an order gets change, so that older stores build it again:
/// `.2` dropped the stems of words shorter than three letters.
const ORDER_WORDS_BUILT: &str = "done:idx_order_word.2";

impl Store {
    /// Builds `idx_outbox_order` for a store written before it existed.
    pub(super) fn backfill_outbox_order(&self) -> Result<(), StoreError> {
        if !self.tree(T::OutboxOrder).is_empty() || self.tree(T::Outbox).is_empty() {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        for v in self.tree(T::Outbox).iter().values() {
            let item: crate::domain::outbox::OutboxItem = decode(&v?)?;
            batch.insert(super::tx::outbox_order_key(item.order_id, item.id), &[]);
        }
        self.tree(T::OutboxOrder).apply_batch(batch)?;
        Ok(())
    }

    /// Builds `idx_order_word` for a store written before it existed, in batches.
    pub(super) fn backfill_order_words(&self) -> Result<(), StoreError> {
        let meta = self.tree(T::Meta);
        if meta.get(ORDER_WORDS_BUILT)?.is_some() {
            return Ok(());
        }
        let (words, orders) = (self.tree(T::OrderWord), self.tree(T::Orders));
        if orders.is_empty() {
            // A new store: nothing to build. The mark reaches the disk with the first flush.
            words.clear()?;
            meta.insert(ORDER_WORDS_BUILT, &[1])?;
            return Ok(());
        }
        let started = std::time::Instant::now();
        words.clear()?;
        let mut batch = sled::Batch::default();
        let (mut queued, mut entries) = (0, 0u64);
        for v in orders.iter().values() {
            let o: Order = match decode(&v?) {
                Ok(o) => o,
                Err(e) => {
                    // `check` names it; the store still opens.
                    tracing::warn!("idx_order_word: an order does not read, left out: {e}");
                    continue;
                }
            };
            for k in super::tx::order_word_keys(&o) {
                batch.insert(k, &[]);
                queued += 1;
                entries += 1;
            }
            if queued >= 100_000 {
                // Flushed as it goes: sled keeps what is not yet on disk in memory.
                words.apply_batch(std::mem::take(&mut batch))?;
                self.flush()?;
                queued = 0;
            }
        }
        words.apply_batch(batch)?;
        meta.insert(ORDER_WORDS_BUILT, &[1])?;
        tracing::info!(
            entries,
            ms = started.elapsed().as_millis() as u64,
            "built idx_order_word for the orders already stored"
        );
        self.flush()
    }
}
