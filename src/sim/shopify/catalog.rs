//! The shop's catalog (`crate::sim::seed::shop_catalog`) in Shopify's shapes, one JSON value
//! per `ProductVariant` (its `product` inside), answered by walking the selection like the
//! orders: `productVariants(first, after, sortKey: ID, reverse)` and
//! `productVariantsCount(limit)`. Ids are those the seeded orders' lines carry. A product is
//! filed under one taxonomy `category` (the deepest chain of the seed's categories, its
//! `fullName` joined by " > ") and in `collections` (the seed's other categories); a
//! switched-off product is `DRAFT`. Every seeded product is sold as one variant
//! ("Default Title").

use serde_json::{Value, json};

use super::order::gid;
use crate::sim::seed::shop_catalog::{GENERATED_FROM, Item, ShopCatalog};

/// The `n` the seeded orders number an item's product and variant ids by.
fn number(item: &Item) -> u64 {
    if item.id >= GENERATED_FROM {
        item.id
    } else {
        item.id - 89
    }
}

pub fn variant_id(item: &Item) -> u64 {
    44_100_000_000_000 + number(item) * 7
}

fn product_id(item: &Item) -> u64 {
    8_800_000_000_000 + number(item) * 3
}

/// The names from the top down to category `id`.
fn chain(catalog: &ShopCatalog, id: u64) -> Vec<u64> {
    let mut out = vec![id];
    while let Some(p) = out
        .last()
        .and_then(|c| catalog.category(*c))
        .and_then(|c| c.parent)
    {
        out.push(p);
    }
    out.reverse();
    out
}

fn variant(catalog: &ShopCatalog, item: &Item) -> Value {
    // The deepest of the item's categories is its taxonomy category; the rest not on its
    // chain are collections.
    let deepest = item
        .categories
        .iter()
        .map(|c| chain(catalog, *c))
        .max_by_key(Vec::len);
    let on_chain = |c: &u64| deepest.as_ref().is_some_and(|d| d.contains(c));
    let name = |c: &u64| {
        catalog
            .category(*c)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let category = deepest.as_ref().map(|d| {
        let names: Vec<String> = d.iter().map(name).collect();
        let last = d.last().copied().unwrap_or(0);
        json!({"__typename": "TaxonomyCategory", "id": format!("gid://shopify/TaxonomyCategory/sg-{last}"),
               "name": names.last(), "fullName": names.join(" > "), "level": names.len(),
               "isRoot": names.len() == 1, "isLeaf": true, "isArchived": false,
               "ancestorIds": [], "childrenIds": []})
    });
    let collections: Vec<Value> = (item.categories.iter())
        .filter(|c| !on_chain(c))
        .map(|c| json!({"id": gid("Collection", *c), "title": name(c)}))
        .collect();
    let (vid, pid) = (variant_id(item), product_id(item));
    json!({
        "id": gid("ProductVariant", vid), "legacyResourceId": vid.to_string(), "sku": item.sku,
        "title": "Default Title", "displayName": format!("{} - Default Title", item.name),
        "price": format!("{:.2}", item.price), "inventoryQuantity": item.stock,
        "product": {
            "id": gid("Product", pid), "legacyResourceId": pid.to_string(), "title": item.name,
            "status": if item.enabled { "ACTIVE" } else { "DRAFT" },
            "category": category, "collections": collections,
        },
    })
}

/// Every variant of the catalog, by id.
pub fn variants(catalog: &ShopCatalog) -> Vec<Value> {
    let mut out: Vec<Value> = catalog.items.iter().map(|i| variant(catalog, i)).collect();
    out.sort_by_key(super::root::legacy_id);
    out
}

/// `productVariantsCount`: every variant, up to `limit` (10,000 by default, `null` none).
pub fn count(variants: &[Value], limit: Option<u64>) -> Value {
    let n = variants.len() as u64;
    let (count, precision) = match limit {
        Some(l) if n > l => (l, "AT_LEAST"),
        _ => (n, "EXACT"),
    };
    json!({"__typename": "Count", "count": count, "precision": precision})
}
