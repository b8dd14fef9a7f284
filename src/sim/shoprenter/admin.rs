//! The test API beside the shop: `GET /_sim/log`, `GET /_sim/usage`, `POST /_sim/faults`,
//! `POST /_sim/orders` (add an order in the shape of `orderExtend`) and
//! `POST /_sim/orders/{id}` (change one at the shop: `{"cancel": true}`,
//! `{"complete": true}`, `{"status": "2"}`, `{"quantities": {"<orderProduct id>": 1}}`).

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

use super::api::error;
use super::seeded::{money, stamp};
use super::state::{AppState, CANCELLED, COMPLETED, STATUSES, resource_id, status_ref};

pub async fn log(State(state): State<Arc<AppState>>) -> Response {
    Json(state.world().log.clone()).into_response()
}

/// The requests counted today and those refused for the budget.
pub async fn usage(State(state): State<Arc<AppState>>) -> Response {
    let c = state.counted();
    Json(json!({"today": c.today, "refused": c.refused})).into_response()
}

pub async fn faults(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    crate::sim::faults::answer(&mut state.faults(), &body, crate::sim::faults::arm_rest)
}

/// An order in the shape of `orderExtend`; what it leaves out is filled in (a guest, no
/// products, processing, now). 409 when its `innerId` is taken.
pub async fn add_order(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(Value::Object(mut o)) = serde_json::from_slice::<Value>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "the body must be an order (JSON object)",
        );
    };
    let base = state.base.clone();
    let mut world = state.world();
    let last = world.orders.last().map_or(7_000, super::state::inner_id);
    let n = match o.get("innerId") {
        None => (last + 1..)
            .find(|n| super::state::plain(&resource_id("order", "order_id", *n)))
            .unwrap_or(last + 1),
        Some(v) => match v
            .as_str()
            .and_then(|s| s.parse::<u64>().ok())
            .or(v.as_u64())
        {
            Some(n) if n > 0 => n,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "innerId must be a positive whole number",
                );
            }
        },
    };
    let id = resource_id("order", "order_id", n);
    if world.orders.iter().any(|x| x["id"] == id.as_str()) {
        return error(StatusCode::CONFLICT, "an order with this innerId exists");
    }
    let now = stamp(Utc::now());
    o.insert("id".into(), json!(id));
    o.insert("innerId".into(), json!(n.to_string()));
    o.insert("href".into(), json!(format!("/orderExtend/{id}")));
    o.entry("dateCreated").or_insert(json!(now));
    o.entry("dateUpdated").or_insert(json!(now));
    o.entry("total").or_insert(json!("0.0000"));
    o.entry("orderStatus")
        .or_insert(status_ref("", super::state::PROCESSING));
    o.entry("currency")
        .or_insert(json!({"code": state.opts.currency}));
    o.entry("customer").or_insert(Value::Null);
    for k in ["orderTotals", "orderProducts"] {
        o.entry(k).or_insert(json!([]));
    }
    let mut o = Value::Object(o);
    super::seeded::link(&mut o, &base);
    world.orders.push(o.clone());
    world.orders.sort_by_key(super::state::inner_id);
    (StatusCode::CREATED, Json(o)).into_response()
}

/// A change at the shop; the order's `dateUpdated` moves. Not logged.
pub async fn change_order(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(Value::Object(change)) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let base = state.base.clone();
    let mut world = state.world();
    let Some(o) = world.order_mut(&id) else {
        return error(StatusCode::NOT_FOUND, "no such order");
    };
    let status = if change.get("cancel") == Some(&Value::Bool(true)) {
        Some(CANCELLED.to_string())
    } else if change.get("complete") == Some(&Value::Bool(true)) {
        Some(COMPLETED.to_string())
    } else {
        change
            .get("status")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if let Some(s) = status {
        if !STATUSES.contains(&s.as_str()) {
            return error(StatusCode::BAD_REQUEST, &format!("unknown status \"{s}\""));
        }
        o["orderStatus"] = status_ref(&base, &s);
    } else if let Some(Value::Object(q)) = change.get("quantities") {
        for (line, n) in q {
            let Some(n) = n.as_u64() else {
                return error(StatusCode::BAD_REQUEST, "a quantity must be a whole number");
            };
            if let Err(why) = requantify(o, line, n) {
                return error(StatusCode::BAD_REQUEST, why);
            }
        }
    } else {
        return error(
            StatusCode::BAD_REQUEST,
            "say status, cancel, complete or quantities",
        );
    }
    o["dateUpdated"] = json!(stamp(Utc::now()));
    Json(o.clone()).into_response()
}

/// Leaves `n` of order product `line`; the order's totals follow (net, its tax rate).
fn requantify(o: &mut Value, line: &str, n: u64) -> Result<(), &'static str> {
    let dec = |v: &Value| Decimal::from_str(v.as_str().unwrap_or("0")).unwrap_or_default();
    let Some(item) = o["orderProducts"]
        .as_array_mut()
        .and_then(|l| l.iter_mut().find(|p| p["id"] == line))
    else {
        return Err("no such order product");
    };
    let was = dec(&item["quantity"]);
    if Decimal::from(n) > was || was.is_zero() {
        return Err("a quantity cannot grow");
    }
    let net = dec(&item["total"]) * (was - Decimal::from(n)) / was;
    let gross = net * (Decimal::ONE + dec(&item["taxRate"]) / Decimal::ONE_HUNDRED);
    item["quantity"] = json!(n.to_string());
    item["total"] = json!(money(dec(&item["total"]) - net));
    o["total"] = json!(money(dec(&o["total"]) - gross));
    if let Some(totals) = o["orderTotals"].as_array_mut() {
        for t in totals {
            let less = match t["type"].as_str() {
                Some("SUB_TOTAL") => net,
                Some("TAX") => gross - net,
                Some("TOTAL") => gross,
                _ => continue,
            };
            t["value"] = json!(money(dec(&t["value"]) - less));
        }
    }
    Ok(())
}
