//! The Shipment Tracking extension's `GET|POST
//! /wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings`, when it is installed
//! (else WordPress has no such route). Items are kept as the extension keeps them, in the
//! order's `_wc_shipment_tracking_items` meta; adding one leaves the status as it is.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};
use std::sync::Arc;

use super::auth::Need;
use super::edit::order_id;
use super::reply::{self, dropped, gate};
use super::state::AppState;
use super::wp;

type Q = Query<Vec<(String, String)>>;

const META: &str = "_wc_shipment_tracking_items";

/// Providers the extension knows, with their tracking page.
const PROVIDERS: [(&str, &str); 4] = [
    ("DHL", "https://www.dhl.com/en/express/tracking.html?AWB="),
    ("GLS", "https://gls-group.eu/track/"),
    ("UPS", "https://www.ups.com/track?tracknum="),
    ("DPD", "https://tracking.dpd.de/status/en_US/parcel/"),
];

/// Where the items are in the order's meta.
fn items_at(o: &Value) -> Option<usize> {
    o["meta_data"]
        .as_array()?
        .iter()
        .position(|m| m["key"] == META)
}

fn items(o: &Value) -> Vec<Value> {
    o["meta_data"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["key"] == META)
        .and_then(|m| m["value"].as_array().cloned())
        .unwrap_or_default()
}

/// An item as the extension's REST answer shows it.
fn shown(item: &Value) -> Value {
    let shipped = item["date_shipped"]
        .as_str()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|t| t.format("%Y-%m-%d").to_string());
    let provider = item["tracking_provider"].as_str().filter(|p| !p.is_empty());
    let number = item["tracking_number"].as_str().unwrap_or_default();
    let link =
        match provider.and_then(|p| PROVIDERS.iter().find(|(n, _)| n.eq_ignore_ascii_case(p))) {
            Some((_, url)) => format!("{url}{number}"),
            None => item["custom_tracking_link"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        };
    json!({
        "tracking_id": item["tracking_id"],
        "tracking_provider": provider.unwrap_or_else(|| item["custom_tracking_provider"].as_str().unwrap_or_default()),
        "tracking_link": link, "tracking_number": number, "date_shipped": shipped,
    })
}

fn installed(state: &AppState) -> Result<(), Response> {
    if state.opts.tracking {
        Ok(())
    } else {
        Err(wp::error(
            StatusCode::NOT_FOUND,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        ))
    }
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(query): Q,
) -> Response {
    if let Err(none) = installed(&state) {
        return none;
    }
    let shaping = match gate(&state, &headers, &query, Need::List).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let world = state.world();
    let Some(o) = order_id(&world, &id)
        .and_then(|i| world.position(i))
        .map(|i| &world.orders[i])
    else {
        return wp::invalid_order_id();
    };
    let list: Vec<Value> = items(o).iter().map(shown).collect();
    drop(world);
    reply::other(shaping, StatusCode::OK, Value::Array(list))
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(query): Q,
    body: Bytes,
) -> Response {
    if let Err(none) = installed(&state) {
        return none;
    }
    let shaping = match gate(&state, &headers, &query, Need::Create).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let ask = match wp::object(&body) {
        Ok(c) => c,
        Err(bad) => return bad,
    };
    let text = |k: &str| {
        ask.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    };
    let number = text("tracking_number");
    if number.is_empty() {
        return wp::missing_param("tracking_number");
    }
    let (provider, custom) = (text("tracking_provider"), text("custom_tracking_provider"));
    let now = Utc::now();
    let shipped = match ask
        .get("date_shipped")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        None => now.timestamp(),
        Some(s) => match NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
            Ok(d) => d
                .and_hms_opt(0, 0, 0)
                .map_or(now.timestamp(), |t| t.and_utc().timestamp()),
            Err(_) => return wp::invalid_param("date_shipped", "Invalid date."),
        },
    };
    let mut world = state.world();
    let Some(id) = order_id(&world, &id) else {
        return wp::invalid_order_id();
    };
    let n = world.next_id();
    let item = json!({
        "tracking_provider": provider, "custom_tracking_provider": custom,
        "custom_tracking_link": text("custom_tracking_link"), "tracking_number": number,
        "date_shipped": shipped.to_string(), "tracking_id": format!("{:032x}", u128::from(n) * 0x9E37_79B9_7F4A_7C15),
    });
    let meta_id = world.next_id();
    let Some(o) = world.order_mut(id) else {
        return wp::invalid_order_id();
    };
    let mut list = items(o);
    list.push(item.clone());
    let at = items_at(o);
    match (at, o.get_mut("meta_data").and_then(Value::as_array_mut)) {
        (Some(i), Some(meta)) => meta[i]["value"] = json!(list),
        (None, Some(meta)) => meta.push(json!({"id": meta_id, "key": META, "value": list})),
        (_, None) => o["meta_data"] = json!([{"id": meta_id, "key": META, "value": list}]),
    }
    state.clock.stamp(o, "date_modified", Some(now));
    let o = o.clone();
    let answer = shown(&item);
    let entry = world.log("fulfillment_create", &o, now);
    entry.tracking_number = Some(number);
    entry.tracking_company = answer["tracking_provider"].as_str().map(str::to_string);
    drop(world);
    if let Some(gone) = dropped(&state) {
        return gone;
    }
    reply::other(shaping, StatusCode::CREATED, answer)
}
