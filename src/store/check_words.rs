//! `check` of `idx_order_word`, and the sum every index tree is first compared by: the records'
//! entries and the tree's by their number and a sum of their hashes (in any order, in constant
//! memory, so a million-order store is checked without holding its indexes); only when those
//! differ are they compared entry by entry, to name each difference.

use super::check::{CheckReport, Expected, expect};
use super::codec::decode;
use super::tx::order_word_keys;
use super::{Store, StoreError, T};
use crate::domain::Order;
use std::hash::{DefaultHasher, Hash, Hasher};

/// How many entries, and the wrapping sum of their hashes: equal for equal sets of entries,
/// in whatever order they were added.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sum {
    count: u64,
    sum: u64,
}

impl Sum {
    pub(super) fn add(&mut self, key: &[u8], value: &[u8]) {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        value.hash(&mut h);
        self.count += 1;
        self.sum = self.sum.wrapping_add(h.finish());
    }

    pub(super) fn count(&self) -> u64 {
        self.count
    }

    /// Adds the `idx_order_word` entries `order` should have.
    pub(super) fn add_order(&mut self, order: &Order) {
        for k in order_word_keys(order) {
            self.add(&k, &[]);
        }
    }
}

impl Store {
    /// Compares `idx_order_word` with `expected`, the sum over every order that reads.
    pub(super) fn check_order_words(
        &self,
        expected: Sum,
        r: &mut CheckReport,
    ) -> Result<(), StoreError> {
        let mut found = Sum::default();
        for kv in self.tree(T::OrderWord).iter() {
            let (k, v) = kv?;
            found.add(&k, &v);
        }
        if found == expected {
            r.index_entries += found.count;
            return Ok(());
        }
        let mut want = Expected::new();
        for v in self.tree(T::Orders).iter().values() {
            let Ok(o) = decode::<Order>(&v?) else {
                continue; // reported by the orders' own check
            };
            for k in order_word_keys(&o) {
                expect(
                    &mut want,
                    k,
                    &[],
                    format!("order {} ({}:{})", o.id, o.store, o.name),
                );
            }
        }
        self.compare_index(T::OrderWord, want, r)
    }
}
