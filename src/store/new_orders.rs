//! New orders written while a second thread encodes their records.
//!
//! Most of what writing a new order costs outside the storage engine is encoding: the order's
//! JSON and its compression, the words it is indexed by, its timeline record and its payload.
//! None of that reads the store, so while the transaction's thread goes on with the next
//! order (matching's customer, the stock it takes), a second thread encodes the last one, and
//! the transaction's thread writes what comes back. The transaction is the same one: what is
//! written, and when it commits, do not change; a failure anywhere aborts it whole.

use super::codec::encode_payload;
use super::codec::{Kind, encode, pair, u64_key};
use super::kv::{Tx, TxError};
use super::tx::{order_index_keys_with, order_index_value, order_stems};
use super::{StoreError, T};
use crate::domain::history::TimelineEntry;
use crate::domain::{Order, OrderState, ShopOrder};
use std::collections::HashSet;
use std::sync::mpsc;

/// How many orders may wait for the encoding thread.
const QUEUE: usize = 64;

/// A new order intake made, with what goes beside it.
pub struct NewOrder<'a> {
    pub order: Order,
    /// What taking it in did, for its timeline (one record).
    pub notes: Vec<TimelineEntry>,
    /// The payload as the shop sent it.
    pub raw: Option<&'a str>,
    /// The order as read, kept while intake may run on it again.
    pub shop: &'a ShopOrder,
}

/// Everything a new order writes, encoded.
struct Encoded {
    order: Order,
    record: Vec<u8>,
    index: Vec<(T, Vec<u8>)>,
    timeline: Option<Vec<u8>>,
    source: SourceRecords,
}

fn encode_new(job: NewOrder) -> Result<Encoded, StoreError> {
    Ok(Encoded {
        record: encode(Kind::Order, &job.order)?,
        index: order_index_keys_with(&job.order, &order_stems(&job.order)),
        timeline: timeline_record(&job.notes)?,
        source: source_records(job.raw, job.shop, job.order.state)?,
        order: job.order,
    })
}

/// One change's timeline entries as the record it writes: one entry alone, several as a list
/// (layout 5); none, no record.
pub(super) fn timeline_record(entries: &[TimelineEntry]) -> Result<Option<Vec<u8>>, StoreError> {
    let kind = Kind::of(T::Timeline);
    match entries {
        [] => Ok(None),
        [one] => encode(kind, one).map(Some),
        many => encode(kind, &many).map(Some),
    }
}

/// What `put_source` writes, encoded: the payload, when given; the order as read, while
/// intake may run on the order again (none: any kept copy is dropped).
pub(super) struct SourceRecords {
    raw: Option<Vec<u8>>,
    shop: Option<Vec<u8>>,
}

pub(super) fn source_records(
    raw: Option<&str>,
    shop: &ShopOrder,
    state: OrderState,
) -> Result<SourceRecords, StoreError> {
    Ok(SourceRecords {
        raw: raw.map(encode_payload),
        shop: match state.reruns_intake() {
            true => Some(encode(Kind::of(T::ShopOrders), shop)?),
            false => None,
        },
    })
}

type Channels<'a> = (
    mpsc::SyncSender<NewOrder<'a>>,
    mpsc::Receiver<Result<Encoded, StoreError>>,
);

/// The writer of a run of new orders inside one transaction (see the module docs).
pub struct NewOrders<'t, 'x, 'a> {
    tx: &'t Tx<'x>,
    /// To the encoding thread and back; none when it could not be started (then each order is
    /// encoded where it is added).
    thread: Option<Channels<'a>>,
    /// Added and not yet written: how many, and their (store, remote id) keys.
    waiting: usize,
    remotes: HashSet<Vec<u8>>,
}

impl<'x> Tx<'x> {
    /// Runs `f` with a writer of new orders in this transaction; every order it was given is
    /// written before this returns.
    pub fn with_new_orders<'a, R>(
        &self,
        f: impl FnOnce(&mut NewOrders<'_, 'x, 'a>) -> Result<R, TxError>,
    ) -> Result<R, TxError> {
        std::thread::scope(|s| {
            let (jobs, inbox) = mpsc::sync_channel::<NewOrder<'a>>(QUEUE);
            let (outbox, done) = mpsc::channel();
            let thread = std::thread::Builder::new()
                .name("encode".into())
                .spawn_scoped(s, move || {
                    for job in inbox {
                        if outbox.send(encode_new(job)).is_err() {
                            break;
                        }
                    }
                });
            let mut w = NewOrders {
                tx: self,
                thread: thread.is_ok().then_some((jobs, done)),
                waiting: 0,
                remotes: HashSet::new(),
            };
            let out = f(&mut w)?;
            w.drain()?;
            Ok(out)
        })
    }
}

impl<'x, 'a> NewOrders<'_, 'x, 'a> {
    /// The transaction, for everything else.
    pub fn tx(&self) -> &Tx<'x> {
        self.tx
    }

    /// Writes `job` (or has it encoded and writes it once it is).
    pub fn add(&mut self, job: NewOrder<'a>) -> Result<(), TxError> {
        let remote = pair(&job.order.store, &job.order.remote_id);
        let Some((jobs, _)) = &self.thread else {
            return self.write(encode_new(job)?);
        };
        jobs.send(job).map_err(|_| gone())?;
        self.waiting += 1;
        self.remotes.insert(remote);
        while let Some(encoded) = self.thread.as_ref().and_then(|(_, d)| d.try_recv().ok()) {
            self.written(encoded?)?;
        }
        Ok(())
    }

    /// The order a store keeps under a remote id, the orders added so far included.
    pub fn order_by_remote(
        &mut self,
        store: &str,
        remote_id: &str,
    ) -> Result<Option<u64>, TxError> {
        if self.remotes.contains(&pair(store, remote_id)) {
            self.drain()?;
        }
        self.tx.order_by_remote(store, remote_id)
    }

    /// Writes every order added so far.
    pub fn drain(&mut self) -> Result<(), TxError> {
        while let Some((_, done)) = self.thread.as_ref().filter(|_| self.waiting > 0) {
            let encoded = done.recv().map_err(|_| gone())?;
            self.written(encoded?)?;
        }
        self.remotes.clear();
        Ok(())
    }

    fn written(&mut self, encoded: Encoded) -> Result<(), TxError> {
        self.waiting -= 1;
        self.write(encoded)
    }

    /// An order's writes, in the order intake made them before: timeline, payload, the order
    /// as read (or its removal), the order.
    fn write(&self, e: Encoded) -> Result<(), TxError> {
        let tx = self.tx;
        let id = e.order.id;
        tx.put_timeline_record(id, e.timeline)?;
        tx.put_source_records(id, e.source)?;
        match tx.get_order(id)? {
            Some(old) => tx.put_order_over(Some(&old), &e.order),
            None => tx.insert_order(&e.order, e.record, &e.index),
        }
    }
}

/// The encoding thread stopped (it panicked): nothing of the transaction is written.
fn gone() -> TxError {
    TxError::Abort(StoreError::Refused(
        "intake: the thread encoding new orders stopped".into(),
    ))
}

impl Tx<'_> {
    /// Writes what `source_records` made.
    pub(super) fn put_source_records(&self, id: u64, s: SourceRecords) -> Result<(), TxError> {
        if let Some(raw) = s.raw {
            self.t(T::Raw).insert(u64_key(id), raw)?;
        }
        match s.shop {
            Some(shop) => self.t(T::ShopOrders).insert(u64_key(id), shop),
            None => self.forget_shop_order(id),
        }
    }

    /// Writes an order no copy of which is stored: its record, its index entries, its remote
    /// id and the counts.
    pub(super) fn insert_order(
        &self,
        o: &Order,
        record: Vec<u8>,
        index: &[(T, Vec<u8>)],
    ) -> Result<(), TxError> {
        let id = u64_key(o.id);
        for (t, key) in index {
            self.t(*t)
                .insert(key.as_slice(), order_index_value(*t, id))?;
        }
        self.t(T::OrderRemote)
            .insert(pair(&o.store, &o.remote_id), id)?;
        self.bump_total()?;
        self.bump_count(o.state, 1)?;
        if !o.conflicts.is_empty() {
            self.t(T::Conflicts).insert(id, [])?;
        }
        self.t(T::Orders).insert(id, record)
    }
}

#[cfg(test)]
mod tests {
    use super::NewOrder;
    use crate::domain::history::TimelineEntry;
    use crate::domain::intake::{CustomerDecision, IntakeResult, build_order};
    use crate::domain::{
        FetchedOrder, Money, Order, OrderState, RemoteFinancial, RemoteFulfillment, ShopAddress,
        ShopCustomer, ShopOrder,
    };
    use crate::store::kv::Engine;
    use crate::store::{Store, T, TABLE_NAMES};

    /// The `i`th order of a page as a shop sends it: its own name, customer and address.
    fn fetched(i: u64, at: chrono::DateTime<chrono::Utc>) -> FetchedOrder {
        let [first, last, city] = [["Anna", "Kovács", "Győr"], ["Jan", "Novák", "Brno"]]
            [i as usize % 2]
            .map(str::to_string);
        let shop = ShopOrder {
            remote_id: format!("{}", 5000 + i),
            name: format!("{}", 1000 + i),
            created_at: at - chrono::Duration::minutes(i as i64),
            updated_at: at,
            test: false,
            currency: "EUR".into(),
            total: Money::new(1250 + i as i64, 2),
            subtotal: Money::new(1250 + i as i64, 2),
            tax_total: Money::ZERO,
            discount_total: Money::ZERO,
            shipping_total: Money::ZERO,
            taxes_included: true,
            financial: RemoteFinancial::Paid,
            financial_label: "paid".into(),
            fulfillment: RemoteFulfillment::Unfulfilled,
            cancelled: false,
            email: Some(format!("buyer{i}@example.com")),
            phone: None,
            customer: Some(ShopCustomer {
                remote_id: format!("{}", 700 + i),
                first_name: first.clone(),
                last_name: last.clone(),
                email: Some(format!("buyer{i}@example.com")),
                phone: None,
            }),
            billing_address: Some(ShopAddress {
                first_name: first,
                last_name: last,
                city,
                ..ShopAddress::default()
            }),
            shipping_address: None,
            shipping: None,
            lines: vec![],
            authorization: None,
            payment_gateways: vec![],
        };
        FetchedOrder {
            remote_id: shop.remote_id.clone(),
            name: Some(shop.name.clone()),
            updated_at: Some(shop.updated_at),
            raw: serde_json::to_string(&shop).expect("an order writes as JSON"),
            order: Ok(shop),
        }
    }

    /// Orders of every kind a page brings: booked, parked (kept with the order as read),
    /// rejected, one with conflicts; none, one or two timeline entries; with and without a
    /// payload.
    fn page() -> Vec<(FetchedOrder, Order, Vec<TimelineEntry>)> {
        let now = chrono::Utc::now();
        let states = [
            OrderState::Booked,
            OrderState::CustomerIdNeeded,
            OrderState::ProductMatchFailed,
            OrderState::Rejected,
        ];
        (0..30u64)
            .map(|i| {
                let inc = fetched(i, now);
                let shop = inc.order.clone().expect("the order reads");
                let result = IntakeResult {
                    state: states[i as usize % states.len()],
                    rejected_by: vec![],
                    customer: CustomerDecision::Missing("nobody".into()),
                    lines: vec![],
                    problems: vec![format!("problem {i}")],
                };
                let mut order = build_order(i + 1, "web", &shop, &result, None);
                if i % 7 == 3 {
                    order.conflicts.push("the shop changed the address".into());
                }
                let note = |kind: &str| TimelineEntry {
                    at: now,
                    by: "sync".into(),
                    kind: kind.into(),
                    text: format!("{kind} {i}"),
                };
                let notes = (0..i % 3)
                    .map(|n| note(["fetched", "booked"][n as usize]))
                    .collect();
                (inc, order, notes)
            })
            .collect()
    }

    fn raw(inc: &FetchedOrder, i: usize) -> Option<&str> {
        (i % 5 != 4).then_some(inc.raw.as_str())
    }

    fn shop(inc: &FetchedOrder) -> &ShopOrder {
        inc.order.as_ref().expect("a sample reads")
    }

    /// Each table's entries, in key order.
    type Tables = Vec<(T, Vec<(Vec<u8>, Vec<u8>)>)>;

    fn everything(store: &Store) -> Tables {
        T::ALL
            .iter()
            .map(|t| {
                let entries = store.tree(*t).iter().collect::<Result<_, _>>();
                (*t, entries.expect("walk"))
            })
            .collect()
    }

    /// A page written through the encoding thread is, entry for entry, what writing each
    /// order in turn writes; and an order added is found by its remote id before the page
    /// ends (an order fetched twice in one page is an update of the first).
    #[test]
    fn new_orders_written_beside_the_transaction_are_written_as_one_by_one() {
        let page = page();
        for engine in Engine::ALL {
            let (a, b) = (
                tempfile::tempdir().expect("dir"),
                tempfile::tempdir().expect("dir"),
            );
            let one_by_one = Store::open_with(a.path(), engine).expect("open");
            one_by_one
                .write(|tx| {
                    for (i, (inc, order, notes)) in page.iter().enumerate() {
                        tx.timeline_all(order.id, notes)?;
                        tx.put_source(order.id, raw(inc, i), shop(inc), order.state)?;
                        tx.put_order(order)?;
                    }
                    Ok(())
                })
                .expect("write");
            let beside = Store::open_with(b.path(), engine).expect("open");
            let found = beside
                .write(|tx| {
                    tx.with_new_orders(|w| {
                        let mut found = vec![];
                        for (i, (inc, order, notes)) in page.iter().enumerate() {
                            w.add(NewOrder {
                                order: order.clone(),
                                notes: notes.clone(),
                                raw: raw(inc, i),
                                shop: shop(inc),
                            })?;
                            if i % 10 == 9 {
                                found.push(w.order_by_remote("web", &order.remote_id)?);
                                assert!(w.tx().get_order(order.id)?.is_some(), "{engine}");
                            }
                        }
                        Ok(found)
                    })
                })
                .expect("write");
            assert_eq!(found, vec![Some(10), Some(20), Some(30)], "{engine}");
            let (want, got) = (everything(&one_by_one), everything(&beside));
            for ((t, want), (_, got)) in want.iter().zip(&got) {
                assert_eq!(got, want, "{engine}: table {}", TABLE_NAMES[*t as usize]);
            }
            assert!(
                want.iter()
                    .any(|(t, e)| *t == T::ShopOrders && e.len() > 10)
            );
        }
    }
}
