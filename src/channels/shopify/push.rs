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
use super::query::{self, CANCEL_JOB, FULFILLMENT_CREATE, FULFILLMENT_ORDERS, ORDER_CANCEL};
use super::query::{ORDER_STATE, PREPARED_FOR_PICKUP};
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
        }
    }
}

/// The longest staff note Shopify takes on a cancel.
const STAFF_NOTE_MAX: usize = 255;

/// One fulfillment order as the push reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulfillmentOrder {
    pub id: String,
    pub status: String,
    pub method: Option<String>,
    pub location: Option<String>,
}

impl FulfillmentOrder {
    /// Shopify can create a fulfillment for it (`FulfillmentOrderStatus`: `OPEN`, or
    /// `IN_PROGRESS` once a fulfillment has started; not `ON_HOLD`, `SCHEDULED`, `CLOSED`,
    /// `CANCELLED`, `INCOMPLETE`).
    fn fulfillable(&self) -> bool {
        matches!(self.status.as_str(), "OPEN" | "IN_PROGRESS")
    }

    fn is_pickup(&self) -> bool {
        self.method.as_deref() == Some("PICK_UP")
    }
}

/// The gid of a numeric Shopify order id; `None` for anything else.
pub fn order_gid_of(remote_id: &str) -> Option<String> {
    let id = remote_id.trim();
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| query::order_gid(id))
}

fn shape(message: impl Into<String>) -> ChannelError {
    ChannelError::Shape(message.into())
}

/// `data.order`: `None` when the shop has no such order.
fn order_of(data: &Value) -> Result<Option<&Value>, ChannelError> {
    match data.get("order") {
        None => Err(shape("the answer has no `data.order`")),
        Some(Value::Null) => Ok(None),
        Some(order @ Value::Object(_)) => Ok(Some(order)),
        Some(_) => Err(shape("`data.order` is not an object")),
    }
}

fn is_cancelled(order: &Value) -> bool {
    order
        .get("cancelledAt")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

/// The fulfillment orders of an order node (`fulfillmentOrders.nodes`).
pub fn fulfillment_orders(order: &Value) -> Result<Vec<FulfillmentOrder>, ChannelError> {
    let Some(Value::Array(nodes)) = order.pointer("/fulfillmentOrders/nodes") else {
        return Err(shape("the order has no `fulfillmentOrders.nodes`"));
    };
    nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let text = |pointer: &str| node.pointer(pointer).and_then(Value::as_str);
            let id = text("/id")
                .ok_or_else(|| shape(format!("fulfillment order {i} has no `id`")))?
                .to_string();
            let status = text("/status")
                .ok_or_else(|| shape(format!("fulfillment order {id} has no `status`")))?
                .to_string();
            Ok(FulfillmentOrder {
                method: text("/deliveryMethod/methodType").map(str::to_string),
                location: text("/assignedLocation/location/id").map(str::to_string),
                id,
                status,
            })
        })
        .collect()
}

/// What the shop shows of an order (the node of [`query::order_state_document`]).
///
/// `prepared_for_pickup`: Shopify documents no field that `fulfillmentOrderLineItemsPreparedForPickup`
/// sets; the one signal it exposes is a fulfillment whose `displayStatus` is
/// `READY_FOR_PICKUP` ("Displayed as Ready for pickup"), so that is what is read. When the
/// shop shows no such fulfillment the flag stays false (and a repeated push is refused by the
/// shop with `NO_LINE_ITEMS_TO_PREPARE_FOR_FULFILLMENT_ORDER` rather than applied twice).
pub fn remote_state(order: &Value) -> Result<RemoteOrderState, ChannelError> {
    let fulfilled = match order.get("displayFulfillmentStatus") {
        Some(Value::String(s)) => s == "FULFILLED",
        _ => return Err(shape("the order has no `displayFulfillmentStatus`")),
    };
    let Some(Value::Array(fulfillments)) = order.get("fulfillments") else {
        return Err(shape("the order has no `fulfillments` list"));
    };
    let mut state = RemoteOrderState {
        cancelled: is_cancelled(order),
        fulfilled,
        ..RemoteOrderState::default()
    };
    for fulfillment in fulfillments {
        // A cancelled or failed fulfillment's tracking is not the order's.
        let status = fulfillment.get("status").and_then(Value::as_str);
        if matches!(status, Some("CANCELLED" | "ERROR" | "FAILURE")) {
            continue;
        }
        if fulfillment.get("displayStatus").and_then(Value::as_str) == Some("READY_FOR_PICKUP") {
            state.prepared_for_pickup = true;
        }
        let Some(Value::Array(tracking)) = fulfillment.get("trackingInfo") else {
            continue;
        };
        for info in tracking {
            if let Some(number) = info.get("number").and_then(Value::as_str) {
                let number = number.trim();
                if !number.is_empty() && !state.tracking_numbers.iter().any(|n| n == number) {
                    state.tracking_numbers.push(number.to_string());
                }
            }
        }
    }
    Ok(state)
}

/// The shop's user errors, one line (`field: message`).
fn user_errors(list: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(list)) = list else {
        return Vec::new();
    };
    list.iter()
        .map(|e| {
            let message = e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("(no message)");
            let field = match e.get("field") {
                Some(Value::Array(parts)) => parts
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("."),
                _ => String::new(),
            };
            let code = e.get("code").and_then(Value::as_str);
            match (field.is_empty(), code) {
                (true, None) => message.to_string(),
                (true, Some(c)) => format!("{message} ({c})"),
                (false, None) => format!("{field}: {message}"),
                (false, Some(c)) => format!("{field}: {message} ({c})"),
            }
        })
        .collect()
}

/// Shopify's `OrderCancelReason` for the operator's free text. The text itself goes along as
/// the staff note, so only clear words choose a reason; anything else is `OTHER`.
pub fn cancel_reason(text: &str) -> &'static str {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["fraud"]) {
        "FRAUD"
    } else if has(&[
        "declined",
        "payment failed",
        "not paid",
        "unpaid",
        "no payment",
    ]) {
        "DECLINED"
    } else if has(&["out of stock", "no stock", "inventory", "sold out"]) {
        "INVENTORY"
    } else if has(&["staff", "our mistake", "our error", "by mistake"]) {
        "STAFF"
    } else if has(&["customer", "client", "buyer"]) {
        "CUSTOMER"
    } else {
        "OTHER"
    }
}

/// The staff note: the reason, cut to what Shopify takes.
fn staff_note(reason: &str) -> Option<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return None;
    }
    Some(reason.chars().take(STAFF_NOTE_MAX).collect())
}

/// The last segment of a gid (`gid://shopify/Fulfillment/59` → `59`).
fn short_id(gid: &str) -> &str {
    gid.rsplit('/').next().unwrap_or(gid)
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
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_maps_to_a_cancel_reason() {
        assert_eq!(
            cancel_reason("Suspected fraud, customer unreachable"),
            "FRAUD"
        );
        assert_eq!(cancel_reason("Customer changed their mind"), "CUSTOMER");
        assert_eq!(cancel_reason("card declined"), "DECLINED");
        assert_eq!(cancel_reason("Item out of stock"), "INVENTORY");
        assert_eq!(cancel_reason("duplicate order"), "OTHER");
        assert_eq!(cancel_reason(""), "OTHER");
    }

    #[test]
    fn the_staff_note_is_cut_to_what_shopify_takes() {
        assert_eq!(staff_note("  "), None);
        let long = "é".repeat(300);
        assert_eq!(staff_note(&long).map(|s| s.chars().count()), Some(255));
    }

    #[test]
    fn only_numeric_ids_are_order_ids() {
        assert_eq!(
            order_gid_of(" 1042 ").as_deref(),
            Some("gid://shopify/Order/1042")
        );
        assert_eq!(order_gid_of("gid://shopify/Order/1"), None);
        assert_eq!(order_gid_of(""), None);
    }

    #[test]
    fn the_state_reads_tracking_cancel_fulfilment_and_pickup() {
        let order = json!({
            "id": "gid://shopify/Order/1", "cancelledAt": null,
            "displayFulfillmentStatus": "FULFILLED",
            "fulfillments": [
                {"status": "SUCCESS", "displayStatus": "FULFILLED",
                 "trackingInfo": [{"number": "JD1", "company": "DHL"}, {"number": "JD1", "company": "DHL"}]},
                {"status": "CANCELLED", "displayStatus": "CANCELED",
                 "trackingInfo": [{"number": "OLD", "company": null}]},
                {"status": "SUCCESS", "displayStatus": "READY_FOR_PICKUP", "trackingInfo": []}
            ],
            "fulfillmentOrders": {"nodes": []}
        });
        let state = remote_state(&order).expect("reads");
        assert!(state.fulfilled && !state.cancelled && state.prepared_for_pickup);
        assert_eq!(state.tracking_numbers, vec!["JD1".to_string()]);
        let cancelled = json!({"cancelledAt": "2026-11-22T08:00:00Z",
            "displayFulfillmentStatus": "UNFULFILLED", "fulfillments": []});
        let state = remote_state(&cancelled).expect("reads");
        assert!(state.cancelled && !state.fulfilled && !state.prepared_for_pickup);
        assert!(matches!(
            remote_state(&json!({"displayFulfillmentStatus": "FULFILLED"})),
            Err(ChannelError::Shape(_))
        ));
    }

    #[test]
    fn fulfillment_orders_read_from_the_real_payload() {
        // A real answer (graphql-order-fulfillmentOrders-bc-connector.json in the shared
        // fixtures), which selected only the id.
        let text = r#"{"data":{"order":{"fulfillmentOrders":{"nodes":[{"id":"gid://shopify/FulfillmentOrder/7478691168318"}]}}},"extensions":{"cost":{"requestedQueryCost":7,"actualQueryCost":4,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1996,"restoreRate":100.0}}}}"#;
        let answer: Value = serde_json::from_str(text).expect("json");
        let order = answer.pointer("/data/order").expect("an order");
        // A missing status is a shape error, named.
        let err = fulfillment_orders(order).expect_err("no status");
        assert!(err.to_string().contains("status"), "{err}");
        let mut answer = answer;
        answer["data"]["order"]["fulfillmentOrders"]["nodes"][0]["status"] = json!("OPEN");
        let order = answer.pointer("/data/order").expect("an order");
        let fos = fulfillment_orders(order).expect("reads");
        assert_eq!(fos[0].id, "gid://shopify/FulfillmentOrder/7478691168318");
        assert!(fos[0].fulfillable() && !fos[0].is_pickup());
    }

    #[test]
    fn user_errors_read_as_one_line() {
        let list = json!([{"field": ["fulfillment"], "message": "Fulfillment order does not exist."},
            {"field": null, "message": "Order is already cancelled", "code": "INVALID"}]);
        assert_eq!(
            user_errors(Some(&list)).join("; "),
            "fulfillment: Fulfillment order does not exist.; Order is already cancelled (INVALID)"
        );
    }
}
