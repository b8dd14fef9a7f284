//! Indexes added after stores were first written: built once when such a store is opened.

use super::codec::{decode, read_u64};
use super::{Store, StoreError, T};
use crate::domain::{Order, OrderState};
use std::ops::Bound::{Excluded, Unbounded};

/// The `meta` key saying `idx_order_word` is complete (a build cut short starts over). Its
/// suffix moves when the entries an order gets change, so that older stores build it again:
/// `.2` dropped the stems of words shorter than three letters; `.3` ends each entry with the
/// order's words of its stem.
pub(crate) const ORDER_WORDS_BUILT: &str = "done:idx_order_word.3";

/// The `meta` key saying `idx_customer_phone` is keyed by the phone rules of this version
/// (libphonenumber's metadata, layout 3); a store written before is keyed by the old table.
const CUSTOMER_PHONES_BUILT: &str = "done:idx_customer_phone.3";

/// Entries written (or removed) in one transaction of a build at open. sled holds what a
/// batch writes in memory well past its flush: a build at open of a 100,000-order store peaked
/// at 1.8 GB of RSS with 100,000 entries a flush, 1.2 GB with 10,000 and 177 MB with 1,000
/// (23, 23 and 31 s).
const CHUNK: usize = 1_000;

/// What a build writes in one transaction: a key set (with an empty value) or removed.
enum Change {
    Put(Vec<u8>),
    Remove(Vec<u8>),
}

impl Store {
    /// Writes `changes` to table `t` in one transaction, then flushes.
    fn apply(&self, t: T, changes: Vec<Change>) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        self.write_changes(t, &changes)?;
        self.flush()
    }

    /// Writes `changes` to table `t` in one transaction.
    fn write_changes(&self, t: T, changes: &[Change]) -> Result<(), StoreError> {
        self.write(|tx| {
            for c in changes {
                match c {
                    Change::Put(k) => tx.t(t).insert(k, [])?,
                    Change::Remove(k) => tx.t(t).remove(k)?,
                }
            }
            Ok(())
        })
    }

    /// Drops the shop's orders as read kept beside orders that will not run intake again
    /// (layout 5 keeps them only for parked and rejected orders; a store of an older layout
    /// kept one for every order), a chunk a transaction. Run while the layout is older, so a
    /// prune cut short runs again at the next open. Each order's state is read from the keys
    /// of the state index (`code time id`), no order decoded; the chunks are made durable
    /// a few at a time.
    pub(super) fn prune_shop_orders(&self) -> Result<(), StoreError> {
        // Ids under a state that will not run intake again, and under one that will (an id
        // under both, a stale entry, keeps its copy).
        let (mut settled, mut open) = (Vec::new(), Vec::new());
        for k in self.tree(T::OrderState).iter().keys() {
            let k = k?;
            let Some(id) = k.len().checked_sub(8).map(|at| read_u64(&k[at..])) else {
                continue;
            };
            match k.first().and_then(|c| OrderState::from_code(*c)) {
                Some(s) if !s.reruns_intake() => settled.push(id),
                _ => open.push(id),
            }
        }
        settled.sort_unstable();
        open.sort_unstable();
        let mut gone = Vec::new();
        for k in self.tree(T::ShopOrders).iter().keys() {
            let k = k?;
            let id = read_u64(&k);
            if settled.binary_search(&id).is_ok() && open.binary_search(&id).is_err() {
                gone.push(Change::Remove(k));
            }
        }
        drop((settled, open));
        // Pages a commit frees are reused only after a durable one: on redb one every 50
        // chunks keeps the file from growing by the copies (a million-order store grew 4 %
        // without). sled holds what it writes in memory until a flush: one every chunk.
        let every = match self.engine() {
            super::Engine::Sled => 1,
            _ => 50,
        };
        self.bulk_load(true)?;
        let done = gone.chunks(CHUNK).enumerate().try_for_each(|(n, chunk)| {
            self.write_changes(T::ShopOrders, chunk)?;
            match n % every == every - 1 {
                true => self.flush(),
                false => Ok(()),
            }
        });
        let off = self.bulk_load(false);
        done.and(off)
    }

    fn mark_built(&self, mark: &str) -> Result<(), StoreError> {
        self.write(|tx| tx.t(T::Meta).insert(mark, [1]))?;
        self.flush()
    }

    /// Builds `idx_outbox_order` for a store written before it existed.
    pub(super) fn backfill_outbox_order(&self) -> Result<(), StoreError> {
        if !self.tree(T::OutboxOrder).is_empty()? || self.tree(T::Outbox).is_empty()? {
            return Ok(());
        }
        let mut changes = Vec::new();
        for v in self.tree(T::Outbox).iter().values() {
            let item: crate::domain::outbox::OutboxItem = decode(&v?)?;
            changes.push(Change::Put(super::tx::outbox_order_key(
                item.order_id,
                item.id,
            )));
        }
        self.apply(T::OutboxOrder, changes)
    }

    /// Builds `idx_order_word` for a store written before it existed, in batches.
    pub(super) fn backfill_order_words(&self) -> Result<(), StoreError> {
        let meta = self.tree(T::Meta);
        if meta.get(ORDER_WORDS_BUILT)?.is_some() {
            return Ok(());
        }
        let (words, orders) = (self.tree(T::OrderWord), self.tree(T::Orders));
        // What an older build left, removed in chunks (removing millions of entries at once
        // would be held in memory).
        loop {
            let old: Vec<Change> = words
                .iter()
                .keys()
                .take(CHUNK)
                .map(|k| k.map(Change::Remove))
                .collect::<Result<_, _>>()?;
            if old.is_empty() {
                break;
            }
            self.apply(T::OrderWord, old)?;
        }
        if orders.is_empty()? {
            // A new store: nothing to build.
            return self.mark_built(ORDER_WORDS_BUILT);
        }
        let started = std::time::Instant::now();
        // Orders read a chunk at a time, each chunk from a new walk after the last key read,
        // with its entries written before the next.
        let (mut after, mut entries) = (None::<Vec<u8>>, 0u64);
        loop {
            let range = match &after {
                Some(k) => orders.range((Excluded(k.clone()), Unbounded)),
                None => orders.iter(),
            };
            let mut changes = Vec::new();
            let mut read = 0;
            for kv in range {
                let (k, v) = kv?;
                read += 1;
                match decode::<Order>(&v) {
                    Ok(o) => {
                        changes.extend(super::tx::order_word_keys(&o).into_iter().map(Change::Put))
                    }
                    // `check` names it; the store still opens.
                    Err(e) => {
                        tracing::warn!("idx_order_word: an order does not read, left out: {e}")
                    }
                }
                after = Some(k);
                if changes.len() >= CHUNK {
                    break;
                }
            }
            if read == 0 {
                break;
            }
            entries += changes.len() as u64;
            self.apply(T::OrderWord, changes)?;
        }
        self.mark_built(ORDER_WORDS_BUILT)?;
        tracing::info!(
            entries,
            ms = started.elapsed().as_millis() as u64,
            "built idx_order_word for the orders already stored"
        );
        Ok(())
    }

    /// Keys `idx_customer_phone` again by this version's phone rules, for a store written
    /// under the older ones (a number read differently now would be a stale entry that
    /// `check` names and matching misses). Customers are few beside orders: one pass, in
    /// chunks.
    pub(super) fn backfill_customer_phones(&self) -> Result<(), StoreError> {
        let meta = self.tree(T::Meta);
        if meta.get(CUSTOMER_PHONES_BUILT)?.is_some() {
            return Ok(());
        }
        let (phones, customers) = (self.tree(T::CustomerPhone), self.tree(T::Customers));
        if !customers.is_empty()? {
            let old: Vec<Vec<u8>> = phones.iter().keys().collect::<Result<_, _>>()?;
            for chunk in old.chunks(CHUNK) {
                self.apply(
                    T::CustomerPhone,
                    chunk.iter().cloned().map(Change::Remove).collect(),
                )?;
            }
            let mut changes = Vec::new();
            for v in customers.iter().values() {
                match decode::<crate::domain::Customer>(&v?) {
                    Ok(c) => changes.extend(
                        super::tx::customer_index_keys(&c)
                            .into_iter()
                            .filter(|(t, _)| *t == T::CustomerPhone)
                            .map(|(_, key)| Change::Put(key)),
                    ),
                    Err(e) => tracing::warn!("idx_customer_phone: a customer does not read: {e}"),
                }
                if changes.len() >= CHUNK {
                    self.apply(T::CustomerPhone, std::mem::take(&mut changes))?;
                }
            }
            self.apply(T::CustomerPhone, changes)?;
        }
        self.mark_built(CUSTOMER_PHONES_BUILT)
    }
}
