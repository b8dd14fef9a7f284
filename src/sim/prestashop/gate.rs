//! Each webservice request passes the armed faults and the key first (HTTP Basic with the
//! key as the user, or the `ws_key` parameter), and its answer goes out through the faults
//! that change answers (a repeated or malformed order, a truncated or slow body).

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::seeded::id_of;
use super::state::AppState;
use crate::sim::faults::{Shaping, set_path};
use crate::sim::rest;

/// The webservice's error body.
pub fn error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = json!({"errors": [{"code": code, "message": message}]});
    (status, axum::Json(body)).into_response()
}

fn unauthorized(code: u32, message: &str) -> Response {
    let mut r = error(StatusCode::UNAUTHORIZED, code, message);
    let realm = "Basic realm=\"Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required.\"";
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static(realm),
    );
    r
}

/// The key the request carries: the Basic user, else `ws_key`.
fn key(headers: &HeaderMap, query: &[(String, String)]) -> Option<String> {
    rest::basic_auth(headers)
        .map(|(user, _)| user)
        .or_else(|| {
            query
                .iter()
                .find(|(k, _)| k == "ws_key")
                .map(|(_, v)| v.clone())
        })
        .filter(|k| !k.is_empty())
}

/// The faults and key a request meets before the shop reads it; `Ok` carries what is to
/// change its answer.
pub async fn gate(
    state: &AppState,
    headers: &HeaderMap,
    query: &[(String, String)],
) -> Result<Shaping, Response> {
    let failure = |status: StatusCode| {
        let reason = status.canonical_reason().unwrap_or("Error");
        (
            status,
            format!("<html><body><h1>{reason}</h1></body></html>"),
        )
            .into_response()
    };
    let unknown = || unauthorized(22, "Authentication key does not exist");
    rest::gate(&state.faults, failure, |refuse| {
        if refuse {
            return Err(unknown());
        }
        let Some(given) = key(headers, query) else {
            return Err(unauthorized(17, "Authentication key is empty"));
        };
        match &state.opts.token {
            Some(t) if *t != given => Err(unknown()),
            _ => Ok(()),
        }
    })
    .await
}

/// Whether this applied change's answer is to be dropped: then a broken connection's.
pub fn dropped(state: &AppState) -> Option<Response> {
    rest::dropped(&state.faults)
}

/// Orders through the faults that change them (malformed, repeated).
pub fn shape_orders(shaping: &Shaping, orders: &mut Vec<Value>) {
    for o in orders.iter_mut() {
        if let Some(m) = shaping.malformed.get(&id_of(o).to_string()) {
            set_path(o, &m.field, m.value.clone());
        }
    }
    if shaping.repeat
        && let Some(first) = orders.first().cloned()
    {
        orders.push(first);
    }
}
