//! The store's catalog (`crate::sim::seed::shop_catalog`) in Tray's shapes, every value text:
//! - `GET /products` (`limit` 1..=50, default 30; `page` from 1; `sort=id_asc|id_desc`) →
//!   `{"paging", "Products": [{"Product": {"id", "reference" (the SKU), "name", "price",
//!   "stock", "category_id", "related_categories", "available"}}]}`; a switched-off product
//!   is `available` "0"; `has_variation` and `Variant` (the variants' ids) say whether it is
//!   sold as variants (the blue mug, see `variants.rs`).
//! - `GET /categories` (the same paging) → `{"paging", "Categories": [{"Category": {"id",
//!   "parent_id" ("0" for a top level), "name"}}]}`.
//!
//! Both count against the budget and need the access token, as every route.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::auth::{bad_request, gate, not_found};
use super::seeded::money;
use super::state::AppState;
use crate::sim::log::LogEntry;
use crate::sim::seed::shop_catalog::Item;

type Params = Query<HashMap<String, String>>;

/// Tray's most entries a page.
const MAX_LIMIT: u64 = 50;

/// `limit`, `page` and whether `sort` asks for descending ids, or Tray's 400.
pub fn paging(query: &HashMap<String, String>) -> Result<(u64, u64, bool), Response> {
    let number = |key: &str, default: u64| {
        crate::sim::rest::query_number(query, key, default)
            .map_err(|key| bad_request(&format!("{key} deve ser um número")))
    };
    let (limit, page) = (number("limit", 30)?, number("page", 1)?);
    if !(1..=MAX_LIMIT).contains(&limit) || page < 1 {
        return Err(bad_request(
            "limit deve estar entre 1 e 50 e page ser 1 ou mais",
        ));
    }
    let descending = match query.get("sort").map(String::as_str) {
        None | Some("id_asc") => false,
        Some("id_desc") => true,
        Some(other) => return Err(bad_request(&format!("ordenação inválida: {other}"))),
    };
    Ok((limit, page, descending))
}

/// Tray's list envelope around one page of `total` entries, `entry(i)` the `i`-th (`name`
/// the list's key, e.g. "Products").
pub fn envelope(
    query: &HashMap<String, String>,
    name: &str,
    (total, entry): (usize, impl Fn(usize) -> Value),
    (limit, page, descending): (u64, u64, bool),
    filters: &[&str],
) -> Value {
    let start = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let at = |i: usize| if descending { total - 1 - i } else { i };
    let end = start.saturating_add(limit as usize).min(total);
    let list: Vec<Value> = (start.min(end)..end).map(|i| entry(at(i))).collect();
    let applied: Vec<&String> = query.keys().filter(|k| *k != "access_token").collect();
    json!({
        "paging": {"total": total, "page": page, "offset": start, "limit": limit, "maxLimit": MAX_LIMIT},
        "sort": [{"id": if descending { "desc" } else { "asc" }}],
        "availableFilters": filters,
        "appliedFilters": applied,
        name: list,
    })
}

/// The gate and the paging of a list request, or the answer refusing it.
pub(super) async fn listing(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<(crate::sim::faults::Shaping, (u64, u64, bool)), Response> {
    let shaping = gate(state, query).await?;
    Ok((shaping, paging(query)?))
}

fn product(item: &Item) -> Value {
    let mut categories = item.categories.iter().map(u64::to_string);
    let main = categories.next().unwrap_or_else(|| "0".into());
    let variants: Vec<Value> = (item.variant.iter())
        .map(|v| json!({"id": v.to_string()}))
        .collect();
    json!({"Product": {
        "id": item.id.to_string(), "reference": item.sku, "name": super::variants::parent_name(item),
        "price": money(item.price), "stock": item.stock.to_string(), "category_id": main,
        "related_categories": categories.collect::<Vec<_>>(),
        "available": if item.enabled { "1" } else { "0" },
        "has_variation": if variants.is_empty() { "0" } else { "1" }, "Variant": variants,
    }})
}

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Params) -> Response {
    let (shaping, paging) = match listing(&state, &query).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let world = state.world();
    let items = &world.catalog.items;
    let all = (items.len(), |i: usize| product(&items[i]));
    let out = envelope(
        &query,
        "Products",
        all,
        paging,
        &["id", "reference", "name"],
    );
    drop(world);
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

pub async fn categories(State(state): State<Arc<AppState>>, Query(query): Params) -> Response {
    let (shaping, paging) = match listing(&state, &query).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let world = state.world();
    let categories = &world.catalog.categories;
    let all = (categories.len(), |i: usize| {
        let c = &categories[i];
        json!({"Category": {"id": c.id.to_string(), "name": c.name,
               "parent_id": c.parent.unwrap_or(0).to_string()}})
    });
    let out = envelope(&query, "Categories", all, paging, &["id", "name"]);
    drop(world);
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

/// `PUT /products/:id` with `{"Product": {"stock": N}}` (text or number): the product's
/// stock, logged as `inventory_set`. Anything else in the body is not read here.
pub async fn set_stock(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Params,
    body: Bytes,
) -> Response {
    put_stock(&state, &id, &query, &body, "Product").await
}

/// Sets the stock that `body[key]["stock"]` gives (`key` "Product" or "Variant") of the
/// product or variant `id`, logged as `inventory_set` under that id; 404 for neither.
pub(super) async fn put_stock(
    state: &AppState,
    id: &str,
    query: &HashMap<String, String>,
    body: &[u8],
    key: &str,
) -> Response {
    let shaping = match gate(state, query).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let stock = &body[key]["stock"];
    let Some(stock) = stock
        .as_i64()
        .or_else(|| stock.as_str().and_then(|s| s.trim().parse().ok()))
    else {
        return bad_request(&format!("{key}.stock deve ser um número"));
    };
    let variant = key == "Variant";
    let mut world = state.world();
    let Some(item) = (id.trim().parse::<u64>().ok()).and_then(|id| {
        (world.catalog.items.iter_mut()).find(|i| {
            if variant {
                i.variant == Some(id)
            } else {
                i.id == id
            }
        })
    }) else {
        return not_found();
    };
    item.stock = stock;
    let id = if variant { item.line_id() } else { item.id };
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    world.log.push(LogEntry::stock(id.to_string(), stock, at));
    drop(world);
    super::orders::answer_saved(state, &shaping, id)
}
