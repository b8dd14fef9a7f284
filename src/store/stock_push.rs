//! Stock levels for the shops, queued in the same transaction as the change that moves them
//! (a booking, a give-back, an import or an edit of stock): for the product and every kit it
//! is a component of, its available quantity (`Product::available`) for each store it has a
//! remote code for, one entry per product and store in `meta` (`stockq:STORE\0PRODUCT`), a
//! newer quantity replacing the one queued before. The kits a product is part of are kept as
//! one list per component (`kits-of:PRODUCT`), written with the kit.

use super::codec::decode;
use super::{Store, StoreError, T, Tx, TxError};
use crate::domain::Product;
use crate::domain::outbox::QueuedStock;

/// Set once every kit written before the `kits-of` lists were kept has its entries.
const KITS_INDEXED: &str = "kits-of:indexed";

fn queue_prefix(store: &str) -> Vec<u8> {
    let mut k = format!("stockq:{store}").into_bytes();
    k.push(0);
    k
}

fn queue_key(store: &str, product_id: &str) -> Vec<u8> {
    let mut k = queue_prefix(store);
    k.extend_from_slice(product_id.as_bytes());
    k
}

fn kits_key(component: &str) -> String {
    format!("kits-of:{component}")
}

impl Tx<'_> {
    fn kits_of(&self, component: &str) -> Result<Vec<String>, TxError> {
        Ok(self
            .get_rec(T::Meta, kits_key(component).as_bytes())?
            .unwrap_or_default())
    }

    /// Keeps the `kits-of` lists of `kit`'s components as they are now (`old`: as before).
    pub(super) fn index_kit(&self, old: Option<&Product>, kit: &Product) -> Result<(), TxError> {
        let before: Vec<&str> = old
            .map(|o| o.components.iter().map(|(c, _)| c.as_str()).collect())
            .unwrap_or_default();
        let now: Vec<&str> = kit.components.iter().map(|(c, _)| c.as_str()).collect();
        for c in before.iter().filter(|c| !now.contains(c)) {
            let mut kits = self.kits_of(c)?;
            kits.retain(|k| *k != kit.id);
            self.put_rec(T::Meta, kits_key(c).as_bytes(), &kits)?;
        }
        for c in now.iter().filter(|c| !before.contains(c)) {
            let mut kits = self.kits_of(c)?;
            if !kits.contains(&kit.id) {
                kits.push(kit.id.clone());
                self.put_rec(T::Meta, kits_key(c).as_bytes(), &kits)?;
            }
        }
        Ok(())
    }

    fn available(&self, p: &Product) -> Result<i64, TxError> {
        let mut stock = std::collections::HashMap::new();
        for (c, _) in &p.components {
            if let Some(found) = self.get_product(c)? {
                stock.insert(c.clone(), found.stock);
            }
        }
        Ok(p.available(|id| stock.get(id).copied()))
    }

    /// Queues the available quantity of `p` (as written in this transaction) and of every
    /// kit it is part of, for each store that sells them.
    pub(super) fn queue_stock(&self, p: &Product) -> Result<(), TxError> {
        let mut affected = vec![p.clone()];
        for kit in self.kits_of(&p.id)? {
            if let Some(k) = self.get_product(&kit)? {
                affected.push(k);
            }
        }
        for a in affected.iter().filter(|a| !a.remote_codes.is_empty()) {
            // What can be sold: an oversold product has none.
            let quantity = self.available(a)?.max(0);
            for (store, code) in &a.remote_codes {
                let item = QueuedStock {
                    product_id: a.id.clone(),
                    sku: a.sku.clone(),
                    remote_id: code.clone(),
                    parent: a.remote_parents.get(store).cloned(),
                    quantity,
                    seq: self.next_id("stock")?,
                    queued_at: chrono::Utc::now(),
                };
                self.put_rec(T::Meta, &queue_key(store, &a.id), &item)?;
            }
        }
        Ok(())
    }

    /// Drops what the shop of `store` took, unless a newer quantity was queued meanwhile.
    pub fn stock_sent(&self, store: &str, sent: &[QueuedStock]) -> Result<(), TxError> {
        for s in sent {
            let key = queue_key(store, &s.product_id);
            let now: Option<QueuedStock> = self.get_rec(T::Meta, &key)?;
            if now.is_some_and(|n| n.seq == s.seq) {
                self.t(T::Meta).remove(key)?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// The quantities waiting for `store`, oldest queued first.
    pub fn queued_stock(&self, store: &str) -> Result<Vec<QueuedStock>, StoreError> {
        let mut out: Vec<QueuedStock> = Vec::new();
        for kv in self.tree(T::Meta).scan_prefix(queue_prefix(store)) {
            out.push(decode(&kv?.1)?);
        }
        out.sort_by_key(|q| q.seq);
        Ok(out)
    }

    /// A store whose kits were written before their components' lists were kept gets them
    /// once, at open.
    pub(super) fn backfill_kits(&self) -> Result<(), StoreError> {
        if self.tree(T::Meta).get(KITS_INDEXED)?.is_some() {
            return Ok(());
        }
        let mut kits = Vec::new();
        for v in self.tree(T::Products).iter().values() {
            let p: Product = decode(&v?)?;
            if p.is_kit() {
                kits.push(p);
            }
        }
        self.write(|tx| {
            for k in &kits {
                tx.index_kit(None, k)?;
            }
            tx.t(T::Meta).insert(KITS_INDEXED, [1])
        })?;
        Ok(())
    }
}
