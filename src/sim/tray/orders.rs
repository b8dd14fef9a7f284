//! `GET /orders` (the list), `GET /orders/:id/complete`, `GET /orders/statuses`,
//! `PUT /orders/:id` and `PUT /orders/cancel/:id`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::auth::{bad_request, error, gate, not_found};
use super::seeded::stamp;
use super::state::{AppState, CANCELLED, STATUSES, id_of};
use crate::sim::faults::{Shaping, set_path};

type Params = Query<HashMap<String, String>>;

/// Tray's most orders a page.
const MAX_LIMIT: u64 = 50;

fn malform(o: &mut Value, shaping: &Shaping) {
    if let Some(m) = shaping.malformed.get(&id_of(o).to_string()) {
        set_path(o, &m.field, m.value.clone());
    }
}

/// `modified=start,end` (Brasília dates, both days in) or one day.
fn days(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    match text.split_once(',') {
        Some((a, b)) => Some((day(a)?, day(b)?)),
        None => day(text).map(|d| (d, d)),
    }
}

/// A change's answer: dropped when that fault is armed, else Tray's "Saved".
pub(super) fn answer_saved(state: &AppState, shaping: &Shaping, id: u64) -> Response {
    if let Some(r) = crate::sim::rest::dropped(&state.faults) {
        return r;
    }
    let saved = json!({"message": "Saved", "id": id.to_string(), "code": 200});
    shaping.send(StatusCode::OK, HeaderMap::new(), &saved)
}

/// The list: summaries (no customer, lines by id only), filtered, sorted and paged.
pub async fn list(State(state): State<Arc<AppState>>, Query(query): Params) -> Response {
    let shaping = match gate(&state, &query).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (limit, page, descending) = match super::products::paging(&query) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let within = match query.get("modified") {
        None => None,
        Some(m) => match days(m) {
            Some(d) => Some(d),
            None => return bad_request("modified deve ser aaaa-mm-dd ou aaaa-mm-dd,aaaa-mm-dd"),
        },
    };
    let status = query.get("status").cloned();
    let mut found: Vec<Value> = {
        let world = state.world();
        world
            .orders
            .iter()
            .filter(|o| {
                let day = o["modified"]
                    .as_str()
                    .and_then(|m| m.get(..10))
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                within.is_none_or(|(a, b)| day.is_some_and(|d| a <= d && d <= b))
                    && status.as_deref().is_none_or(|s| o["status"] == s)
            })
            .cloned()
            .collect()
    };
    if descending {
        found.reverse();
    }
    let total = found.len();
    // A huge page asks past the end (never an overflow).
    let start = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let mut orders: Vec<Value> = found
        .into_iter()
        .skip(start)
        .take(limit as usize)
        .map(|mut o| {
            malform(&mut o, &shaping);
            if let Value::Object(m) = &mut o {
                m.remove("Customer");
                let ids: Vec<Value> = m
                    .get("ProductsSold")
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .map(|p| json!({"id": p["ProductsSold"]["id"]}))
                            .collect()
                    })
                    .unwrap_or_default();
                m.insert("ProductsSold".into(), Value::Array(ids));
            }
            json!({ "Order": o })
        })
        .collect();
    if shaping.repeat
        && let Some(first) = orders.first().cloned()
    {
        orders.push(first);
    }
    let applied: Vec<&String> = query.keys().filter(|k| *k != "access_token").collect();
    let out = json!({
        "paging": {"total": total, "page": page, "offset": start, "limit": limit, "maxLimit": MAX_LIMIT},
        "sort": [{"id": if descending { "desc" } else { "asc" }}],
        "availableFilters": ["id", "status", "modified", "date"],
        "appliedFilters": applied,
        "Orders": orders,
    });
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

/// `GET /orders/:id/complete`.
pub async fn complete(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Params,
) -> Response {
    let shaping = match gate(&state, &query).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let found = id
        .parse::<u64>()
        .ok()
        .and_then(|id| state.world().order_mut(id).map(|o| o.clone()));
    match found {
        Some(mut o) => {
            malform(&mut o, &shaping);
            shaping.send(StatusCode::OK, HeaderMap::new(), &json!({ "Order": o }))
        }
        None => not_found(),
    }
}

/// `GET /orders/statuses`.
pub async fn statuses(State(state): State<Arc<AppState>>, Query(query): Params) -> Response {
    let shaping = match gate(&state, &query).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let list: Vec<Value> = STATUSES
        .iter()
        .map(|(name, id)| {
            json!({"OrderStatus": {"id": id.to_string(), "status": name,
            "default": "1", "type": if *name == CANCELLED { "canceled" } else { "open" }}})
        })
        .collect();
    let out = json!({"paging": {"total": list.len(), "page": 1, "offset": 0, "limit": 50,
        "maxLimit": 50}, "OrderStatuses": list});
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

/// `PUT /orders/:id` with `{"Order": {status_id, sending_code, sending_date, store_note}}`.
pub async fn update(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Params,
    body: Bytes,
) -> Response {
    let shaping = match gate(&state, &query).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("o corpo deve ser {\"Order\": {...}}");
    };
    let Some(Value::Object(fields)) = top.get("Order") else {
        return bad_request("o corpo deve ser {\"Order\": {...}}");
    };
    let text = |k: &str| match fields.get(k) {
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let status = match text("status_id") {
        None => None,
        Some(sid) => match STATUSES.iter().find(|(_, i)| i.to_string() == sid) {
            Some((name, _)) => Some(*name),
            None => return bad_request(&format!("status_id {sid} não existe")),
        },
    };
    let now = Utc::now();
    let mut world = state.world();
    let n = id.parse::<u64>().unwrap_or(0);
    let Some(o) = world.order_mut(n) else {
        return not_found();
    };
    let code = text("sending_code").filter(|c| !c.is_empty());
    let new_code = code.as_deref().is_some_and(|c| o["sending_code"] != c);
    let new_status = status.is_some_and(|s| o["status"] != s);
    if let Some(c) = &code {
        o["sending_code"] = json!(c);
        o["sending_date"] = json!(text("sending_date").unwrap_or_default());
    }
    let note = text("store_note");
    let new_note = note.as_deref().is_some_and(|n| o["store_note"] != n);
    if let Some(n) = note {
        o["store_note"] = json!(n);
    }
    if let Some(s) = status {
        o["status"] = json!(s);
        o["OrderStatus"] = json!({"id": super::state::status_id(s).to_string(), "status": s});
    }
    o["modified"] = json!(stamp(now));
    // What the store received: a status and a tracking code may come in one request.
    if new_status || new_note {
        world.log("order_update", n, now);
    }
    if new_code {
        world.log("fulfillment_create", n, now).tracking_number = code;
    }
    drop(world);
    answer_saved(&state, &shaping, n)
}

/// `PUT /orders/cancel/:id`.
pub async fn cancel(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Params,
) -> Response {
    let shaping = match gate(&state, &query).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let now = Utc::now();
    let mut world = state.world();
    let Some(n) = id.parse::<u64>().ok() else {
        return not_found();
    };
    let Some(o) = world.order_mut(n) else {
        return not_found();
    };
    if o["status"] == CANCELLED {
        return error(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "o pedido já está cancelado",
        );
    }
    cancel_order(o);
    world.log("order_cancel", n, now);
    drop(world);
    answer_saved(&state, &shaping, n)
}

/// The order cancelled now.
pub fn cancel_order(o: &mut Value) {
    o["status"] = json!(CANCELLED);
    o["OrderStatus"] =
        json!({"id": super::state::status_id(CANCELLED).to_string(), "status": CANCELLED});
    o["modified"] = json!(stamp(Utc::now()));
}
