//! Each API request passes the armed faults and the credentials first, and its answer goes
//! out through the faults that change answers (a repeated or malformed order, a truncated
//! or slow body).

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::auth::{self, Need};
use super::state::{AppState, id_of};
use crate::sim::faults::{Shaping, set_path};
use crate::sim::rest;

/// What a 5xx looks like: WordPress's own for 500, a proxy's page for the others.
fn failure(status: StatusCode) -> Response {
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        let body = json!({
            "code": "internal_server_error",
            "message": "<p>There has been a critical error on this website.</p>",
            "data": {"status": 500}, "additional_errors": [],
        });
        return (status, axum::Json(body)).into_response();
    }
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = format!(
        "<html><head><title>{} {reason}</title></head><body><h1>{reason}</h1></body></html>",
        status.as_u16()
    );
    (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
}

/// The faults and credentials a request meets before the shop reads it; `Ok` carries what
/// is to change its answer.
pub async fn gate(
    state: &AppState,
    headers: &HeaderMap,
    query: &[(String, String)],
    need: Need,
) -> Result<Shaping, Response> {
    rest::gate(&state.faults, failure, |refuse| match refuse {
        true => Err(auth::invalid("key")),
        false => auth::check(&state.opts, headers, query, need),
    })
    .await
}

/// Whether this applied change's answer is to be dropped: then the answer a broken
/// connection leaves.
pub fn dropped(state: &AppState) -> Option<Response> {
    rest::dropped(&state.faults)
}

fn malform(o: &mut Value, shaping: &Shaping) {
    if let Some(m) = shaping.malformed.get(&id_of(o).to_string()) {
        set_path(o, &m.field, m.value.clone());
    }
}

/// An order or a list of orders, through the faults.
pub fn orders(
    shaping: Shaping,
    status: StatusCode,
    headers: HeaderMap,
    mut out: Value,
) -> Response {
    match &mut out {
        Value::Array(list) => {
            list.iter_mut().for_each(|o| malform(o, &shaping));
            if shaping.repeat
                && let Some(first) = list.first().cloned()
            {
                list.push(first);
            }
        }
        o => malform(o, &shaping),
    }
    shaping.send(status, headers, &out)
}

/// Any other answer (a note, a refund, a tracking item), through the body faults.
pub fn other(shaping: Shaping, status: StatusCode, out: Value) -> Response {
    shaping.send(status, HeaderMap::new(), &out)
}
