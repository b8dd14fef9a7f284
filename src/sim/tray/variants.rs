//! Product variants in Tray's shapes (the blue mug is sold as its one variant, `id + 500`;
//! its order lines carry that `variant_id`):
//! - `GET /products/variants` (`product_id` filter; the paging of `GET /products`) →
//!   `{"paging", "Variants": [{"Variant": {"id", "product_id", "reference" (the SKU), "price",
//!   "stock", "Sku": [{"type", "value"}]}}]}`;
//! - `GET /products/variants/:id` → `{"Variant": {...}}`, 404 for an unknown one;
//! - `PUT /products/variants/:id` with `{"Variant": {"stock": N}}`: the variant's stock,
//!   logged as `inventory_set` under the variant's id; 404 for an unknown one.
//!
//! Each counts against the budget and needs the access token, as every route.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::auth::{gate, not_found};
use super::products::{envelope, listing, put_stock};
use super::seeded::money;
use super::state::AppState;
use crate::sim::seed::shop_catalog::Item;

type Params = Query<HashMap<String, String>>;

/// The name of a product as the shop lists it: a product sold as variants bears the name
/// its variants share (the mug's colour is the variant's).
pub fn parent_name(item: &Item) -> &str {
    match item.variant {
        Some(_) => "Mug",
        None => &item.name,
    }
}

fn variant(item: &Item, id: u64) -> Value {
    json!({"Variant": {
        "id": id.to_string(), "ean": "", "order": "1", "product_id": item.id.to_string(),
        "reference": item.sku, "price": money(item.price), "cost_price": "0.00",
        "stock": item.stock.to_string(), "minimum_stock": "0", "available": if item.enabled { "1" } else { "0" },
        "Sku": [{"type": "Cor", "value": "Azul"}],
    }})
}

pub async fn list(State(state): State<Arc<AppState>>, Query(query): Params) -> Response {
    let (shaping, paging) = match listing(&state, &query).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let wanted = query.get("product_id").map(|p| p.trim().to_string());
    let world = state.world();
    let items: Vec<(&Item, u64)> = (world.catalog.items.iter())
        .filter(|i| wanted.as_ref().is_none_or(|w| *w == i.id.to_string()))
        .filter_map(|i| i.variant.map(|v| (i, v)))
        .collect();
    let all = (items.len(), |i: usize| variant(items[i].0, items[i].1));
    let out = envelope(
        &query,
        "Variants",
        all,
        paging,
        &["id", "product_id", "reference"],
    );
    drop(world);
    shaping.send(StatusCode::OK, HeaderMap::new(), &out)
}

pub async fn one(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Params,
) -> Response {
    let shaping = match gate(&state, &query).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let world = state.world();
    let found = (id.trim().parse::<u64>().ok())
        .and_then(|id| (world.catalog.items.iter()).find(|i| i.variant == Some(id)))
        .and_then(|i| i.variant.map(|v| variant(i, v)));
    drop(world);
    match found {
        Some(v) => shaping.send(StatusCode::OK, HeaderMap::new(), &v),
        None => not_found(),
    }
}

pub async fn set_stock(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Params,
    body: Bytes,
) -> Response {
    put_stock(&state, &id, &query, &body, "Variant").await
}
