//! Shipping manifests: `manifests` (id -> manifest) and `idx_manifest_order` (order id ->
//! the open manifest holding it), kept in step in the same transaction.

use super::codec::{decode, read_u64, u64_key};
use super::kv::{Tx, TxError};
use super::{Store, StoreError, T};
use crate::domain::manifest::Manifest;

impl<'a> Tx<'a> {
    pub fn get_manifest(&self, id: u64) -> Result<Option<Manifest>, TxError> {
        self.get_rec(T::Manifests, &u64_key(id))
    }

    /// The open manifest holding an order, if one does.
    pub fn open_manifest_of(&self, order_id: u64) -> Result<Option<u64>, TxError> {
        Ok(self
            .t(T::ManifestOrder)
            .get(u64_key(order_id))?
            .map(|v| read_u64(&v)))
    }

    /// Writes a manifest; while it is open its orders point at it in `idx_manifest_order`,
    /// once shipped (or for an order taken off) they no longer do.
    pub fn put_manifest(&self, m: &Manifest) -> Result<(), TxError> {
        let id = u64_key(m.id);
        if let Some(old) = self.get_manifest(m.id)? {
            for o in &old.orders {
                if self.open_manifest_of(o.order_id)? == Some(m.id) {
                    self.t(T::ManifestOrder).remove(u64_key(o.order_id))?;
                }
            }
        }
        if m.is_open() {
            for o in &m.orders {
                self.t(T::ManifestOrder).insert(u64_key(o.order_id), id)?;
            }
        }
        self.put_rec(T::Manifests, &id, m)
    }
}

impl Store {
    pub fn manifest(&self, id: u64) -> Result<Option<Manifest>, StoreError> {
        match self.tree(T::Manifests).get(u64_key(id))? {
            Some(v) => Ok(Some(decode(&v)?)),
            None => Ok(None),
        }
    }

    /// Every manifest, newest first.
    pub fn manifests(&self) -> Result<Vec<Manifest>, StoreError> {
        self.tree(T::Manifests)
            .iter()
            .rev()
            .map(|kv| decode(&kv?.1))
            .collect()
    }

    /// The open manifest holding an order, if one does.
    pub fn open_manifest_of(&self, order_id: u64) -> Result<Option<u64>, StoreError> {
        Ok(self
            .tree(T::ManifestOrder)
            .get(u64_key(order_id))?
            .map(|v| read_u64(&v)))
    }
}
