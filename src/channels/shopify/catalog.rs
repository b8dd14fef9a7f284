//! The shop's catalog: `productVariants(first: 90, after, sortKey: ID)`, each variant with
//! its product (what order lines name is the variant's `legacyResourceId`), and once, with
//! the first page, `productVariantsCount(limit: null)` for the total. A product's name is
//! its title (with the variant's unless that is "Default Title"); `status` other than
//! `ACTIVE` is a product switched off. Its categories: Shopify files a product under one
//! taxonomy `category`, whose `fullName` ("Home > Kitchen > Mugs") is the chain; a product
//! without one takes its `collections` (flat, each a top level). Collections are
//! merchandising as much as filing, so they count only where the taxonomy says nothing.
//!
//! Cost by Shopify's rules: the connection 2, `pageInfo` 1, and 90 × (variant 1, `product`
//! 1, `category` 1, `collections(first: 5)` 2 + 5) = 903, under the 1000 of one query; the
//! count 1.

use super::ShopifyChannel;
use crate::channels::{CatalogPage, ChannelError};
use crate::domain::catalog::{CategoryPath, ShopProduct};
use serde_json::{Value, json};

pub const CATALOG_PAGE: &str = "CatalogPage";
pub const CATALOG_COUNT: &str = "CatalogCount";
/// Variants a page, and collections read per product.
pub const VARIANTS_PER_PAGE: usize = 90;
const COLLECTIONS: usize = 5;

pub fn catalog_page_cost() -> usize {
    2 + 1 + VARIANTS_PER_PAGE * (1 + 1 + 1 + 2 + COLLECTIONS)
}

/// One page of variants after a cursor; variables `first`, `after`.
pub fn catalog_page_document() -> String {
    format!(
        "query {CATALOG_PAGE}($first: Int!, $after: String) {{
  productVariants(first: $first, after: $after, sortKey: ID) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      legacyResourceId
      sku
      title
      price
      product {{
        legacyResourceId
        title
        status
        category {{ fullName }}
        collections(first: {COLLECTIONS}) {{ nodes {{ title }} }}
      }}
    }}
  }}
}}
"
    )
}

/// How many variants the shop has, without Shopify's default limit.
pub fn catalog_count_document() -> String {
    format!(
        "query {CATALOG_COUNT} {{
  productVariantsCount(limit: null) {{ count }}
}}
"
    )
}

fn text(v: &Value) -> String {
    v.as_str().map(str::trim).unwrap_or_default().to_string()
}

/// A variant as the catalog holds it; `None` (with a warning) for one without an id.
fn sold(v: &Value) -> Option<ShopProduct> {
    let remote_id = text(&v["legacyResourceId"]);
    if remote_id.is_empty() {
        tracing::warn!("a Shopify variant without an id; left out");
        return None;
    }
    let product = &v["product"];
    let (title, variant) = (text(&product["title"]), text(&v["title"]));
    let name = if variant.is_empty() || variant == "Default Title" {
        title
    } else {
        format!("{title} – {variant}")
    };
    let chain: Vec<String> = text(&product["category"]["fullName"])
        .split(" > ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let categories = if chain.is_empty() {
        (product["collections"]["nodes"]
            .as_array()
            .into_iter()
            .flatten())
        .map(|c| text(&c["title"]))
        .filter(|t| !t.is_empty())
        .map(|t| CategoryPath {
            path: vec![t],
            enabled: true,
        })
        .collect()
    } else {
        vec![CategoryPath {
            path: chain,
            enabled: true,
        }]
    };
    Some(ShopProduct {
        remote_id,
        parent: None,
        sku: text(&v["sku"]),
        name,
        price: text(&v["price"]).parse().ok(),
        categories,
        enabled: text(&product["status"]) == "ACTIVE",
    })
}

impl ShopifyChannel {
    pub(super) async fn products_page(
        &self,
        after: Option<&str>,
    ) -> Result<CatalogPage, ChannelError> {
        let variables = json!({"first": VARIANTS_PER_PAGE, "after": after});
        let data = (self.client)
            .call(
                CATALOG_PAGE,
                &self.catalog_documents.0,
                variables,
                catalog_page_cost(),
            )
            .await?;
        let list = &data["productVariants"];
        let Some(nodes) = list["nodes"].as_array() else {
            return Err(ChannelError::Shape(
                "the answer has no `data.productVariants.nodes`".into(),
            ));
        };
        let info = &list["pageInfo"];
        let next = (info["hasNextPage"].as_bool() == Some(true))
            .then(|| info["endCursor"].as_str().map(str::to_string))
            .flatten();
        let total = if after.is_none() {
            let data = (self.client)
                .call(CATALOG_COUNT, &self.catalog_documents.1, json!({}), 1)
                .await?;
            data["productVariantsCount"]["count"].as_u64()
        } else {
            None
        };
        Ok(CatalogPage {
            products: nodes.iter().filter_map(sold).collect(),
            next,
            total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_taxonomy_chain_wins_over_collections_and_the_cost_fits() {
        let v = json!({"legacyResourceId": "441", "sku": "MUG", "title": "Blue", "price": "9.90",
            "product": {"title": "Mug", "status": "DRAFT", "category": {"fullName": "Home > Kitchen > Mugs"},
                        "collections": {"nodes": [{"title": "Sale"}]}}});
        let p = sold(&v).expect("a variant");
        assert_eq!(
            (p.name.as_str(), p.category()),
            ("Mug – Blue", Some("Mugs"))
        );
        assert!(!p.enabled);
        let flat = json!({"legacyResourceId": "442", "title": "Default Title",
            "product": {"title": "Cup", "status": "ACTIVE", "category": null,
                        "collections": {"nodes": [{"title": "Sale"}, {"title": "Kitchen"}]}}});
        let p = sold(&flat).expect("a variant");
        assert_eq!((p.name.as_str(), p.category()), ("Cup", Some("Kitchen")));
        assert!(catalog_page_cost() <= super::super::query::MAX_QUERY_COST);
        assert!(sold(&json!({})).is_none());
    }
}
