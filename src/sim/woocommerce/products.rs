//! The shop's catalog (`crate::sim::seed::shop_catalog`) in WooCommerce's shapes:
//! - `GET /wp-json/wc/v3/products`: `page`, `per_page` (1..=100, default 10), `status` (`any`,
//!   the default, `draft`, `pending`, `private`, `publish`), `orderby` (`id`, `title`, `date`
//!   …), `order`; `X-WP-Total` and `X-WP-TotalPages`. A switched-off product is a `draft`.
//!   The blue mug is a `variable` product whose one variation is what its order lines name.
//! - `GET /wp-json/wc/v3/products/{id}/variations`, paged the same way.
//! - `GET /wp-json/wc/v3/products/categories`: `page`, `per_page`; `parent` 0 is a top level.
//!
//! WooCommerce categories cannot be switched off: the seed's disabled one is served as any.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};
use std::sync::Arc;

use super::auth::Need;
use super::reply::gate;
use super::state::AppState;
use super::wp;
use crate::sim::seed::shop_catalog::{Item, ShopCatalog};

const STATUSES: [&str; 5] = ["any", "draft", "pending", "private", "publish"];
const ORDERBY: [&str; 8] = [
    "date",
    "id",
    "include",
    "title",
    "slug",
    "price",
    "popularity",
    "rating",
];

fn slug(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn status(item: &Item) -> &'static str {
    if item.enabled { "publish" } else { "draft" }
}

fn money(d: rust_decimal::Decimal) -> String {
    format!("{d:.2}")
}

fn product(catalog: &ShopCatalog, item: &Item) -> Value {
    let categories: Vec<Value> = item
        .categories
        .iter()
        .filter_map(|id| catalog.category(*id))
        .map(|c| json!({"id": c.id, "name": c.name, "slug": slug(&c.name)}))
        .collect();
    let variable = item.variant.is_some();
    json!({
        "id": item.id, "name": if variable { "Mug" } else { item.name.as_str() },
        "slug": slug(&item.name), "type": if variable { "variable" } else { "simple" },
        "status": status(item), "sku": if variable { "" } else { item.sku.as_str() },
        "price": money(item.price), "regular_price": money(item.price), "sale_price": "",
        "manage_stock": !variable, "stock_quantity": if variable { Value::Null } else { json!(item.stock) },
        "categories": categories, "variations": item.variant.into_iter().collect::<Vec<_>>(),
    })
}

fn variation(item: &Item, id: u64) -> Value {
    json!({
        "id": id, "sku": item.sku, "status": status(item), "price": money(item.price),
        "regular_price": money(item.price), "sale_price": "", "manage_stock": true,
        "stock_quantity": item.stock,
        "attributes": [{"id": 1, "name": "Color", "option": "Blue"}],
    })
}

/// A page of `total` entries (`entry(i)` the `i`-th) with WooCommerce's headers.
fn paged(
    shaping: crate::sim::faults::Shaping,
    (total, entry): (usize, impl Fn(usize) -> Value),
    page: usize,
    per: usize,
) -> Response {
    let start = (page - 1).saturating_mul(per).min(total);
    let list: Vec<Value> = (start..start.saturating_add(per).min(total))
        .map(entry)
        .collect();
    let mut out = HeaderMap::new();
    out.insert("x-wp-total", HeaderValue::from(total));
    out.insert("x-wp-totalpages", HeaderValue::from(total.div_ceil(per)));
    shaping.send(StatusCode::OK, out, &Value::Array(list))
}

/// The gate and the paging of a list request, or the answer refusing it.
async fn listing(
    state: &AppState,
    headers: &HeaderMap,
    query: &[(String, String)],
) -> Result<(crate::sim::faults::Shaping, usize, usize), Response> {
    let shaping = gate(state, headers, query, Need::List).await?;
    let mut bad = Map::new();
    let (page, per) = wp::paging(query, &mut bad);
    if !bad.is_empty() {
        return Err(wp::invalid_params(bad));
    }
    Ok((shaping, page, per))
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let shaping = match gate(&state, &headers, &query, Need::List).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let mut bad = Map::new();
    let (page, per) = wp::paging(&query, &mut bad);
    let wanted = wp::param(&query, "status")
        .unwrap_or("any")
        .trim()
        .to_string();
    if !STATUSES.contains(&wanted.as_str()) {
        let why = format!("status is not one of {}.", STATUSES.join(", "));
        bad.insert("status".into(), json!(why));
    }
    let orderby = wp::param(&query, "orderby").unwrap_or("date");
    if !ORDERBY.contains(&orderby) {
        let why = format!("orderby is not one of {}.", ORDERBY.join(", "));
        bad.insert("orderby".into(), json!(why));
    }
    let desc = match wp::param(&query, "order").unwrap_or("desc") {
        "asc" => false,
        "desc" => true,
        _ => {
            bad.insert("order".into(), json!("order is not one of asc, desc."));
            true
        }
    };
    if !bad.is_empty() {
        return wp::invalid_params(bad);
    }
    let world = state.world();
    let catalog = &world.catalog;
    let mut items: Vec<&Item> = catalog
        .items
        .iter()
        .filter(|i| wanted == "any" || status(i) == wanted)
        .collect();
    if orderby == "title" {
        items.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    }
    // Every other order is by id here (the seed's dates follow its ids).
    if desc {
        items.reverse();
    }
    let out = paged(
        shaping,
        (items.len(), |i| product(catalog, items[i])),
        page,
        per,
    );
    drop(world);
    out
}

pub async fn variations(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let (shaping, page, per) = match listing(&state, &headers, &query).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let world = state.world();
    let Some(item) = id
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|id| world.catalog.items.iter().find(|i| i.id == id))
    else {
        return wp::error(
            StatusCode::NOT_FOUND,
            "woocommerce_rest_product_invalid_id",
            "Invalid ID.",
        );
    };
    let all: Vec<Value> = item
        .variant
        .map(|v| variation(item, v))
        .into_iter()
        .collect();
    drop(world);
    paged(shaping, (all.len(), |i| all[i].clone()), page, per)
}

pub async fn categories(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let (shaping, page, per) = match listing(&state, &headers, &query).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let world = state.world();
    let catalog = &world.catalog;
    let entry = |i: usize| {
        let c = &catalog.categories[i];
        let count = catalog
            .items
            .iter()
            .filter(|i| i.categories.contains(&c.id));
        json!({"id": c.id, "name": c.name, "slug": slug(&c.name),
               "parent": c.parent.unwrap_or(0), "count": count.count()})
    };
    let out = paged(shaping, (catalog.categories.len(), entry), page, per);
    drop(world);
    out
}

/// `POST /wp-json/wc/v3/products/batch`: `update` (at most 100 items, else 400) of
/// `{"id", "stock_quantity", "manage_stock"}`; each item answers the product, or an error
/// for an id that is not a product (a variation is not one here). A stock set is logged as
/// `inventory_set`.
pub async fn batch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
    body: axum::body::Bytes,
) -> Response {
    stock_batch(&state, &headers, &query, &body, None).await
}

/// `POST /wp-json/wc/v3/products/{id}/variations/batch`: the same for the variations of
/// product `id`. A variation id the shop does not have is `…_product_variation_invalid_id`;
/// one of another product (or of none, as when `id` is no product) is refused as WooCommerce's
/// check of a variation's parent refuses it (`woocommerce_rest_cannot_edit`, "Parent product
/// does not match current variation.").
pub async fn variations_batch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    body: axum::body::Bytes,
) -> Response {
    let parent = id.trim().parse::<u64>().unwrap_or(0);
    stock_batch(&state, &headers, &query, &body, Some(parent)).await
}

/// An item's error in a batch answer.
fn item_error(id: &Value, code: &str, message: &str, status: u16) -> Value {
    json!({"id": id, "error": {"code": code, "message": message, "data": {"status": status}}})
}

/// Where in the catalog update item `u` is (a product of its own, or a variation of
/// `parent`), or its error.
fn stock_target(catalog: &ShopCatalog, u: &Value, parent: Option<u64>) -> Result<usize, Value> {
    let id = u["id"]
        .as_u64()
        .or_else(|| u["id"].as_str().and_then(|s| s.parse().ok()));
    let Some(parent) = parent else {
        let found = id
            .and_then(|id| (catalog.items.iter()).position(|i| i.id == id && i.variant.is_none()));
        return found.ok_or_else(|| {
            item_error(
                &u["id"],
                "woocommerce_rest_product_invalid_id",
                "Invalid ID.",
                400,
            )
        });
    };
    let found = id.and_then(|id| catalog.items.iter().position(|i| i.variant == Some(id)));
    match found {
        None => Err(item_error(
            &u["id"],
            "woocommerce_rest_product_variation_invalid_id",
            "Invalid ID.",
            400,
        )),
        Some(at) if catalog.items[at].id != parent => Err(item_error(
            &u["id"],
            "woocommerce_rest_cannot_edit",
            "Parent product does not match current variation.",
            401,
        )),
        Some(at) => Ok(at),
    }
}

async fn stock_batch(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    query: &[(String, String)],
    body: &[u8],
    parent: Option<u64>,
) -> Response {
    let shaping = match gate(state, headers, query, Need::Edit).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let body = match wp::object(body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let update = body
        .get("update")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if update.len() > 100 {
        return wp::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "woocommerce_rest_request_entity_too_large",
            "Unable to accept more than 100 items for this request.",
        );
    }
    let mut world = state.world();
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut out = Vec::with_capacity(update.len());
    for u in &update {
        let at_item = match stock_target(&world.catalog, u, parent) {
            Ok(at) => at,
            Err(error) => {
                out.push(error);
                continue;
            }
        };
        if let Some(q) = u["stock_quantity"].as_i64() {
            world.catalog.items[at_item].stock = q;
            let id = world.catalog.items[at_item].line_id();
            world.log.push(crate::sim::log::LogEntry::stock(
                id.to_string(),
                q,
                at.clone(),
            ));
        }
        let item = world.catalog.items[at_item].clone();
        out.push(match item.variant {
            Some(v) if parent.is_some() => variation(&item, v),
            _ => product(&world.catalog, &item),
        });
    }
    drop(world);
    if let Some(r) = super::reply::dropped(state) {
        return r;
    }
    shaping.send(StatusCode::OK, HeaderMap::new(), &json!({"update": out}))
}
