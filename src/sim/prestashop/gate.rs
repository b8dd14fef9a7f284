//! Each webservice request passes the armed faults and the key first (HTTP Basic with the
//! key as the user, or the `ws_key` parameter), and its answer goes out through the faults
//! that change answers (a repeated or malformed order, a truncated or slow body).

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::seeded::id_of;
use super::state::AppState;
use crate::sim::faults::{Shaping, set_path};

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

fn decode64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The key the request carries: the Basic user, else `ws_key`.
fn key(headers: &HeaderMap, query: &[(String, String)]) -> Option<String> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| decode64(b.trim()))
        .and_then(|raw| String::from_utf8(raw).ok())
        .map(|pair| {
            pair.split_once(':')
                .map_or(pair.clone(), |(k, _)| k.to_string())
        });
    basic
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
    let delay = {
        let mut f = state.faults();
        f.begin();
        f.take_delay()
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    if let Some(status) = state.faults().take_failure() {
        let reason = status.canonical_reason().unwrap_or("Error");
        return Err((
            status,
            format!("<html><body><h1>{reason}</h1></body></html>"),
        )
            .into_response());
    }
    if state.faults().take_unauthorized() {
        return Err(unauthorized(22, "Authentication key does not exist"));
    }
    let Some(given) = key(headers, query) else {
        return Err(unauthorized(17, "Authentication key is empty"));
    };
    if state.opts.token.as_ref().is_some_and(|t| *t != given) {
        return Err(unauthorized(22, "Authentication key does not exist"));
    }
    if let Some(after) = state.faults().take_rate_limit() {
        let answer = (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, after.to_string())],
            "Too Many Requests",
        );
        return Err(answer.into_response());
    }
    Ok(state.faults().take_shaping())
}

/// Whether this applied change's answer is to be dropped: then a broken connection's.
pub fn dropped(state: &AppState) -> Option<Response> {
    state.faults().take_drop().then(|| {
        let text = "upstream connection closed after the request was applied";
        (StatusCode::BAD_GATEWAY, text).into_response()
    })
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
