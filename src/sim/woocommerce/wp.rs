//! WordPress's REST error shape, `{"code", "message", "data": {"status"}}`, and the errors
//! WooCommerce answers with it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({"code": code, "message": message, "data": {"status": status.as_u16()}});
    (status, Json(body)).into_response()
}

/// 400 `rest_invalid_param` naming each parameter that does not read, and why.
pub fn invalid_params(params: Map<String, Value>) -> Response {
    let names: Vec<&str> = params.keys().map(String::as_str).collect();
    let body = json!({
        "code": "rest_invalid_param",
        "message": format!("Invalid parameter(s): {}", names.join(", ")),
        "data": {"status": 400, "params": params},
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

pub fn invalid_param(name: &str, why: &str) -> Response {
    let mut params = Map::new();
    params.insert(name.to_string(), json!(why));
    invalid_params(params)
}

/// The last value of parameter `k`, if given.
pub fn param<'q>(query: &'q [(String, String)], k: &str) -> Option<&'q str> {
    query
        .iter()
        .rev()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
}

/// A whole number parameter within `lo..=hi` (`default` when absent); what does not read is
/// put in `bad` with WordPress's words.
pub fn whole(
    query: &[(String, String)],
    k: &str,
    (default, lo, hi): (usize, usize, usize),
    bad: &mut Map<String, Value>,
) -> usize {
    let Some(v) = param(query, k) else {
        return default;
    };
    let why = match v.trim().parse::<usize>() {
        Ok(n) if (lo..=hi).contains(&n) => return n,
        Ok(_) if hi == usize::MAX => format!("{k} must be greater than or equal to {lo}"),
        Ok(_) => format!("{k} must be between {lo} (inclusive) and {hi} (inclusive)"),
        Err(_) => format!("{k} is not of type integer."),
    };
    bad.insert(k.into(), json!(why));
    default
}

/// `page` (from 1) and `per_page` (1..=100, default 10), as every collection takes them.
pub fn paging(query: &[(String, String)], bad: &mut Map<String, Value>) -> (usize, usize) {
    (
        whole(query, "page", (1, 1, usize::MAX), bad),
        whole(query, "per_page", (10, 1, 100), bad),
    )
}

/// 400 `rest_missing_callback_param` for a required parameter left out.
pub fn missing_param(name: &str) -> Response {
    let body = json!({
        "code": "rest_missing_callback_param",
        "message": format!("Missing parameter(s): {name}"),
        "data": {"status": 400, "params": [name]},
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

pub fn invalid_order_id() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "woocommerce_rest_shop_order_invalid_id",
        "Invalid ID.",
    )
}

/// What WordPress answers for a route no plugin registered.
pub async fn no_route() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "rest_no_route",
        "No route was found matching the URL and request method.",
    )
}

/// A JSON body that is not an object: WordPress names it as an invalid JSON body.
pub fn bad_json() -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "rest_invalid_json",
        "Invalid JSON body passed.",
    )
}

/// The body as a JSON object (an empty body is an empty object).
pub fn object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(bad_json()),
    }
}

/// A boolean as WordPress reads one (`true`, `false`, `1`, `0`, as JSON or text).
pub fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_u64().filter(|n| *n <= 1).map(|n| n == 1),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}
