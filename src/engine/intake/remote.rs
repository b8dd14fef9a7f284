//! An order the shop sends again: before booking the shop's data replaces ours and intake runs
//! again; after booking its news is recorded, a line change is a conflict (DESIGN.md §1).

use super::settle::give_back;
use super::{Outcome, Planned, Redo, entry, reintake_in};
use crate::domain::intake::line_changes;
use crate::domain::{FetchedOrder, OrderState, RemoteFulfillment, ShopOrder, delivery};
use crate::engine::{Engine, StoreSettings};
use crate::store::{Tx, TxError};

impl Engine {
    /// An order fetched again: remote changes applied or recorded (DESIGN.md §1).
    pub(super) fn update_existing(
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
        let shipping = delivery::shipping_of(shop);
        let delivery_news =
            delivery::change(old.shipping.as_ref(), shipping.as_ref(), &old.currency);
        let same = old.updated_at == shop.updated_at
            && changes.is_empty()
            && !newly_cancelled
            && delivery_news.is_none();
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
            // Where and how the goods go is the shop's to change, booked or not: recorded,
            // never a conflict.
            order.shipping = shipping;
            if let Some(text) = &delivery_news {
                tx.timeline(id, &entry("delivery", text.as_str()))?;
                outcome = Outcome::Remote("delivery changed at the shop".into());
            }
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
            } else if delivery_news.is_none() || old.financial_label != shop.financial_label {
                tx.timeline(
                    id,
                    &entry(
                        "updated",
                        format!("updated at the shop ({})", shop.financial_label),
                    ),
                )?;
            }
            tx.put_source(id, Some(&inc.raw), shop, order.state)?;
            tx.put_order(&order)?;
            Ok((Some(id), outcome))
        }
    }
}
