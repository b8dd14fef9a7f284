//! The shop's catalog (`crate::sim::seed::shop_catalog`) in Magento's shapes:
//! - `GET /rest/{store}/V1/products` (a search, as `orders`: filters on `entity_id`, `sku`,
//!   `name`, `type_id`, `status`; `sortOrders`; `pageSize`, `currentPage`) →
//!   `{"items": [{"id", "sku", "name", "price", "status" (1 enabled, 2 disabled),
//!   "visibility", "type_id", "extension_attributes": {"category_links": [{"position",
//!   "category_id"}]}}], "search_criteria", "total_count"}`. The blue mug is a
//!   `configurable` product (SKU `MUG`, `configurable_product_links` naming its child) with one
//!   `simple` child, the one its order lines name; the child has no categories of its own.
//! - `GET /rest/{store}/V1/categories` → the tree from "Root Catalog" (id 1, level 0) and
//!   "Default Category" (id 2, level 1) down: `{"id", "parent_id", "name", "is_active",
//!   "position", "level", "product_count", "children_data": […]}`.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};
use std::sync::Arc;

use super::reply::{self, gate};
use super::seeded::num;
use super::state::AppState;
use crate::sim::seed::shop_catalog::{Item, ShopCatalog};

/// The product fields a search may filter or sort on.
const FIELDS: [&str; 5] = ["entity_id", "sku", "name", "type_id", "status"];

fn product(item: &Item, id: u64, sku: &str, type_id: &str, links: &[u64]) -> Value {
    let links: Vec<Value> = (links.iter().enumerate())
        .map(|(i, c)| json!({"position": i, "category_id": c.to_string()}))
        .collect();
    json!({
        "id": id, "entity_id": id, "sku": sku, "name": item.name, "price": num(item.price),
        "status": if item.enabled { 1 } else { 2 }, "visibility": 4, "type_id": type_id,
        "attribute_set_id": 4, "extension_attributes": {"category_links": links},
    })
}

/// Every product as the shop lists it (a configurable parent before its child), by id.
pub fn products(catalog: &ShopCatalog) -> Vec<Value> {
    let mut out = Vec::with_capacity(catalog.items.len() + 1);
    for item in &catalog.items {
        match item.variant {
            Some(child) => {
                let mut parent = product(item, item.id, "MUG", "configurable", &item.categories);
                parent["extension_attributes"]["configurable_product_links"] = json!([child]);
                out.push(parent);
                out.push(product(item, child, &item.sku, "simple", &[]));
            }
            None => out.push(product(
                item,
                item.id,
                &item.sku,
                "simple",
                &item.categories,
            )),
        }
    }
    out.sort_by_key(|p| p["id"].as_u64());
    out
}

fn node(catalog: &ShopCatalog, id: u64, parent: u64, name: &str, level: u64) -> Value {
    let children: Vec<Value> = (catalog.categories.iter())
        .filter(|c| c.parent.unwrap_or(2) == id && c.id != id)
        .map(|c| {
            let mut n = node(catalog, c.id, id, &c.name, level + 1);
            n["is_active"] = json!(c.enabled);
            n
        })
        .collect();
    let count = catalog
        .items
        .iter()
        .filter(|i| i.categories.contains(&id))
        .count();
    json!({"id": id, "parent_id": parent, "name": name, "is_active": true, "position": 1,
           "level": level, "product_count": count, "children_data": children})
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(store): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let (shaping, criteria) =
        match super::search::searched(&state, &store, &headers, &query, &FIELDS).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    let out = criteria.answer(&state.world().products);
    reply::other(shaping, out)
}

pub async fn categories(
    State(state): State<Arc<AppState>>,
    Path(store): Path<String>,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let world = state.world();
    let mut root = node(&world.catalog, 1, 0, "Root Catalog", 0);
    // Every seeded top level hangs under the store's root, "Default Category".
    let store_root = node(&world.catalog, 2, 1, "Default Category", 1);
    root["children_data"] = json!([store_root]);
    drop(world);
    reply::other(shaping, root)
}

/// The shop's sources: `(source_code, name, enabled)`.
pub const SOURCES: [(&str, &str, bool); 3] = [
    ("default", "Default Source", true),
    ("shop_floor", "Shop floor", true),
    ("old_depot", "Old depot", false),
];

/// `GET /rest/{store}/V1/inventory/sources` (any `searchCriteria`): every source,
/// `{"items": [{"source_code", "name", "enabled", "country_id", "postcode"}],
/// "search_criteria", "total_count"}`.
pub async fn sources(
    State(state): State<Arc<AppState>>,
    Path(store): Path<String>,
    headers: HeaderMap,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let items: Vec<Value> = (SOURCES.iter())
        .map(|(code, name, enabled)| {
            json!({"source_code": code, "name": name, "enabled": enabled,
                   "country_id": "HU", "postcode": "1051"})
        })
        .collect();
    reply::other(
        shaping,
        json!({"items": items, "search_criteria": {"filter_groups": []}, "total_count": SOURCES.len()}),
    )
}

/// `POST /rest/{store}/V1/inventory/source-items` with `{"sourceItems": [{"sku",
/// "source_code", "quantity", "status"}]}`: each product with that SKU (its sellable one: a
/// configurable's child) takes the quantity, logged as `inventory_set` with the source's
/// code; an unknown SKU or source refuses the whole request (400), as Magento validates it
/// before saving. Answers `[]`.
pub async fn source_items(
    State(state): State<Arc<AppState>>,
    Path(store): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let shaping = match gate(&state, &headers, &store).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let Some(items) = body["sourceItems"].as_array() else {
        return super::reply::bad_request("\"sourceItems\" is required. Enter and try again.");
    };
    let mut world = state.world();
    let mut sets = Vec::new();
    for i in items {
        let sku = i["sku"].as_str().unwrap_or_default();
        let quantity = i["quantity"].as_f64().unwrap_or(-1.0);
        let source = i["source_code"].as_str().unwrap_or_default();
        if !SOURCES.iter().any(|(code, ..)| *code == source) || quantity < 0.0 {
            return super::reply::bad_request("Validation Failed");
        }
        let found: Vec<usize> = (world.catalog.items.iter().enumerate())
            .filter(|(_, it)| it.sku == sku)
            .map(|(n, _)| n)
            .collect();
        if found.is_empty() {
            return super::reply::bad_request(&format!(
                "Product with SKU \"{sku}\" does not exist"
            ));
        }
        sets.extend(
            found
                .into_iter()
                .map(|n| (n, quantity as i64, source.to_string())),
        );
    }
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for (n, q, source) in sets {
        let item = &mut world.catalog.items[n];
        item.stock = q;
        let id = item.variant.unwrap_or(item.id);
        (world.log).push(crate::sim::log::LogEntry::stock_at(
            id.to_string(),
            q,
            &source,
            at.clone(),
        ));
    }
    drop(world);
    if let Some(r) = super::reply::dropped(&state) {
        return r;
    }
    reply::other(shaping, json!([]))
}
