//! What every API request meets (the faults, HTTP Basic, `Accept: application/json`, the
//! budget of 3 a second) and the routes: `GET /orderExtend` (a page), `GET /orderExtend/{id}`,
//! `GET /orderHistories` and `POST /orderHistories`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDateTime, TimeZone, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::seeded::stamp;
use super::state::{AppState, CANCELLED, STATUSES, inner_of, resource_id, status_ref};
use crate::sim::faults::{Shaping, set_path};
use crate::sim::rest::{self, Over};

type Params = Query<HashMap<String, String>>;

/// Shoprenter's most items a page.
const MAX_LIMIT: u64 = 200;

pub fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({"error": status.as_u16(), "message": message});
    (status, Json(body)).into_response()
}

fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

pub fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Resource not found")
}

fn admit(state: &AppState, headers: &HeaderMap, refuse: bool) -> Result<(), Response> {
    let o = &state.opts;
    let given = rest::basic_auth(headers);
    let fine = match &given {
        None => false,
        Some((u, p)) if u.is_empty() || p.is_empty() => false,
        Some((u, p)) => {
            o.user.as_deref().is_none_or(|w| w == u) && o.password.as_deref().is_none_or(|w| w == p)
        }
    };
    if refuse || !fine {
        return Err(error(StatusCode::UNAUTHORIZED, "Unauthorized"));
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !accept.contains("application/json") {
        // Shoprenter answers XML unless JSON is asked for; this simulator speaks JSON only.
        return Err(error(
            StatusCode::NOT_ACCEPTABLE,
            "send Accept: application/json (Shoprenter answers XML otherwise)",
        ));
    }
    match state
        .counted()
        .count(o.per_second, std::time::Duration::from_secs(1), u32::MAX)
    {
        Ok(()) => Ok(()),
        Err(Over::Minute(_) | Over::Day) => {
            let mut r = error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            Err(r)
        }
    }
}

pub(super) async fn gate(state: &AppState, headers: &HeaderMap) -> Result<Shaping, Response> {
    let failure = |status| error(status, "Internal Server Error");
    rest::gate(&state.faults, failure, |refuse| {
        admit(state, headers, refuse)
    })
    .await
}

/// `page` (from 0) and `limit` (1..=200) of a list request.
fn paging(query: &HashMap<String, String>) -> Result<(u64, u64), Response> {
    let number = |key, default| {
        rest::query_number(query, key, default)
            .map_err(|key| bad_request(&format!("{key} must be a whole number from 0")))
    };
    let (page, limit) = (number("page", 0)?, number("limit", 25)?);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad_request("limit must be from 1 to 200"));
    }
    Ok((page, limit))
}

/// The gate and the paging of a list request, or the answer refusing it.
pub(super) async fn listing(
    state: &AppState,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<(Shaping, u64, u64), Response> {
    let shaping = gate(state, headers).await?;
    let (page, limit) = paging(query)?;
    Ok((shaping, page, limit))
}

fn malform(o: &mut Value, shaping: &Shaping) {
    if let Some(m) = o["id"].as_str().and_then(|id| shaping.malformed.get(id)) {
        set_path(o, &m.field, m.value.clone());
    }
}

/// A page of `items` as Shoprenter answers lists.
pub(super) fn page_of(
    state: &AppState,
    path: &str,
    items: Vec<Value>,
    page: u64,
    limit: u64,
    total: usize,
) -> Value {
    let pages = (total as u64).div_ceil(limit).max(1);
    let at = |p: u64| json!({"href": format!("{}/{path}?page={p}&limit={limit}", state.base)});
    json!({
        "href": format!("{}/{path}?page={page}&limit={limit}", state.base),
        "page": page.to_string(), "limit": limit.to_string(), "pageCount": pages.to_string(),
        "first": at(0), "previous": if page > 0 { at(page - 1) } else { Value::Null },
        "next": if page.saturating_add(1) < pages { at(page + 1) } else { Value::Null },
        "last": at(pages - 1), "items": items,
    })
}

/// `GET /orderExtend`: `page` from 0, `limit` 1..=200, `dateUpdatedFrom`; `full=1` gives
/// whole orders, else their `href`s.
pub async fn list(
    State(state): State<Arc<AppState>>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    let (shaping, page, limit) = match listing(&state, &headers, &query).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let from = match query.get("dateUpdatedFrom") {
        None => None,
        Some(t) => match NaiveDateTime::parse_from_str(t.trim(), "%Y-%m-%dT%H:%M:%S") {
            Ok(t) => chrono_tz::Europe::Budapest
                .from_local_datetime(&t)
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
            Err(_) => return bad_request("dateUpdatedFrom must be YYYY-MM-DDTHH:MM:SS"),
        },
    };
    let full = query.get("full").map(String::as_str) == Some("1");
    let found: Vec<Value> = state
        .world()
        .orders
        .iter()
        .filter(|o| {
            from.is_none_or(|f| {
                o["dateUpdated"]
                    .as_str()
                    .and_then(|d| {
                        let t = NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%S").ok()?;
                        chrono_tz::Europe::Budapest
                            .from_local_datetime(&t)
                            .earliest()
                    })
                    .is_some_and(|t| t.with_timezone(&Utc) >= f)
            })
        })
        .cloned()
        .collect();
    let total = found.len();
    let mut items: Vec<Value> = found
        .into_iter()
        .skip(usize::try_from(page.saturating_mul(limit)).unwrap_or(usize::MAX))
        .take(limit as usize)
        .map(|mut o| {
            malform(&mut o, &shaping);
            if full { o } else { json!({"href": o["href"]}) }
        })
        .collect();
    if shaping.repeat
        && let Some(first) = items.first().cloned()
    {
        items.push(first);
    }
    let out = page_of(&state, "orderExtend", items, page, limit, total);
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

/// `GET /orderExtend/{id}`.
pub async fn one(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let found = state.world().order_mut(&id).map(|o| o.clone());
    match found {
        Some(mut o) => {
            malform(&mut o, &shaping);
            shaping.send(StatusCode::OK, HeaderMap::new(), &o)
        }
        None => not_found(),
    }
}

/// `GET /orderHistories?orderId=`.
pub async fn histories(
    State(state): State<Arc<AppState>>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (page, limit) = match paging(&query) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let order = query.get("orderId").cloned();
    let found: Vec<Value> = state
        .world()
        .histories
        .iter()
        .filter(|h| order.as_deref().is_none_or(|o| h["order"]["id"] == o))
        .cloned()
        .collect();
    let total = found.len();
    let items = found
        .into_iter()
        .skip(usize::try_from(page.saturating_mul(limit)).unwrap_or(usize::MAX))
        .take(limit as usize)
        .collect();
    let out = page_of(&state, "orderHistories", items, page, limit, total);
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

/// `POST /orderHistories`: `{"order": {"id"}, "orderStatus": {"id"}, "comment", "notify"}`;
/// the order moves to that status.
pub async fn add_history(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shaping = match gate(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("the body must be JSON");
    };
    let status = v["orderStatus"]["id"]
        .as_str()
        .and_then(|id| inner_of("orderStatus", id))
        .map(|n| n.to_string())
        .filter(|s| STATUSES.contains(&s.as_str()));
    let Some(status) = status else {
        return bad_request("orderStatus.id is not an order status of this shop");
    };
    let comment = v["comment"].as_str().unwrap_or_default().to_string();
    let now = Utc::now();
    let base = state.base.clone();
    let mut world = state.world();
    let n = world.histories.len() as u64 + 1;
    let Some(o) = v["order"]["id"].as_str().and_then(|id| world.order_mut(id)) else {
        return bad_request("order.id is not an order of this shop");
    };
    let moved = o["orderStatus"] != status_ref(&base, &status);
    o["orderStatus"] = status_ref(&base, &status);
    o["dateUpdated"] = json!(stamp(now));
    let order = o.clone();
    let id = resource_id("orderHistory", "order_history_id", n);
    let history = json!({
        "href": format!("{base}/orderHistories/{id}"), "id": id, "comment": comment,
        "notify": v["notify"].as_str().unwrap_or("0"), "dateAdded": stamp(now),
        "order": {"href": order["href"], "id": order["id"]}, "orderStatus": status_ref(&base, &status),
    });
    world.histories.push(history.clone());
    let tracking = comment
        .split_once("Tracking number: ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .map(str::to_string);
    // What the shop received: a cancel, or a status change and a tracking number (one
    // history entry may carry both).
    if status == CANCELLED {
        world.log("order_cancel", &order, now);
    } else {
        if moved || tracking.is_none() {
            world.log("order_update", &order, now);
        }
        if tracking.is_some() {
            world.log("fulfillment_create", &order, now).tracking_number = tracking;
        }
    }
    drop(world);
    if let Some(r) = rest::dropped(&state.faults) {
        return r;
    }
    shaping.send(StatusCode::OK, HeaderMap::new(), &history)
}
