//! Indexes added after stores were first written: built once when such a store is opened.

use super::codec::decode;
use super::{Store, StoreError, T};
use crate::domain::Order;
use std::ops::Bound::{Excluded, Unbounded};

/// The `meta` key saying `idx_order_word` is complete (a build cut short starts over). Its
/// suffix moves when the entries an order gets change, so that older stores build it again:
/// `.2` dropped the stems of words shorter than three letters.
const ORDER_WORDS_BUILT: &str = "done:idx_order_word.2";

/// The `meta` key saying `idx_customer_phone` is keyed by the phone rules of this version
/// (libphonenumber's metadata, layout 3); a store written before is keyed by the old table.
const CUSTOMER_PHONES_BUILT: &str = "done:idx_customer_phone.3";

/// Entries written (or removed) between two flushes of a build at open. sled holds what a
/// batch writes in memory well past its flush: a build at open of a 100,000-order store peaked
/// at 1.8 GB of RSS with 100,000 entries a flush, 1.2 GB with 10,000 and 177 MB with 1,000
/// (23, 23 and 31 s).
const CHUNK: usize = 1_000;

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
        // What an older build left, removed in flushed chunks (a `clear` of millions of
        // entries would be held in memory).
        loop {
            let mut batch = sled::Batch::default();
            let mut n = 0;
            for k in words.iter().keys().take(CHUNK) {
                batch.remove(k?);
                n += 1;
            }
            if n == 0 {
                break;
            }
            words.apply_batch(batch)?;
            self.flush()?;
        }
        // Orders read a chunk at a time, each chunk from a new iterator after the last key
        // read, with its entries written and flushed before the next.
        let (mut after, mut entries) = (None::<sled::IVec>, 0u64);
        loop {
            let range = match &after {
                Some(k) => orders.range::<&[u8], _>((Excluded(k.as_ref()), Unbounded)),
                None => orders.iter(),
            };
            let mut batch = sled::Batch::default();
            let (mut read, mut queued) = (0, 0);
            for kv in range {
                let (k, v) = kv?;
                read += 1;
                match decode::<Order>(&v) {
                    Ok(o) => {
                        for w in super::tx::order_word_keys(&o) {
                            batch.insert(w, &[]);
                            queued += 1;
                        }
                    }
                    // `check` names it; the store still opens.
                    Err(e) => {
                        tracing::warn!("idx_order_word: an order does not read, left out: {e}")
                    }
                }
                after = Some(k);
                if queued >= CHUNK {
                    break;
                }
            }
            if read == 0 {
                break;
            }
            entries += queued as u64;
            words.apply_batch(batch)?;
            self.flush()?;
        }
        meta.insert(ORDER_WORDS_BUILT, &[1])?;
        tracing::info!(
            entries,
            ms = started.elapsed().as_millis() as u64,
            "built idx_order_word for the orders already stored"
        );
        self.flush()
    }

    /// Keys `idx_customer_phone` again by this version's phone rules, for a store written
    /// under the older ones (a number read differently now would be a stale entry that
    /// `check` names and matching misses). Customers are few beside orders: one pass, in
    /// flushed chunks.
    pub(super) fn backfill_customer_phones(&self) -> Result<(), StoreError> {
        let meta = self.tree(T::Meta);
        if meta.get(CUSTOMER_PHONES_BUILT)?.is_some() {
            return Ok(());
        }
        let (phones, customers) = (self.tree(T::CustomerPhone), self.tree(T::Customers));
        if customers.is_empty() {
            // A new store: nothing to key. The mark reaches the disk with the first flush.
            meta.insert(CUSTOMER_PHONES_BUILT, &[1])?;
            return Ok(());
        }
        {
            let old: Vec<sled::IVec> = phones.iter().keys().collect::<Result<_, _>>()?;
            for chunk in old.chunks(CHUNK) {
                let mut batch = sled::Batch::default();
                chunk.iter().for_each(|k| batch.remove(k.clone()));
                phones.apply_batch(batch)?;
            }
            let mut batch = sled::Batch::default();
            let mut queued = 0;
            for v in customers.iter().values() {
                match decode::<crate::domain::Customer>(&v?) {
                    Ok(c) => {
                        for (t, key) in super::tx::customer_index_keys(&c) {
                            if t == T::CustomerPhone {
                                batch.insert(key, &[]);
                                queued += 1;
                            }
                        }
                    }
                    Err(e) => tracing::warn!("idx_customer_phone: a customer does not read: {e}"),
                }
                if queued >= CHUNK {
                    phones.apply_batch(std::mem::take(&mut batch))?;
                    queued = 0;
                }
            }
            phones.apply_batch(batch)?;
        }
        meta.insert(CUSTOMER_PHONES_BUILT, &[1])?;
        self.flush()
    }
}
