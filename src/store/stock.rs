//! Product writes and the stock baseline.
//!
//! Stock is checked against the bookings with one extra number per product, its *baseline*
//! (tree `stock_base`, product id -> i64): the stock as last imported or edited, with every
//! sale and give-back excluded. It moves only when a product is created (baseline = its stock)
//! or when an import or an edit writes a different stock (baseline += new stock - old stock),
//! in the same transaction as that write. Bookings, refusals and cancellations change stock
//! only through [`Tx::adjust_stock`], which leaves the baseline alone and keeps what the order
//! holds in `Order::booked_stock` in the same transaction. So at every commit:
//!
//! `stock == baseline - Σ booked_stock of every order for that product`
//!
//! and `orderdesk check` recounts exactly that (src/store/check.rs).

use super::TxError;
use super::codec::{decode, read_u64};
use super::tx::{index_key, index_key2};
use super::{Store, StoreError, T, Tx};
use crate::domain::Product;
use crate::domain::limits::{MAX_STOCK, add_stock};
use std::collections::BTreeMap;

pub(crate) fn base_bytes(n: i64) -> [u8; 8] {
    n.to_be_bytes()
}

pub(crate) fn read_base(bytes: &[u8]) -> i64 {
    read_u64(bytes) as i64
}

impl<'a> Tx<'a> {
    pub fn get_product(&self, id: &str) -> Result<Option<Product>, TxError> {
        self.get_rec(T::Products, id.as_bytes())
    }

    /// Writes a product (an import, an edit, an acknowledgement) with its indexes; a change of
    /// stock here is a new count of the goods, so it moves the baseline by the same amount.
    pub fn put_product(&self, p: &Product) -> Result<(), TxError> {
        let old = self.get_product(&p.id)?;
        let base_key = p.id.as_bytes();
        let base = match (&old, self.t(T::StockBase).get(base_key)?) {
            (Some(old), Some(b)) => p
                .stock
                .checked_sub(old.stock)
                .and_then(|change| read_base(&b).checked_add(change))
                .ok_or_else(|| out_of_range(p, p.stock))?,
            _ => p.stock,
        };
        self.t(T::StockBase).insert(base_key, base_bytes(base))?;
        // A new product has no quantity the shops should hear yet (a catalog sync makes them
        // with none); a change of a known one's stock or components is news.
        let moved = old
            .as_ref()
            .is_some_and(|o| o.stock != p.stock || o.components != p.components);
        let kit_changed = old
            .as_ref()
            .map_or(p.is_kit(), |o| o.components != p.components);
        if kit_changed {
            self.index_kit(old.as_ref(), p)?;
        }
        self.write_product(old, p)?;
        if moved {
            self.queue_stock(p)?;
        }
        Ok(())
    }

    /// Changes a product's stock by a booking (negative) or a give-back (positive); going below
    /// zero by a sale flags it oversold. The baseline stays: the caller records the movement in
    /// the order's `booked_stock` in the same transaction.
    pub fn adjust_stock(&self, product_id: &str, delta: i64) -> Result<Option<Product>, TxError> {
        match self.get_product(product_id)? {
            Some(old) => self.adjust_product(old, delta).map(Some),
            None => Ok(None),
        }
    }

    /// `adjust_stock` of a product the caller read in this transaction (`old`).
    pub fn adjust_product(&self, old: Product, delta: i64) -> Result<Product, TxError> {
        let mut p = old.clone();
        p.stock = add_stock(old.stock, delta).ok_or_else(|| out_of_range(&old, delta))?;
        if delta < 0 && p.stock < 0 {
            p.oversold = true;
        }
        self.write_product(Some(old), &p)?;
        self.queue_stock(&p)?;
        Ok(p)
    }

    /// Removes a product, its index entries and its oversold mark (not its baseline: the
    /// caller moves or drops that).
    pub(super) fn remove_product(&self, p: &Product) -> Result<(), TxError> {
        self.swap_index_keys(&product_index_keys(p), &[], |_| vec![])?;
        self.t(T::Oversold).remove(p.id.as_bytes())?;
        self.t(T::Products).remove(p.id.as_bytes())
    }

    /// Writes a product and its SKU, name and remote-code indexes and the oversold flag; an
    /// index entry is touched only when what it indexes changed (a sale changes none).
    pub(super) fn write_product(&self, old: Option<Product>, p: &Product) -> Result<(), TxError> {
        let old_keys = old.as_ref().map(product_index_keys).unwrap_or_default();
        let new_keys = product_index_keys(p);
        self.swap_index_keys(&old_keys, &new_keys, |_| vec![])?;
        if old.as_ref().is_none_or(|o| o.oversold != p.oversold) {
            if p.oversold {
                self.t(T::Oversold).insert(p.id.as_bytes(), [])?;
            } else {
                self.t(T::Oversold).remove(p.id.as_bytes())?;
            }
        }
        self.put_rec(T::Products, p.id.as_bytes(), p)
    }
}

/// Refuses a stock movement that would leave the range stock may hold (never wraps around).
fn out_of_range(p: &Product, by: i64) -> TxError {
    TxError::Abort(StoreError::Refused(format!(
        "product {} ({}): stock {} changed by {by} would leave the range stock may hold (±{MAX_STOCK})",
        p.id, p.name, p.stock
    )))
}

/// A product's entries in the SKU, name and remote-code indexes.
fn product_index_keys(p: &Product) -> Vec<(T, Vec<u8>)> {
    let mut out = Vec::new();
    if !p.sku.trim().is_empty() {
        out.push((T::ProductSku, index_key(p.sku.trim(), &p.id)));
    }
    out.push((T::ProductName, index_key(p.name.trim(), &p.id)));
    for (store, code) in &p.remote_codes {
        out.push((T::ProductRemote, index_key2(store, code, &p.id)));
    }
    out
}

impl Store {
    /// A product's stock baseline (see the module docs), if it has one.
    pub fn stock_base(&self, id: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.tree(T::StockBase).get(id)?.map(|v| read_base(&v)))
    }

    /// A store written before baselines were kept gets them once, at open: each product's
    /// stock plus what its orders hold now (one atomic batch).
    pub(super) fn backfill_stock_base(&self) -> Result<(), StoreError> {
        if !self.tree(T::StockBase).is_empty()? || self.tree(T::Products).is_empty()? {
            return Ok(());
        }
        let mut held: BTreeMap<String, i64> = BTreeMap::new();
        for v in self.tree(T::Orders).iter().values() {
            let o: crate::domain::Order = decode(&v?)?;
            for (pid, qty) in o.booked_stock {
                *held.entry(pid).or_default() += qty;
            }
        }
        let mut bases = Vec::new();
        for v in self.tree(T::Products).iter().values() {
            let p: Product = decode(&v?)?;
            let base = p.stock + held.get(&p.id).copied().unwrap_or(0);
            bases.push((p.id, base_bytes(base)));
        }
        self.write(|tx| {
            for (id, base) in &bases {
                tx.t(T::StockBase).insert(id, base)?;
            }
            Ok(())
        })?;
        self.flush()
    }
}
