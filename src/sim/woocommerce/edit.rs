//! One order: `GET` and `PUT /orders/{id}` (a status change), and its notes
//! (`GET|POST /orders/{id}/notes`).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};
use std::sync::Arc;

use super::auth::Need;
use super::order::Clock;
use super::reply::{self, dropped, gate};
use super::state::{AppState, STATUSES, World};
use super::wp;

type Q = Query<Vec<(String, String)>>;

/// The order `id` names, when it is a number the shop has.
pub fn order_id(world: &World, id: &str) -> Option<u64> {
    id.parse::<u64>()
        .ok()
        .filter(|i| world.position(*i).is_some())
}

pub async fn order(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(query): Q,
) -> Response {
    let shaping = match gate(&state, &headers, &query, Need::View).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let world = state.world();
    let found = id.parse().ok().and_then(|i| world.position(i));
    let Some(o) = found.map(|i| world.orders[i].clone()) else {
        return wp::invalid_order_id();
    };
    drop(world);
    reply::orders(shaping, StatusCode::OK, HeaderMap::new(), o)
}

/// Sets the status of `o` as WooCommerce does (dates modified, paid and completed follow);
/// false when it was that status already.
pub fn set_status(clock: &Clock, o: &mut Value, status: &str) -> bool {
    if o["status"] == status {
        return false;
    }
    let now = Some(Utc::now());
    o["status"] = json!(status);
    clock.stamp(o, "date_modified", now);
    if status == "completed" {
        clock.stamp(o, "date_completed", now);
    }
    if matches!(status, "processing" | "completed") && o["date_paid"].is_null() {
        clock.stamp(o, "date_paid", now);
    }
    true
}

pub async fn update(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(query): Q,
    body: Bytes,
) -> Response {
    let shaping = match gate(&state, &headers, &query, Need::Edit).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let change = match wp::object(&body) {
        Ok(c) => c,
        Err(bad) => return bad,
    };
    let status = match change.get("status") {
        None => None,
        Some(Value::String(s)) if STATUSES.contains(&s.as_str()) => Some(s.clone()),
        Some(_) => {
            let why = format!("status is not one of {}.", STATUSES.join(", "));
            return wp::invalid_param("status", &why);
        }
    };
    let mut world = state.world();
    let Some(id) = order_id(&world, &id) else {
        return wp::invalid_order_id();
    };
    let Some(o) = world.order_mut(id) else {
        return wp::invalid_order_id();
    };
    let changed = status.is_some_and(|s| set_status(&state.clock, o, &s));
    let o = o.clone();
    if changed {
        let kind = if o["status"] == "cancelled" {
            "order_cancel"
        } else {
            "order_update"
        };
        world.log(kind, &o, Utc::now());
    }
    drop(world);
    if let Some(gone) = dropped(&state) {
        return gone;
    }
    reply::orders(shaping, StatusCode::OK, HeaderMap::new(), o)
}

/// The tracking number in a note written for the customer: its longest word holding a
/// digit (the simulator's reading; WooCommerce keeps the note as text).
fn tracking_in(note: &str) -> Option<String> {
    note.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| w.len() >= 6 && w.chars().any(|c| c.is_ascii_digit()))
        .max_by_key(|w| w.len())
        .map(str::to_string)
}

pub async fn notes(
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
    let Some(id) = order_id(&world, &id) else {
        return wp::invalid_order_id();
    };
    let kind = query
        .iter()
        .find(|(k, _)| k == "type")
        .map_or("any", |(_, v)| v.as_str());
    let list: Vec<Value> = world
        .notes
        .get(&id)
        .into_iter()
        .flatten()
        .rev()
        .filter(|n| match kind {
            "customer" => n["customer_note"] == true,
            "internal" => n["customer_note"] == false,
            _ => true,
        })
        .cloned()
        .collect();
    drop(world);
    reply::other(shaping, StatusCode::OK, Value::Array(list))
}

pub async fn add_note(
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
    let Some(text) = ask
        .get("note")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    else {
        return wp::missing_param("note");
    };
    let customer = match ask.get("customer_note").map(wp::boolean) {
        None => false,
        Some(Some(b)) => b,
        Some(None) => {
            return wp::invalid_param("customer_note", "customer_note is not of type boolean.");
        }
    };
    let mut world = state.world();
    let Some(id) = order_id(&world, &id) else {
        return wp::invalid_order_id();
    };
    let now = Utc::now();
    let note_id = world.next_id();
    let mut note =
        json!({"id": note_id, "author": "WooCommerce", "note": text, "customer_note": customer});
    state.clock.stamp(&mut note, "date_created", Some(now));
    world.notes.entry(id).or_default().push(note.clone());
    // What the shop received: a note to the customer is how a shipment's tracking reaches
    // a store without the tracking plugin; a private note is an update for the staff.
    if let Some(o) = world.order_mut(id).map(|o| o.clone()) {
        if customer {
            let entry = world.log("fulfillment_create", &o, now);
            entry.tracking_number = tracking_in(text);
            entry.notify_customer = Some(true);
        } else {
            world.log("order_update", &o, now).notify_customer = Some(false);
        }
    }
    drop(world);
    if let Some(gone) = dropped(&state) {
        return gone;
    }
    reply::other(shaping, StatusCode::CREATED, note)
}

#[cfg(test)]
mod tests {
    use super::tracking_in;

    #[test]
    fn a_tracking_number_is_read_from_a_customer_note() {
        let n = tracking_in("Shipped with DHL Express, tracking 00340434161234567890.");
        assert_eq!(n.as_deref(), Some("00340434161234567890"));
        assert_eq!(tracking_in("Your order is ready for pickup"), None);
    }
}
