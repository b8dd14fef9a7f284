//! The mutation root: each mutation field is applied to the world and its payload (a JSON
//! value in the shape of the payload type) is answered through the same selection walker as
//! queries. Every applied change appends one entry to the log. Mutations the simulator does
//! not model are answered with an error naming them.

use apollo_compiler::executable::Field;
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::exec::Exec;
use super::faults::Faults;
use super::fulfil::{fulfillment, gid_number, tracking_list};
use super::order::ts;
use super::root::{Executed, field_error};
use super::schema::Checked;
use super::select::Ctx;
use super::world::{LogEntry, World};

/// A `UserError` (or a coded one when `code` is given) at `field`.
pub fn user_error(field: &[&str], message: &str, code: Option<&str>) -> Value {
    let mut e = json!({"field": field, "message": message});
    if let Some(c) = code {
        e["code"] = json!(c);
    }
    e
}

/// A log entry of `kind` for `order`, the rest empty.
pub fn entry(kind: &str, order: &Value, at: &str) -> LogEntry {
    LogEntry {
        at: at.to_string(),
        order_id: order["id"].as_str().map(str::to_string),
        order_name: order["name"].as_str().map(str::to_string),
        kind: kind.to_string(),
        ..LogEntry::new(kind, String::new(), String::new(), at.to_string())
    }
}

/// Where the fulfillment order `id` is: (order index, fulfillment order index).
pub fn find_fo(world: &World, id: &str) -> Option<(usize, usize)> {
    world.iter().enumerate().find_map(|(oi, o)| {
        o["fulfillmentOrders"]
            .as_array()?
            .iter()
            .position(|fo| fo["id"] == id)
            .map(|fi| (oi, fi))
    })
}

pub fn execute(checked: &Checked, world: &mut World, faults: &mut Faults) -> Executed {
    let ctx = Ctx {
        doc: &checked.doc,
        vars: &checked.variables,
    };
    let mut groups = Vec::new();
    ctx.collect(&checked.operation.selection_set, "Mutation", &mut groups);
    let mut exec = Exec { ctx, actual: 0 };
    let mut data = Map::new();
    let mut errors = Vec::new();
    for (key, fields) in groups {
        let Some(field) = fields.first().copied() else {
            continue;
        };
        let now = ts(Utc::now());
        let payload = match field.name.as_str() {
            "__typename" => {
                data.insert(key, json!("Mutation"));
                continue;
            }
            "fulfillmentCreate" => fulfillment_create(&exec.ctx, field, world, &now),
            "fulfillmentOrderLineItemsPreparedForPickup" => {
                prepared_for_pickup(&exec.ctx, field, world, &now)
            }
            "orderCancel" => super::cancel::order_cancel(&exec.ctx, field, world, &now),
            "orderUpdate" => order_update(&exec.ctx, field, world, &now),
            "inventorySetQuantities" => {
                match super::inventory::set_quantities(&exec.ctx, field, world, &now) {
                    Ok(payload) => payload,
                    Err((message, code)) => {
                        errors.push(field_error(message, &key, code));
                        data.insert(key, Value::Null);
                        continue;
                    }
                }
            }
            "bulkOperationRunQuery" => super::bulk::run_query(&exec.ctx, field, world, faults),
            other => {
                errors.push(field_error(
                    format!("Mutation '{other}' is not supported by the simulator"),
                    &key,
                    "NOT_SUPPORTED_BY_SIMULATOR",
                ));
                data.insert(key, Value::Null);
                continue;
            }
        };
        match exec.complete(&fields, Some(&payload)) {
            Ok(v) => {
                data.insert(key, v);
            }
            Err(message) => {
                errors.push(field_error(message, &key, "BAD_REQUEST"));
                data.insert(key, Value::Null);
            }
        }
    }
    Executed {
        data: Value::Object(data),
        errors,
        actual: exec.actual,
    }
}

/// One fulfillment order's part of a fulfillment: its index and (FO line index, quantity).
struct Part {
    fo: usize,
    picks: Vec<(usize, u64)>,
}

/// Checks one `lineItemsByFulfillmentOrder` entry against its fulfillment order.
fn plan_part(entry: &Value, fo: &Value, at: &[&str]) -> Result<Vec<(usize, u64)>, Value> {
    let lines = fo["lineItems"].as_array().cloned().unwrap_or_default();
    let remaining = |i: usize| lines[i]["remainingQuantity"].as_u64().unwrap_or(0);
    let mut picks = Vec::new();
    match entry.get("fulfillmentOrderLineItems") {
        Some(Value::Array(wanted)) if !wanted.is_empty() => {
            for w in wanted {
                let id = w.get("id").cloned().unwrap_or(Value::Null);
                let Some(i) = lines.iter().position(|l| l["id"] == id) else {
                    return Err(user_error(
                        at,
                        "Fulfillment order line item does not exist.",
                        None,
                    ));
                };
                let q = w.get("quantity").and_then(Value::as_i64).unwrap_or(0);
                if q < 1 || q as u64 > remaining(i) {
                    return Err(user_error(
                        at,
                        "Invalid fulfillment order line item quantity requested.",
                        None,
                    ));
                }
                picks.push((i, q as u64));
            }
        }
        _ => {
            for i in 0..lines.len() {
                if remaining(i) > 0 {
                    picks.push((i, remaining(i)));
                }
            }
        }
    }
    if picks.is_empty() {
        return Err(user_error(
            at,
            "Fulfillment order has no line items to fulfill.",
            None,
        ));
    }
    Ok(picks)
}

/// `fulfillmentCreate(fulfillment: FulfillmentInput!, message: String)`.
fn fulfillment_create(ctx: &Ctx<'_>, field: &Field, world: &mut World, now: &str) -> Value {
    let answer = |f: Value, errors: Vec<Value>| json!({"__typename": "FulfillmentCreatePayload", "fulfillment": f, "userErrors": errors});
    let input = ctx.arg(field, "fulfillment").unwrap_or(Value::Null);
    let entries = input["lineItemsByFulfillmentOrder"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut order_at: Option<usize> = None;
    let mut parts = Vec::new();
    if entries.is_empty() {
        let at = ["fulfillment", "lineItemsByFulfillmentOrder"];
        let e = user_error(&at, "Line items by fulfillment order can't be blank", None);
        return answer(Value::Null, vec![e]);
    }
    for (n, entry) in entries.iter().enumerate() {
        let n = n.to_string();
        let at = [
            "fulfillment",
            "lineItemsByFulfillmentOrder",
            n.as_str(),
            "fulfillmentOrderId",
        ];
        let fo_id = entry["fulfillmentOrderId"].as_str().unwrap_or_default();
        let Some((oi, fi)) = find_fo(world, fo_id) else {
            let e = user_error(&at, "Fulfillment order does not exist.", None);
            return answer(Value::Null, vec![e]);
        };
        if order_at.is_some_and(|o| o != oi) {
            let e = user_error(
                &at,
                "All fulfillment orders must belong to the same order.",
                None,
            );
            return answer(Value::Null, vec![e]);
        }
        order_at = Some(oi);
        let order = world.get(oi).unwrap_or_default();
        if !order["cancelledAt"].is_null() {
            let e = user_error(&at, "The order has been canceled.", None);
            return answer(Value::Null, vec![e]);
        }
        let fo = &order["fulfillmentOrders"][fi];
        let status = fo["status"].as_str().unwrap_or_default();
        if !matches!(status, "OPEN" | "IN_PROGRESS") {
            let number = gid_number(fo_id).unwrap_or(0);
            let message = format!(
                "Fulfillment order {number} has an unfulfillable status= {}.",
                status.to_lowercase()
            );
            return answer(Value::Null, vec![user_error(&at, &message, None)]);
        }
        match plan_part(entry, fo, &at) {
            Ok(picks) => parts.push(Part { fo: fi, picks }),
            Err(e) => return answer(Value::Null, vec![e]),
        }
    }
    let Some(oi) = order_at else {
        return answer(Value::Null, Vec::new());
    };
    let tracking = tracking_list(input.get("trackingInfo"));
    let notify = input["notifyCustomer"].as_bool().unwrap_or(false);
    let Some(order) = world.get_mut(oi) else {
        return answer(Value::Null, Vec::new());
    };
    let mut sent: Vec<(Value, u64)> = Vec::new();
    for part in &parts {
        let fo = &mut order["fulfillmentOrders"][part.fo];
        for (li, q) in &part.picks {
            let l = &mut fo["lineItems"][*li];
            let left = l["remainingQuantity"]
                .as_u64()
                .unwrap_or(0)
                .saturating_sub(*q);
            l["remainingQuantity"] = json!(left);
            sent.push((l["lineItem"]["id"].clone(), *q));
        }
        let open = fo["lineItems"]
            .as_array()
            .is_some_and(|ls| ls.iter().any(|l| l["remainingQuantity"].as_u64() > Some(0)));
        fo["status"] = json!(if open { "IN_PROGRESS" } else { "CLOSED" });
        fo["updatedAt"] = json!(now);
    }
    let mut items = Vec::new();
    if let Some(Value::Array(lines)) = order.get_mut("lineItems") {
        for (id, q) in &sent {
            if let Some(l) = lines.iter_mut().find(|l| l["id"] == *id) {
                let left = l["unfulfilledQuantity"]
                    .as_u64()
                    .unwrap_or(0)
                    .saturating_sub(*q);
                l["unfulfilledQuantity"] = json!(left);
                items.push((l.clone(), *q));
            }
        }
    }
    let n = order["fulfillments"].as_array().map_or(0, Vec::len) as u64 + 1;
    let made = fulfillment(order, n, &items, tracking.clone(), now);
    match order.get_mut("fulfillments") {
        Some(Value::Array(list)) => list.push(made.clone()),
        _ => order["fulfillments"] = json!([made.clone()]),
    }
    let all_closed = order["fulfillmentOrders"].as_array().is_some_and(|fos| {
        fos.iter()
            .all(|fo| matches!(fo["status"].as_str(), Some("CLOSED" | "CANCELLED")))
    });
    if all_closed {
        order["displayFulfillmentStatus"] = json!("FULFILLED");
        order["closed"] = json!(true);
        order["closedAt"] = json!(now);
    } else {
        order["displayFulfillmentStatus"] = json!("PARTIALLY_FULFILLED");
    }
    order["updatedAt"] = json!(now);
    let mut e = entry("fulfillment_create", order, now);
    let first = tracking.first();
    e.tracking_number = first.and_then(|t| t["number"].as_str()).map(str::to_string);
    e.tracking_company = first
        .and_then(|t| t["company"].as_str())
        .map(str::to_string);
    e.notify_customer = Some(notify);
    world.log.push(e);
    answer(made, Vec::new())
}

/// `fulfillmentOrderLineItemsPreparedForPickup(input: {lineItemsByFulfillmentOrder:
/// [{fulfillmentOrderId}]})`: each named pickup fulfillment order becomes IN_PROGRESS.
fn prepared_for_pickup(ctx: &Ctx<'_>, field: &Field, world: &mut World, now: &str) -> Value {
    let answer = |errors: Vec<Value>| json!({"__typename": "FulfillmentOrderLineItemsPreparedForPickupPayload", "userErrors": errors});
    let input = ctx.arg(field, "input").unwrap_or(Value::Null);
    let entries = input["lineItemsByFulfillmentOrder"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut found = Vec::new();
    for (n, entry) in entries.iter().enumerate() {
        let n = n.to_string();
        let at = [
            "input",
            "lineItemsByFulfillmentOrder",
            n.as_str(),
            "fulfillmentOrderId",
        ];
        let fo_id = entry["fulfillmentOrderId"].as_str().unwrap_or_default();
        let invalid = "FULFILLMENT_ORDER_INVALID";
        let Some((oi, fi)) = find_fo(world, fo_id) else {
            let e = user_error(&at, "Invalid fulfillment order ID provided.", Some(invalid));
            return answer(vec![e]);
        };
        let order = world.get(oi).unwrap_or_default();
        let fo = &order["fulfillmentOrders"][fi];
        if fo["deliveryMethod"]["methodType"] != "PICK_UP" {
            let message = "The fulfillment order's delivery method is not local pickup.";
            return answer(vec![user_error(&at, message, Some(invalid))]);
        }
        let open = matches!(fo["status"].as_str(), Some("OPEN" | "IN_PROGRESS"));
        if !open || fo.get("_preparedForPickupAt").is_some() {
            let message =
                "The fulfillment order does not have any line items that can be prepared.";
            let code = "NO_LINE_ITEMS_TO_PREPARE_FOR_FULFILLMENT_ORDER";
            return answer(vec![user_error(&at, message, Some(code))]);
        }
        found.push((oi, fi));
    }
    for (oi, fi) in found {
        let Some(order) = world.get_mut(oi) else {
            continue;
        };
        let fo = &mut order["fulfillmentOrders"][fi];
        fo["status"] = json!("IN_PROGRESS");
        fo["updatedAt"] = json!(now);
        // Not a schema field: never answered, only remembered so a second call is refused.
        fo["_preparedForPickupAt"] = json!(now);
        order["updatedAt"] = json!(now);
        let mut e = entry("prepared_for_pickup", order, now);
        e.notify_customer = Some(true);
        world.log.push(e);
    }
    answer(Vec::new())
}

/// `orderUpdate(input: OrderInput!)`, for the order's note (what orderdesk sends); the
/// other fields of `OrderInput` are taken as given and not kept.
fn order_update(ctx: &Ctx<'_>, field: &Field, world: &mut World, now: &str) -> Value {
    let input = ctx.arg(field, "input").unwrap_or(Value::Null);
    let id = input["id"].as_str().unwrap_or_default();
    let Some(at) = world.iter().position(|o| o["id"] == id) else {
        return json!({"__typename": "OrderUpdatePayload", "order": null,
            "userErrors": [user_error(&["id"], "Order does not exist", None)]});
    };
    let Some(order) = world.get_mut(at) else {
        return json!({"__typename": "OrderUpdatePayload", "order": null, "userErrors": []});
    };
    if let Some(note) = input.get("note") {
        order["note"] = note.clone();
    }
    order["updatedAt"] = json!(now);
    let answer = order.clone();
    let e = entry("order_update", &answer, now);
    world.log.push(e);
    json!({"__typename": "OrderUpdatePayload", "order": answer, "userErrors": []})
}
