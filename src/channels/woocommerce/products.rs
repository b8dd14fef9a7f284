//! The shop's catalog: `GET /wc/v3/products?page=N&per_page=100&status=any&orderby=id&order=asc`
//! up to the `X-WP-TotalPages` the shop answers, its `X-WP-Total` as the total (products, so
//! a variable product's variations may take it past that). A `variable` product is sold as
//! its variations (`GET /products/{id}/variations`, which is what order lines name by
//! `variation_id`), each under the parent's name with its options. The category tree
//! (`GET /products/categories`, `parent` 0 a top level) is read once per connector. A product
//! counts as enabled when its status is `publish`.

use super::WooCommerceChannel;
use crate::channels::categories::{CategoryTree, ShopCategory};
use crate::channels::http::Request;
use crate::channels::{CatalogPage, ChannelError};
use crate::domain::catalog::ShopProduct;
use serde_json::Value;

/// Products per page: the most WooCommerce gives.
const PER_PAGE: u64 = 100;

/// One list read: its items, and the pages and items in all as the shop counts them.
struct Listed {
    items: Vec<Value>,
    pages: Option<u64>,
    total: Option<u64>,
}

impl WooCommerceChannel {
    async fn listed(&self, what: &str, request: Request) -> Result<Listed, ChannelError> {
        let Some((body, answer)) = self.api.get(what, request).await? else {
            return Err(ChannelError::Shape(format!(
                "the {what} answered that it does not exist"
            )));
        };
        let Value::Array(items) = body else {
            return Err(ChannelError::Shape(format!(
                "the {what} is not a JSON array"
            )));
        };
        let number = |h: &str| answer.header(h).and_then(|v| v.trim().parse::<u64>().ok());
        Ok(Listed {
            items,
            pages: number("x-wp-totalpages"),
            total: number("x-wp-total"),
        })
    }

    /// Every page of a list, from page 1.
    async fn all_pages(&self, what: &str, path: &str) -> Result<Vec<Value>, ChannelError> {
        let mut out = Vec::new();
        for page in 1.. {
            let request = Request::get(self.api.wc(path))
                .with_query("per_page", PER_PAGE.to_string())
                .with_query("page", page.to_string());
            let listed = self.listed(what, request).await?;
            let short = (listed.items.len() as u64) < PER_PAGE;
            out.extend(listed.items);
            if listed.pages.map_or(short, |p| page >= p) {
                break;
            }
        }
        Ok(out)
    }

    /// The shop's categories, as its API lists them.
    async fn read_categories(&self) -> Result<Vec<ShopCategory>, ChannelError> {
        let list = self
            .all_pages("category list", "products/categories")
            .await?;
        Ok(list
            .iter()
            .filter_map(|c| {
                Some(ShopCategory {
                    id: id_text(&c["id"])?,
                    name: c["name"].as_str().map(super::text::decode_entities)?,
                    parent: id_text(&c["parent"]).filter(|p| p != "0"),
                    enabled: true,
                })
            })
            .collect())
    }

    pub(super) async fn products_page(
        &self,
        after: Option<&str>,
    ) -> Result<CatalogPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 1, "WooCommerce")?;
        let tree = (self.categories)
            .get_or_read(self.read_categories())
            .await?;
        let request = Request::get(self.api.wc("products"))
            .with_query("status", "any")
            .with_query("orderby", "id")
            .with_query("order", "asc")
            .with_query("per_page", PER_PAGE.to_string())
            .with_query("page", page.to_string());
        let listed = self.listed("product list", request).await?;
        let more = match listed.pages {
            Some(pages) => page < pages,
            None => listed.items.len() as u64 >= PER_PAGE,
        };
        let mut products = Vec::with_capacity(listed.items.len());
        for node in &listed.items {
            if node["type"].as_str() == Some("variable") {
                let id = id_text(&node["id"])
                    .ok_or_else(|| ChannelError::Shape("a product without an id".into()))?;
                let path = format!("products/{id}/variations");
                for v in self.all_pages("variation list", &path).await? {
                    products.extend(sold(&v, Some(node), &tree));
                }
            } else {
                products.extend(sold(node, None, &tree));
            }
        }
        Ok(CatalogPage {
            products,
            next: more.then(|| (page + 1).to_string()),
            total: listed.total,
        })
    }
}

/// An id as text (WooCommerce sends numbers).
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// A product, or a variation of `parent`, as the catalog holds it; `None` (with a warning)
/// for one without an id.
fn sold(node: &Value, parent: Option<&Value>, tree: &CategoryTree) -> Option<ShopProduct> {
    let Some(remote_id) = id_text(&node["id"]) else {
        tracing::warn!("a WooCommerce product without an id; left out");
        return None;
    };
    let owner = parent.unwrap_or(node);
    let base = owner["name"]
        .as_str()
        .map(super::text::decode_entities)
        .unwrap_or_default();
    let options: Vec<&str> = node["attributes"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["option"].as_str()).collect())
        .unwrap_or_default();
    let name = match (parent, options.is_empty()) {
        (Some(_), false) => format!("{base} – {}", options.join(", ")),
        _ => base,
    };
    let ids: Vec<String> = owner["categories"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| id_text(&c["id"])).collect())
        .unwrap_or_default();
    Some(ShopProduct {
        remote_id,
        parent: parent.and_then(|p| id_text(&p["id"])),
        sku: node["sku"].as_str().unwrap_or_default().trim().to_string(),
        name,
        price: node["price"]
            .as_str()
            .and_then(|p| p.trim().parse().ok())
            .or_else(|| {
                node["regular_price"]
                    .as_str()
                    .and_then(|p| p.trim().parse().ok())
            }),
        categories: tree.paths(ids.iter().map(String::as_str)),
        enabled: node["status"].as_str() == Some("publish")
            && parent.is_none_or(|p| p["status"].as_str() == Some("publish")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_variation_takes_its_parents_name_and_categories() {
        let tree = CategoryTree::new([ShopCategory {
            id: "15".into(),
            name: "Kitchen".into(),
            parent: None,
            enabled: true,
        }]);
        let parent = json!({"id": 95, "name": "Mug", "status": "publish",
                            "categories": [{"id": 15}], "type": "variable"});
        let v = json!({"id": 595, "sku": " MUG-BLUE ", "price": "9.90", "status": "publish",
                       "attributes": [{"option": "Blue"}]});
        let p = sold(&v, Some(&parent), &tree).expect("a product");
        assert_eq!(
            (p.remote_id.as_str(), p.sku.as_str(), p.name.as_str()),
            ("595", "MUG-BLUE", "Mug – Blue")
        );
        assert_eq!(p.price, Some("9.90".parse().expect("decimal")));
        assert_eq!(p.categories[0].path, ["Kitchen"]);
        let draft = json!({"id": 7, "name": "Old", "status": "draft", "price": ""});
        let p = sold(&draft, None, &tree).expect("a product");
        assert!(!p.enabled && p.price.is_none());
        assert!(sold(&json!({"name": "no id"}), None, &tree).is_none());
    }
}
