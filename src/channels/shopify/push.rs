//! Changes pushed to the shop (DESIGN.md §1 "Sync runs and the outbox", "Shipping"), and the
//! order's state read back to tell whether a change already took effect.
//!
//! - Fulfil: the order's fulfillment orders are read first; the ones Shopify can fulfil
//!   (`OPEN`, `IN_PROGRESS`) get one `fulfillmentCreate` per assigned location (Shopify takes
//!   fulfillment orders of one location per fulfillment), with the carrier and tracking number.
//! - Prepared for pickup: the `OPEN` fulfillment orders delivered by `PICK_UP` are marked with
//!   `fulfillmentOrderLineItemsPreparedForPickup`.
//! - Cancel: `orderCancel` (refund to the original payment methods, restock, notify as the
//!   change says; the operator's reason as the staff note), then its job is polled until done.
//!
//! None of these mutations documents `@idempotent` in 2026-10 (only inventory, location and
//! refund mutations do), so no key is sent: the directive is "only supported on mutations that
//! explicitly document idempotency support". A mutation that may have reached the shop is never
//! sent again here; the caller reads [`order_state`](super::ShopifyChannel) first.

use super::ShopifyChannel;
use super::answers::*;
use super::query::{self, CANCEL_JOB, FULFILLMENT_CREATE, FULFILLMENT_ORDERS, ORDER_CANCEL};
use super::query::{ORDER_NOTE, ORDER_NOTE_UPDATE, ORDER_STATE, PREPARED_FOR_PICKUP};
use crate::channels::{ChannelError, PushOutcome};
use crate::domain::outbox::{RemoteOrderState, ShopChange};
use serde_json::{Value, json};
use std::time::Duration;

/// How often, and how far apart, a cancel job is asked whether it is done.
#[derive(Debug, Clone, Copy)]
pub struct JobPolling {
    pub polls: usize,
    pub every: Duration,
}

impl Default for JobPolling {
    fn default() -> Self {
        JobPolling {
            polls: 20,
            every: Duration::from_millis(250),
        }
    }
}

/// The documents of this module, built once per channel.
#[derive(Debug)]
pub struct Documents {
    order_state: String,
    fulfillment_orders: String,
    fulfillment_create: String,
    prepared_for_pickup: String,
    order_cancel: String,
    cancel_job: String,
    order_note: String,
    order_note_update: String,
}

impl Default for Documents {
    fn default() -> Self {
        Documents {
            order_state: query::order_state_document(),
            fulfillment_orders: query::fulfillment_orders_document(),
            fulfillment_create: query::fulfillment_create_document(),
            prepared_for_pickup: query::prepared_for_pickup_document(),
            order_cancel: query::order_cancel_document(),
            cancel_job: query::cancel_job_document(),
            order_note: query::order_note_document(),
            order_note_update: query::order_note_update_document(),
        }
    }
}

impl ShopifyChannel {
    pub(super) async fn remote_order_state(
        &self,
        remote_id: &str,
    ) -> Result<Option<RemoteOrderState>, ChannelError> {
        let Some(gid) = order_gid_of(remote_id) else {
            tracing::warn!(remote_id, "not a Shopify order id; no state to read");
            return Ok(None);
        };
        let data = self
            .client
            .call(
                ORDER_STATE,
                &self.push_documents.order_state,
                json!({ "id": gid }),
                query::order_state_cost(),
            )
            .await?;
        match order_of(&data)? {
            None => Ok(None),
            Some(order) => remote_state(order).map(Some),
        }
    }

    pub(super) async fn push_change(
        &self,
        remote_id: &str,
        change: &ShopChange,
    ) -> Result<PushOutcome, ChannelError> {
        let Some(gid) = order_gid_of(remote_id) else {
            return Ok(PushOutcome::Refused(format!(
                "`{remote_id}` is not a Shopify order id"
            )));
        };
        match change {
            ShopChange::Fulfil {
                company,
                number,
                notify_customer,
            } => {
                self.fulfil(
                    &gid,
                    company.as_deref(),
                    number.as_deref(),
                    *notify_customer,
                )
                .await
            }
            ShopChange::PreparedForPickup => self.prepared_for_pickup(&gid).await,
            ShopChange::Cancel {
                reason,
                notify_customer,
                refund,
                restock,
            } => {
                self.cancel(remote_id, &gid, reason, *notify_customer, *refund, *restock)
                    .await
            }
            // Shopify has no order status a store can set: an order's state there follows its
            // fulfilments and cancels. The engine queues no status for a platform without
            // status names; an item that still says so is answered, and nothing is sent.
            ShopChange::SetStatus { change, .. } => Ok(PushOutcome::Done(format!(
                "not told: Shopify has no order status for {}",
                change.label()
            ))),
            ShopChange::Note { text } => self.add_note(&gid, text).await,
        }
    }

    /// `text` as a line of the order's note (Shopify keeps one note per order: the line is
    /// added to what it says). Read first, so a line already there is not added again (the
    /// mutation takes no idempotency key).
    async fn add_note(&self, gid: &str, text: &str) -> Result<PushOutcome, ChannelError> {
        let data = self
            .client
            .call(
                ORDER_NOTE,
                &self.push_documents.order_note,
                json!({ "id": gid }),
                query::order_note_cost(),
            )
            .await?;
        let Some(order) = order_of(&data)? else {
            return Ok(PushOutcome::Refused(
                "the shop no longer has this order".to_string(),
            ));
        };
        let old = order
            .get("note")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(note) = crate::channels::http::steps::note_with(old, text) else {
            return Ok(PushOutcome::Done(format!(
                "the order's note already says \"{}\"",
                text.trim()
            )));
        };
        let data = self
            .client
            .mutate(
                ORDER_NOTE_UPDATE,
                &self.push_documents.order_note_update,
                json!({ "input": { "id": gid, "note": note } }),
                query::order_note_update_cost(),
            )
            .await?;
        let payload = data
            .get("orderUpdate")
            .filter(|p| p.is_object())
            .ok_or_else(|| shape("the answer has no `data.orderUpdate`"))?;
        let errors = user_errors(payload.get("userErrors"));
        if !errors.is_empty() {
            return Ok(PushOutcome::Refused(errors.join("; ")));
        }
        Ok(PushOutcome::Done(format!("order note \"{text}\" added")))
    }

    /// The order's fulfillment orders, or why nothing can be done with them.
    async fn open_order(
        &self,
        gid: &str,
    ) -> Result<Result<Vec<FulfillmentOrder>, String>, ChannelError> {
        let data = self
            .client
            .call(
                FULFILLMENT_ORDERS,
                &self.push_documents.fulfillment_orders,
                json!({ "id": gid }),
                query::fulfillment_orders_query_cost(),
            )
            .await?;
        let Some(order) = order_of(&data)? else {
            return Ok(Err("the shop no longer has this order".to_string()));
        };
        if is_cancelled(order) {
            return Ok(Err("the order is cancelled at the shop".to_string()));
        }
        if order.pointer("/fulfillmentOrders/pageInfo/hasNextPage") == Some(&Value::Bool(true)) {
            tracing::warn!(
                gid,
                "the order has more than {} fulfillment orders; only the first are used",
                query::FULFILLMENT_ORDERS_PER_ORDER
            );
        }
        Ok(Ok(fulfillment_orders(order)?))
    }

    async fn fulfil(
        &self,
        gid: &str,
        company: Option<&str>,
        number: Option<&str>,
        notify_customer: bool,
    ) -> Result<PushOutcome, ChannelError> {
        let all = match self.open_order(gid).await? {
            Ok(all) => all,
            Err(why) => return Ok(PushOutcome::Refused(why)),
        };
        let open: Vec<&FulfillmentOrder> = all.iter().filter(|f| f.fulfillable()).collect();
        if open.is_empty() {
            let waiting: Vec<&str> = all
                .iter()
                .filter(|f| matches!(f.status.as_str(), "ON_HOLD" | "SCHEDULED"))
                .map(|f| f.status.as_str())
                .collect();
            return Ok(PushOutcome::Refused(if waiting.is_empty() {
                "nothing left to fulfil at the shop".to_string()
            } else {
                format!(
                    "nothing left to fulfil at the shop (fulfillment orders {})",
                    waiting.join(", ")
                )
            }));
        }
        // One fulfillment per assigned location, in the order the shop lists them.
        let mut groups: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
        for fo in open {
            let location = fo.location.as_deref();
            match groups.iter_mut().find(|(l, _)| *l == location) {
                Some((_, ids)) => ids.push(&fo.id),
                None => groups.push((location, vec![&fo.id])),
            }
        }
        let mut tracking = serde_json::Map::new();
        if let Some(c) = company.map(str::trim).filter(|c| !c.is_empty()) {
            tracking.insert("company".into(), json!(c));
        }
        if let Some(n) = number.map(str::trim).filter(|n| !n.is_empty()) {
            tracking.insert("number".into(), json!(n));
        }
        let mut created: Vec<String> = Vec::new();
        for (_, ids) in groups {
            let by_fo: Vec<Value> = ids
                .iter()
                .map(|id| json!({ "fulfillmentOrderId": id }))
                .collect();
            let mut input = json!({
                "lineItemsByFulfillmentOrder": by_fo,
                "notifyCustomer": notify_customer,
            });
            if !tracking.is_empty() {
                input["trackingInfo"] = Value::Object(tracking.clone());
            }
            let data = self
                .client
                .mutate(
                    FULFILLMENT_CREATE,
                    &self.push_documents.fulfillment_create,
                    json!({ "fulfillment": input }),
                    query::fulfillment_create_cost(),
                )
                .await?;
            let payload = data
                .get("fulfillmentCreate")
                .filter(|p| p.is_object())
                .ok_or_else(|| shape("the answer has no `data.fulfillmentCreate`"))?;
            let errors = user_errors(payload.get("userErrors"));
            if !errors.is_empty() {
                let words = errors.join("; ");
                return Ok(PushOutcome::Refused(if created.is_empty() {
                    words
                } else {
                    format!("fulfillment {} created, then: {words}", created.join(", "))
                }));
            }
            let id = payload
                .pointer("/fulfillment/id")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    shape("`fulfillmentCreate` gave neither a fulfillment nor errors")
                })?;
            created.push(short_id(id).to_string());
        }
        Ok(PushOutcome::Done(match created.as_slice() {
            [one] => format!("fulfillment {one}"),
            many => format!("fulfillments {}", many.join(", ")),
        }))
    }

    async fn prepared_for_pickup(&self, gid: &str) -> Result<PushOutcome, ChannelError> {
        let all = match self.open_order(gid).await? {
            Ok(all) => all,
            Err(why) => return Ok(PushOutcome::Refused(why)),
        };
        let pickups: Vec<&FulfillmentOrder> = all
            .iter()
            .filter(|f| f.is_pickup() && f.status == "OPEN")
            .collect();
        if pickups.is_empty() {
            let others: Vec<&str> = all
                .iter()
                .filter(|f| f.is_pickup())
                .map(|f| f.status.as_str())
                .collect();
            return Ok(PushOutcome::Refused(if others.is_empty() {
                "the shop has no pickup fulfillment order for this order (not a local pickup order there)"
                    .to_string()
            } else {
                format!(
                    "no open pickup fulfillment order at the shop (they are {}); it may be marked ready already",
                    others.join(", ")
                )
            }));
        }
        let by_fo: Vec<Value> = pickups
            .iter()
            .map(|f| json!({ "fulfillmentOrderId": f.id }))
            .collect();
        let data = self
            .client
            .mutate(
                PREPARED_FOR_PICKUP,
                &self.push_documents.prepared_for_pickup,
                json!({ "input": { "lineItemsByFulfillmentOrder": by_fo } }),
                query::prepared_for_pickup_cost(),
            )
            .await?;
        let payload = data
            .get("fulfillmentOrderLineItemsPreparedForPickup")
            .filter(|p| p.is_object())
            .ok_or_else(|| {
                shape("the answer has no `data.fulfillmentOrderLineItemsPreparedForPickup`")
            })?;
        let errors = user_errors(payload.get("userErrors"));
        if !errors.is_empty() {
            return Ok(PushOutcome::Refused(errors.join("; ")));
        }
        let ids: Vec<&str> = pickups.iter().map(|f| short_id(&f.id)).collect();
        Ok(PushOutcome::Done(format!(
            "ready for pickup (fulfillment order {})",
            ids.join(", ")
        )))
    }

    async fn cancel(
        &self,
        remote_id: &str,
        gid: &str,
        reason: &str,
        notify_customer: bool,
        refund: bool,
        restock: bool,
    ) -> Result<PushOutcome, ChannelError> {
        let variables = json!({
            "orderId": gid,
            "reason": cancel_reason(reason),
            "refundMethod": { "originalPaymentMethodsRefund": refund },
            "restock": restock,
            "notifyCustomer": notify_customer,
            "staffNote": staff_note(reason),
        });
        let data = self
            .client
            .mutate(
                ORDER_CANCEL,
                &self.push_documents.order_cancel,
                variables,
                query::order_cancel_cost(),
            )
            .await?;
        let payload = data
            .get("orderCancel")
            .filter(|p| p.is_object())
            .ok_or_else(|| shape("the answer has no `data.orderCancel`"))?;
        let errors = user_errors(payload.get("orderCancelUserErrors"));
        if !errors.is_empty() {
            return Ok(PushOutcome::Refused(errors.join("; ")));
        }
        let Some(job) = payload.get("job").filter(|j| j.is_object()) else {
            // Nothing to wait for: the shop took the cancel without a job.
            return Ok(PushOutcome::Done("cancelled".to_string()));
        };
        let job_id = job
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| shape("the cancel job has no `id`"))?
            .to_string();
        let mut done = job.get("done").and_then(Value::as_bool) == Some(true);
        let polling = self.job_polling;
        for poll in 0..polling.polls.max(1) {
            // A job the shop reported done is asked once at once (for the order's state).
            if !(done && poll == 0) {
                tokio::time::sleep(polling.every).await;
            }
            let data = self
                .client
                .call(
                    CANCEL_JOB,
                    &self.push_documents.cancel_job,
                    json!({ "id": job_id, "orderId": gid }),
                    query::cancel_job_cost(),
                )
                .await?;
            let Some(job) = data.get("job").filter(|j| j.is_object()) else {
                continue;
            };
            done = job.get("done").and_then(Value::as_bool) == Some(true);
            if !done {
                continue;
            }
            return Ok(match job.pointer("/query/order") {
                Some(order @ Value::Object(_)) if !is_cancelled(order) => {
                    PushOutcome::Refused(format!(
                        "the shop finished the cancel job {} but the order is not cancelled",
                        short_id(&job_id)
                    ))
                }
                _ => PushOutcome::Done(format!("cancelled (job {})", short_id(&job_id))),
            });
        }
        Err(ChannelError::Remote(format!(
            "the shop did not finish cancelling order {remote_id}; it will be checked again"
        )))
    }
}
