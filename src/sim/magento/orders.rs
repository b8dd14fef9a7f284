//! `GET /V1/orders` (a search), `GET /V1/orders/{id}`, `POST /V1/orders/{id}/comments` and
//! `POST /V1/orders/{id}/cancel`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;
use std::sync::Arc;

use super::reply::{self, bad_request, gate, not_found};
use super::state::{AppState, STATUSES, stamp};

/// The order fields a search may filter or sort on.
const FIELDS: [&str; 7] = [
    "entity_id",
    "increment_id",
    "status",
    "state",
    "created_at",
    "updated_at",
    "customer_email",
];

/// A decimal of a JSON number or text (0 when there is none).
pub fn dec(v: &Value) -> Decimal {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Decimal::ZERO,
    };
    Decimal::from_str(text.trim()).unwrap_or_default()
}

/// Marks order `o` changed now.
pub fn touch(o: &mut Value) {
    o["updated_at"] = json!(stamp(Utc::now()));
}

pub type Id = Path<(String, u64)>;

pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(store): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let (shaping, criteria) =
        match super::search::searched(&state, &store, &headers, &query, &FIELDS).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    let out = criteria.answer(&state.world().orders);
    reply::orders(shaping, out)
}

pub async fn one(
    State(state): State<Arc<AppState>>,
    Path((store, id)): Id,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let found = state.world().order_mut(id).map(|o| o.clone());
    match found {
        Some(o) => reply::orders(shaping, o),
        None => not_found(),
    }
}

/// `{"statusHistory": {"comment", "is_customer_notified", "is_visible_on_front", "status"}}`;
/// a status must be one the shop knows.
pub async fn comment(
    State(state): State<Arc<AppState>>,
    Path((store, id)): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("The request body is not valid JSON.");
    };
    let h = &body["statusHistory"];
    let Some(text) = h["comment"].as_str() else {
        return bad_request("\"statusHistory.comment\" is required. Enter and try again.");
    };
    let status = h["status"].as_str();
    if let Some(s) = status.filter(|s| !STATUSES.contains(s)) {
        return reply::error(
            axum::http::StatusCode::BAD_REQUEST,
            "The \"%1\" order status is not known.",
            json!([s]),
        );
    }
    let mut world = state.world();
    let next = world.next_id();
    let Some(o) = world.order_mut(id) else {
        return not_found();
    };
    if let Some(s) = status {
        o["status"] = json!(s);
    }
    let entry = json!({"entity_id": next, "parent_id": id, "comment": text,
        "is_customer_notified": h["is_customer_notified"], "is_visible_on_front": h["is_visible_on_front"],
        "status": o["status"], "created_at": stamp(Utc::now()), "entity_name": "order"});
    if let Some(list) = o["status_histories"].as_array_mut() {
        list.insert(0, entry);
    } else {
        o["status_histories"] = json!([entry]);
    }
    touch(o);
    let entry = world.log("order_update", id, Utc::now());
    entry.notify_customer = h["is_customer_notified"].as_i64().map(|n| n != 0);
    drop(world);
    reply::dropped(&state).unwrap_or_else(|| reply::other(shaping, json!(true)))
}

/// Cancels what was not shipped; `false` when Magento cannot (the order is over, or has an
/// invoice not refunded).
pub async fn cancel(
    State(state): State<Arc<AppState>>,
    Path((store, id)): Id,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut world = state.world();
    let Some(o) = world.order_mut(id) else {
        return not_found();
    };
    let over = matches!(
        o["state"].as_str(),
        Some("canceled" | "closed" | "complete")
    );
    let invoiced = dec(&o["base_total_invoiced"]) > dec(&o["base_total_refunded"]);
    if over || invoiced {
        return reply::other(shaping, json!(false));
    }
    cancel_order(o);
    world.log("order_cancel", id, Utc::now());
    drop(world);
    reply::dropped(&state).unwrap_or_else(|| reply::other(shaping, json!(true)))
}

/// What Magento does on a cancel: what was not shipped is cancelled, the order `canceled`.
pub fn cancel_order(o: &mut Value) {
    if let Some(items) = o["items"].as_array_mut() {
        for i in items {
            let left = dec(&i["qty_ordered"]) - dec(&i["qty_shipped"]) - dec(&i["qty_refunded"]);
            i["qty_canceled"] = super::seeded::num(left.max(Decimal::ZERO));
        }
    }
    o["state"] = json!("canceled");
    o["status"] = json!("canceled");
    touch(o);
}
