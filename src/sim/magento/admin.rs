//! The test API beside the shop: `GET /_sim/log`, `POST /_sim/faults`, `POST /_sim/orders`
//! (add an order) and `POST /_sim/orders/{id}` (change one at the shop: `{"cancel": true}`,
//! `{"complete": true}`, `{"status": "holded"}`, `{"quantities": {"<item_id>": 1}}`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};
use std::sync::Arc;

use super::orders::{cancel_order, touch};
use super::seeded::increment_id;
use super::ship::ship_all;
use super::state::{AppState, STATUSES, id_of, stamp};

fn err(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"message": message, "parameters": []}))).into_response()
}

pub async fn log(State(state): State<Arc<AppState>>) -> Response {
    Json(state.world().log.clone()).into_response()
}

pub async fn faults(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    crate::sim::faults::answer(&mut state.faults(), &body, crate::sim::faults::arm_rest)
}

/// An order in the shape of Magento's; what it leaves out is filled in (a guest order of no
/// items, `processing`, now).
pub async fn add_order(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(Value::Object(mut o)) = serde_json::from_slice::<Value>(&body) else {
        return err(
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object in the shape of an order",
        );
    };
    let mut world = state.world();
    let next = world.orders.last().map_or(1, |l| id_of(l) + 1);
    let id = match o.get("entity_id") {
        None => next,
        Some(v) => match v.as_u64() {
            Some(id) if id > 0 => id,
            _ => {
                return err(
                    StatusCode::BAD_REQUEST,
                    "entity_id must be a positive whole number",
                );
            }
        },
    };
    let now = stamp(Utc::now());
    o.insert("entity_id".into(), json!(id));
    o.entry("increment_id")
        .or_insert_with(|| json!(increment_id(id)));
    o.entry("status").or_insert(json!("processing"));
    o.entry("state").or_insert(json!("processing"));
    o.entry("created_at").or_insert(json!(now));
    o.entry("updated_at").or_insert(json!(now));
    o.entry("base_currency_code")
        .or_insert(json!(state.opts.currency));
    o.entry("customer_is_guest").or_insert(json!(1));
    for k in ["base_grand_total", "base_subtotal"] {
        o.entry(k).or_insert(json!(0));
    }
    for k in ["items", "status_histories"] {
        o.entry(k).or_insert(json!([]));
    }
    let o = Value::Object(o);
    if !world.insert(o.clone()) {
        return err(StatusCode::CONFLICT, "an order with this entity_id exists");
    }
    (StatusCode::CREATED, Json(o)).into_response()
}

/// `{"status": "…"}`, `{"cancel": true}` (cancelled at the shop) or `{"complete": true}`
/// (invoiced and shipped in full); the order's `updated_at` moves. Not logged: the log is
/// what the shop received.
pub async fn change_order(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
    body: Bytes,
) -> Response {
    let Ok(Value::Object(change)) = serde_json::from_slice::<Value>(&body) else {
        return err(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    if let Some(k) = change
        .keys()
        .find(|k| !["status", "cancel", "complete", "quantities"].contains(&k.as_str()))
    {
        return err(
            StatusCode::BAD_REQUEST,
            &format!("unknown change \"{k}\" (known: status, cancel, complete, quantities)"),
        );
    }
    let mut world = state.world();
    let Some(o) = world.order_mut(id) else {
        return err(StatusCode::NOT_FOUND, "no such order");
    };
    if let Some(q) = change.get("quantities") {
        let Value::Object(q) = q else {
            return err(
                StatusCode::BAD_REQUEST,
                "quantities must map item ids to numbers",
            );
        };
        for (item, n) in q {
            let Some(n) = n.as_u64() else {
                return err(StatusCode::BAD_REQUEST, "a quantity must be a whole number");
            };
            if let Err((status, why)) = requantify(o, item, n) {
                return err(status, why);
            }
        }
        touch(o);
        if change.len() == 1 {
            return Json(o.clone()).into_response();
        }
    }
    if change.get("cancel") == Some(&Value::Bool(true)) {
        cancel_order(o);
    } else if change.get("complete") == Some(&Value::Bool(true)) {
        o["base_total_invoiced"] = o["base_grand_total"].clone();
        o["base_total_paid"] = o["base_grand_total"].clone();
        ship_all(o);
    } else if let Some(s) = change.get("status").and_then(Value::as_str) {
        if !STATUSES.contains(&s) {
            return err(StatusCode::BAD_REQUEST, &format!("unknown status \"{s}\""));
        }
        o["status"] = json!(s);
        touch(o);
    } else {
        return err(
            StatusCode::BAD_REQUEST,
            "say status, cancel, complete or quantities",
        );
    }
    Json(o.clone()).into_response()
}

/// Leaves `n` of item `item` (and of its configurable child) on the order: the rest is
/// cancelled, as Magento records what an order no longer holds.
fn requantify(o: &mut Value, item: &str, n: u64) -> Result<(), (StatusCode, &'static str)> {
    let Some(items) = o.get_mut("items").and_then(Value::as_array_mut) else {
        return Err((StatusCode::NOT_FOUND, "no such item"));
    };
    let wanted: Option<u64> = item.parse().ok();
    let Some(top) = items
        .iter()
        .find(|i| i["item_id"].as_u64() == wanted && i["parent_item_id"].is_null())
    else {
        return Err((StatusCode::NOT_FOUND, "no such item"));
    };
    let ordered = top["qty_ordered"].as_u64().unwrap_or(0);
    let left = ordered.saturating_sub(top["qty_refunded"].as_u64().unwrap_or(0));
    if n > left {
        return Err((
            StatusCode::BAD_REQUEST,
            "a quantity cannot exceed the ordered quantity",
        ));
    }
    for i in items
        .iter_mut()
        .filter(|i| i["item_id"].as_u64() == wanted || i["parent_item_id"].as_u64() == wanted)
    {
        i["qty_canceled"] = json!(left - n);
    }
    Ok(())
}
