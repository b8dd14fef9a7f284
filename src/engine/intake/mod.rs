//! The intake command: an order the shop sent becomes booked, parked, rejected, skipped or
//! updated, each in one store transaction (DESIGN.md §1).

mod plan;
mod remote;
mod settle;

pub(crate) use settle::give_back;

use super::records::{LineMapping, Overlay, StoreRecords};
use super::{Engine, EngineError, EngineEvent, StoreSettings, TimelineEntry};
use crate::domain::intake::{self, IntakeResult, build_order};
use crate::domain::{FetchedOrder, Order, OrderState, ShopOrder, delivery};
use crate::store::{NewOrder, NewOrders, StoreError, Tx, TxError, Unreadable};
use chrono::Utc;
use plan::Planned;
use settle::{MISFORESEEN, settle};

/// What a batch did, for the sync log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeTally {
    pub fetched: u64,
    pub booked: u64,
    pub parked: u64,
    pub rejected: u64,
    pub skipped: u64,
    pub cancelled: u64,
    pub errors: u64,
    /// Stock levels the shop took in the run (the stock worker's).
    pub stock_updated: u64,
    pub touched: Vec<(u64, String, String)>,
    pub error_lines: Vec<String>,
    /// A line from the connector for the sync log (a platform's request budget used today).
    pub note: Option<String>,
}

/// What happened to one order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    New(OrderState),
    Skipped,
    Unchanged,
    Updated(OrderState),
    /// Fetched again after booking: the shop's news recorded (or a conflict), no new state.
    Remote(String),
    Cancelled,
    Unreadable(String),
}

pub(crate) fn entry(kind: &str, text: impl Into<String>) -> TimelineEntry {
    TimelineEntry {
        at: Utc::now(),
        by: "sync".into(),
        kind: kind.into(),
        text: text.into(),
    }
}

impl Engine {
    /// Runs intake on a batch of fetched orders of one store in one store transaction (each
    /// order whole, the batch whole); flushes once after the batch.
    pub fn intake_batch(
        &self,
        store_id: &str,
        batch: Vec<FetchedOrder>,
    ) -> Result<IntakeTally, EngineError> {
        let st = self.setting(store_id)?.clone();
        let mut tally = IntakeTally::default();
        let _guard = self.lock();
        self.learn_parents(&st, &batch)?;
        if st.catalog_from_orders {
            self.add_products_met(&st, &batch)?;
        }
        // Each run is matched first, then written in one transaction (see plan.rs): a page is
        // one run but for an order fetched again that creates a customer.
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut foresee = true;
        while outcomes.len() < batch.len() {
            let rest = &batch[outcomes.len()..];
            let plans = self.plan(&st, rest, foresee)?;
            let run = &rest[..plans.len()];
            let done = self.store().write(|tx| {
                tx.with_new_orders(|w| {
                    run.iter()
                        .zip(&plans)
                        .map(|(inc, plan)| self.intake_one(w, &st, inc, plan))
                        .collect::<Result<Vec<_>, TxError>>()
                })
            });
            match done {
                Ok(done) => outcomes.extend(done),
                // A customer created under another id than matching foresaw (the store
                // changed between): nothing of the run was written, and the rest goes again
                // a run per customer created, each matched against the store as committed.
                Err(StoreError::Refused(e)) if foresee && e.starts_with(MISFORESEEN) => {
                    tracing::warn!(store = st.id, "{e}: the page is taken in run by run");
                    foresee = false;
                }
                Err(e) => return Err(e.into()),
            }
        }
        for (inc, (id, outcome)) in batch.iter().zip(outcomes) {
            tally.fetched += 1;
            let label = inc
                .name
                .clone()
                .unwrap_or_else(|| format!("order {}", inc.remote_id));
            let what = match &outcome {
                Outcome::New(s) | Outcome::Updated(s) => {
                    match s {
                        OrderState::Booked => tally.booked += 1,
                        OrderState::Rejected => tally.rejected += 1,
                        s if s.needs_action() => tally.parked += 1,
                        _ => {}
                    }
                    s.label().to_string()
                }
                Outcome::Skipped => {
                    tally.skipped += 1;
                    continue;
                }
                Outcome::Unchanged => continue,
                Outcome::Remote(what) => what.clone(),
                Outcome::Cancelled => {
                    tally.cancelled += 1;
                    "cancelled at the shop".into()
                }
                Outcome::Unreadable(reason) => {
                    tally.errors += 1;
                    tally
                        .error_lines
                        .push(format!("#{label}: could not be read: {reason}"));
                    continue;
                }
            };
            if let Some(id) = id {
                tally.touched.push((id, label, what));
            }
        }
        self.flush_step()?;
        drop(_guard);
        self.emit(EngineEvent::OrdersChanged);
        self.emit(EngineEvent::ProblemsChanged);
        Ok(tally)
    }

    /// One order of a run: a new one goes to `w` (its records are encoded beside the
    /// transaction), the rest is written here.
    fn intake_one<'a>(
        &self,
        w: &mut NewOrders<'_, '_, 'a>,
        st: &StoreSettings,
        inc: &'a FetchedOrder,
        plan: &Option<Planned>,
    ) -> Result<(Option<u64>, Outcome), TxError> {
        let tx = w.tx();
        let (shop, plan) = match (&inc.order, plan) {
            (Ok(o), Some(plan)) => (o, plan),
            (Ok(_), None) => {
                return Err(TxError::Abort(crate::store::StoreError::Refused(
                    "intake: an order was not matched before writing".into(),
                )));
            }
            (Err(reason), _) => {
                let u = Unreadable {
                    store: st.id.clone(),
                    remote_id: inc.remote_id.clone(),
                    name: inc.name.clone(),
                    reason: reason.clone(),
                    raw: inc.raw.clone(),
                    at: Utc::now(),
                };
                tx.put_unreadable(&u)?;
                return Ok((None, Outcome::Unreadable(reason.clone())));
            }
        };
        let Some(id) = w.order_by_remote(&st.id, &shop.remote_id)? else {
            let tx = w.tx();
            tx.remove_unreadable(&st.id, &shop.remote_id)?;
            if shop.dealt_with_elsewhere().is_some() {
                return Ok((None, Outcome::Skipped));
            }
            let result = &plan.result;
            let id = tx.next_id("order")?;
            let mut order =
                build_order(id, &st.id, shop, result, st.intake.phone_region.as_deref());
            let mut notes = vec![entry(
                "fetched",
                format!("fetched from {} ({})", st.id, shop.financial_label),
            )];
            if let Some(s) = &order.shipping {
                let text = delivery::describe(s, &order.currency);
                notes.push(entry("delivery", text));
            }
            let decision = (&result.customer, plan.new_customer.as_deref());
            settle(tx, st, shop, decision, &mut order, &mut notes)?;
            w.add(NewOrder {
                order,
                notes,
                raw: Some(&inc.raw),
                shop,
            })?;
            return Ok((Some(id), Outcome::New(result.state)));
        };
        w.drain()?;
        self.update_existing(w.tx(), st, inc, shop, plan, id)
    }
}

impl Engine {
    /// Runs intake again on a parked order with `shop` (as fetched, or as kept), in one
    /// transaction with `why` on its timeline. Payments and a dismissal stay.
    pub(crate) fn reintake(
        &self,
        st: &StoreSettings,
        old: &Order,
        shop: &ShopOrder,
        raw: Option<&str>,
        why: TimelineEntry,
    ) -> Result<OrderState, EngineError> {
        self.reintake_with(st, old, shop, raw, why, None, vec![], &|_| Ok(()))
    }

    /// `reintake`, with a customer link the command is about to remember and its own writes
    /// in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn reintake_with(
        &self,
        st: &StoreSettings,
        old: &Order,
        shop: &ShopOrder,
        raw: Option<&str>,
        why: TimelineEntry,
        link: Option<(String, String)>,
        lines: Vec<LineMapping>,
        writes: &dyn Fn(&Tx) -> Result<(), TxError>,
    ) -> Result<OrderState, EngineError> {
        let lines = self.kept_mappings(st, shop, lines)?;
        let overlay = Overlay {
            base: StoreRecords(self.store()),
            link,
            lines,
            created: &[],
        };
        let result = intake::intake(&st.id, shop, &st.intake, &overlay);
        let redo = Redo {
            old,
            shop,
            raw,
            why: &why,
        };
        Ok(self.store().write(|tx| {
            writes(tx)?;
            reintake_in(tx, st, &redo, &result)
        })?)
    }

    /// `lines` plus the mappings the operator made for this order's lines alone.
    fn kept_mappings(
        &self,
        st: &StoreSettings,
        shop: &ShopOrder,
        mut lines: Vec<LineMapping>,
    ) -> Result<Vec<LineMapping>, crate::store::StoreError> {
        for (line_id, product_id) in self.store().order_line_mappings(&st.id, &shop.remote_id)? {
            if shop.lines.iter().any(|l| l.remote_id == line_id) {
                lines.push(LineMapping::ThisLine {
                    line_id,
                    product_id,
                });
            }
        }
        Ok(lines)
    }
}

/// What intake runs again with: the order as kept, the shop's data and why.
struct Redo<'a> {
    old: &'a Order,
    shop: &'a ShopOrder,
    raw: Option<&'a str>,
    why: &'a TimelineEntry,
}

/// Writes what intake decided (`result`) for a parked order run again.
fn reintake_in(
    tx: &Tx,
    st: &StoreSettings,
    redo: &Redo,
    result: &IntakeResult,
) -> Result<OrderState, TxError> {
    let (old, shop) = (redo.old, redo.shop);
    let id = old.id;
    tx.remove_unreadable(&st.id, &shop.remote_id)?;
    let mut order = build_order(id, &st.id, shop, result, st.intake.phone_region.as_deref());
    order.payments = old.payments.clone();
    order.dismissed = old.dismissed && result.state == OrderState::Rejected;
    let mut notes = vec![redo.why.clone()];
    let shipping = (old.shipping.as_ref(), order.shipping.as_ref());
    if let Some(text) = delivery::change(shipping.0, shipping.1, &order.currency) {
        notes.push(entry("delivery", text));
    }
    settle(
        tx,
        st,
        shop,
        (&result.customer, None),
        &mut order,
        &mut notes,
    )?;
    tx.timeline_all(id, &notes)?;
    tx.put_source(id, redo.raw, shop, order.state)?;
    tx.put_order(&order)?;
    Ok(result.state)
}
