//! Changes pushed to the shop, and the order's state read back to tell whether a change
//! already took effect. Every push reads the order first (`GET /api/orders/{id}`), so a
//! change the shop already shows is not made again:
//!
//! - Prepared for pickup: a new state (`POST /api/order_histories`, the store's
//!   ready-for-pickup state; none by default, and then the push says the shop was not told).
//! - Fulfil: the tracking number on the order's carrier (`PUT /api/order_carriers/{id}`, the
//!   whole object with its `tracking_number`), unless it has it, then the shipped state.
//! - Set status (ready to ship, completed): the state the store maps, unless the order is in
//!   it; not for an order cancelled at the shop.
//! - Cancel: the refused state. The webservice makes no refund: a refund, a restock and the
//!   customer's email are what that state does at the shop (default "6", canceled; a store
//!   whose refusals refund maps `refused` to its refund state, "7" on a default install).
//!
//! A state is set with `sendemail=1` when the customer is to hear of it, so the shop sends
//! the state's own email.

use super::PrestaShopChannel;
use super::api::list;
use super::xml;
use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::http::steps::{self, Step, outcome, then};
use crate::channels::{ChannelError, PushOutcome};
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use reqwest::Method;
use serde_json::Value;

impl PrestaShopChannel {
    pub(super) async fn remote_order_state(
        &self,
        remote_id: &str,
    ) -> Result<Option<RemoteOrderState>, ChannelError> {
        let Some(order) = self.order_json(remote_id).await? else {
            return Ok(None);
        };
        let state = state_of(&order)?;
        let s = &self.statuses;
        // A tracking number counts as sent once the order is in the shipped state too (a
        // push that died between the two sets the state without the number twice).
        let fulfilled = s.is_fulfilled(&state);
        let tracking_numbers = if fulfilled || s.shipped.is_none() {
            self.tracking_numbers(remote_id.trim(), &order).await?
        } else {
            Vec::new()
        };
        Ok(Some(RemoteOrderState {
            cancelled: s.is_cancelled(&state),
            fulfilled,
            tracking_numbers,
            prepared_for_pickup: s.ready_for_pickup.as_deref() == Some(state.as_str()),
            status: Some(state),
        }))
    }

    pub(super) async fn push_change(
        &self,
        remote_id: &str,
        change: &ShopChange,
    ) -> Result<PushOutcome, ChannelError> {
        let Some(id) = super::order_id(remote_id) else {
            return Ok(PushOutcome::Refused(format!(
                "`{remote_id}` is not a PrestaShop order id"
            )));
        };
        let Some(order) = self.order_json(id).await? else {
            return Ok(PushOutcome::Refused(
                "the shop no longer has this order".to_string(),
            ));
        };
        let state = state_of(&order)?;
        let s = &self.statuses;
        let not_told = |what: &str| {
            PushOutcome::Done(format!(
                "not told: the store sets no PrestaShop state for {what}"
            ))
        };
        match change {
            ShopChange::PreparedForPickup => {
                let Some(target) = s.ready_for_pickup.as_deref() else {
                    return Ok(not_told("ready for pickup"));
                };
                if s.is_cancelled(&state) {
                    return Ok(cancelled_there(&state));
                }
                Ok(outcome(self.set_state(id, &state, target, true).await?))
            }
            ShopChange::Fulfil {
                number,
                notify_customer,
                ..
            } => {
                if s.is_cancelled(&state) {
                    return Ok(cancelled_there(&state));
                }
                let mut done = Vec::new();
                if let Some(number) = number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                    match self.add_tracking(id, &order, number).await? {
                        Ok(summary) => done.push(summary),
                        Err(words) => return Ok(PushOutcome::Refused(words)),
                    }
                }
                match s.shipped.as_deref() {
                    Some(_) if s.is_fulfilled(&state) => {
                        done.push(format!("state already {state}"))
                    }
                    Some(target) => {
                        match self.set_state(id, &state, target, *notify_customer).await? {
                            Ok(summary) => done.push(summary),
                            Err(words) => return Ok(PushOutcome::Refused(then(&done, words))),
                        }
                    }
                    None if done.is_empty() => return Ok(not_told("shipped")),
                    None => {}
                }
                Ok(PushOutcome::Done(done.join("; ")))
            }
            ShopChange::Cancel {
                refund,
                notify_customer,
                ..
            } => {
                let Some(target) = s.refused.as_deref() else {
                    return Ok(not_told("refused"));
                };
                let step = if s.is_cancelled(&state) {
                    Ok(format!("state already {state}"))
                } else {
                    self.set_state(id, &state, target, *notify_customer).await?
                };
                let step = step.map(|summary| match refund {
                    true => format!("{summary} (a refund is what this state does at the shop)"),
                    false => summary,
                });
                Ok(outcome(step))
            }
            ShopChange::SetStatus { status: target, .. } => {
                let target = match super::settings::id("status", target) {
                    Ok(t) => t,
                    Err(e) => return Ok(PushOutcome::Refused(e.to_string())),
                };
                if s.is_cancelled(&state) {
                    return Ok(cancelled_there(&state));
                }
                // The customer hears of it as the state's own email says (if it has one).
                Ok(outcome(self.set_state(id, &state, &target, true).await?))
            }
            ShopChange::Note { .. } => Ok(PushOutcome::Refused(
                "orderdesk sends PrestaShop no order notes".to_string(),
            )),
        }
    }

    /// `POST /api/order_histories` with `target`, unless the order already has it.
    async fn set_state(
        &self,
        id: &str,
        now: &str,
        target: &str,
        notify: bool,
    ) -> Result<Step, ChannelError> {
        if now == target {
            return Ok(Ok(format!("state already {target}")));
        }
        let body = xml::object(
            "order_history",
            &[
                ("id_order", id.to_string()),
                ("id_order_state", target.to_string()),
            ],
        );
        let mut url = self.api.url("order_histories");
        if notify {
            url.push_str("?sendemail=1");
        }
        let answer = self
            .api
            .change("order state", Method::POST, url, body)
            .await?;
        Ok(answer.and_then(|v| {
            match At::root(&v).get("order_history").get("id_order_state").id() {
                Ok(s) if s == target => Ok(format!("state {target}")),
                Ok(s) => Err(format!("the shop set state {s} instead of {target}")),
                Err(_) => Err("the shop's answer shows no order history".to_string()),
            }
        }))
    }

    /// The tracking numbers on the order's carriers and its `shipping_number`.
    async fn tracking_numbers(&self, id: &str, order: &Value) -> Result<Vec<String>, ChannelError> {
        let mut out: Vec<String> = self
            .carriers_of(id)
            .await?
            .iter()
            .filter_map(|c| At::root(c).get("tracking_number").opt_text().ok().flatten())
            .collect();
        if let Some(n) = At::root(order)
            .get("shipping_number")
            .opt_text()
            .ok()
            .flatten()
            && !out.contains(&n)
        {
            out.push(n);
        }
        Ok(out)
    }

    /// The order's carriers (`GET /api/order_carriers?filter[id_order]=[id]`).
    async fn carriers_of(&self, id: &str) -> Result<Vec<Value>, ChannelError> {
        let request = Request::get(self.api.url("order_carriers"))
            .with_query("display", "full")
            .with_query("filter[id_order]", format!("[{id}]"));
        match self.api.get("order carriers", request).await? {
            Some(body) => list(&body, "order_carriers"),
            None => Ok(Vec::new()),
        }
    }

    /// Puts the tracking number on the order's carrier (the one the order ships with),
    /// unless it has it.
    async fn add_tracking(
        &self,
        id: &str,
        order: &Value,
        number: &str,
    ) -> Result<Step, ChannelError> {
        let carriers = self.carriers_of(id).await?;
        let number_of = |c: &Value| At::root(c).get("tracking_number").opt_text().ok().flatten();
        if carriers
            .iter()
            .any(|c| number_of(c).as_deref() == Some(number))
        {
            return Ok(Ok(format!("tracking {number} already there")));
        }
        let wanted = At::root(order).get("id_carrier").id().ok();
        let carrier = carriers
            .iter()
            .find(|c| At::root(c).get("id_carrier").id().ok() == wanted)
            .or(carriers.first());
        let Some(carrier) = carrier else {
            return Ok(Err(
                "the order has no carrier to take a tracking number".to_string()
            ));
        };
        let carrier_id = At::root(carrier)
            .get("id")
            .id()
            .map_err(ChannelError::Shape)?;
        let fields = xml::fields_of(carrier, &[("tracking_number", number.to_string())]);
        let body = xml::object("order_carrier", &fields);
        let url = self.api.url(&format!("order_carriers/{carrier_id}"));
        let answer = self.api.change("tracking", Method::PUT, url, body).await?;
        Ok(answer.map(|_| format!("tracking {number} (order carrier {carrier_id})")))
    }
}

fn state_of(order: &Value) -> Result<String, ChannelError> {
    At::root(order)
        .get("current_state")
        .id()
        .map_err(ChannelError::Shape)
}

/// The refusal for an order in a cancelling state, the state named as the shop names it.
fn cancelled_there(state: &str) -> PushOutcome {
    steps::cancelled_there(&super::settings::state_name(state).to_lowercase())
}
