//! Reading Shopify's answers to the pushes: fulfillment orders, the order's state, user
//! errors; and what the push sends: the cancel reason and staff note.

use super::query;
use crate::channels::ChannelError;
use crate::domain::outbox::RemoteOrderState;
use serde_json::Value;

/// The longest staff note Shopify takes on a cancel.
pub(super) const STAFF_NOTE_MAX: usize = 255;

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
    pub(super) fn fulfillable(&self) -> bool {
        matches!(self.status.as_str(), "OPEN" | "IN_PROGRESS")
    }

    pub(super) fn is_pickup(&self) -> bool {
        self.method.as_deref() == Some("PICK_UP")
    }
}

/// The gid of a numeric Shopify order id; `None` for anything else.
pub fn order_gid_of(remote_id: &str) -> Option<String> {
    let id = remote_id.trim();
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| query::order_gid(id))
}

pub(super) fn shape(message: impl Into<String>) -> ChannelError {
    ChannelError::Shape(message.into())
}

/// `data.order`: `None` when the shop has no such order.
pub(super) fn order_of(data: &Value) -> Result<Option<&Value>, ChannelError> {
    match data.get("order") {
        None => Err(shape("the answer has no `data.order`")),
        Some(Value::Null) => Ok(None),
        Some(order @ Value::Object(_)) => Ok(Some(order)),
        Some(_) => Err(shape("`data.order` is not an object")),
    }
}

pub(super) fn is_cancelled(order: &Value) -> bool {
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
pub(super) fn user_errors(list: Option<&Value>) -> Vec<String> {
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
pub(super) fn staff_note(reason: &str) -> Option<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return None;
    }
    Some(reason.chars().take(STAFF_NOTE_MAX).collect())
}

/// The last segment of a gid (`gid://shopify/Fulfillment/59` → `59`).
pub(super) fn short_id(gid: &str) -> &str {
    gid.rsplit('/').next().unwrap_or(gid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
