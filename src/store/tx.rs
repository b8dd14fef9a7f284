//! Typed writes inside one transaction over every table: a change that spans several tables
//! (order, indexes, counters, stock, timeline) commits whole or not at all.

use super::codec::{
    Kind, decode, encode, last_part, line_map_keys, pair, prefix, read_u64, time_key, u64_key,
};
use super::kv::{Tx, TxError};
use super::new_orders::{source_records, timeline_record};
use super::{Store, StoreError, T};
use crate::domain::history::{Resume, StoreInfo, SyncRun, TimelineEntry};
use crate::domain::outbox::{OutboxItem, OutboxStatus};
use crate::domain::{Customer, Order, OrderState, ShopOrder, phone, text};
use serde::{Deserialize, Serialize};

/// An order the shop sent that could not be read, kept until it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    pub store: String,
    pub remote_id: String,
    pub name: Option<String>,
    pub reason: String,
    pub raw: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// What the store keeps per connected store: its record, cursor and first-run flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreRecord {
    pub info: StoreInfo,
    /// The newest `updated_at` a successful run saw (the shop's clock).
    pub cursor: Option<chrono::DateTime<chrono::Utc>>,
    /// Where the next run goes on, when the last one stopped part-way through its pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume: Option<Resume>,
}

/// The `meta` key of a store's connector session.
pub(super) fn session_key(store: &str) -> String {
    format!("session:{store}")
}

fn abort(e: StoreError) -> TxError {
    TxError::Abort(e)
}

impl Store {
    /// Runs `f` as one atomic, durable transaction over every table. `f` may run more than
    /// once (sled retries on conflict), so it must only write through the `Tx`.
    pub fn write<R>(&self, f: impl Fn(&Tx) -> Result<R, TxError>) -> Result<R, StoreError> {
        crate::killpoint::here("store: before commit");
        let res = self.kv.write(f);
        crate::killpoint::here("store: after commit");
        res
    }
}

impl<'a> Tx<'a> {
    pub(super) fn get_rec<V: serde::de::DeserializeOwned>(
        &self,
        t: T,
        key: &[u8],
    ) -> Result<Option<V>, TxError> {
        match self.t(t).get(key)? {
            Some(v) => Ok(Some(decode(&v).map_err(abort)?)),
            None => Ok(None),
        }
    }

    pub(super) fn put_rec<V: Serialize>(&self, t: T, key: &[u8], v: &V) -> Result<(), TxError> {
        self.t(t)
            .insert(key, encode(Kind::of(t), v).map_err(abort)?)?;
        Ok(())
    }

    /// The next number of a named counter (order ids, run ids, ...), starting at 1.
    pub fn next_id(&self, counter: &str) -> Result<u64, TxError> {
        let key = format!("next:{counter}");
        let n = self
            .t(T::Meta)
            .get(key.as_bytes())?
            .map(|v| read_u64(&v))
            .unwrap_or(0)
            + 1;
        self.t(T::Meta).insert(key.as_bytes(), u64_key(n))?;
        Ok(n)
    }

    /// Moves a record's index entries from `old` to `new`, touching only those that differ;
    /// `value` gives each new entry's value.
    pub(super) fn swap_index_keys(
        &self,
        old: &[(T, Vec<u8>)],
        new: &[(T, Vec<u8>)],
        value: impl Fn(T) -> Vec<u8>,
    ) -> Result<(), TxError> {
        for k in old.iter().filter(|k| !new.contains(k)) {
            self.t(k.0).remove(k.1.as_slice())?;
        }
        for k in new.iter().filter(|k| !old.contains(k)) {
            self.t(k.0).insert(k.1.as_slice(), value(k.0))?;
        }
        Ok(())
    }

    /// One more order in the store's count of all orders.
    pub(super) fn bump_total(&self) -> Result<(), TxError> {
        let total = self
            .t(T::Meta)
            .get("c:total")?
            .map(|v| read_u64(&v))
            .unwrap_or(0)
            + 1;
        self.t(T::Meta).insert("c:total", u64_key(total))?;
        Ok(())
    }

    pub(super) fn bump_count(&self, state: OrderState, delta: i64) -> Result<(), TxError> {
        let key = [b'c', b':', state.code()];
        let n = self.t(T::Meta).get(key)?.map(|v| read_u64(&v)).unwrap_or(0) as i64 + delta;
        self.t(T::Meta).insert(key, u64_key(n.max(0) as u64))?;
        Ok(())
    }

    // ---- orders ----

    pub fn get_order(&self, id: u64) -> Result<Option<Order>, TxError> {
        self.get_rec(T::Orders, &u64_key(id))
    }

    pub fn order_by_remote(&self, store: &str, remote_id: &str) -> Result<Option<u64>, TxError> {
        Ok(self
            .t(T::OrderRemote)
            .get(pair(store, remote_id))?
            .map(|v| read_u64(&v)))
    }

    /// Writes an order and keeps its indexes and the state counts in step with it; an index
    /// entry is touched only when what it indexes changed.
    pub fn put_order(&self, order: &Order) -> Result<(), TxError> {
        let old = self.get_order(order.id)?;
        self.put_order_over(old.as_ref(), order)
    }

    /// `put_order` for a caller that holds the order as stored (`old`, read under the
    /// engine's lock), which is then not read again.
    pub fn put_order_over(&self, old: Option<&Order>, order: &Order) -> Result<(), TxError> {
        let id = u64_key(order.id);
        // A change that keeps the order's words (a payment, a state) moves its word entries:
        // the words are found once for both.
        let stems = order_stems(order);
        let new_keys = order_index_keys_with(order, &stems);
        let old = match old {
            Some(old) => old,
            None => return self.insert_order(order, encode(Kind::Order, order)?, &new_keys),
        };
        let old_keys = match same_words(old, order) {
            true => order_index_keys_with(old, &stems),
            false => order_index_keys(old),
        };
        self.swap_index_keys(&old_keys, &new_keys, |t| order_index_value(t, id))?;
        if old.state != order.state {
            self.bump_count(old.state, -1)?;
            self.bump_count(order.state, 1)?;
        }
        let had_conflicts = !old.conflicts.is_empty();
        if !order.conflicts.is_empty() {
            self.t(T::Conflicts).insert(id, [])?;
        } else if had_conflicts {
            self.t(T::Conflicts).remove(id)?;
        }
        self.put_rec(T::Orders, &id, order)
    }

    /// Keeps what the shop sent beside an order in `state`: its payload as received (when
    /// `raw` is given), and the order as read while intake may run on it again
    /// ([`OrderState::reruns_intake`]); an order past that keeps the payload alone.
    pub fn put_source(
        &self,
        id: u64,
        raw: Option<&str>,
        shop: &ShopOrder,
        state: OrderState,
    ) -> Result<(), TxError> {
        self.put_source_records(id, source_records(raw, shop, state)?)
    }

    /// Drops the order as read kept beside an order that is now past intake.
    pub fn forget_shop_order(&self, id: u64) -> Result<(), TxError> {
        self.t(T::ShopOrders).remove(u64_key(id))
    }

    pub fn get_shop_order(&self, id: u64) -> Result<Option<ShopOrder>, TxError> {
        self.get_rec(T::ShopOrders, &u64_key(id))
    }

    /// Remembers the operator's mapping of a line to a product: by the shop's variant id and by
    /// store and SKU, each the line has (never for an empty SKU). False when it has neither.
    pub fn map_line(
        &self,
        store: &str,
        variant_id: Option<&str>,
        sku: Option<&str>,
        product_id: &str,
    ) -> Result<bool, TxError> {
        let keys = line_map_keys(variant_id, sku);
        for key in &keys {
            self.t(T::LineMap)
                .insert(pair(store, key), product_id.as_bytes())?;
        }
        Ok(!keys.is_empty())
    }

    /// Remembers a line's product for this one order (a line with no SKU and no variant id,
    /// which cannot be remembered for later orders).
    pub fn map_order_line(
        &self,
        store: &str,
        order_remote_id: &str,
        line_remote_id: &str,
        product_id: &str,
    ) -> Result<(), TxError> {
        let key = format!("o:{order_remote_id}:{line_remote_id}");
        self.t(T::LineMap)
            .insert(pair(store, &key), product_id.as_bytes())?;
        Ok(())
    }

    // ---- outbox ----

    pub fn get_outbox(&self, id: u64) -> Result<Option<OutboxItem>, TxError> {
        self.get_rec(T::Outbox, &u64_key(id))
    }

    /// Writes an outbox item; items not yet sent or dismissed stay in the open index.
    pub fn put_outbox(&self, item: &OutboxItem) -> Result<(), TxError> {
        let k = u64_key(item.id);
        if matches!(item.status, OutboxStatus::Sent | OutboxStatus::Dismissed) {
            self.t(T::OutboxOpen).remove(k)?;
        } else {
            self.t(T::OutboxOpen).insert(k, [])?;
        }
        self.t(T::OutboxOrder)
            .insert(outbox_order_key(item.order_id, item.id), [])?;
        self.put_rec(T::Outbox, &k, item)
    }

    /// Appends to an order's timeline.
    pub fn timeline(&self, order_id: u64, entry: &TimelineEntry) -> Result<(), TxError> {
        self.put_rec(T::Timeline, &self.timeline_key(order_id)?, entry)
    }

    /// Appends what one change did to an order's timeline, several entries as one record
    /// (layout 5): intake's fetched, matched and booked are one write, not three.
    pub fn timeline_all(&self, order_id: u64, entries: &[TimelineEntry]) -> Result<(), TxError> {
        self.put_timeline_record(order_id, timeline_record(entries)?)
    }

    /// Appends a record `timeline_record` made (none: nothing).
    pub(super) fn put_timeline_record(
        &self,
        order_id: u64,
        record: Option<Vec<u8>>,
    ) -> Result<(), TxError> {
        if let Some(bytes) = record {
            self.t(T::Timeline)
                .insert(&self.timeline_key(order_id)?, bytes)?;
        }
        Ok(())
    }

    pub(super) fn timeline_key(&self, order_id: u64) -> Result<Vec<u8>, TxError> {
        let seq = self.next_id("timeline")?;
        let mut key = u64_key(order_id).to_vec();
        key.extend_from_slice(&u64_key(seq));
        Ok(key)
    }

    // ---- customers ----

    pub fn get_customer(&self, id: &str) -> Result<Option<Customer>, TxError> {
        self.get_rec(T::Customers, id.as_bytes())
    }

    /// Writes a customer with its email, phone, name and remembered-link indexes.
    pub fn put_customer(&self, c: &Customer) -> Result<(), TxError> {
        let old = self.get_customer(&c.id)?;
        let old_keys = old.as_ref().map(customer_index_keys).unwrap_or_default();
        let new_keys = customer_index_keys(c);
        self.swap_index_keys(&old_keys, &new_keys, |_| vec![])?;
        if let Some(old) = &old {
            // A link the customer no longer has is forgotten (if it is still this one's).
            for link in old.remote_ids.iter().filter(|l| !c.remote_ids.contains(l)) {
                if let Some((store, remote)) = link.split_once(':') {
                    let key = pair(store, remote);
                    if self
                        .t(T::CustomerLink)
                        .get(&key)?
                        .is_some_and(|v| v.as_slice() == c.id.as_bytes())
                    {
                        self.t(T::CustomerLink).remove(key)?;
                    }
                }
            }
        }
        for link in &c.remote_ids {
            if let Some((store, remote)) = link.split_once(':') {
                let key = pair(store, remote);
                let prev = self.t(T::CustomerLink).get(&key)?;
                if prev.as_deref() == Some(c.id.as_bytes()) {
                    continue;
                }
                // A link moving here leaves the customer that had it.
                if let Some(prev) = prev
                    && let Some(mut other) = self.get_customer(&String::from_utf8_lossy(&prev))?
                {
                    other.remote_ids.retain(|l| l != link);
                    self.put_rec(T::Customers, other.id.as_bytes(), &other)?;
                }
                self.t(T::CustomerLink).insert(key, c.id.as_bytes())?;
            }
        }
        self.put_rec(T::Customers, c.id.as_bytes(), c)
    }

    /// Remembers that this store's remote customer is this local customer.
    pub fn link_customer(
        &self,
        store: &str,
        remote_id: &str,
        customer_id: &str,
    ) -> Result<(), TxError> {
        if let Some(mut c) = self.get_customer(customer_id)? {
            let link = format!("{store}:{remote_id}");
            if !c.remote_ids.contains(&link) {
                c.remote_ids.push(link);
                self.put_customer(&c)?;
            }
        }
        Ok(())
    }

    // ---- sync runs, stores, unreadable orders ----

    pub fn put_run(&self, run: &SyncRun) -> Result<(), TxError> {
        self.put_rec(T::Runs, &u64_key(run.id), run)
    }

    pub fn get_store_record(&self, id: &str) -> Result<Option<StoreRecord>, TxError> {
        self.get_rec(T::Stores, id.as_bytes())
    }

    pub fn put_store_record(&self, rec: &StoreRecord) -> Result<(), TxError> {
        self.put_rec(T::Stores, rec.info.id.as_bytes(), rec)
    }

    /// Keeps the session of store `id`'s connector (replacing the one before).
    pub fn put_channel_session(&self, id: &str, text: &str) -> Result<(), TxError> {
        self.t(T::Meta)
            .insert(session_key(id).as_bytes(), text.as_bytes())?;
        Ok(())
    }

    pub fn put_unreadable(&self, u: &Unreadable) -> Result<(), TxError> {
        self.put_rec(T::Unreadable, &pair(&u.store, &u.remote_id), u)
    }

    pub fn remove_unreadable(&self, store: &str, remote_id: &str) -> Result<(), TxError> {
        let key = pair(store, remote_id);
        // A read first: most orders were never unreadable, and a read costs less than a write.
        if self.t(T::Unreadable).get(&key)?.is_some() {
            self.t(T::Unreadable).remove(key)?;
        }
        Ok(())
    }
}

pub(crate) fn index_key(value: &str, id: &str) -> Vec<u8> {
    let mut k = prefix(&[value]);
    k.extend_from_slice(id.as_bytes());
    k
}

pub(crate) fn index_key2(a: &str, b: &str, id: &str) -> Vec<u8> {
    let mut k = prefix(&[a, b]);
    k.extend_from_slice(id.as_bytes());
    k
}

pub(crate) fn customer_index_keys(c: &Customer) -> Vec<(T, Vec<u8>)> {
    let mut out = Vec::new();
    if let Some(e) = c.email.as_deref().and_then(text::email_key) {
        out.push((T::CustomerEmail, index_key(&e, &c.id)));
    }
    if let Some(p) = c.phone.as_deref().and_then(|p| phone::normalize(p, None)) {
        out.push((T::CustomerPhone, index_key(&p, &c.id)));
    }
    // `word \0 folded full name \0 id`: a search checks its other words on the key alone.
    let full = text::fold(&c.full_name());
    for tok in text::tokens(&c.full_name()) {
        out.push((T::CustomerName, index_key2(&tok, &full, &c.id)));
    }
    out
}

/// `order id, item id`: an order's outbox items, oldest first.
pub(crate) fn outbox_order_key(order_id: u64, item_id: u64) -> Vec<u8> {
    let mut k = u64_key(order_id).to_vec();
    k.extend_from_slice(&u64_key(item_id));
    k
}

/// An order's index entry's value: its id in the name index, nothing in the others.
pub(super) fn order_index_value(t: T, id: [u8; 8]) -> Vec<u8> {
    match t {
        T::OrderName => id.to_vec(),
        _ => vec![],
    }
}

/// An order's entries in the state, pending, name and words indexes.
pub(crate) fn order_index_keys(o: &Order) -> Vec<(T, Vec<u8>)> {
    order_index_keys_with(o, &order_stems(o))
}

/// `order_index_keys` with the order's stems found already.
pub(super) fn order_index_keys_with(o: &Order, stems: &[Stem]) -> Vec<(T, Vec<u8>)> {
    let mut out: Vec<(T, Vec<u8>)> = word_keys(o, stems)
        .into_iter()
        .map(|k| (T::OrderWord, k))
        .collect();
    out.push((T::OrderName, pair(&o.store, &o.name.to_lowercase())));
    out.push((T::OrderState, state_key(o)));
    if let Some(p) = pending_key(o) {
        out.push((T::Pending, p));
    }
    out
}

/// Whether two copies of an order have the same indexed words (name, customer, SKUs).
fn same_words(a: &Order, b: &Order) -> bool {
    a.name == b.name
        && a.customer.name() == b.customer.name()
        && a.lines.len() == b.lines.len()
        && a.lines.iter().zip(&b.lines).all(|(x, y)| x.sku == y.sku)
}

/// An indexed stem of an order, with the order's words under it.
pub(super) type Stem = (String, Vec<String>);

/// The stems an order is indexed by, each with its words of that stem.
pub(super) fn order_stems(o: &Order) -> Vec<Stem> {
    let skus = o.lines.iter().filter_map(|l| l.sku.as_deref());
    let words = text::order_words(&o.name, &o.customer.name(), skus);
    text::indexed_stems(&words)
        .into_iter()
        .map(|stem| {
            let under = words
                .iter()
                .filter(|w| w.chars().count() >= text::STEM_CHARS)
                .filter(|w| text::stem(w) == stem)
                .cloned()
                .collect();
            (stem.to_string(), under)
        })
        .collect()
}

/// An order's `idx_order_word` entries. An open order's words sit beside its Pending key (a
/// state filter of an open state walks those too, see `Store::visit_order_index`), a closed
/// one's beside its state key.
pub(crate) fn order_word_keys(o: &Order) -> Vec<Vec<u8>> {
    word_keys(o, &order_stems(o))
}

/// `order_word_keys` for the order's `stems`.
fn word_keys(o: &Order, stems: &[Stem]) -> Vec<Vec<u8>> {
    let (kind, display) = match pending_key(o) {
        Some(p) => (WORD_IN_PENDING, p),
        None => (WORD_IN_STATE, state_key(o)),
    };
    stems
        .iter()
        .map(|(stem, under)| {
            let under: Vec<&str> = under.iter().map(String::as_str).collect();
            word_key(kind, stem, &display, &under)
        })
        .collect()
}

/// `idx_order_word` entries beside a pending key (open orders) or a state key (closed ones).
pub(crate) const WORD_IN_PENDING: u8 = b'p';
pub(crate) const WORD_IN_STATE: u8 = b's';

/// `[kind] stem \0 display key (\0 word)*`: under one stem, orders in the order of the index
/// named by `kind` (the display key is that index's key, [`DISPLAY_KEY`] bytes), each entry
/// ending with the order's words of that stem, so that a filter tells from the entry alone
/// whether the order can match the word it walks by (without reading the order).
pub(crate) fn word_key(kind: u8, stem: &str, display: &[u8], words: &[&str]) -> Vec<u8> {
    let mut k = word_prefix(kind, stem);
    k.extend_from_slice(display);
    for w in words {
        k.push(0);
        k.extend_from_slice(w.as_bytes());
    }
    k
}

/// The length of a display key: `[rank or state] time id`.
pub(crate) const DISPLAY_KEY: usize = 17;

pub(crate) fn word_prefix(kind: u8, stem: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(stem.len() + 26);
    k.push(kind);
    k.extend_from_slice(stem.as_bytes());
    k.push(0);
    k
}

/// `[state] time id`: orders by state, oldest first.
pub(crate) fn state_key(o: &Order) -> Vec<u8> {
    let mut k = vec![o.state.code()];
    k.extend_from_slice(&time_key(o.created_at));
    k.extend_from_slice(&u64_key(o.id));
    k
}

/// `[rank] time id` for open orders: rank 0 needs action, 1 the other open ones.
pub(crate) fn pending_key(o: &Order) -> Option<Vec<u8>> {
    if !o.state.is_open() {
        return None;
    }
    let mut k = vec![pending_rank(o.state)];
    k.extend_from_slice(&time_key(o.created_at));
    k.extend_from_slice(&u64_key(o.id));
    Some(k)
}

/// An open state's place in the Pending index: 0 needs action, 1 the other open ones.
pub(crate) fn pending_rank(s: OrderState) -> u8 {
    if s.needs_action() { 0 } else { 1 }
}

/// The id at the end of an index key.
pub(crate) fn id_of(key: &[u8]) -> String {
    last_part(key)
}

/// The entries of a timeline record: one entry, or (layout 5) a list of the entries one
/// change made at once. A record that does not read says why in serde's words.
pub(crate) fn timeline_entries(bytes: &[u8]) -> Result<Vec<TimelineEntry>, StoreError> {
    let bad = |e: serde_json::Error| StoreError::Corrupt(format!("decode: {e}"));
    match decode::<serde_json::Value>(bytes)? {
        list @ serde_json::Value::Array(_) => serde_json::from_value(list).map_err(bad),
        one => Ok(vec![serde_json::from_value(one).map_err(bad)?]),
    }
}
