//! The shop's catalog (`crate::sim::seed::shop_catalog`) in Shoprenter's shapes, paged as
//! every list (`page` from 0, `limit` 1..=200):
//! - `GET /productExtend` → items `{"href", "id", "innerId", "sku", "price", "status" ("1"
//!   shown, "0" switched off), "stock1", "productDescriptions": [{"name", "language"}],
//!   "productCategoryRelations": [{"category": {"href"}}]}`. Products are sold without
//!   variants here (an order line names the product).
//! - `GET /categoryExtend` → items `{"href", "id", "innerId", "status", "parentCategory"
//!   ({"href"}, or null for a top level), "categoryDescriptions": [{"name"}]}`.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::api::{error, gate, listing, not_found, page_of};
use super::state::{AppState, inner_of, resource_id};
use crate::sim::seed::shop_catalog::ShopCatalog;

type Params = Query<HashMap<String, String>>;

/// The entries of a list in a range of it, and how many it has in all.
type Slice = fn(&str, &ShopCatalog, Range<usize>) -> (Vec<Value>, usize);

fn category_ref(base: &str, id: u64) -> Value {
    let id = resource_id("category", "category_id", id);
    json!({"href": format!("{base}/categories/{id}")})
}

fn language(base: &str) -> Value {
    let id = resource_id("language", "language_id", 1);
    json!({"href": format!("{base}/languages/{id}")})
}

/// The products in `range` (of all the catalog's), and how many there are in all.
fn products(base: &str, catalog: &ShopCatalog, range: Range<usize>) -> (Vec<Value>, usize) {
    let page = (catalog.items.iter().skip(range.start).take(range.len()))
        .map(|i| {
            let id = resource_id("product", "product_id", i.id);
            let relations: Vec<Value> = (i.categories.iter())
                .map(|c| json!({"category": category_ref(base, *c)}))
                .collect();
            json!({
                "href": format!("{base}/productExtend/{id}"), "id": id, "innerId": i.id.to_string(),
                "sku": i.sku, "price": format!("{:.4}", i.price), "stock1": i.stock.to_string(),
                "status": if i.enabled { "1" } else { "0" },
                "productDescriptions": [{"name": i.name, "language": language(base)}],
                "productCategoryRelations": relations,
            })
        })
        .collect();
    (page, catalog.items.len())
}

fn categories(base: &str, catalog: &ShopCatalog, range: Range<usize>) -> (Vec<Value>, usize) {
    let page = (catalog
        .categories
        .iter()
        .skip(range.start)
        .take(range.len()))
    .map(|c| {
        let id = resource_id("category", "category_id", c.id);
        json!({
            "href": format!("{base}/categoryExtend/{id}"), "id": id, "innerId": c.id.to_string(),
            "status": if c.enabled { "1" } else { "0" },
            "parentCategory": c.parent.map(|p| category_ref(base, p)),
            "categoryDescriptions": [{"name": c.name, "language": language(base)}],
        })
    })
    .collect();
    (page, catalog.categories.len())
}

async fn page(
    state: Arc<AppState>,
    query: HashMap<String, String>,
    headers: HeaderMap,
    path: &str,
    slice: Slice,
) -> Response {
    let (shaping, page, limit) = match listing(&state, &headers, &query).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let start = usize::try_from(page.saturating_mul(limit)).unwrap_or(usize::MAX);
    let range = start..start.saturating_add(limit as usize);
    let (items, total) = slice(&state.base, &state.world().catalog, range);
    let out = page_of(&state, path, items, page, limit, total);
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

pub async fn list(State(state): State<Arc<AppState>>, Query(q): Params, h: HeaderMap) -> Response {
    page(state, q, h, "productExtend", products).await
}

pub async fn categories_list(
    State(state): State<Arc<AppState>>,
    Query(q): Params,
    h: HeaderMap,
) -> Response {
    page(state, q, h, "categoryExtend", categories).await
}

/// `PUT /products/{id}` with `{"stock1": N}` (number or text): the product's stock, logged as
/// `inventory_set`; an id that is not a product's answers 404.
pub async fn set_stock(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let shaping = match gate(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let stock = &body["stock1"];
    let Some(stock) =
        (stock.as_i64()).or_else(|| stock.as_str().and_then(|s| s.trim().parse().ok()))
    else {
        return error(StatusCode::BAD_REQUEST, "stock1 must be a whole number");
    };
    let mut world = state.world();
    let found =
        inner_of("product", &id).and_then(|n| world.catalog.items.iter_mut().find(|i| i.id == n));
    let Some(item) = found else {
        return not_found();
    };
    item.stock = stock;
    let n = item.id;
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    world
        .log
        .push(crate::sim::log::LogEntry::stock(n.to_string(), stock, at));
    drop(world);
    if let Some(r) = crate::sim::rest::dropped(&state.faults) {
        return r;
    }
    let out = json!({"href": format!("{}/products/{id}", state.base), "id": id, "stock1": stock.to_string()});
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}
