//! The test API beside the store: `GET /_sim/log`, `POST /_sim/faults`, `POST /_sim/orders`
//! (add an order in Tray's shape, `{"Order": …}` or the `Order` itself), `POST /_sim/orders/{id}` (change one at the shop: `{"cancel": true}`,
//! `{"complete": true}`, `{"status": "ENTREGUE"}`, `{"quantities": {"<ProductsSold id>": 1}}`),
//! `POST /_sim/tokens` (`{"expire_access": true}`, `{"revoke_refresh": true}`,
//! `{"revoke_code": true}`) and `GET /_sim/usage` (the requests counted today).

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

use super::orders::cancel_order;
use super::seeded::{money, stamp};
use super::state::{AppState, FINISHED, STATUSES, status_id};

fn err(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"message": message, "code": status.as_u16()})),
    )
        .into_response()
}

pub async fn log(State(state): State<Arc<AppState>>) -> Response {
    Json(state.world().log.clone()).into_response()
}

pub async fn usage(State(state): State<Arc<AppState>>) -> Response {
    let c = state.counted();
    Json(json!({"today": c.today, "refused": c.refused})).into_response()
}

pub async fn faults(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    crate::sim::faults::answer(&mut state.faults(), &body, crate::sim::faults::arm_rest)
}

/// Expires the access tokens issued so far, spends the refresh tokens, or takes the code back.
pub async fn tokens(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(Value::Object(ask)) = serde_json::from_slice::<Value>(&body) else {
        return err(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let known = ["expire_access", "revoke_refresh", "revoke_code"];
    if let Some(k) = ask.keys().find(|k| !known.contains(&k.as_str())) {
        return err(
            StatusCode::BAD_REQUEST,
            &format!("unknown key \"{k}\" (known: {})", known.join(", ")),
        );
    }
    let on = |k: &str| ask.get(k) == Some(&Value::Bool(true));
    let past = Utc::now() - chrono::Duration::seconds(1);
    let mut world = state.world();
    for t in &mut world.tokens {
        if on("expire_access") {
            t.access_until = past;
        }
        if on("revoke_refresh") {
            t.refresh_until = past;
        }
    }
    world.code_revoked |= on("revoke_code");
    Json(json!({"tokens": world.tokens.len(), "code_revoked": world.code_revoked})).into_response()
}

/// An order in Tray's shape; what it leaves out is filled in (no customer, no products,
/// `A ENVIAR`, now). 409 when its id is taken.
pub async fn add_order(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let given = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(mut o)) => match o.remove("Order") {
            Some(Value::Object(inner)) => inner,
            Some(_) => return err(StatusCode::BAD_REQUEST, "Order must be an object"),
            None => o,
        },
        _ => {
            return err(
                StatusCode::BAD_REQUEST,
                "the body must be an order (JSON object)",
            );
        }
    };
    let mut o = given;
    let mut world = state.world();
    let next = world
        .orders
        .last()
        .map_or(40_001, |l| super::state::id_of(l) + 1);
    let id = match o.get("id") {
        None => next,
        Some(v) => match v
            .as_str()
            .and_then(|s| s.parse::<u64>().ok())
            .or(v.as_u64())
        {
            Some(id) if id > 0 => id,
            _ => {
                return err(
                    StatusCode::BAD_REQUEST,
                    "id must be a positive whole number",
                );
            }
        },
    };
    let now = Utc::now();
    let (date, hour) = super::seeded::local(now);
    o.insert("id".into(), json!(id.to_string()));
    let status = o
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or(super::state::PAID_OPEN)
        .to_string();
    if !STATUSES.iter().any(|(n, _)| *n == status) {
        return err(
            StatusCode::BAD_REQUEST,
            &format!("unknown status \"{status}\""),
        );
    }
    o.insert("status".into(), json!(status));
    o.insert(
        "OrderStatus".into(),
        json!({"id": status_id(&status).to_string(), "status": status}),
    );
    o.entry("date").or_insert(json!(date));
    o.entry("hour").or_insert(json!(hour));
    o.entry("modified").or_insert(json!(stamp(now)));
    for k in [
        "partial_total",
        "total",
        "discount",
        "taxes",
        "shipment_value",
    ] {
        o.entry(k).or_insert(json!("0.00"));
    }
    o.entry("Customer")
        .or_insert(json!({"id": "0", "name": "", "email": ""}));
    o.entry("ProductsSold").or_insert(json!([]));
    let o = Value::Object(o);
    match world.orders.binary_search_by_key(&id, super::state::id_of) {
        Ok(_) => err(StatusCode::CONFLICT, "an order with this id exists"),
        Err(at) => {
            world.orders.insert(at, o.clone());
            (StatusCode::CREATED, Json(json!({ "Order": o }))).into_response()
        }
    }
}

/// `{"status"}`, `{"cancel": true}`, `{"complete": true}` or `{"quantities"}`; the order's
/// `modified` moves. Not logged: the log is what the shop received.
pub async fn change_order(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
    body: Bytes,
) -> Response {
    let Ok(Value::Object(change)) = serde_json::from_slice::<Value>(&body) else {
        return err(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let mut world = state.world();
    let Some(o) = world.order_mut(id) else {
        return err(StatusCode::NOT_FOUND, "no such order");
    };
    let set = |o: &mut Value, s: &str| {
        o["status"] = json!(s);
        o["OrderStatus"] = json!({"id": status_id(s).to_string(), "status": s});
    };
    if change.get("cancel") == Some(&Value::Bool(true)) {
        cancel_order(o);
    } else if change.get("complete") == Some(&Value::Bool(true)) {
        set(o, FINISHED);
        o["has_payment"] = json!("1");
    } else if let Some(s) = change.get("status").and_then(Value::as_str) {
        if !STATUSES.iter().any(|(n, _)| *n == s) {
            return err(StatusCode::BAD_REQUEST, &format!("unknown status \"{s}\""));
        }
        set(o, s);
    } else if let Some(Value::Object(q)) = change.get("quantities") {
        for (line, n) in q {
            let Some(n) = n.as_u64() else {
                return err(StatusCode::BAD_REQUEST, "a quantity must be a whole number");
            };
            if let Err(why) = requantify(o, line, n) {
                return err(StatusCode::BAD_REQUEST, why);
            }
        }
    } else {
        return err(
            StatusCode::BAD_REQUEST,
            "say status, cancel, complete or quantities",
        );
    }
    o["modified"] = json!(stamp(Utc::now()));
    Json(json!({ "Order": o.clone() })).into_response()
}

/// Leaves `n` of the product sold `line`, its totals following.
fn requantify(o: &mut Value, line: &str, n: u64) -> Result<(), &'static str> {
    let dec = |v: &Value| Decimal::from_str(v.as_str().unwrap_or("0")).unwrap_or_default();
    let Some(items) = o["ProductsSold"].as_array_mut() else {
        return Err("no such line");
    };
    let Some(item) = items
        .iter_mut()
        .map(|i| &mut i["ProductsSold"])
        .find(|i| i["id"] == line)
    else {
        return Err("no such line");
    };
    let was = dec(&item["quantity"]);
    if Decimal::from(n) > was {
        return Err("a quantity cannot grow");
    }
    let less = dec(&item["price"]) * (was - Decimal::from(n));
    item["quantity"] = json!(n.to_string());
    for field in ["partial_total", "total"] {
        o[field] = json!(money(dec(&o[field]) - less));
    }
    Ok(())
}
