//! Invoices: `invoices` (id -> invoice) and `idx_invoice_order` (order id -> its invoice). The
//! store's invoice counter (`meta` `next:invoice:STORE`) moves in the same transaction as the
//! invoice it numbers, so a crash leaves neither a gap nor a number used twice.

use super::codec::{decode, read_u64, u64_key};
use super::kv::{Tx, TxError};
use super::{Store, StoreError, T};
use crate::domain::invoice::Invoice;

impl<'a> Tx<'a> {
    pub fn get_invoice(&self, id: u64) -> Result<Option<Invoice>, TxError> {
        self.get_rec(T::Invoices, &u64_key(id))
    }

    pub fn invoice_of(&self, order_id: u64) -> Result<Option<u64>, TxError> {
        Ok(self
            .t(T::InvoiceOrder)
            .get(u64_key(order_id))?
            .map(|v| read_u64(&v)))
    }

    /// The next number in a store's invoice sequence (1, 2, …).
    pub fn next_invoice_seq(&self, store: &str) -> Result<u64, TxError> {
        self.next_id(&format!("invoice:{store}"))
    }

    pub fn put_invoice(&self, inv: &Invoice) -> Result<(), TxError> {
        self.t(T::InvoiceOrder)
            .insert(u64_key(inv.order_id), u64_key(inv.id))?;
        self.put_rec(T::Invoices, &u64_key(inv.id), inv)
    }
}

impl Store {
    pub fn invoice(&self, id: u64) -> Result<Option<Invoice>, StoreError> {
        match self.tree(T::Invoices).get(u64_key(id))? {
            Some(v) => Ok(Some(decode(&v)?)),
            None => Ok(None),
        }
    }

    /// Every invoice, oldest first.
    pub fn invoices(&self) -> Result<Vec<Invoice>, StoreError> {
        self.tree(T::Invoices)
            .iter()
            .map(|kv| decode(&kv?.1))
            .collect()
    }

    pub fn invoice_of(&self, order_id: u64) -> Result<Option<u64>, StoreError> {
        Ok(self
            .tree(T::InvoiceOrder)
            .get(u64_key(order_id))?
            .map(|v| read_u64(&v)))
    }
}
