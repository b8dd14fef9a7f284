//! Reads for the console's filter: an order index walked with each order decoded only as far
//! as the caller needs (a few fields, not the whole record).

use super::codec::{decode, read_u64, u64_key};
use super::read::OrderIndex;
use super::tx::{DISPLAY_KEY, WORD_IN_PENDING, WORD_IN_STATE, pending_rank, word_prefix};
use super::{Store, StoreError, T};
use serde::de::DeserializeOwned;
use std::ops::Bound::{Excluded, Included};

impl Store {
    /// Like [`Store::order_keys`], but each order decoded as `R` (any subset of its fields).
    pub fn order_index_records<R: DeserializeOwned>(
        &self,
        index: OrderIndex,
        after: Option<&[u8]>,
        backwards: bool,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, R)>, StoreError> {
        let mut out = Vec::with_capacity(limit.min(4096));
        if limit > 0 {
            self.visit_order_index(index, after, backwards, |k, entry| {
                if let Some(r) = entry.order()? {
                    out.push((k, r));
                }
                Ok(out.len() < limit)
            })?;
        }
        if backwards {
            out.reverse();
        }
        Ok(out)
    }

    /// Walks an order index from `after` (excluded; the start or the end when `None`), nearest
    /// first, handing `visit` each display key and its stored order, for as long as `visit`
    /// answers true: an order is fetched only when the walk gets to it, and decoded only as
    /// far as `visit` asks.
    pub fn visit_order_index(
        &self,
        index: OrderIndex,
        after: Option<&[u8]>,
        backwards: bool,
        mut visit: impl FnMut(Vec<u8>, IndexEntry<'_>) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        // `base` comes before every display key in the tree walked (a word's prefix). An open
        // state's words are stored under its Pending rank: the first byte of each key is then
        // the rank in the tree and the state code on the way out (the rest is the same
        // `time id`, in the same order).
        let (tree, base, first) = match &index {
            OrderIndex::Pending => (self.tree(T::Pending), vec![], None),
            OrderIndex::State(_) => (self.tree(T::OrderState), vec![], None),
            OrderIndex::PendingWord(stem) => (
                self.tree(T::OrderWord),
                word_prefix(WORD_IN_PENDING, stem),
                None,
            ),
            OrderIndex::StateWord(s, stem) if s.is_open() => (
                self.tree(T::OrderWord),
                word_prefix(WORD_IN_PENDING, stem),
                Some((pending_rank(*s), s.code())),
            ),
            OrderIndex::StateWord(_, stem) => (
                self.tree(T::OrderWord),
                word_prefix(WORD_IN_STATE, stem),
                None,
            ),
        };
        // The range walked, in the tree's keys: `[rank] time id` (17 bytes) or `[state] time id`.
        let (lo, hi) = match (&index, first) {
            (_, Some((rank, _))) => (vec![rank], vec![rank + 1]),
            (OrderIndex::Pending | OrderIndex::PendingWord(_), _) => (vec![], vec![0xff; 18]),
            (OrderIndex::State(s) | OrderIndex::StateWord(s, _), _) => {
                (vec![s.code()], vec![s.code() + 1])
            }
        };
        let (lo, hi) = (
            [base.as_slice(), &lo].concat(),
            [base.as_slice(), &hi].concat(),
        );
        let with_first = |k: &[u8], b: u8| match k.split_first() {
            Some((_, rest)) => [&[b], rest].concat(),
            None => vec![],
        };
        let full = |k: &[u8]| match first {
            Some((rank, _)) => [base.as_slice(), &with_first(k, rank)].concat(),
            None => [base.as_slice(), k].concat(),
        };
        let shown = |k: &[u8]| match first {
            Some((_, state)) => with_first(k, state),
            None => k.to_vec(),
        };
        let orders = self.tree(T::Orders);
        let mut push = |k: Vec<u8>| -> Result<bool, StoreError> {
            // `base display [words]`; an entry too short to hold a display key is not one
            // this version wrote (`check` names it): passed over.
            let Some(display) = k.get(base.len()..base.len() + DISPLAY_KEY) else {
                return Ok(true);
            };
            let id = read_u64(&display[DISPLAY_KEY - 8..]);
            let entry = IndexEntry {
                words: k
                    .get(base.len() + DISPLAY_KEY..)
                    .filter(|_| !base.is_empty()),
                orders: &orders,
                id,
                fetched: std::cell::OnceCell::new(),
            };
            visit(shown(display), entry)
        };
        if backwards {
            let end = after.map(full).unwrap_or(hi);
            for kv in tree.range((Included(lo), Excluded(end))).rev() {
                if !push(kv?.0)? {
                    break;
                }
            }
        } else {
            // Past every entry of the display key `after` (its words follow it in the tree).
            let iter = match after.map(full) {
                Some(mut a) => {
                    a.push(0xff);
                    tree.range((Excluded(a), Excluded(hi)))
                }
                None => tree.range((Included(lo), Excluded(hi))),
            };
            for kv in iter {
                if !push(kv?.0)? {
                    break;
                }
            }
        }
        Ok(())
    }
}

/// One entry of an order index met by a walk: the order's words of the walked stem (a words
/// index), and the order itself, fetched only when asked for, once.
pub struct IndexEntry<'a> {
    words: Option<&'a [u8]>,
    orders: &'a super::kv::Table<'a>,
    id: u64,
    fetched: std::cell::OnceCell<Option<Vec<u8>>>,
}

impl IndexEntry<'_> {
    /// The order's words of the stem walked (folded), when the index is the words index.
    pub fn words(&self) -> Option<impl Iterator<Item = &str>> {
        let words = self.words?;
        Some(
            words
                .split(|b| *b == 0)
                .skip(1)
                .filter_map(|w| std::str::from_utf8(w).ok()),
        )
    }

    /// The order, decoded as `R` (any subset of its fields); `None` when the index names an
    /// order the store does not have (`check` names that).
    pub fn order<R: DeserializeOwned>(&self) -> Result<Option<R>, StoreError> {
        if self.fetched.get().is_none() {
            let v = self.orders.get(u64_key(self.id))?;
            let _ = self.fetched.set(v);
        }
        match self.fetched.get() {
            Some(Some(v)) => Ok(Some(decode(v)?)),
            _ => Ok(None),
        }
    }
}
