//! The shop's catalog: `GET /V1/products` with `searchCriteria` `pageSize` 100,
//! `currentPage` N, sorted by `entity_id`, while `currentPage × pageSize < total_count`
//! (Magento answers a page past the end with the last one again); the total is
//! `total_count`. A `configurable` product is not sold itself: its children are (they are
//! what order lines name by the child's `product_id`), each taking the parent's categories
//! (`configurable_product_links`). Categories are the `category_links` of each product,
//! placed in the tree of `GET /V1/categories` (read once per connector), whose two top
//! levels ("Root Catalog", a store's root such as "Default Category") are not categories a
//! product is filed under; `is_active` false is a category switched off, `status` 2 a
//! product switched off. Assumed: a child listed before its parent (a smaller id) has no
//! categories of its own.

use super::{MagentoChannel, PAGE_SIZE};
use crate::channels::categories::ShopCategory;
use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::{CatalogPage, ChannelError};
use crate::domain::catalog::ShopProduct;

/// The level of a store's root category: its children are the top level.
const STORE_ROOT_LEVEL: i64 = 1;

/// Every category under `at` (a node of the tree and its `children_data`), top levels with
/// no parent.
fn flatten(at: &At, out: &mut Vec<ShopCategory>) {
    let level = at.get("level").integer().unwrap_or(0);
    if level > STORE_ROOT_LEVEL
        && let Ok(id) = at.get("id").id()
    {
        let parent = at.get("parent_id").opt_id().ok().flatten();
        out.push(ShopCategory {
            id,
            name: at.get("name").opt_text().ok().flatten().unwrap_or_default(),
            parent: parent.filter(|_| level > STORE_ROOT_LEVEL + 1),
            enabled: at.get("is_active").boolean().unwrap_or(true),
        });
    }
    if let Ok(children) = at.get("children_data").items() {
        for c in &children {
            flatten(c, out);
        }
    }
}

/// The ids of a product's `category_links`.
fn links(p: &At) -> Vec<String> {
    (p.get("extension_attributes")
        .get("category_links")
        .items()
        .ok())
    .map(|l| {
        l.iter()
            .filter_map(|c| c.get("category_id").id().ok())
            .collect()
    })
    .unwrap_or_default()
}

impl MagentoChannel {
    /// The shop's categories, as its API lists them.
    async fn read_categories(&self) -> Result<Vec<ShopCategory>, ChannelError> {
        let request = Request::get(self.api.v1("categories"));
        let Some(body) = self.api.get("category tree", request).await? else {
            return Err(ChannelError::Shape(
                "the category tree answered that it does not exist".into(),
            ));
        };
        let mut all = Vec::new();
        flatten(&At::root(&body), &mut all);
        Ok(all)
    }

    pub(super) async fn products_page(
        &self,
        after: Option<&str>,
    ) -> Result<CatalogPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 1, "Magento")?;
        let tree = (self.categories)
            .get_or_read(self.read_categories())
            .await?;
        let request = Request::get(self.api.v1("products"))
            .with_query("searchCriteria[sortOrders][0][field]", "entity_id")
            .with_query("searchCriteria[sortOrders][0][direction]", "ASC")
            .with_query("searchCriteria[pageSize]", PAGE_SIZE.to_string())
            .with_query("searchCriteria[currentPage]", page.to_string());
        let Some(body) = self.api.get("product list", request).await? else {
            return Err(ChannelError::Shape(
                "the product list answered that it does not exist".into(),
            ));
        };
        let at = At::root(&body);
        let total = at
            .get("total_count")
            .integer()
            .map_err(ChannelError::Shape)?;
        let items = at
            .get("items")
            .items_or_none()
            .map_err(ChannelError::Shape)?;
        let mut products = Vec::with_capacity(items.len());
        let mut inherited = self.inherited.lock().await;
        for p in &items {
            let Ok(id) = p.get("id").id() else {
                tracing::warn!("a Magento product without an id; left out");
                continue;
            };
            if p.get("type_id").opt_text().ok().flatten().as_deref() == Some("configurable") {
                let children = p
                    .get("extension_attributes")
                    .get("configurable_product_links");
                for child in children.items().unwrap_or_default() {
                    if let Ok(child) = child.id() {
                        inherited.insert(child, links(p));
                    }
                }
                continue;
            }
            let mut ids = links(p);
            if ids.is_empty() {
                ids = inherited.remove(&id).unwrap_or_default();
            }
            products.push(ShopProduct {
                remote_id: id,
                parent: None,
                sku: p.get("sku").opt_text().ok().flatten().unwrap_or_default(),
                name: p.get("name").opt_text().ok().flatten().unwrap_or_default(),
                price: p.get("price").decimal().ok(),
                categories: tree.paths(ids.iter().map(String::as_str)),
                enabled: p.get("status").integer().unwrap_or(1) != 2,
            });
        }
        let total = u64::try_from(total).unwrap_or(0);
        let more = page * PAGE_SIZE < total && !items.is_empty();
        Ok(CatalogPage {
            products,
            next: more.then(|| (page + 1).to_string()),
            total: Some(total),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::categories::CategoryTree;
    use serde_json::json;

    #[test]
    fn the_roots_are_not_categories_and_levels_below_keep_their_parents() {
        let tree = json!({"id": 1, "parent_id": 0, "name": "Root Catalog", "level": 0,
            "children_data": [{"id": 2, "parent_id": 1, "name": "Default Category", "level": 1,
                "children_data": [{"id": 16, "parent_id": 2, "name": "Kitchen", "level": 2,
                    "is_active": true, "children_data": [{"id": 30, "parent_id": 16,
                        "name": "Mugs", "level": 3, "is_active": false, "children_data": []}]}]}]});
        let mut all = Vec::new();
        flatten(&At::root(&tree), &mut all);
        let tree = CategoryTree::new(all);
        assert_eq!(tree.len(), 2);
        let mugs = tree.path("30").expect("mugs");
        assert_eq!(
            (mugs.path.clone(), mugs.enabled),
            (vec!["Kitchen".to_string(), "Mugs".to_string()], false)
        );
    }
}
