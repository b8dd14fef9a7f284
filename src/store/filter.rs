//! Reads for the console's filter: an order index walked with each order decoded only as far
//! as the caller needs (a few fields, not the whole record).

use super::codec::{decode, read_u64, u64_key};
use super::read::OrderIndex;
use super::tx::{WORD_IN_PENDING, WORD_IN_STATE, word_prefix};
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
        // `base` comes before every display key in the tree walked (a word's prefix).
        let (tree, base) = match &index {
            OrderIndex::Pending => (self.tree(T::Pending), vec![]),
            OrderIndex::State(_) => (self.tree(T::OrderState), vec![]),
            OrderIndex::PendingWord(stem) => {
                (self.tree(T::OrderWord), word_prefix(WORD_IN_PENDING, stem))
            }
            OrderIndex::StateWord(_, stem) => {
                (self.tree(T::OrderWord), word_prefix(WORD_IN_STATE, stem))
            }
        };
        // Display keys: `[rank] time id` (17 bytes) or `[state] time id`.
        let (lo, hi) = match &index {
            OrderIndex::Pending | OrderIndex::PendingWord(_) => (vec![], vec![0xff; 18]),
            OrderIndex::State(s) | OrderIndex::StateWord(s, _) => {
                (vec![s.code()], vec![s.code() + 1])
            }
        };
        let full = |k: &[u8]| [base.as_slice(), k].concat();
        let (lo, hi, after) = (full(&lo), full(&hi), after.map(full));
        let orders = self.tree(T::Orders);
        let mut out = Vec::with_capacity(limit.min(4096));
        let mut push = |k: sled::IVec| -> Result<bool, StoreError> {
            let id = read_u64(&k[k.len().saturating_sub(8)..]);
            if let Some(v) = orders.get(u64_key(id))? {
                out.push((k[base.len()..].to_vec(), decode::<R>(&v)?));
            }
            Ok(out.len() < limit)
        };
        if backwards {
            let end = after.unwrap_or(hi);
            for kv in tree.range(lo..end).rev() {
                if !push(kv?.0)? {
                    break;
                }
            }
            out.reverse();
        } else {
            let iter = match after {
                Some(a) => {
                    tree.range((std::ops::Bound::Excluded(a), std::ops::Bound::Excluded(hi)))
                }
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
