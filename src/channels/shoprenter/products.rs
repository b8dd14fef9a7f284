//! The shop's catalog: `GET /productExtend?page=N&limit=200` from page 0 while
//! `page + 1 < pageCount` (within the 3 requests a second, as any request). A product's id
//! is its inner id (what an order line's `product.href` names), its name the first of its
//! `productDescriptions`, its SKU `sku`, `status` "0" a product switched off; its categories
//! are the `category.href`s of its `productCategoryRelations`, placed in the tree of
//! `GET /categoryExtend` (`parentCategory` null a top level, `status` "0" switched off), read
//! once per connector. Assumed where the docs leave it open: the shop counts pages, not
//! products, so the total is `pageCount × limit` until the last page makes it exact; the
//! first description is in the shop's language.

use super::{ShoprenterChannel, ids};
use crate::channels::categories::{CategoryTree, ShopCategory};
use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::{CatalogPage, ChannelError};
use crate::domain::catalog::ShopProduct;
use serde_json::Value;

/// Products a page: Shoprenter's most.
const PER_PAGE: u64 = 200;

/// The resource id an `href` names (`…/categories/Y2F0…` → `Y2F0…`).
fn linked(at: &At) -> Option<String> {
    ids::from_href(&at.get("href").opt_text().ok().flatten()?)
}

/// The first description's name.
fn described(at: &At, list: &str) -> String {
    (at.get(list).items().ok())
        .and_then(|d| {
            d.first()
                .and_then(|d| d.get("name").opt_text().ok().flatten())
        })
        .unwrap_or_default()
}

impl ShoprenterChannel {
    /// One page of a list, and how many pages it has.
    async fn list_page(
        &self,
        what: &str,
        path: &str,
        page: u64,
    ) -> Result<(Value, u64), ChannelError> {
        let request = Request::get(self.url(path))
            .with_query("page", page.to_string())
            .with_query("limit", PER_PAGE.to_string());
        let Some(body) = self.get(what, request).await? else {
            return Err(ChannelError::Shape(format!(
                "the {what} answered that it does not exist"
            )));
        };
        let pages = At::root(&body).get("pageCount");
        let pages = (pages.id().ok())
            .and_then(|p| p.parse::<u64>().ok())
            .ok_or_else(|| ChannelError::Shape(pages.wrong("a page count")))?;
        Ok((body, pages))
    }

    /// The shop's categories, as its API lists them.
    async fn read_categories(&self) -> Result<Vec<ShopCategory>, ChannelError> {
        let mut all = Vec::new();
        for page in 0.. {
            let (body, pages) = self
                .list_page("category list", "categoryExtend", page)
                .await?;
            let items = At::root(&body)
                .get("items")
                .items_or_none()
                .map_err(ChannelError::Shape)?;
            for c in &items {
                let Ok(id) = c.get("id").id() else {
                    tracing::warn!("a Shoprenter category without an id; left out");
                    continue;
                };
                all.push(ShopCategory {
                    id,
                    name: described(c, "categoryDescriptions"),
                    parent: linked(&c.get("parentCategory")),
                    enabled: c.get("status").opt_text().ok().flatten().as_deref() != Some("0"),
                });
            }
            if page + 1 >= pages || items.is_empty() {
                break;
            }
        }
        Ok(all)
    }

    pub(super) async fn products_page(
        &self,
        after: Option<&str>,
    ) -> Result<CatalogPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 0, "Shoprenter")?;
        let tree = (self.categories)
            .get_or_read(self.read_categories())
            .await?;
        let (body, pages) = self
            .list_page("product list", "productExtend", page)
            .await?;
        let items = At::root(&body)
            .get("items")
            .items_or_none()
            .map_err(ChannelError::Shape)?;
        let products = items.iter().filter_map(|p| sold(p, &tree)).collect();
        let more = page + 1 < pages && !items.is_empty();
        // The shop counts pages, not products: every page full until the last one read.
        let total = if more {
            pages * PER_PAGE
        } else {
            page * PER_PAGE + items.len() as u64
        };
        Ok(CatalogPage {
            products,
            next: more.then(|| (page + 1).to_string()),
            total: Some(total),
        })
    }
}

/// A product as the catalog holds it; `None` (with a warning) for one without an id.
fn sold(p: &At, tree: &CategoryTree) -> Option<ShopProduct> {
    let Some(remote_id) = p
        .get("id")
        .id()
        .ok()
        .map(|id| ids::inner(&id).unwrap_or(id))
    else {
        tracing::warn!("a Shoprenter product without an id; left out");
        return None;
    };
    let categories: Vec<String> = (p.get("productCategoryRelations").items().ok())
        .map(|r| {
            r.iter()
                .filter_map(|r| linked(&r.get("category")))
                .collect()
        })
        .unwrap_or_default();
    Some(ShopProduct {
        remote_id,
        parent: None,
        sku: p.get("sku").opt_text().ok().flatten().unwrap_or_default(),
        name: described(p, "productDescriptions"),
        price: p.get("price").decimal().ok(),
        categories: tree.paths(categories.iter().map(String::as_str)),
        enabled: p.get("status").opt_text().ok().flatten().as_deref() != Some("0"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_product_reads_its_inner_id_description_and_categories() {
        let tree = CategoryTree::new([ShopCategory {
            id: "Y2F0ZWdvcnktY2F0ZWdvcnlfaWQ9MTU=".into(),
            name: "Kitchen".into(),
            parent: None,
            enabled: false,
        }]);
        let v = json!({"id": ids::encode(b"product-product_id=95"), "sku": "MUG-BLUE",
            "price": "9.6200", "status": "1",
            "productDescriptions": [{"name": "Mug, blue"}],
            "productCategoryRelations": [{"category": {"href": "http://x/categories/Y2F0ZWdvcnktY2F0ZWdvcnlfaWQ9MTU="}}]});
        let p = sold(&At::root(&v), &tree).expect("a product");
        assert_eq!((p.remote_id.as_str(), p.name.as_str()), ("95", "Mug, blue"));
        assert_eq!(p.category(), Some("Kitchen"));
        assert!(!p.categories[0].enabled && p.enabled);
    }
}
