//! The intake command: an order the shop sent becomes booked, parked, rejected, skipped or
//! updated, each in one store transaction (DESIGN.md §1).

use super::records::{Overlay, StoreRecords};
use super::{Engine, EngineError, EngineEvent, StoreSettings, TimelineEntry};
use crate::domain::intake::{
    self, CustomerDecision, IntakeResult, build_order, line_changes, stock_taken,
};
use crate::domain::{
    Customer, FetchedOrder, Order, OrderState, RemoteFulfillment, ShopOrder, phone,
};
use crate::store::{Tx, TxError, Unreadable};
use chrono::Utc;

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
    pub touched: Vec<(u64, String, String)>,
    pub error_lines: Vec<String>,
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
        // Matching reads the store's indexes, which sled does not allow inside a transaction:
        // each order is matched first, then a run of orders is written in one transaction. A
        // run ends after an order that creates a customer, so the next order of the same new
        // customer matches the created one.
        let mut outcomes = Vec::with_capacity(batch.len());
        while outcomes.len() < batch.len() {
            let rest = &batch[outcomes.len()..];
            let plans = self.plan(&st, rest)?;
            let run = &rest[..plans.len()];
            let done = self.store().write(|tx| {
                run.iter()
                    .zip(&plans)
                    .map(|(inc, plan)| self.intake_one(tx, &st, inc, plan))
                    .collect::<Result<Vec<_>, TxError>>()
            })?;
            outcomes.extend(done);
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

    /// Matches the orders of `batch` against the store as it is, up to and including the
    /// first that creates a customer: what intake decides for each (`None`: unreadable).
    fn plan(
        &self,
        st: &StoreSettings,
        batch: &[FetchedOrder],
    ) -> Result<Vec<Option<Planned>>, EngineError> {
        let mut out = Vec::new();
        for inc in batch {
            let Ok(shop) = &inc.order else {
                out.push(None);
                continue;
            };
            let lines = match self.store().order_by_remote(&st.id, &shop.remote_id)? {
                Some(_) => self.kept_mappings(st, shop, vec![])?,
                None => vec![],
            };
            let overlay = Overlay {
                base: StoreRecords(self.store()),
                link: None,
                lines,
            };
            let result = intake::intake(&st.id, shop, &st.intake, &overlay);
            let creates = matches!(result.customer, CustomerDecision::Create)
                && result.state != OrderState::Rejected;
            out.push(Some(Planned { result }));
            if creates {
                break;
            }
        }
        Ok(out)
    }

    fn intake_one(
        &self,
        tx: &Tx,
        st: &StoreSettings,
        inc: &FetchedOrder,
        plan: &Option<Planned>,
    ) -> Result<(Option<u64>, Outcome), TxError> {
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
        let Some(id) = tx.order_by_remote(&st.id, &shop.remote_id)? else {
            tx.remove_unreadable(&st.id, &shop.remote_id)?;
            if shop.dealt_with_elsewhere().is_some() {
                return Ok((None, Outcome::Skipped));
            }
            let result = &plan.result;
            let id = tx.next_id("order")?;
            let mut order =
                build_order(id, &st.id, shop, result, st.intake.phone_region.as_deref());
            tx.timeline(
                id,
                &entry(
                    "fetched",
                    format!("fetched from {} ({})", st.id, shop.financial_label),
                ),
            )?;
            settle(tx, st, shop, &result.customer, &mut order)?;
            tx.put_source(id, &inc.raw, shop)?;
            tx.put_order(&order)?;
            return Ok((Some(id), Outcome::New(result.state)));
        };
        self.update_existing(tx, st, inc, shop, plan, id)
    }

    /// An order fetched again: remote changes applied or recorded (DESIGN.md §1).
    fn update_existing(
        &self,
        tx: &Tx,
        st: &StoreSettings,
        inc: &FetchedOrder,
        shop: &ShopOrder,
        plan: &Planned,
        id: u64,
    ) -> Result<(Option<u64>, Outcome), TxError> {
        let Some(old) = tx.get_order(id)? else {
            return Ok((Some(id), Outcome::Unchanged));
        };
        let changes = line_changes(&old.lines, shop);
        let newly_cancelled = shop.cancelled && !old.remote_cancelled;
        let same = old.updated_at == shop.updated_at && changes.is_empty() && !newly_cancelled;
        // An older copy than the one kept (a repeated page, a late answer) changes nothing.
        let stale = shop.updated_at < old.updated_at;
        tx.remove_unreadable(&st.id, &shop.remote_id)?;
        if same || stale {
            return Ok((Some(id), Outcome::Unchanged));
        }
        let parked = matches!(
            old.state,
            OrderState::CustomerIdNeeded | OrderState::ProductMatchFailed | OrderState::Rejected
        );
        if parked && !shop.cancelled {
            // Not booked yet: the shop's data replaces ours and intake runs again.
            let what = if changes.is_empty() {
                "updated at the shop".to_string()
            } else {
                changes.join("; ")
            };
            let redo = Redo {
                old: &old,
                shop,
                raw: Some(&inc.raw),
                why: &entry("updated", what),
            };
            let state = reintake_in(tx, st, &redo, &plan.result)?;
            return Ok((Some(id), Outcome::Updated(state)));
        }
        {
            let mut order = old.clone();
            order.updated_at = shop.updated_at;
            order.financial = shop.financial;
            order.financial_label = shop.financial_label.clone();
            order.fulfillment = shop.fulfillment;
            order.remote_cancelled = shop.cancelled;
            let mut outcome = Outcome::Remote("updated at the shop".into());
            if newly_cancelled {
                if order.state.cancellable_by_shop() {
                    let held = !order.booked_stock.is_empty();
                    give_back(tx, &mut order)?;
                    order.state = OrderState::Cancelled;
                    order.problems.clear();
                    tx.timeline(
                        id,
                        &entry(
                            "cancelled",
                            if held {
                                "cancelled at the shop; booked stock given back"
                            } else {
                                "cancelled at the shop"
                            },
                        ),
                    )?;
                    outcome = Outcome::Cancelled;
                } else if order.state == OrderState::Refused {
                    tx.timeline(
                        id,
                        &entry(
                            "confirmed",
                            "the shop shows the order cancelled, as refused here",
                        ),
                    )?;
                } else {
                    let text = format!("cancelled at the shop while {} here", order.state.label());
                    order.conflicts.push(text.clone());
                    tx.timeline(id, &entry("conflict", text))?;
                }
            } else if !changes.is_empty() && order.state.holds_stock() {
                let text = format!(
                    "changed at the shop after booking, not applied: {}",
                    changes.join("; ")
                );
                outcome = Outcome::Remote("conflict".into());
                if !order.conflicts.contains(&text) {
                    order.conflicts.push(text.clone());
                    tx.timeline(id, &entry("conflict", text))?;
                }
            } else if !changes.is_empty() {
                // Cancelled or refused here: the lines no longer matter (a refund coming
                // back empties them), so the change is only recorded.
                tx.timeline(
                    id,
                    &entry(
                        "updated",
                        format!("updated at the shop: {}", changes.join("; ")),
                    ),
                )?;
            } else if old.fulfillment != shop.fulfillment
                && shop.fulfillment == RemoteFulfillment::Fulfilled
                && matches!(
                    old.state,
                    OrderState::Shipped | OrderState::Completed | OrderState::ReadyForPickup
                )
            {
                // Our own fulfilment coming back from the shop.
                tx.timeline(
                    id,
                    &entry(
                        "confirmed",
                        "the shop shows the order fulfilled, as sent from here",
                    ),
                )?;
            } else {
                tx.timeline(
                    id,
                    &entry(
                        "updated",
                        format!("updated at the shop ({})", shop.financial_label),
                    ),
                )?;
            }
            tx.put_source(id, &inc.raw, shop)?;
            tx.put_order(&order)?;
            Ok((Some(id), outcome))
        }
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
        lines: Vec<(Option<String>, Option<String>, String)>,
        writes: &dyn Fn(&Tx) -> Result<(), TxError>,
    ) -> Result<OrderState, EngineError> {
        let lines = self.kept_mappings(st, shop, lines)?;
        let overlay = Overlay {
            base: StoreRecords(self.store()),
            link,
            lines,
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
        for (line_id, product) in self.store().order_line_mappings(&st.id, &shop.remote_id)? {
            if let Some(l) = shop.lines.iter().find(|l| l.remote_id == line_id) {
                let sku = l
                    .sku
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string);
                lines.push((l.variant_id.clone(), sku, product));
            }
        }
        Ok(lines)
    }
}

/// A line mapping intake sees: (variant id, SKU, product id).
type LineMapping = (Option<String>, Option<String>, String);

/// What one order's matching decided, before its transaction.
struct Planned {
    result: IntakeResult,
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
    tx.timeline(id, redo.why)?;
    settle(tx, st, shop, &result.customer, &mut order)?;
    if let Some(raw) = redo.raw {
        tx.put_source(id, raw, shop)?;
    }
    tx.put_order(&order)?;
    Ok(result.state)
}

/// The customer decision and, for a booked order, the sale: stock taken, timeline.
fn settle(
    tx: &Tx,
    st: &StoreSettings,
    shop: &ShopOrder,
    decision: &CustomerDecision,
    order: &mut Order,
) -> Result<(), TxError> {
    match decision {
        CustomerDecision::Found(found) => {
            order.customer.id = Some(found.id().to_string());
            tx.timeline(
                order.id,
                &entry(
                    "matched",
                    format!("customer {} matched by {}", found.id(), found.how()),
                ),
            )?;
        }
        // A rejected order was not taken: nobody is created for it.
        CustomerDecision::Unspecified | CustomerDecision::Create
            if order.state == OrderState::Rejected => {}
        CustomerDecision::Unspecified => {
            let id = format!("U-{}", st.id);
            if tx.get_customer(&id)?.is_none() {
                tx.put_customer(&Customer {
                    id: id.clone(),
                    first_name: "Unspecified".into(),
                    last_name: "customer".into(),
                    unspecified_for: Some(st.id.clone()),
                    ..Customer::default()
                })?;
            }
            order.customer.id = Some(id.clone());
            if order.customer.name().is_empty() {
                order.customer.first_name = "Unspecified customer".into();
            }
            tx.timeline(
                order.id,
                &entry(
                    "matched",
                    format!("no contact on the order: booked to {id}, the unspecified customer"),
                ),
            )?;
        }
        CustomerDecision::Create => {
            let id = loop {
                let id = format!("C{}", tx.next_id("customer")?);
                if tx.get_customer(&id)?.is_none() {
                    break id;
                }
            };
            let (first, last) = shop.person_name();
            let addr = shop
                .billing_address
                .clone()
                .or_else(|| shop.shipping_address.clone())
                .unwrap_or_default();
            let c = Customer {
                id: id.clone(),
                first_name: first,
                last_name: last,
                email: shop.best_email().map(str::to_string),
                phone: shop
                    .phones()
                    .first()
                    .and_then(|p| phone::normalize(p, st.intake.phone_region.as_deref())),
                address: [addr.address1, addr.address2].join(" ").trim().to_string(),
                city: addr.city,
                postal_code: addr.postal_code,
                country: addr.country,
                remote_ids: shop
                    .customer
                    .as_ref()
                    .map(|c| vec![format!("{}:{}", st.id, c.remote_id)])
                    .unwrap_or_default(),
                unspecified_for: None,
            };
            tx.put_customer(&c)?;
            order.customer.id = Some(id.clone());
            tx.timeline(
                order.id,
                &entry("matched", format!("customer {id} created from the order")),
            )?;
        }
        CustomerDecision::Missing(_) => {}
    }
    match order.state {
        OrderState::Booked => {
            let taken = stock_taken(&order.lines);
            let mut oversold = Vec::new();
            for (pid, qty) in &taken {
                if let Some(p) = tx.adjust_stock(pid, -qty)?
                    && p.stock < 0
                {
                    oversold.push(format!("{pid} (stock {})", p.stock));
                }
            }
            order.booked_stock = taken;
            let mut text = format!(
                "booked: {} line(s), total {}",
                order.lines.len(),
                crate::domain::limits::show_amount(order.total, &order.currency)
            );
            if !oversold.is_empty() {
                text.push_str(&format!("; oversold: {}", oversold.join(", ")));
            }
            tx.timeline(order.id, &entry("booked", text))?;
        }
        OrderState::Rejected => {
            tx.timeline(order.id, &entry("rejected", order.problems.join("; ")))?;
        }
        s => {
            tx.timeline(
                order.id,
                &entry(
                    "parked",
                    format!("{}: {}", s.label(), order.problems.join("; ")),
                ),
            )?;
        }
    }
    Ok(())
}

/// Gives back what booking took from stock.
pub(crate) fn give_back(tx: &Tx, order: &mut Order) -> Result<(), TxError> {
    for (pid, qty) in std::mem::take(&mut order.booked_stock) {
        tx.adjust_stock(&pid, qty)?;
    }
    Ok(())
}
