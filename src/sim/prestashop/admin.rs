//! The test API beside the shop: `GET /_sim/log`, `POST /_sim/faults`, `POST /_sim/orders`
//! (add an order), `POST /_sim/orders/{id}` (change one at the shop: `{"cancel": true}`,
//! `{"complete": true}`, `{"state": "3"}`, `{"quantities": {"<order row id>": 1}}`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::sync::Arc;

use super::change::{STATES, set_state};
use super::order::{DATE, six, valid};
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
        Some(Value::String(s)) if STATES.contains(&s.as_str()) => Some(s.clone()),
        Some(_) => return err(StatusCode::BAD_REQUEST, "state must be one the shop has"),
        None if change.get("cancel") == Some(&Value::Bool(true)) => Some("6".into()),
        None if change.get("complete") == Some(&Value::Bool(true)) => Some("5".into()),
        None => None,
    };
    let quantities = match change.get("quantities") {
        None => None,
        Some(Value::Object(q)) => Some(q),
        Some(_) => {
            return err(
                StatusCode::BAD_REQUEST,
                "quantities must map order row ids to numbers",
            );
        }
    };
    if target.is_none() && quantities.is_none() {
        return err(
            StatusCode::BAD_REQUEST,
            "say cancel, complete, state or quantities",
        );
    }
    let mut world = state.world();
    // A change made at the shop is not something the shop received: not logged.
    let Some(id) = id.parse::<u64>().ok() else {
        return err(StatusCode::NOT_FOUND, "Not Found");
    };
    let Some(o) = world.order_mut(id) else {
        return err(StatusCode::NOT_FOUND, "Not Found");
    };
    for (row, n) in quantities.into_iter().flatten() {
        let Some(n) = n.as_u64() else {
            return err(StatusCode::BAD_REQUEST, "a quantity must be a whole number");
        };
        if let Err(e) = requantify(o, row, n) {
            return e;
        }
    }
    o["date_upd"] = json!(Utc::now().format(DATE).to_string());
    if let Some(target) = target {
        set_state(&mut world, id, &target);
    }
    let o = world.order_mut(id).map(|o| o.clone()).unwrap_or_default();
    (StatusCode::OK, Json(o)).into_response()
}

/// Sets order row `row` of `o` to `n` (0 removes it), the order's tax-included totals moved
/// by the difference at the row's unit price.
fn requantify(o: &mut Value, row: &str, n: u64) -> Result<(), Response> {
    let number = |v: &Value| -> Decimal {
        match v {
            Value::String(s) => s.trim().parse().unwrap_or_default(),
            Value::Number(n) => n.to_string().parse().unwrap_or_default(),
            _ => Decimal::ZERO,
        }
    };
    let Some(rows) = o
        .pointer_mut("/associations/order_rows")
        .and_then(Value::as_array_mut)
    else {
        return Err(err(StatusCode::NOT_FOUND, "no such order row"));
    };
    let Some(i) = rows
        .iter()
        .position(|r| r["id"].to_string().trim_matches('"') == row)
    else {
        return Err(err(StatusCode::NOT_FOUND, "no such order row"));
    };
    let was = number(&rows[i]["product_quantity"]);
    if Decimal::from(n) > was {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "a quantity cannot exceed the ordered quantity",
        ));
    }
    let less = number(&rows[i]["unit_price_tax_incl"]) * (was - Decimal::from(n));
    if n == 0 {
        rows.remove(i);
    } else {
        rows[i]["product_quantity"] = json!(n.to_string());
    }
    for k in ["total_paid", "total_paid_tax_incl", "total_products_wt"] {
        let now = number(&o[k]) - less;
        o[k] = json!(six(now));
    }
    Ok(())
}
