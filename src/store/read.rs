//! Reads outside transactions: look-ups for intake, pages and lists for screens and scripts.

use super::codec::{decode, decode_payload, line_map_keys, pair, prefix, read_u64, u64_key};
use super::tx::{StoreRecord, Unreadable, id_of};
use super::{Store, StoreError, T};
use crate::domain::history::{Counts, SyncRun, TimelineEntry};
use crate::domain::{Customer, Order, OrderState, Product};

/// Which index an ordered order listing walks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderIndex {
    /// Open orders: needing action first, then the others; oldest first within each.
    Pending,
    /// Orders in one state, oldest first.
    State(OrderState),
    /// The open orders with a word of this stem (`text::stem`), in the `Pending` order; keys
    /// are `Pending` keys.
    PendingWord(String),
    /// The orders in one state with a word of this stem, in that `State` order and keys (for
    /// an open state, read from the open orders' entries of that state's Pending rank).
    StateWord(OrderState, String),
}

impl Store {
    pub(super) fn get_rec<V: serde::de::DeserializeOwned>(
        &self,
        t: T,
        key: &[u8],
    ) -> Result<Option<V>, StoreError> {
        match self.tree(t).get(key)? {
            Some(v) => Ok(Some(decode(&v)?)),
            None => Ok(None),
        }
    }

    fn ids_under(&self, t: T, pre: &[u8]) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(t).scan_prefix(pre) {
            let (k, _) = kv?;
            out.push(id_of(&k));
        }
        Ok(out)
    }

    pub fn counts(&self) -> Result<Counts, StoreError> {
        let meta = self.tree(T::Meta);
        let mut c = Counts {
            total: meta.get("c:total")?.map(|v| read_u64(&v)).unwrap_or(0),
            ..Counts::default()
        };
        for s in OrderState::ALL {
            c.by_state[s.code() as usize] = meta
                .get([b'c', b':', s.code()])?
                .map(|v| read_u64(&v))
                .unwrap_or(0);
        }
        Ok(c)
    }

    pub fn order(&self, id: u64) -> Result<Option<Order>, StoreError> {
        self.get_rec(T::Orders, &u64_key(id))
    }

    pub fn order_raw(&self, id: u64) -> Result<Option<String>, StoreError> {
        self.tree(T::Raw)
            .get(u64_key(id))?
            .map(|v| decode_payload(&v))
            .transpose()
    }

    pub fn order_by_remote(&self, store: &str, remote_id: &str) -> Result<Option<u64>, StoreError> {
        Ok(self
            .tree(T::OrderRemote)
            .get(pair(store, remote_id))?
            .map(|v| read_u64(&v)))
    }

    /// The order named `name` in `store` (case-insensitive, without `#`).
    pub fn order_by_name(&self, store: &str, name: &str) -> Result<Option<u64>, StoreError> {
        let key = pair(store, &name.trim_start_matches('#').to_lowercase());
        Ok(self.tree(T::OrderName).get(key)?.map(|v| read_u64(&v)))
    }

    /// Index keys and orders from an index, in key order, starting after `after` (exclusive)
    /// or before `before` (exclusive, walking backwards), at most `limit`.
    pub fn order_keys(
        &self,
        index: OrderIndex,
        after: Option<&[u8]>,
        backwards: bool,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Order)>, StoreError> {
        self.order_index_records(index, after, backwards, limit)
    }

    /// Every stored order, in no particular order (for `orders --json` and checks).
    pub fn all_orders(&self) -> impl Iterator<Item = Result<Order, StoreError>> + '_ {
        self.tree(T::Orders).iter().values().map(|v| decode(&v?))
    }

    pub fn shop_order(&self, id: u64) -> Result<Option<crate::domain::ShopOrder>, StoreError> {
        self.get_rec(T::ShopOrders, &u64_key(id))
    }

    pub fn outbox_item(
        &self,
        id: u64,
    ) -> Result<Option<crate::domain::outbox::OutboxItem>, StoreError> {
        self.get_rec(T::Outbox, &u64_key(id))
    }

    /// Outbox items not yet sent or dismissed, oldest first.
    pub fn open_outbox(&self) -> Result<Vec<crate::domain::outbox::OutboxItem>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::OutboxOpen).iter() {
            if let Some(item) = self.get_rec(T::Outbox, &kv?.0)? {
                out.push(item);
            }
        }
        Ok(out)
    }

    /// The outbox items of one order, oldest first (through `idx_outbox_order`).
    pub fn order_outbox(
        &self,
        order_id: u64,
    ) -> Result<Vec<crate::domain::outbox::OutboxItem>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::OutboxOrder).scan_prefix(u64_key(order_id)) {
            let (k, _) = kv?;
            if let Some(item) = self.get_rec(T::Outbox, &k[8..])? {
                out.push(item);
            }
        }
        Ok(out)
    }

    pub fn timeline(&self, order_id: u64) -> Result<Vec<TimelineEntry>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::Timeline).scan_prefix(u64_key(order_id)) {
            out.extend(super::tx::timeline_entries(&kv?.1)?);
        }
        Ok(out)
    }

    // ---- records ----

    pub fn product(&self, id: &str) -> Result<Option<Product>, StoreError> {
        self.get_rec(T::Products, id.as_bytes())
    }

    pub fn products(&self) -> impl Iterator<Item = Result<Product, StoreError>> + '_ {
        self.tree(T::Products).iter().values().map(|v| decode(&v?))
    }

    pub fn products_by_sku(&self, sku: &str) -> Result<Vec<String>, StoreError> {
        self.ids_under(T::ProductSku, &prefix(&[sku]))
    }

    /// Each SKU more than one product has, with their ids (in SKU order; read from the SKU
    /// index's keys only).
    pub fn shared_skus(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for kv in self.tree(T::ProductSku).iter().keys() {
            let k = kv?;
            let sku_end = k.iter().position(|b| *b == 0).unwrap_or(k.len());
            let sku = String::from_utf8_lossy(&k[..sku_end]).into_owned();
            let id = id_of(&k);
            match out.last_mut() {
                Some((last, ids)) if *last == sku => ids.push(id),
                _ => out.push((sku, vec![id])),
            }
        }
        out.retain(|(_, ids)| ids.len() > 1);
        Ok(out)
    }

    pub fn products_by_name(&self, name: &str) -> Result<Vec<String>, StoreError> {
        self.ids_under(T::ProductName, &prefix(&[name]))
    }

    pub fn products_by_remote(&self, store: &str, remote: &str) -> Result<Vec<String>, StoreError> {
        self.ids_under(T::ProductRemote, &prefix(&[store, remote]))
    }

    pub fn oversold_products(&self) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::Oversold).iter() {
            out.push(String::from_utf8_lossy(&kv?.0).into_owned());
        }
        Ok(out)
    }

    pub fn customer(&self, id: &str) -> Result<Option<Customer>, StoreError> {
        self.get_rec(T::Customers, id.as_bytes())
    }

    pub fn customers(&self) -> impl Iterator<Item = Result<Customer, StoreError>> + '_ {
        self.tree(T::Customers).iter().values().map(|v| decode(&v?))
    }

    pub fn customers_by_email(&self, email_key: &str) -> Result<Vec<String>, StoreError> {
        self.ids_under(T::CustomerEmail, &prefix(&[email_key]))
    }

    pub fn customers_by_phone(&self, phone: &str) -> Result<Vec<String>, StoreError> {
        self.ids_under(T::CustomerPhone, &prefix(&[phone]))
    }

    /// Ids of customers with a name word starting with `driver` and, for each of `rest`, a
    /// name word starting with it (all folded), at most `limit`. Reads index keys only.
    pub fn customers_by_name_words(
        &self,
        driver: &str,
        rest: &[String],
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for k in self
            .tree(T::CustomerName)
            .scan_prefix(driver.as_bytes())
            .keys()
        {
            let k = k?;
            let mut parts = k.split(|b| *b == 0);
            let (_, full, id) = (
                parts.next(),
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            let full = String::from_utf8_lossy(full);
            let words: Vec<&str> = full
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            if rest
                .iter()
                .all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
            {
                let id = String::from_utf8_lossy(id).into_owned();
                if seen.insert(id.clone()) {
                    out.push(id);
                    if out.len() >= limit {
                        break;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Customers having a name word starting with `token` (folded).
    pub fn customers_by_name_prefix(
        &self,
        token: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for kv in self.tree(T::CustomerName).scan_prefix(token.as_bytes()) {
            let id = id_of(&kv?.0);
            if seen.insert(id.clone()) {
                out.push(id);
            }
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// The remembered link's customer id (the caller checks the customer still exists).
    pub fn customer_link(&self, store: &str, remote: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tree(T::CustomerLink)
            .get(pair(store, remote))?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// The lines of one order mapped by the operator for that order only: (line remote id,
    /// product id).
    pub fn order_line_mappings(
        &self,
        store: &str,
        order_remote_id: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let pre = pair(store, &format!("o:{order_remote_id}:"));
        let mut out = Vec::new();
        for kv in self.tree(T::LineMap).scan_prefix(&pre) {
            let (k, v) = kv?;
            let line = String::from_utf8_lossy(&k[pre.len()..]).into_owned();
            out.push((line, String::from_utf8_lossy(&v).into_owned()));
        }
        Ok(out)
    }

    /// The product the operator mapped a line to: by the shop's variant id first, then by
    /// store and SKU (see `Tx::map_line`).
    pub fn line_mapping(
        &self,
        store: &str,
        variant_id: Option<&str>,
        sku: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        for key in line_map_keys(variant_id, sku) {
            if let Some(v) = self.tree(T::LineMap).get(pair(store, &key))? {
                return Ok(Some(String::from_utf8_lossy(&v).into_owned()));
            }
        }
        Ok(None)
    }

    // ---- runs, stores, problems ----

    /// Newest first.
    pub fn runs(&self, limit: usize) -> Result<Vec<SyncRun>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::Runs).iter().rev().take(limit) {
            out.push(decode(&kv?.1)?);
        }
        Ok(out)
    }

    /// Every run, newest first, read as the walk goes.
    pub fn runs_newest_first(&self) -> impl Iterator<Item = Result<SyncRun, StoreError>> + '_ {
        self.tree(T::Runs).iter().rev().map(|kv| decode(&kv?.1))
    }

    pub fn run(&self, id: u64) -> Result<Option<SyncRun>, StoreError> {
        self.get_rec(T::Runs, &u64_key(id))
    }

    pub fn store_records(&self) -> Result<Vec<StoreRecord>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::Stores).iter() {
            out.push(decode(&kv?.1)?);
        }
        Ok(out)
    }

    pub fn store_record(&self, id: &str) -> Result<Option<StoreRecord>, StoreError> {
        self.get_rec(T::Stores, id.as_bytes())
    }

    /// The last number a named counter gave (0: none yet); `Tx::next_id` gives the next.
    pub fn last_id(&self, counter: &str) -> Result<u64, StoreError> {
        let key = format!("next:{counter}");
        Ok(self
            .tree(T::Meta)
            .get(key.as_bytes())?
            .map(|v| read_u64(&v))
            .unwrap_or(0))
    }

    /// What the connector of store `id` keeps between runs (its session), as it wrote it.
    pub fn channel_session(&self, id: &str) -> Result<Option<String>, StoreError> {
        let key = super::tx::session_key(id);
        Ok(self
            .tree(T::Meta)
            .get(key.as_bytes())?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    pub fn unreadable(&self) -> Result<Vec<Unreadable>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::Unreadable).iter() {
            out.push(decode(&kv?.1)?);
        }
        Ok(out)
    }

    pub fn conflict_orders(&self) -> Result<Vec<u64>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree(T::Conflicts).iter() {
            out.push(read_u64(&kv?.0));
        }
        Ok(out)
    }
}
