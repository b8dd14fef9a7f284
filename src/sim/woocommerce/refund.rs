//! `GET|POST /orders/{id}/refunds`. A refund takes `amount` (or the sum of its
//! `line_items`' `refund_total`), `reason`, `api_refund` and `api_restock` (both default
//! true). The order keeps `{"id", "reason", "total": "-10.00"}` in `refunds`; once nothing
//! remains it becomes `refunded`. More than remains answers 400
//! `woocommerce_rest_cannot_create_order_refund` "Invalid refund amount." (WooCommerce's own
//! words; its status there is 500, the simulator answers 400).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::sync::Arc;

use super::auth::Need;
use super::edit::{order_id, set_status};
use super::money::{read, remaining, text};
use super::reply::{self, dropped, gate};
use super::state::AppState;
use super::wp;

type Q = Query<Vec<(String, String)>>;

fn refused(code: &str, message: &str) -> Response {
    wp::error(StatusCode::BAD_REQUEST, code, message)
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(query): Q,
) -> Response {
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
    let list: Vec<Value> = o["refunds"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let rid = r["id"].as_u64().unwrap_or(0);
            world.refunds.get(&rid).cloned().unwrap_or_else(|| {
                let mut full = json!({
                    "id": rid, "amount": text(-read(&r["total"])), "reason": r["reason"],
                    "refunded_by": 1, "refunded_payment": false, "meta_data": [], "line_items": [],
                });
                full["date_created"] = o["date_modified"].clone();
                full["date_created_gmt"] = o["date_modified_gmt"].clone();
                full
            })
        })
        .collect();
    drop(world);
    reply::other(shaping, StatusCode::OK, Value::Array(list))
}

/// The refund's line items as WooCommerce shows them (quantities and totals negative), and
/// what they add up to; an error names a line the order does not have.
fn lines(o: &Value, asked: &Value) -> Result<(Vec<Value>, Decimal), Response> {
    let mut out = Vec::new();
    let mut sum = Decimal::ZERO;
    for l in asked.as_array().into_iter().flatten() {
        let id = l["id"]
            .as_u64()
            .or_else(|| l["id"].as_str().and_then(|s| s.parse().ok()));
        let line = o["line_items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["id"].as_u64() == id);
        let Some(line) = line else {
            return Err(refused(
                "woocommerce_rest_invalid_order_refund",
                "Invalid line item ID.",
            ));
        };
        let qty = l["quantity"].as_u64().unwrap_or(0);
        if qty > line["quantity"].as_u64().unwrap_or(0) {
            return Err(refused(
                "woocommerce_rest_invalid_order_refund",
                "Invalid refund quantity.",
            ));
        }
        let tax: Decimal = l["refund_tax"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| read(&t["refund_total"]))
            .sum();
        let total = read(&l["refund_total"]);
        sum += total + tax;
        out.push(json!({
            "id": line["id"], "name": line["name"], "product_id": line["product_id"], "sku": line["sku"],
            "quantity": -(qty as i64), "total": text(-total), "total_tax": text(-tax),
        }));
    }
    Ok((out, sum))
}

fn flag(ask: &Map<String, Value>, key: &str) -> Result<bool, Response> {
    match ask.get(key).map(wp::boolean) {
        None => Ok(true),
        Some(Some(b)) => Ok(b),
        Some(None) => Err(wp::invalid_param(
            key,
            &format!("{key} is not of type boolean."),
        )),
    }
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(query): Q,
    body: Bytes,
) -> Response {
    let shaping = match gate(&state, &headers, &query, Need::Create).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let ask = match wp::object(&body) {
        Ok(c) => c,
        Err(bad) => return bad,
    };
    let (api_refund, restock) = match (flag(&ask, "api_refund"), flag(&ask, "api_restock")) {
        (Ok(a), Ok(r)) => (a, r),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let mut world = state.world();
    let Some(id) = order_id(&world, &id) else {
        return wp::invalid_order_id();
    };
    let o = world.order_mut(id).map(|o| o.clone()).unwrap_or_default();
    let (items, from_lines) = match lines(&o, ask.get("line_items").unwrap_or(&Value::Null)) {
        Ok(l) => l,
        Err(e) => return e,
    };
    let amount = match ask.get("amount").map(read) {
        Some(a) if a != Decimal::ZERO => a,
        _ => from_lines,
    };
    if amount <= Decimal::ZERO {
        return refused(
            "woocommerce_rest_invalid_order_refund",
            "Refund amount must be greater than zero.",
        );
    }
    if amount > remaining(&o) {
        return refused(
            "woocommerce_rest_cannot_create_order_refund",
            "Invalid refund amount.",
        );
    }
    let now = Utc::now();
    let rid = world.next_id();
    let reason = ask
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut refund = json!({
        "id": rid, "amount": text(amount), "reason": reason, "refunded_by": 1,
        "refunded_payment": api_refund, "meta_data": [], "line_items": items,
    });
    state.clock.stamp(&mut refund, "date_created", Some(now));
    world.refunds.insert(rid, refund.clone());
    let Some(order) = world.order_mut(id) else {
        return wp::invalid_order_id();
    };
    let summary = json!({"id": rid, "reason": reason, "total": text(-amount)});
    match order.get_mut("refunds").and_then(Value::as_array_mut) {
        Some(list) => list.insert(0, summary),
        None => order["refunds"] = json!([summary]),
    }
    state.clock.stamp(order, "date_modified", Some(now));
    let fully = remaining(order) <= Decimal::ZERO;
    let o = order.clone();
    let entry = world.log("refund_create", &o, now);
    entry.refund = Some(text(amount));
    entry.restock = Some(restock && !refund["line_items"].as_array().is_none_or(Vec::is_empty));
    if fully {
        // the status follows without a log entry of its own: the refund was the change
        if let Some(order) = world.order_mut(id) {
            set_status(&state.clock, order, "refunded");
        }
    }
    drop(world);
    if let Some(gone) = dropped(&state) {
        return gone;
    }
    reply::other(shaping, StatusCode::CREATED, refund)
}
