//! `POST /admin/api/2026-10/graphql.json`: token, body, validation, cost, bucket, execution,
//! answered in Shopify's shapes.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::sync::Arc;

use super::cost::{self, MAX_COST};
use super::root;
use super::schema::check;
use super::select::Ctx;
use super::state::AppState;

pub const INVALID_TOKEN: &str =
    "[API] Invalid API key or access token (unrecognized login or wrong password)";

fn reply(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

pub fn authorised(state: &AppState, headers: &HeaderMap) -> bool {
    let given = headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match &state.opts.token {
        _ if given.is_empty() => false,
        Some(t) => t == given,
        None => true,
    }
}

fn cost_ext(requested: u64, actual: Option<u64>, throttle: Value) -> Value {
    json!({"cost": {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": throttle}})
}

pub async fn handle(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let arrived = std::time::Instant::now();
    state.count_request();
    let delay = {
        let mut faults = state.faults();
        faults.begin();
        faults.take_delay()
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    if let Some(status) = state.faults().take_failure() {
        let reason = status.canonical_reason().unwrap_or("Error");
        return reply(status, json!({"errors": reason}));
    }
    if state.faults().take_unauthorized() || !authorised(&state, &headers) {
        return reply(StatusCode::UNAUTHORIZED, json!({"errors": INVALID_TOKEN}));
    }
    if let Some(after) = state.faults().take_rate_limit() {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(axum::http::header::RETRY_AFTER, after.to_string())],
            axum::Json(json!({"errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."})),
        )
            .into_response();
    }
    let bad = || {
        reply(
            StatusCode::BAD_REQUEST,
            json!({"errors": {"query": "Required parameter missing or invalid"}}),
        )
    };
    let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(&body) else {
        return bad();
    };
    let Some(Value::String(query)) = req.get("query") else {
        return bad();
    };
    let variables = match req.get("variables") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return bad(),
    };
    let op_name = match req.get("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return bad(),
    };
    let checked = match check(query, op_name, &variables) {
        Ok(c) => c,
        Err(errors) => return reply(StatusCode::OK, json!({"errors": errors})),
    };
    let ctx = Ctx {
        doc: &checked.doc,
        vars: &checked.variables,
    };
    let op = &checked.operation;
    let requested = match cost::requested(&ctx, op.operation_type, &op.selection_set) {
        Ok(n) => n,
        Err(e) => {
            let error = json!({"message": e.message, "path": [e.field], "extensions": {"code": "BAD_REQUEST"}});
            return reply(StatusCode::OK, json!({"errors": [error]}));
        }
    };
    if requested > MAX_COST {
        let throttle = state.bucket().status();
        let message = format!(
            "Query cost is {requested}, which exceeds the single query max cost limit ({MAX_COST}).\n\n\
             See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n\
             cost of a query is calculated.\n\n\
             To query larger amounts of data with fewer limits, bulk operations should be used instead.\n\
             See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n"
        );
        let error = json!({"message": message, "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": MAX_COST}});
        return reply(
            StatusCode::OK,
            json!({"errors": [error], "extensions": cost_ext(requested, None, throttle)}),
        );
    }
    {
        let mut bucket = state.bucket();
        let forced = state.faults().take_throttle();
        if forced || !bucket.take(requested) {
            let error = json!({"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}});
            let available = bucket.available();
            state
                .charges()
                .push(requested, None, available, arrived.elapsed());
            let throttle = bucket.status();
            return reply(
                StatusCode::OK,
                json!({"errors": [error], "extensions": cost_ext(requested, None, throttle)}),
            );
        }
    }
    let done = {
        let mut world = state.world();
        let mut faults = state.faults();
        root::execute(&checked, &mut world, &mut faults)
    };
    let actual = if op.is_mutation() {
        requested
    } else {
        done.actual.min(requested)
    };
    let throttle = {
        let mut bucket = state.bucket();
        bucket.refund(requested - actual);
        let available = bucket.available();
        state
            .charges()
            .push(requested, Some(actual), available, arrived.elapsed());
        bucket.status()
    };
    let mut out = json!({"data": done.data});
    if !done.errors.is_empty() {
        out["errors"] = Value::Array(done.errors);
    }
    out["extensions"] = cost_ext(requested, Some(actual), throttle);
    if op.is_mutation() && state.faults().take_drop() {
        // Applied, but the answer is lost on the way, as when a connection breaks.
        return (StatusCode::BAD_GATEWAY, "502 Bad Gateway").into_response();
    }
    super::faults::respond(state.faults().take_shaping(), out)
}
