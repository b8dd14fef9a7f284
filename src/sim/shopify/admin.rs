//! The test API beside the shop: `GET /_sim/log`, `POST /_sim/orders` (add an order),
//! `POST /_sim/orders/{legacy id}` (cancel, fulfil or change quantities at the shop).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;
use std::sync::Arc;

use super::fulfil::fulfillment;
use super::money::amount;
use super::order::{gid, ts};
use super::root::legacy_id;
use super::state::AppState;

fn err(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"errors": message}))).into_response()
}

pub async fn log(State(state): State<Arc<AppState>>) -> Response {
    Json(state.world().log.clone()).into_response()
}

/// `POST /_sim/faults` (see the module docs of `sim::shopify`); answers the faults now armed.
pub async fn faults(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    crate::sim::faults::answer(&mut state.faults(), &body, crate::sim::faults::Faults::arm)
}

/// `GET /_sim/stats`: requests, and what the bucket charged.
pub async fn stats(State(state): State<Arc<AppState>>) -> Response {
    let (mut charged, mut throttled, mut requested, mut actual) = (0u64, 0u64, 0u64, 0u64);
    for c in state.charges().list() {
        charged += 1;
        match c.actual {
            Some(a) => {
                requested += c.requested;
                actual += a;
            }
            None => throttled += 1,
        }
    }
    Json(json!({
        "graphql_requests": state.requests(),
        "charged": charged,
        "throttled": throttled,
        "requested_points": requested,
        "actual_points": actual,
    }))
    .into_response()
}

/// `GET /_sim/charges`: the bucket's size and rate, and each query it charged.
pub async fn charges(State(state): State<Arc<AppState>>) -> Response {
    let list = state.charges().list().to_vec();
    Json(json!({
        "maximum": state.opts.bucket,
        "restore_rate": state.opts.restore,
        "charges": list,
    }))
    .into_response()
}

pub async fn add_order(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(Value::Object(mut o)) = serde_json::from_slice::<Value>(&body) else {
        return err(
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object in the shape of an Order",
        );
    };
    let mut world = state.world();
    let next_id = world
        .iter()
        .map(|o| legacy_id(&o))
        .max()
        .unwrap_or(6_120_000_000_000)
        + 1_000;
    let next_number = world
        .iter()
        .filter_map(|o| o.get("number").and_then(Value::as_u64))
        .max()
        .unwrap_or(1000)
        + 1;
    let now = ts(Utc::now());
    let id = o
        .get("legacyResourceId")
        .and_then(|v| {
            v.as_str()
                .map(str::to_string)
                .or_else(|| v.as_u64().map(|n| n.to_string()))
        })
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(next_id);
    if world.iter().any(|x| legacy_id(&x) == id) {
        return err(StatusCode::CONFLICT, "an order with this id exists");
    }
    o.insert("__typename".into(), json!("Order"));
    o.insert("legacyResourceId".into(), json!(id.to_string()));
    o.entry("id").or_insert_with(|| json!(gid("Order", id)));
    o.entry("number").or_insert_with(|| json!(next_number));
    let number = o
        .get("number")
        .and_then(Value::as_u64)
        .unwrap_or(next_number);
    o.entry("name")
        .or_insert_with(|| json!(format!("#{number}")));
    for k in ["createdAt", "updatedAt", "processedAt"] {
        o.entry(k).or_insert_with(|| json!(now));
    }
    for k in [
        "lineItems",
        "fulfillmentOrders",
        "transactions",
        "tags",
        "refunds",
        "fulfillments",
    ] {
        o.entry(k).or_insert_with(|| json!([]));
    }
    let v = Value::Object(o);
    world.push(v.clone());
    (StatusCode::OK, Json(v)).into_response()
}

fn set_all(list: Option<&mut Value>, key: &str, value: &Value) {
    if let Some(Value::Array(items)) = list {
        for i in items {
            i[key] = value.clone();
        }
    }
}

fn money_amount(v: &Value, path: &[&str]) -> Decimal {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str()
        .and_then(|s| Decimal::from_str(s).ok())
        .unwrap_or_default()
}

/// Recomputes the current quantity and subtotal after a quantity change (shop money only).
fn recompute_current(o: &mut Value) {
    let cur = o["currencyCode"].clone();
    let mut qty = 0u64;
    let mut sub = Decimal::ZERO;
    if let Some(Value::Array(lines)) = o.get("lineItems") {
        for l in lines {
            let q = l["currentQuantity"].as_u64().unwrap_or(0);
            qty += q;
            sub += money_amount(l, &["discountedUnitPriceSet", "shopMoney", "amount"])
                * Decimal::from(q);
        }
    }
    let ship = money_amount(o, &["currentShippingPriceSet", "shopMoney", "amount"]);
    let bag = |d: Decimal| json!({"shopMoney": {"amount": amount(d), "currencyCode": cur}, "presentmentMoney": {"amount": amount(d), "currencyCode": cur}});
    o["currentSubtotalLineItemsQuantity"] = json!(qty);
    o["currentSubtotalPriceSet"] = bag(sub);
    o["currentTotalPriceSet"] = bag(sub + ship);
}

/// Fulfils what the open fulfillment orders still hold as one fulfillment (no tracking).
fn fulfil_rest(o: &mut Value, now: &Value) {
    let at = now.as_str().unwrap_or_default();
    let mut sent: Vec<(Value, u64)> = Vec::new();
    if let Some(Value::Array(fos)) = o.get_mut("fulfillmentOrders") {
        for fo in fos.iter_mut().filter(|fo| fo["status"] != "CLOSED") {
            if let Some(Value::Array(ls)) = fo.get_mut("lineItems") {
                for l in ls {
                    let q = l["remainingQuantity"].as_u64().unwrap_or(0);
                    if q > 0 {
                        sent.push((l["lineItem"]["id"].clone(), q));
                        l["remainingQuantity"] = json!(0);
                    }
                }
            }
        }
    }
    let items: Vec<(Value, u64)> = sent
        .iter()
        .filter_map(|(id, q)| {
            let lines = o["lineItems"].as_array()?;
            lines
                .iter()
                .find(|l| l["id"] == *id)
                .map(|l| (l.clone(), *q))
        })
        .collect();
    if items.is_empty() {
        return;
    }
    let n = o["fulfillments"].as_array().map_or(0, Vec::len) as u64 + 1;
    let made = fulfillment(o, n, &items, Vec::new(), at);
    match o.get_mut("fulfillments") {
        Some(Value::Array(list)) => list.push(made),
        _ => o["fulfillments"] = json!([made]),
    }
}

pub async fn change_order(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(Value::Object(change)) = serde_json::from_slice::<Value>(&body) else {
        return err(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let mut world = state.world();
    let at = world.iter().position(|o| legacy_id(&o).to_string() == id);
    let Some(o) = at.and_then(|at| world.get_mut(at)) else {
        return err(StatusCode::NOT_FOUND, "Not Found");
    };
    let now = json!(ts(Utc::now()));
    if change.get("cancel") == Some(&Value::Bool(true)) {
        o["cancelledAt"] = now.clone();
        o["cancelReason"] = json!("CUSTOMER");
        o["closed"] = json!(true);
        o["closedAt"] = now.clone();
        set_all(o.get_mut("fulfillmentOrders"), "status", &json!("CLOSED"));
    }
    if change.get("fulfil") == Some(&Value::Bool(true))
        || change.get("fulfill") == Some(&Value::Bool(true))
    {
        fulfil_rest(o, &now);
        o["displayFulfillmentStatus"] = json!("FULFILLED");
        o["closed"] = json!(true);
        o["closedAt"] = now.clone();
        set_all(o.get_mut("fulfillmentOrders"), "status", &json!("CLOSED"));
        set_all(o.get_mut("lineItems"), "unfulfilledQuantity", &json!(0));
    }
    if let Some(q) = change.get("quantities") {
        let Value::Object(q) = q else {
            return err(
                StatusCode::BAD_REQUEST,
                "quantities must map line item ids to numbers",
            );
        };
        for (line_id, n) in q {
            let Some(n) = n.as_u64() else {
                return err(StatusCode::BAD_REQUEST, "a quantity must be a whole number");
            };
            let wanted = gid("LineItem", line_id.parse().unwrap_or(0));
            let line = match o.get_mut("lineItems") {
                Some(Value::Array(lines)) => lines.iter_mut().find(|l| l["id"] == wanted.as_str()),
                _ => None,
            };
            let Some(line) = line else {
                return err(StatusCode::NOT_FOUND, "no such line item");
            };
            if n > line["quantity"].as_u64().unwrap_or(0) {
                return err(
                    StatusCode::BAD_REQUEST,
                    "a quantity cannot exceed the ordered quantity",
                );
            }
            line["currentQuantity"] = json!(n);
            line["unfulfilledQuantity"] = json!(n);
        }
        recompute_current(o);
    }
    o["updatedAt"] = now;
    (StatusCode::OK, Json(o.clone())).into_response()
}
