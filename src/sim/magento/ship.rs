//! Shipments and credit memos: `POST /V1/order/{id}/ship`, `GET /V1/shipments` (a search),
//! `POST /V1/shipment/track` and `POST /V1/order/{id}/refund`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::sync::Arc;

use super::orders::{Id, dec, touch};
use super::reply::{self, bad_request, gate, not_found};
use super::search::Criteria;
use super::seeded::num;
use super::state::{AppState, stamp};

/// What is left to ship of each top item: `(item_id, qty)`.
fn to_ship(o: &Value) -> Vec<(u64, Decimal)> {
    let items = o["items"].as_array().cloned().unwrap_or_default();
    items
        .iter()
        .filter(|i| i["parent_item_id"].is_null())
        .filter_map(|i| {
            let left = dec(&i["qty_ordered"])
                - dec(&i["qty_shipped"])
                - dec(&i["qty_canceled"])
                - dec(&i["qty_refunded"]);
            Some((i["item_id"].as_u64()?, left)).filter(|(_, q)| *q > Decimal::ZERO)
        })
        .collect()
}

/// Ships everything left: `qty_shipped` up, the order `complete` once invoiced as well.
pub fn ship_all(o: &mut Value) {
    let left = to_ship(o);
    if let Some(items) = o["items"].as_array_mut() {
        for i in items.iter_mut() {
            if let Some((_, q)) = left
                .iter()
                .find(|(id, _)| i["item_id"].as_u64() == Some(*id))
            {
                i["qty_shipped"] = num(dec(&i["qty_shipped"]) + q);
            }
        }
    }
    if dec(&o["base_total_invoiced"]) >= dec(&o["base_grand_total"]) {
        o["state"] = json!("complete");
        o["status"] = json!("complete");
    } else {
        o["state"] = json!("processing");
        o["status"] = json!("processing");
    }
    touch(o);
}

/// `{"notify", "tracks": [{"track_number", "title", "carrier_code"}]}`: one shipment of all
/// that is left; answers its id.
pub async fn ship(
    State(state): State<Arc<AppState>>,
    Path((store, id)): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("The request body is not valid JSON.");
    };
    let tracks = body["tracks"].as_array().cloned().unwrap_or_default();
    if tracks
        .iter()
        .any(|t| t["track_number"].as_str().is_none_or(str::is_empty))
    {
        return bad_request(
            "Shipment Document Validation Error(s):\nPlease enter a tracking number.",
        );
    }
    let mut world = state.world();
    let sid = world.next_id();
    let Some(o) = world.order_mut(id) else {
        return not_found();
    };
    let left = to_ship(o);
    if left.is_empty() || matches!(o["state"].as_str(), Some("canceled" | "closed" | "holded")) {
        return bad_request(
            "Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created.",
        );
    }
    ship_all(o);
    let tracks: Vec<Value> = tracks
        .iter()
        .enumerate()
        .map(|(n, t)| json!({"entity_id": sid * 10 + n as u64, "parent_id": sid, "order_id": id,
            "track_number": t["track_number"], "title": t["title"], "carrier_code": t["carrier_code"]}))
        .collect();
    let items: Vec<Value> = left
        .iter()
        .map(|(item, q)| json!({"order_item_id": item, "qty": num(*q)}))
        .collect();
    world.shipments.push(
        json!({"entity_id": sid, "order_id": id, "increment_id": format!("{}", 100_000_000 + sid),
        "created_at": stamp(Utc::now()), "items": items, "tracks": tracks.clone(), "comments": []}),
    );
    let notify = body["notify"].as_bool().unwrap_or(false);
    let entry = world.log("fulfillment_create", id, Utc::now());
    entry.notify_customer = Some(notify);
    if let Some(t) = tracks.first() {
        entry.tracking_number = t["track_number"].as_str().map(str::to_string);
        entry.tracking_company = t["title"].as_str().map(str::to_string);
    }
    drop(world);
    reply::dropped(&state).unwrap_or_else(|| reply::other(shaping, json!(sid.to_string())))
}

pub async fn shipments(
    State(state): State<Arc<AppState>>,
    Path(store): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match Criteria::parse(&query, &["entity_id", "order_id", "created_at"]) {
        Ok(c) => reply::other(shaping, c.answer(&state.world().shipments)),
        Err(e) => bad_request(&e),
    }
}

/// `{"entity": {"order_id", "parent_id", "track_number", "title", "carrier_code"}}`: a
/// tracking number on an existing shipment.
pub async fn track(
    State(state): State<Arc<AppState>>,
    Path(store): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("The request body is not valid JSON.");
    };
    let e = &body["entity"];
    let (Some(parent), Some(number)) = (e["parent_id"].as_u64(), e["track_number"].as_str()) else {
        return bad_request("\"entity.parent_id\" and \"entity.track_number\" are required.");
    };
    let mut world = state.world();
    let tid = world.next_id();
    let Some(s) = world
        .shipments
        .iter_mut()
        .find(|s| s["entity_id"].as_u64() == Some(parent))
    else {
        return not_found();
    };
    let order = s["order_id"].as_u64().unwrap_or_default();
    let t = json!({"entity_id": tid, "parent_id": parent, "order_id": order, "track_number": number,
        "title": e["title"], "carrier_code": e["carrier_code"]});
    if let Some(list) = s["tracks"].as_array_mut() {
        list.push(t.clone());
    }
    if let Some(o) = world.order_mut(order) {
        touch(o);
    }
    let entry = world.log("order_update", order, Utc::now());
    entry.tracking_number = Some(number.to_string());
    entry.tracking_company = e["title"].as_str().map(str::to_string);
    drop(world);
    reply::dropped(&state).unwrap_or_else(|| reply::other(shaping, t))
}

/// A credit memo of everything invoiced and not refunded; the order `closed` (logged as
/// `refund_create`, then `order_cancel`: it ended at the shop). Items listed in
/// `arguments.extension_attributes.return_to_stock_items` go back to stock.
pub async fn refund(
    State(state): State<Arc<AppState>>,
    Path((store, id)): Id,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let body = serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
    let mut world = state.world();
    let memo = world.next_id();
    let Some(o) = world.order_mut(id) else {
        return not_found();
    };
    let rest = dec(&o["base_total_invoiced"]) - dec(&o["base_total_refunded"]);
    if rest <= Decimal::ZERO {
        return reply::error(
            axum::http::StatusCode::BAD_REQUEST,
            "Creditmemo Document Validation Error(s):\nThe most money available to refund is %1.",
            json!(["0"]),
        );
    }
    o["base_total_refunded"] = num(dec(&o["base_total_refunded"]) + rest);
    if let Some(items) = o["items"].as_array_mut() {
        for i in items {
            let q = dec(&i["qty_ordered"]) - dec(&i["qty_canceled"]);
            i["qty_refunded"] = num(q.max(Decimal::ZERO));
        }
    }
    o["state"] = json!("closed");
    o["status"] = json!("closed");
    touch(o);
    let restock = body["arguments"]["extension_attributes"]["return_to_stock_items"]
        .as_array()
        .is_some_and(|l| !l.is_empty());
    world
        .creditmemos
        .push(json!({"entity_id": memo, "order_id": id, "base_grand_total": num(rest)}));
    let entry = world.log("refund_create", id, Utc::now());
    entry.refund = Some(rest.normalize().to_string());
    entry.restock = Some(restock);
    entry.notify_customer = body["notify"].as_bool();
    // Closed by a refund of everything: the invoiced order's way of being cancelled.
    world.log("order_cancel", id, Utc::now());
    drop(world);
    reply::dropped(&state).unwrap_or_else(|| reply::other(shaping, json!(memo.to_string())))
}
