//! The part of `orderdesk check` that follows references between trees:
//!
//! - `customer_links` against the customers' `remote_ids` (`store:remote id` gives the entry
//!   `store \0 remote id` → customer id): missing, stale and misdirected entries, and one link
//!   claimed by two customers;
//! - `line_mappings`: every mapping (`store \0 v:…|s:…|o:…` → product id) names an existing
//!   product;
//! - `timeline`: every entry (`order id ++ sequence`) belongs to an existing order and reads.

use super::check::{CheckReport, Expected, expect, show_key};
use super::codec::{pair, read_u64};
use super::{Store, StoreError, T};
use crate::domain::Customer;
use std::collections::{BTreeMap, BTreeSet};

/// The `customer_links` entries the customers imply, and links claimed twice.
#[derive(Default)]
pub(super) struct Links {
    expected: Expected,
    /// Link key → the customer that claimed it first.
    owner: BTreeMap<Vec<u8>, String>,
}

impl Links {
    pub(super) fn add(&mut self, c: &Customer, r: &mut CheckReport) {
        for link in &c.remote_ids {
            // The same split the writes use (`Tx::put_customer`); text without `:` is no link.
            let Some((store, remote)) = link.split_once(':') else {
                continue;
            };
            let key = pair(store, remote);
            match self.owner.get(&key) {
                Some(first) if *first != c.id => r.differ(
                    "customers",
                    format!(
                        "link {link} is claimed by customer {first} and customer {}",
                        c.id
                    ),
                ),
                Some(_) => {}
                None => {
                    self.owner.insert(key.clone(), c.id.clone());
                    let who = format!("customer {} (link {link})", c.id);
                    expect(&mut self.expected, key, c.id.as_bytes(), who);
                }
            }
        }
    }

    pub(super) fn into_expected(self) -> Expected {
        self.expected
    }
}

impl Store {
    /// Line mappings and timelines (see the module docs); `products` and `orders` are the ids
    /// of the records that read.
    pub(super) fn check_references(
        &self,
        products: &BTreeSet<&str>,
        orders: &[u64],
        r: &mut CheckReport,
    ) -> Result<(), StoreError> {
        for kv in self.tree(T::LineMap).iter() {
            let (k, v) = kv?;
            let product = String::from_utf8_lossy(&v);
            let shape_ok = k.iter().position(|b| *b == 0).is_some_and(|i| {
                let rest = &k[i + 1..];
                [b"v:", b"s:", b"o:"].iter().any(|p| rest.starts_with(*p))
            });
            if !shape_ok {
                r.differ(
                    "line_mappings",
                    format!("mapping {} is not store / v:|s:|o:…", show_key(&k)),
                );
            } else if !products.contains(product.as_ref()) {
                r.differ(
                    "line_mappings",
                    format!(
                        "mapping {} points to product {product}, which does not exist",
                        show_key(&k)
                    ),
                );
            }
        }
        for kv in self.tree(T::Timeline).iter() {
            let (k, v) = kv?;
            if k.len() != 16 {
                r.differ(
                    "timeline",
                    format!("entry {} is not order + sequence", show_key(&k)),
                );
                continue;
            }
            let (order, seq) = (read_u64(&k[..8]), read_u64(&k[8..]));
            if orders.binary_search(&order).is_err() {
                r.differ(
                    "timeline",
                    format!("entry {seq} belongs to order {order}, which does not exist"),
                );
            }
            if let Err(err) = super::tx::timeline_entries(&v) {
                r.differ(
                    "timeline",
                    format!("entry {seq} of order {order} does not read: {err}"),
                );
            }
        }
        Ok(())
    }
}
