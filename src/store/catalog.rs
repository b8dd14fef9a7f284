//! What a catalog sync keeps per store (in `meta`): where it stands ([`CatalogProgress`]) and,
//! for each product the shop gave in a pass, that pass's number, so the end of a complete
//! pass finds the products the shop no longer has.

use super::codec::{read_u64, u64_key};
use super::{Store, StoreError, T, Tx, TxError};
use crate::domain::catalog::CatalogProgress;

fn progress_key(store: &str) -> String {
    format!("catalog:{store}")
}

fn seen_key(store: &str, product_id: &str) -> Vec<u8> {
    let mut k = format!("catalog-seen:{store}").into_bytes();
    k.push(0);
    k.extend_from_slice(product_id.as_bytes());
    k
}

impl Store {
    /// Where store `store`'s catalog sync stands; `None` before its first.
    pub fn catalog_progress(&self, store: &str) -> Result<Option<CatalogProgress>, StoreError> {
        self.get_rec(T::Meta, progress_key(store).as_bytes())
    }

    /// The last pass of store `store`'s catalog sync that gave product `product_id`.
    pub fn catalog_seen(&self, store: &str, product_id: &str) -> Result<Option<u64>, StoreError> {
        Ok(self
            .tree(T::Meta)
            .get(seen_key(store, product_id))?
            .map(|v| read_u64(&v)))
    }
}

impl Tx<'_> {
    pub fn put_catalog_progress(&self, store: &str, p: &CatalogProgress) -> Result<(), TxError> {
        self.put_rec(T::Meta, progress_key(store).as_bytes(), p)
    }

    /// Records that pass `pass` of store `store`'s catalog gave product `product_id`.
    pub fn mark_catalog_seen(
        &self,
        store: &str,
        product_id: &str,
        pass: u64,
    ) -> Result<(), TxError> {
        self.t(T::Meta)
            .insert(seen_key(store, product_id), u64_key(pass))?;
        Ok(())
    }
}
