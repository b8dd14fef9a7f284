//! The shop's catalog (`crate::sim::seed::shop_catalog`) as webservice resources, listed and
//! read as any (`list.rs`):
//! - `products`: `{"id", "reference" (the SKU), "price", "active" ("1"/"0"),
//!   "id_category_default", "name": [{"id": language, "value"}], "associations":
//!   {"categories": [{"id"}], "combinations": [{"id"}]}}`. The blue mug has one combination,
//!   the id its order lines name as `product_attribute_id`.
//! - `combinations`: `{"id", "id_product", "reference", "price"}` (the price an impact on
//!   the product's).
//! - `stock_availables`: one row per product (per combination for one sold as such):
//!   `{"id", "id_product", "id_product_attribute", "id_shop", "quantity", …}`; `PUT
//!   /api/stock_availables/{id}` (XML, the whole row) sets `quantity`, logged as
//!   `inventory_set` with the combination's id or the product's.
//! - `categories`: "Root" (1, level 0) and "Home" (2, level 1, the shop's root) first, the
//!   seeded ones under Home: `{"id", "id_parent", "level_depth", "active", "is_root_category",
//!   "name": [{"id", "value"}]}`.

use super::seeded::Resources;
use crate::sim::seed::shop_catalog::ShopCatalog;
use serde_json::json;

fn text(s: &str) -> serde_json::Value {
    json!([{"id": "1", "value": s}])
}

/// Adds the catalog's resources to `r`.
pub fn add(r: &mut Resources, catalog: &ShopCatalog) {
    let categories = r.entry("categories").or_default();
    for (id, parent, level, name) in [(1u64, 0u64, 0u64, "Root"), (2, 1, 1, "Home")] {
        categories.insert(
            id,
            json!({"id": id, "id_parent": parent.to_string(),
            "level_depth": level.to_string(), "active": "1",
            "is_root_category": if id == 2 { "1" } else { "0" }, "name": text(name)}),
        );
    }
    let level = |mut id: u64| {
        let mut n = 2;
        while let Some(p) = catalog.category(id).and_then(|c| c.parent) {
            (n, id) = (n + 1, p);
        }
        n
    };
    for c in &catalog.categories {
        categories.insert(
            c.id,
            json!({"id": c.id, "id_parent": c.parent.unwrap_or(2).to_string(),
            "level_depth": level(c.id).to_string(), "active": if c.enabled { "1" } else { "0" },
            "is_root_category": "0", "name": text(&c.name)}),
        );
    }
    for i in &catalog.items {
        let links: Vec<_> = i
            .categories
            .iter()
            .map(|c| json!({"id": c.to_string()}))
            .collect();
        let combinations: Vec<_> = i
            .variant
            .iter()
            .map(|v| json!({"id": v.to_string()}))
            .collect();
        if let Some(v) = i.variant {
            r.entry("combinations").or_default().insert(
                v,
                json!({"id": v,
                "id_product": i.id.to_string(), "reference": i.sku, "price": "0.000000"}),
            );
        }
        // Its stock row: the combination's for a product sold as one, else the product's.
        let (row, attribute) = match i.variant {
            Some(v) => (10_000_000 + v, v),
            None => (10_000_000 + i.id, 0),
        };
        r.entry("stock_availables").or_default().insert(
            row,
            json!({"id": row,
            "id_product": i.id.to_string(), "id_product_attribute": attribute.to_string(),
            "id_shop": "1", "id_shop_group": "0", "quantity": i.stock.to_string(),
            "depends_on_stock": "0", "out_of_stock": "2"}),
        );
        let sku = if i.variant.is_some() {
            "MUG"
        } else {
            i.sku.as_str()
        };
        r.entry("products").or_default().insert(
            i.id,
            json!({"id": i.id, "reference": sku,
            "price": format!("{:.6}", i.price), "active": if i.enabled { "1" } else { "0" },
            "id_category_default": i.categories.first().unwrap_or(&2).to_string(),
            "name": text(&i.name),
            "associations": {"categories": links, "combinations": combinations}}),
        );
    }
}
