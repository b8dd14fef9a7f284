//! The test API beside the shop: `GET /_sim/log`, `POST /_sim/faults`, `POST /_sim/orders`
//! (add an order), `POST /_sim/orders/{id}` (change one at the shop).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::sync::Arc;

use super::edit::set_status;
use super::money::{read, text, total_up};
use super::state::{AppState, STATUSES, id_of};

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
    let next = world.orders.last().map_or(1000, |l| id_of(l) + 2);
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
    o.insert("id".into(), json!(id));
    o.entry("number").or_insert_with(|| json!(id.to_string()));
    o.entry("parent_id").or_insert(json!(0));
    o.entry("status").or_insert(json!("processing"));
    o.entry("currency").or_insert(json!(state.opts.currency));
    o.entry("customer_id").or_insert(json!(0));
    o.entry("prices_include_tax").or_insert(json!(true));
    for k in ["billing", "shipping"] {
        o.entry(k).or_insert(json!({}));
    }
    for k in [
        "line_items",
        "shipping_lines",
        "tax_lines",
        "fee_lines",
        "coupon_lines",
        "refunds",
        "meta_data",
    ] {
        o.entry(k).or_insert(json!([]));
    }
    let mut v = Value::Object(o);
    if v.get("total").is_none() {
        total_up(&mut v);
    }
    let now = Some(Utc::now());
    for k in ["date_created", "date_modified"] {
        if v.get(k).is_none() {
            state.clock.stamp(&mut v, k, now);
        }
    }
    if !world.insert(v.clone()) {
        return err(StatusCode::CONFLICT, "an order with this id exists");
    }
    (StatusCode::OK, Json(v)).into_response()
}

/// Sets line `line_id` of `o` to `n`, its money in proportion (0 removes it).
fn requantify(o: &mut Value, line_id: &str, n: u64) -> Result<(), Response> {
    let Some(lines) = o.get_mut("line_items").and_then(Value::as_array_mut) else {
        return Err(err(StatusCode::NOT_FOUND, "no such line item"));
    };
    let Some(i) = lines
        .iter()
        .position(|l| l["id"].as_u64().is_some_and(|i| i.to_string() == line_id))
    else {
        return Err(err(StatusCode::NOT_FOUND, "no such line item"));
    };
    let was = lines[i]["quantity"].as_u64().unwrap_or(0);
    if n > was {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "a quantity cannot exceed the ordered quantity",
        ));
    }
    if n == 0 {
        lines.remove(i);
        return Ok(());
    }
    let scale = |v: &Value| json!(text(read(v) * Decimal::from(n) / Decimal::from(was.max(1))));
    let line = &mut lines[i];
    for k in ["subtotal", "subtotal_tax", "total", "total_tax"] {
        line[k] = scale(&line[k]);
    }
    for t in line
        .get_mut("taxes")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        for k in ["total", "subtotal"] {
            t[k] = scale(&t[k]);
        }
    }
    line["quantity"] = json!(n);
    Ok(())
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
    let Some(id) = id
        .parse::<u64>()
        .ok()
        .filter(|i| world.position(*i).is_some())
    else {
        return err(StatusCode::NOT_FOUND, "Not Found");
    };
    let status = match change.get("status") {
        Some(Value::String(s)) if STATUSES.contains(&s.as_str()) => Some(s.as_str()),
        Some(_) => return err(StatusCode::BAD_REQUEST, "status must be one the shop knows"),
        None if change.get("cancel") == Some(&Value::Bool(true)) => Some("cancelled"),
        None if change.get("complete") == Some(&Value::Bool(true)) => Some("completed"),
        None => None,
    };
    let Some(o) = world.order_mut(id) else {
        return err(StatusCode::NOT_FOUND, "Not Found");
    };
    // A change made at the shop is not something the shop received: not logged.
    if let Some(s) = status {
        set_status(&state.clock, o, s);
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
            if let Err(e) = requantify(o, line_id, n) {
                return e;
            }
        }
        total_up(o);
    }
    state.clock.stamp(o, "date_modified", Some(Utc::now()));
    (StatusCode::OK, Json(o.clone())).into_response()
}
