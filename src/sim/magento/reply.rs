//! What every API request meets before the shop reads it (the armed faults, the store code,
//! the Bearer token), Magento's error body, and answers sent through the faults that change
//! them (a repeated or malformed order, a truncated or slow body).

use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::state::{AppState, id_of};
use crate::sim::faults::{Shaping, set_path};
use crate::sim::rest;

/// Magento's error body: a message with `%1`/`%name` placeholders and their parameters.
pub fn error(status: StatusCode, message: &str, parameters: Value) -> Response {
    (
        status,
        Json(json!({"message": message, "parameters": parameters})),
    )
        .into_response()
}

pub fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "The entity that was requested doesn't exist. Verify the entity and try again.",
        json!([]),
    )
}

pub fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, message, json!([]))
}

/// Any path the API does not have.
pub async fn no_route() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Request does not match any route.",
        json!([]),
    )
}

fn unauthorized() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "The consumer isn't authorized to access %resources.",
        json!({"resources": "Magento_Sales::sales"}),
    )
}

fn bearer_ok(state: &AppState, headers: &HeaderMap) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match (given, &state.opts.token) {
        (None, _) => false,
        (Some(t), Some(want)) => t == want.as_str(),
        (Some(_), None) => true,
    }
}

/// The faults, the Bearer token and the store code a request meets before the shop reads it.
pub async fn gate(state: &AppState, headers: &HeaderMap, store: &str) -> Result<Shaping, Response> {
    let failure = |status| {
        let report = "Internal Error. Details are available in Magento log file. Report ID: %1";
        error(status, report, json!(["webapi-6f1c2a"]))
    };
    rest::gate(&state.faults, failure, |refuse| {
        if refuse || !bearer_ok(state, headers) {
            Err(unauthorized())
        } else if !matches!(store, "default" | "all") {
            Err(bad_request(
                "The store that was requested wasn't found. Verify the store and try again.",
            ))
        } else {
            Ok(())
        }
    })
    .await
}

/// Whether this applied change's answer is to be dropped: then a proxy's 502.
pub fn dropped(state: &AppState) -> Option<Response> {
    rest::dropped(&state.faults)
}

fn malform(o: &mut Value, shaping: &Shaping) {
    if let Some(m) = shaping.malformed.get(&id_of(o).to_string()) {
        set_path(o, &m.field, m.value.clone());
    }
}

/// One order, or a search answer of orders, through the faults.
pub fn orders(shaping: Shaping, mut out: Value) -> Response {
    // A search answer has a `total_count`; an order's own `items` are its lines.
    let search = out.get("total_count").is_some();
    if let Some(list) = out
        .get_mut("items")
        .and_then(Value::as_array_mut)
        .filter(|_| search)
    {
        list.iter_mut().for_each(|o| malform(o, &shaping));
        if shaping.repeat
            && let Some(first) = list.first().cloned()
        {
            list.push(first);
        }
    } else {
        malform(&mut out, &shaping);
    }
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

/// Any other answer, through the body faults.
pub fn other(shaping: Shaping, out: Value) -> Response {
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}
