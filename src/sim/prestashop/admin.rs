//! The test API beside the shop: `GET /_sim/log`, `POST /_sim/faults`, `POST /_sim/orders`
//! (add an order), `POST /_sim/orders/{id}` (change one at the shop: `{"cancel": true}`,
//! `{"complete": true}`, `{"state": "3"}`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};
use std::sync::Arc;

use super::change::{STATES, set_state};
use super::order::{DATE, valid};
use super::state::AppState;

fn err(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"errors": message}))).into_response()
}

pub async fn log(State(state): State<Arc<AppState>>) -> Response {
    Json(state.world().log.clone()).into_response()
}

/// `POST /_sim/faults`; answers the faults now armed.
pub async fn faults(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    crate::sim::faults::answer(&mut state.faults(), &body, crate::sim::faults::arm_rest)
}

pub async fn add_order(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(Value::Object(mut o)) = serde_json::from_slice::<Value>(&body) else {
        return err(
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object in the shape of an order",
        );
    };
    let mut world = state.world();
    let next = world
        .resources
        .get("orders")
        .and_then(|r| r.keys().next_back())
        .map_or(1, |id| id + 1);
    let id = match o.get("id") {
        None => next,
        Some(v) => match v.as_u64() {
            Some(id) if id > 0 => id,
            _ => {
                return err(
                    StatusCode::BAD_REQUEST,
                    "id must be a positive whole number",
                );
            }
        },
    };
    if world.order_mut(id).is_some() {
        return err(StatusCode::CONFLICT, "an order with this id exists");
    }
    let now = Utc::now().format(DATE).to_string();
    o.insert("id".into(), json!(id));
    let s = o.entry("current_state").or_insert(json!("2")).clone();
    o.entry("valid")
        .or_insert(json!(valid(s.as_str().unwrap_or("2"))));
    for (k, v) in [
        ("id_currency", "1"),
        ("id_customer", "0"),
        ("id_carrier", "2"),
        ("id_address_delivery", "0"),
        ("id_address_invoice", "0"),
        ("payment", "Bank transfer"),
        ("shipping_number", ""),
    ] {
        o.entry(k).or_insert(json!(v));
    }
    for k in [
        "total_paid_tax_incl",
        "total_paid_tax_excl",
        "total_products_wt",
        "total_discounts_tax_incl",
        "total_shipping_tax_incl",
    ] {
        o.entry(k).or_insert(json!("0.000000"));
    }
    o.entry("associations").or_insert(json!({"order_rows": []}));
    o.entry("date_add").or_insert(json!(now));
    o.insert("date_upd".into(), json!(now));
    let carrier = o["id_carrier"].clone();
    let v = Value::Object(o);
    let oc = json!({"id": id, "id_order": id.to_string(), "id_carrier": carrier,
                    "tracking_number": "", "date_add": now});
    world
        .resources
        .entry("order_carriers")
        .or_default()
        .insert(id, oc);
    world
        .resources
        .entry("orders")
        .or_default()
        .insert(id, v.clone());
    (StatusCode::OK, Json(v)).into_response()
}

pub async fn change_order(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(Value::Object(change)) = serde_json::from_slice::<Value>(&body) else {
        return err(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let target = match change.get("state") {
        Some(Value::String(s)) if STATES.contains(&s.as_str()) => s.clone(),
        Some(_) => return err(StatusCode::BAD_REQUEST, "state must be one the shop has"),
        None if change.get("cancel") == Some(&Value::Bool(true)) => "6".into(),
        None if change.get("complete") == Some(&Value::Bool(true)) => "5".into(),
        None => return err(StatusCode::BAD_REQUEST, "say cancel, complete or state"),
    };
    let mut world = state.world();
    // A change made at the shop is not something the shop received: not logged.
    let Some(id) = id.parse::<u64>().ok() else {
        return err(StatusCode::NOT_FOUND, "Not Found");
    };
    if set_state(&mut world, id, &target).is_none() {
        return err(StatusCode::NOT_FOUND, "Not Found");
    }
    let o = world.order_mut(id).map(|o| o.clone()).unwrap_or_default();
    (StatusCode::OK, Json(o)).into_response()
}
