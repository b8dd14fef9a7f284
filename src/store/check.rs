//! `orderdesk check`: recounts everything the store keeps counted or indexed, from the records
//! alone (pure reads), and lists every difference.
//!
//! - the order counters in `meta` (`c:total`, one per state) against a count of `orders`;
//! - every index tree against the entries the records imply: `idx_order_remote`,
//!   `idx_order_name`, `idx_order_state`, `idx_pending`, `conflicts` (orders); `idx_order_word`
//!   by a count and sum first (src/store/check_words.rs);
//!   `idx_product_sku`, `idx_product_name`, `idx_product_remote`, `oversold` (products);
//!   `idx_customer_email`, `idx_customer_phone`, `idx_customer_name` (customers);
//!   `idx_outbox_open` (outbox items neither sent nor dismissed). A missing entry and a stale
//!   one (present, but no record says so, or pointing elsewhere) are both differences;
//! - stock against the bookings: `stock == baseline - Σ booked_stock` per product (the baseline
//!   is described in src/store/stock.rs), and only orders in a booked-type state hold stock;
//! - customer links, line mappings and timelines against the records they name
//!   (src/store/check_refs.rs);
//! - manifests and invoices: their indexes, and each store's invoice numbers
//!   (src/store/check_docs.rs).

use super::check_refs::Links;
use super::check_words::Sum;
use super::codec::{decode, read_u64, u64_key};
use super::tx::{customer_index_keys, index_key, index_key2, pending_key, state_key};
use super::{Store, StoreError, T, TABLE_NAMES};
use crate::domain::outbox::{OutboxItem, OutboxStatus};
use crate::domain::{Customer, Order, OrderState, Product};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One difference between what the store keeps and what its records say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The tree or counter that differs (`meta`, `idx_order_state`, `stock`, ...).
    pub area: String,
    pub message: String,
}

/// What `check` looked at and what it found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub orders: u64,
    pub products: u64,
    pub customers: u64,
    pub outbox_items: u64,
    pub index_entries: u64,
    pub differences: Vec<Difference>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }

    pub(super) fn differ(&mut self, area: &str, message: String) {
        self.differences.push(Difference {
            area: area.to_string(),
            message,
        });
    }
}

/// The entries an index should hold: key -> (value, what the entry is for).
pub(super) type Expected = BTreeMap<Vec<u8>, (Vec<u8>, String)>;

pub(super) fn expect(e: &mut Expected, key: Vec<u8>, value: &[u8], what: String) {
    e.insert(key, (value.to_vec(), what));
}

/// What the index trees should hold, as the records say: for most trees only how many entries
/// and a sum of their hashes (constant memory, whatever the store's size), and in full, to
/// name each difference, for the trees named when it is made.
struct Want {
    full: BTreeSet<T>,
    entries: BTreeMap<T, Expected>,
    sums: BTreeMap<T, Sum>,
}

impl Want {
    fn sums() -> Want {
        Want {
            full: BTreeSet::new(),
            entries: BTreeMap::new(),
            sums: BTreeMap::new(),
        }
    }

    fn in_full(trees: &[T]) -> Want {
        Want {
            full: trees.iter().copied().collect(),
            ..Want::sums()
        }
    }

    /// Tree `t` should hold `key` → `value`, for `who`.
    fn add(&mut self, t: T, key: Vec<u8>, value: &[u8], who: &str) {
        if self.full.contains(&t) {
            expect(
                self.entries.entry(t).or_default(),
                key,
                value,
                who.to_string(),
            );
        } else {
            self.sums.entry(t).or_default().add(&key, value);
        }
    }

    fn sum(&self, t: T) -> Sum {
        self.sums.get(&t).copied().unwrap_or_default()
    }

    fn take(&mut self, t: T) -> Expected {
        self.entries.remove(&t).unwrap_or_default()
    }
}

/// What one pass over the records found, beside the index entries it wants.
struct Recount {
    report: CheckReport,
    words: Sum,
    orders: Vec<u64>,
    products: BTreeSet<String>,
}

/// A key for a message: its NUL-separated parts, or hex when it is not text.
pub(super) fn show_key(k: &[u8]) -> String {
    match std::str::from_utf8(k) {
        Ok(s) if !s.chars().any(|c| c.is_control() && c != '\0') => s.replace('\0', " / "),
        _ => k.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// The trees `check` recounts entry by entry.
const INDEX_TREES: [T; 15] = [
    T::OrderRemote,
    T::OrderName,
    T::OrderState,
    T::Pending,
    T::Conflicts,
    T::ProductSku,
    T::ProductName,
    T::ProductRemote,
    T::Oversold,
    T::OutboxOpen,
    T::OutboxOrder,
    T::CustomerEmail,
    T::CustomerPhone,
    T::CustomerName,
    T::CustomerLink,
];

/// Orders hold stock only in these states (booked and what follows it).
fn holds_stock(s: OrderState) -> bool {
    matches!(
        s,
        OrderState::Booked
            | OrderState::ReadyForPickup
            | OrderState::ReadyToShip
            | OrderState::Shipped
            | OrderState::Completed
    )
}

impl Store {
    /// Recounts the store (see the module docs). Fails only when the store cannot be read; a
    /// record that does not decode is itself reported as a difference.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let mut want = Want::sums();
        let Recount {
            report: mut r,
            words,
            orders,
            products,
        } = self.recount(&mut want)?;
        // Each index tree against the sums first; one that differs is compared entry by entry
        // after a second pass that wants its entries in full.
        let mut differ = Vec::new();
        for t in INDEX_TREES {
            let mut found = Sum::default();
            for kv in self.tree(t).iter() {
                let (k, v) = kv?;
                found.add(&k, &v);
            }
            if found == want.sum(t) {
                r.index_entries += found.count();
            } else {
                differ.push(t);
            }
        }
        if !differ.is_empty() {
            let mut full = Want::in_full(&differ);
            self.recount(&mut full)?;
            for t in differ {
                self.compare_index(t, full.take(t), &mut r)?;
            }
        }
        self.check_order_words(words, &mut r)?;
        let product_ids = products.iter().map(String::as_str).collect();
        self.check_references(&product_ids, &orders, &mut r)?;
        self.check_documents(&orders, &mut r)?;
        Ok(r)
    }

    /// One pass over the records: what they say of counters, stock, links and references in
    /// the report, and the index entries they imply in `want`.
    fn recount(&self, want: &mut Want) -> Result<Recount, StoreError> {
        let mut r = CheckReport::default();
        // Orders.
        let mut by_state = [0u64; 10];
        let mut held: BTreeMap<String, i128> = BTreeMap::new();
        // Ids in key order, which is id order: a sorted list, searched by halves.
        let mut order_ids = Vec::new();
        let mut words = Sum::default();
        for kv in self.tree(T::Orders).iter() {
            let (k, v) = kv?;
            let o: Order = match decode(&v) {
                Ok(o) => o,
                Err(err) => {
                    r.differ(
                        "orders",
                        format!("order {} does not read: {err}", read_u64(&k)),
                    );
                    continue;
                }
            };
            r.orders += 1;
            order_ids.push(o.id);
            by_state[o.state.code() as usize] += 1;
            let id = u64_key(o.id);
            let who = format!(
                "order {} ({}:{}, {})",
                o.id,
                o.store,
                o.name,
                o.state.as_str()
            );
            if k.as_ref() != id {
                r.differ(
                    "orders",
                    format!("{who} is stored under key {}", read_u64(&k)),
                );
            }
            want.add(
                T::OrderRemote,
                super::codec::pair(&o.store, &o.remote_id),
                &id,
                &who,
            );
            let nk = super::codec::pair(&o.store, &o.name.to_lowercase());
            want.add(T::OrderName, nk, &id, &who);
            want.add(T::OrderState, state_key(&o), &[], &who);
            if let Some(pk) = pending_key(&o) {
                want.add(T::Pending, pk, &[], &who);
            }
            words.add_order(&o);
            if !o.conflicts.is_empty() {
                want.add(T::Conflicts, id.to_vec(), &[], &who);
            }
            if !o.booked_stock.is_empty() && !holds_stock(o.state) {
                r.differ(
                    "stock",
                    format!("{who} still holds stock {:?}", o.booked_stock),
                );
            }
            for (pid, qty) in &o.booked_stock {
                *held.entry(pid.clone()).or_default() += i128::from(*qty);
            }
        }
        // Counters.
        let counts = self.counts()?;
        if counts.total != r.orders {
            r.differ(
                "meta",
                format!(
                    "order total counter says {}, the orders tree holds {}",
                    counts.total, r.orders
                ),
            );
        }
        for s in OrderState::ALL {
            let (kept, found) = (counts.get(s), by_state[s.code() as usize]);
            if kept != found {
                r.differ(
                    "meta",
                    format!(
                        "{} counter says {kept}, the orders tree holds {found}",
                        s.as_str()
                    ),
                );
            }
        }
        // Products and stock.
        let mut products: BTreeMap<String, Product> = BTreeMap::new();
        for v in self.tree(T::Products).iter().values() {
            match decode::<Product>(&v?) {
                Ok(p) => {
                    products.insert(p.id.clone(), p);
                }
                Err(err) => r.differ("products", format!("a product does not read: {err}")),
            }
        }
        for p in products.values() {
            r.products += 1;
            let who = format!("product {} ({})", p.id, p.sku);
            if !p.sku.trim().is_empty() {
                want.add(T::ProductSku, index_key(p.sku.trim(), &p.id), &[], &who);
            }
            want.add(T::ProductName, index_key(p.name.trim(), &p.id), &[], &who);
            for (store, code) in &p.remote_codes {
                want.add(T::ProductRemote, index_key2(store, code, &p.id), &[], &who);
            }
            if p.oversold {
                want.add(T::Oversold, p.id.as_bytes().to_vec(), &[], &who);
            }
            let h = held.get(&p.id).copied().unwrap_or(0);
            if crate::domain::limits::check_stock(p.stock).is_err() {
                r.differ(
                    "stock",
                    format!(
                        "{who}: stock {} is out of range (±{})",
                        p.stock,
                        crate::domain::limits::MAX_STOCK
                    ),
                );
            }
            match self.stock_base(&p.id)?.map(i128::from) {
                None => r.differ("stock", format!("{who} has no stock baseline")),
                Some(base) if base - h != i128::from(p.stock) => r.differ(
                    "stock",
                    format!(
                        "{who}: stock is {}, but baseline {base} minus {h} held by orders is {}",
                        p.stock,
                        base - h
                    ),
                ),
                Some(_) => {}
            }
        }
        for (pid, h) in &held {
            if !products.contains_key(pid) && *h != 0 {
                r.differ(
                    "stock",
                    format!("orders hold {h} of product {pid}, which does not exist"),
                );
            }
        }
        for kv in self.tree(T::StockBase).iter() {
            let k = kv?.0;
            if !products.contains_key(String::from_utf8_lossy(&k).as_ref()) {
                r.differ(
                    "stock_base",
                    format!("stale baseline for product {}", show_key(&k)),
                );
            }
        }
        // Customers.
        let mut links = Links::default();
        for v in self.tree(T::Customers).iter().values() {
            match decode::<Customer>(&v?) {
                Ok(c) => {
                    r.customers += 1;
                    links.add(&c, &mut r);
                    for (t, k) in customer_index_keys(&c) {
                        let who = format!("customer {} ({})", c.id, c.full_name());
                        want.add(t, k, &[], &who);
                    }
                }
                Err(err) => r.differ("customers", format!("a customer does not read: {err}")),
            }
        }
        // Outbox.
        for v in self.tree(T::Outbox).iter().values() {
            match decode::<OutboxItem>(&v?) {
                Ok(item) => {
                    r.outbox_items += 1;
                    let who = format!("outbox item {} of order {}", item.id, item.order_id);
                    want.add(
                        T::OutboxOrder,
                        super::tx::outbox_order_key(item.order_id, item.id),
                        &[],
                        &who,
                    );
                    if !matches!(item.status, OutboxStatus::Sent | OutboxStatus::Dismissed) {
                        let who = format!("outbox item {} ({:?})", item.id, item.status);
                        want.add(T::OutboxOpen, u64_key(item.id).to_vec(), &[], &who);
                    }
                }
                Err(err) => r.differ("outbox", format!("an outbox item does not read: {err}")),
            }
        }
        for (k, (v, who)) in links.into_expected() {
            want.add(T::CustomerLink, k, &v, &who);
        }
        order_ids.sort_unstable();
        Ok(Recount {
            report: r,
            words,
            orders: order_ids,
            products: products.into_keys().collect(),
        })
    }

    pub(super) fn compare_index(
        &self,
        t: T,
        mut expected: Expected,
        r: &mut CheckReport,
    ) -> Result<(), StoreError> {
        let tree = TABLE_NAMES[t as usize];
        for kv in self.tree(t).iter() {
            let (k, v) = kv?;
            r.index_entries += 1;
            match expected.remove(k.as_slice()) {
                Some((want, _)) if want == v.as_slice() => {}
                Some((_, who)) => r.differ(
                    tree,
                    format!("entry {} points elsewhere than {who}", show_key(&k)),
                ),
                None => r.differ(
                    tree,
                    format!("stale entry {} (no record has it)", show_key(&k)),
                ),
            }
        }
        for (k, (_, who)) in expected {
            r.differ(tree, format!("missing entry {} for {who}", show_key(&k)));
        }
        Ok(())
    }

    /// FOR TESTS ONLY (the check's own tests and the crash harness): damages the store on
    /// purpose, bypassing every rule. `value: None` removes `key` from the named tree.
    #[doc(hidden)]
    pub fn tamper_for_tests(
        &self,
        tree: &str,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        let Some(i) = TABLE_NAMES.iter().position(|n| *n == tree) else {
            return Err(StoreError::Refused(format!("no tree {tree}")));
        };
        let t = T::ALL[i];
        self.write(|tx| match value {
            Some(v) => tx.t(t).insert(key, v),
            None => tx.t(t).remove(key),
        })?;
        self.flush()
    }
}
