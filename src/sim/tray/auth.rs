//! Tray's access as the store checks it: `POST /auth` (the app's consumer key and secret and
//! the store's code, as a form or JSON) and `GET /auth?refresh_token=` issue tokens; every
//! other request carries `?access_token=`, unknown or expired ones refused (401). Every
//! request, these included, counts against the budget: over it, 429 (the minute's with
//! `Retry-After`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::seeded::stamp;
use super::state::{AppState, Issued};
use crate::sim::faults::Shaping;
use crate::sim::rest;
use crate::sim::rest::Over;

/// Tray's error body.
pub fn error(status: StatusCode, message: &str, cause: &str) -> Response {
    let body = json!({"message": message, "causes": [cause], "code": status.as_u16()});
    (status, Json(body)).into_response()
}

pub fn bad_request(cause: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "Bad Request", cause)
}

pub fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Not Found",
        "Registro não encontrado",
    )
}

fn unauthorized(cause: &str) -> Response {
    error(StatusCode::UNAUTHORIZED, "Unauthorized", cause)
}

/// Counts the request against the budget.
fn budget(state: &AppState) -> Result<(), Response> {
    let o = &state.opts;
    let (per_window, per_day) = (o.per_window, o.per_day);
    match state.counted().count(per_window, o.window, per_day) {
        Ok(()) => Ok(()),
        Err(Over::Minute(wait)) => {
            let after = wait.as_secs_f64().ceil().max(1.0).to_string();
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests",
                &format!(
                    "limite de {per_window} requisições em {} s excedido",
                    o.window.as_secs()
                ),
            );
            if let Ok(v) = after.parse() {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Err(r)
        }
        Err(Over::Day) => Err(error(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            &format!("limite de {per_day} requisições por dia excedido"),
        )),
    }
}

fn failure(status: StatusCode) -> Response {
    error(status, "Internal Server Error", "erro interno")
}

/// The faults, the budget and the access token a request meets before the store reads it.
pub async fn gate(state: &AppState, query: &HashMap<String, String>) -> Result<Shaping, Response> {
    rest::gate(&state.faults, failure, |refuse| {
        budget(state)?;
        let Some(token) = query.get("access_token").filter(|t| !t.trim().is_empty()) else {
            return Err(unauthorized("access_token não informado"));
        };
        let world = state.world();
        match world.tokens.iter().find(|t| t.access == *token) {
            _ if refuse => Err(unauthorized("Invalid access token")),
            None => Err(unauthorized("Invalid access token")),
            Some(t) if t.access_until <= Utc::now() => Err(unauthorized("Expired access token")),
            Some(_) => Ok(()),
        }
    })
    .await
}

fn issued(t: &Issued) -> Response {
    let body = json!({
        "message": "Autorizado", "code": 200, "access_token": t.access,
        "refresh_token": t.refresh,
        "date_expiration_access_token": stamp(t.access_until),
        "date_expiration_refresh_token": stamp(t.refresh_until),
        "date_activated": stamp(Utc::now()), "api_host": "", "store_id": "391250",
    });
    (StatusCode::CREATED, Json(body)).into_response()
}

/// The fields of a form body (`a=1&b=2`) or a JSON object.
fn fields(body: &[u8]) -> HashMap<String, String> {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        return map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect();
    }
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decoded(k), decoded(v)))
        .collect()
}

/// A form value: `+` a space, `%XX` a byte.
fn decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && s.is_char_boundary(i + 3) => {
                match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `POST /auth`.
pub async fn authorise(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    if let Err(r) = budget(&state) {
        return r;
    }
    let f = fields(&body);
    let given = |k: &str| f.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let (Some(key), Some(secret), Some(code)) = (
        given("consumer_key"),
        given("consumer_secret"),
        given("code"),
    ) else {
        return bad_request("consumer_key, consumer_secret e code são obrigatórios");
    };
    let o = &state.opts;
    let wrong = |want: &Option<String>, got: &str| want.as_deref().is_some_and(|w| w != got);
    if wrong(&o.key, key) || wrong(&o.secret, secret) {
        return unauthorized("consumer_key ou consumer_secret inválido");
    }
    if wrong(&o.code, code) || state.world().code_revoked {
        return unauthorized("code inválido");
    }
    let t = state.world().issue(o, Utc::now());
    issued(&t)
}

/// `GET /auth?refresh_token=`: new tokens; the refresh token used is spent.
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = budget(&state) {
        return r;
    }
    let Some(given) = query.get("refresh_token") else {
        return bad_request("refresh_token não informado");
    };
    let now = Utc::now();
    let mut world = state.world();
    let Some(i) = world
        .tokens
        .iter()
        .position(|t| t.refresh == *given && t.refresh_until > now)
    else {
        return unauthorized("Invalid refresh token");
    };
    world.tokens[i].refresh_until = now;
    let t = world.issue(&state.opts, now);
    issued(&t)
}
