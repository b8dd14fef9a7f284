//! Reads for the console's filter: an order index walked with each order decoded only as far
//! as the caller needs (a few fields, not the whole record).

use super::codec::{decode, read_u64, u64_key};
use super::read::OrderIndex;
use super::{Store, StoreError, T};
use serde::de::DeserializeOwned;

impl Store {
    /// Like [`Store::order_keys`], but each order decoded as `R` (any subset of its fields).
    pub fn order_index_records<R: DeserializeOwned>(
        &self,
        index: OrderIndex,
        after: Option<&[u8]>,
        backwards: bool,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, R)>, StoreError> {
        let (tree, lo, hi): (&sled::Tree, Vec<u8>, Vec<u8>) = match index {
            OrderIndex::Pending => (self.tree(T::Pending), vec![], vec![0xff; 17]),
            OrderIndex::State(s) => (self.tree(T::OrderState), vec![s.code()], vec![s.code() + 1]),
        };
        let orders = self.tree(T::Orders);
        let mut out = Vec::with_capacity(limit.min(4096));
        let mut push = |k: sled::IVec| -> Result<bool, StoreError> {
            let id = read_u64(&k[k.len().saturating_sub(8)..]);
            if let Some(v) = orders.get(u64_key(id))? {
                out.push((k.to_vec(), decode::<R>(&v)?));
            }
            Ok(out.len() < limit)
        };
        if backwards {
            let end = after.map(|a| a.to_vec()).unwrap_or(hi);
            for kv in tree.range(lo..end).rev() {
                if !push(kv?.0)? {
                    break;
                }
            }
            out.reverse();
        } else {
            let iter = match after {
                Some(a) => tree.range((
                    std::ops::Bound::Excluded(a.to_vec()),
                    std::ops::Bound::Excluded(hi),
                )),
                None => tree.range(lo..hi),
            };
            for kv in iter {
                if !push(kv?.0)? {
                    break;
                }
            }
        }
        Ok(out)
    }
}
