//! Payments, status changes (with what the shop must hear) and notes.

use super::*;
use crate::domain::limits::{self, show_amount};
use crate::domain::platform::LocalChange;

impl Engine {
    /// Records a payment. More than the balance only with `over_balance_ok`.
    pub fn record_payment(
        &self,
        order_id: u64,
        method: &str,
        amount: Money,
        comment: &str,
        over_balance_ok: bool,
    ) -> Result<Payment, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        if matches!(
            order.state,
            OrderState::Rejected | OrderState::Cancelled | OrderState::Refused
        ) {
            return Err(EngineError::Refused(format!(
                "{} is {}: no payment can be recorded",
                order.display_name(),
                order.state.label()
            )));
        }
        if method.trim().is_empty() {
            return Err(FormErrors(vec![FieldError {
                field: "method".into(),
                message: "choose a payment method".into(),
            }])
            .into());
        }
        let checked = if amount <= Money::ZERO {
            Err("the amount must be more than zero".to_string())
        } else {
            limits::check_amount(amount)
        };
        if let Err(message) = checked {
            return Err(FormErrors(vec![FieldError {
                field: "amount".into(),
                message,
            }])
            .into());
        }
        if let Err(message) =
            limits::check_text("the comment", comment.trim(), limits::MAX_LINE_CHARS, false)
        {
            return Err(FormErrors(vec![FieldError {
                field: "comment".into(),
                message,
            }])
            .into());
        }
        if amount > order.balance() && !over_balance_ok {
            return Err(EngineError::Refused(format!(
                "{} is more than the balance {} of {}; confirm to record it anyway",
                show_amount(amount, &order.currency),
                show_amount(order.balance(), &order.currency),
                order.display_name()
            )));
        }
        let payment = Payment {
            method: method.trim().to_string(),
            amount,
            comment: comment.trim().to_string(),
            operator: self.operator().to_string(),
            at: Utc::now(),
        };
        let mut o = order.clone();
        o.payments.push(payment.clone());
        let text = format!(
            "payment {} {}{}; balance {}",
            payment.method,
            show_amount(amount, &o.currency),
            if payment.comment.is_empty() {
                String::new()
            } else {
                format!(" ({})", payment.comment)
            },
            show_amount(o.balance(), &o.currency)
        );
        let entry = self.op("payment", text);
        self.store().write(|tx| {
            tx.timeline(o.id, &entry)?;
            tx.put_order_over(Some(&order), &o)
        })?;
        drop(_g);
        self.done()?;
        Ok(payment)
    }

    /// Moves the order (only as DESIGN.md §1 allows) and queues what the shop must hear.
    pub fn change_status(
        &self,
        order_id: u64,
        change: &StatusChange,
    ) -> Result<OrderState, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        if let Some(why) = refusal(&order, change) {
            return Err(EngineError::Refused(why));
        }
        let st = self.setting(&order.store)?.clone();
        // The status the store maps to a plain move, or why the shop is not told. A platform
        // without status names of its own (`statuses: None`, Shopify) is told nothing and
        // needs no word: its order's state follows its fulfilments and cancels, so a shipped
        // order, or a completed pickup (fulfilled just below), already reads as done there, and
        // "ready to ship" is what an unfulfilled order is.
        let (mut not_told, mut set_status) = (None, None);
        if let Some(map) = &st.statuses {
            let local = match change {
                StatusChange::ReadyToShip => Some(LocalChange::ReadyToShip),
                StatusChange::Completed => Some(LocalChange::Completed),
                _ => None,
            };
            match local.map(|c| (c, map.status_for(c))) {
                Some((c, Some(status))) => {
                    set_status = Some(ShopChange::SetStatus {
                        change: c,
                        status: status.to_string(),
                    })
                }
                Some((c, None)) => {
                    not_told = Some(format!(
                        "the shop is not told: store {} maps no status for {} \
                         ([store.statuses] {})",
                        st.id,
                        c.label(),
                        c.key()
                    ))
                }
                None => {}
            }
        }
        let shop_change = match change {
            // Only a pickup order gets here (`refusal`).
            StatusChange::ReadyForPickup => Some(ShopChange::PreparedForPickup),
            StatusChange::ReadyToShip => None,
            StatusChange::Shipped { carrier, tracking } => {
                Some(fulfil_with_tracking(&st, carrier, tracking)?)
            }
            StatusChange::Completed => (order.state == OrderState::ReadyForPickup
                && order.fulfillment != crate::domain::RemoteFulfillment::Fulfilled)
                .then_some(ShopChange::Fulfil {
                    company: None,
                    number: None,
                    notify_customer: false,
                }),
            StatusChange::Refused { reason } => Some(ShopChange::Cancel {
                reason: reason.trim().to_string(),
                notify_customer: true,
                refund: true,
                restock: true,
            }),
        };
        let target = change.target();
        let mut text = format!("status {} -> {}", order.state.as_str(), target.as_str());
        match change {
            StatusChange::Shipped { carrier, tracking } => {
                text.push_str(&format!(" ({} {})", carrier.trim(), tracking.trim()))
            }
            StatusChange::Refused { reason } => text.push_str(&format!(": {}", reason.trim())),
            _ => {}
        }
        let entry = self.op("status", text);
        let not_told = not_told.map(|t| self.op("not sent", t));
        let operator = self.operator().to_string();
        self.store().write(|tx| {
            let mut o = order.clone();
            if target == OrderState::Refused {
                give_back(tx, &mut o)?;
                o.problems.clear();
            }
            // A parked order refused no longer runs intake again.
            if order.state.reruns_intake() && !target.reruns_intake() {
                tx.forget_shop_order(o.id)?;
            }
            o.state = target;
            tx.timeline(o.id, &entry)?;
            // A completed pickup is handed over (fulfilled) before its status is set.
            for c in shop_change.iter().chain(&set_status) {
                queue(tx, &st, &o, c.clone(), &operator)?;
            }
            if let Some(e) = &not_told {
                tx.timeline(o.id, e)?;
            }
            tx.put_order_over(Some(&order), &o)
        })?;
        drop(_g);
        self.done()?;
        Ok(target)
    }

    /// A free note on the order's timeline.
    pub fn add_note(&self, order_id: u64, note: &str) -> Result<(), EngineError> {
        let checked = if note.trim().is_empty() {
            Err("the note is empty".to_string())
        } else {
            limits::check_text("the note", note.trim(), limits::MAX_NOTE_CHARS, true)
        };
        if let Err(message) = checked {
            return Err(FormErrors(vec![FieldError {
                field: "note".into(),
                message,
            }])
            .into());
        }
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        let entry = self.op("note", note.trim());
        self.store().write(|tx| tx.timeline(order.id, &entry))?;
        drop(_g);
        self.done()
    }
}

/// The shipping notification for a shipped order: a fulfilment with the shop's name of the
/// carrier and the tracking number. An unmapped carrier is refused, never sent bare.
pub(crate) fn fulfil_with_tracking(
    st: &StoreSettings,
    carrier: &str,
    tracking: &str,
) -> Result<ShopChange, EngineError> {
    let Some(company) = st.carriers.get(carrier.trim()) else {
        let known: Vec<&str> = st.carriers.keys().map(String::as_str).collect();
        return Err(EngineError::Refused(format!(
            "carrier \"{}\" is not mapped for store {} (add it under [store.carriers]; mapped: {})",
            carrier.trim(),
            st.id,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )));
    };
    Ok(ShopChange::Fulfil {
        company: Some(company.clone()),
        number: Some(tracking.trim().to_string()),
        notify_customer: true,
    })
}
