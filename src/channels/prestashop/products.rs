//! The shop's catalog: `GET /api/products?display=full&sort=[id_ASC]&limit=OFFSET,100`, a
//! page after a full one; the webservice gives no total, so the first page counts the ids
//! (`display=[id]`, one request; products, so combinations may take the count past it). A product's SKU is its
//! `reference`, its name the first language's, `active` "0" a product switched off; its
//! categories are `associations.categories`, placed in the tree of `GET /api/categories`
//! (read once per connector) below the shop's root ("Root" and "Home", `level_depth` 0 and 1,
//! are not categories a product is filed under; `active` "0" is one switched off). A product
//! with combinations is sold as them (`GET /api/combinations?filter[id]=[…]`, one request a
//! page): each is what order lines name by `product_attribute_id`, with its own `reference`
//! and the product's name, price (plus the combination's impact) and categories.

use super::{PrestaShopChannel, api};
use crate::channels::categories::ShopCategory;
use crate::channels::http::Request;
use crate::channels::{CatalogPage, ChannelError};
use crate::domain::catalog::ShopProduct;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashMap;

/// Products a page.
const PER_PAGE: u64 = 100;
/// The level of the shop's root category ("Home"): its children are the top level.
const ROOT_LEVEL: u64 = 1;

/// A field as text (the webservice sends ids and flags as text, sometimes as numbers).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// A multilingual field's first language (or the text, with `language` asked for).
fn first_language(v: &Value) -> String {
    match v {
        Value::Array(langs) => langs.first().map(|l| text(&l["value"])).unwrap_or_default(),
        other => text(other),
    }
}

fn ids(list: &Value) -> Vec<String> {
    (list.as_array().into_iter().flatten())
        .map(|c| text(&c["id"]))
        .filter(|id| !id.is_empty() && id != "0")
        .collect()
}

impl PrestaShopChannel {
    async fn listed(
        &self,
        what: &str,
        resource: &str,
        request: Request,
    ) -> Result<Vec<Value>, ChannelError> {
        let Some(body) = self.api.get(what, request).await? else {
            return Err(ChannelError::Shape(format!(
                "the {what} answered 404: no webservice at this address"
            )));
        };
        api::list(&body, resource)
    }

    /// The shop's categories, as its API lists them.
    async fn read_categories(&self) -> Result<Vec<ShopCategory>, ChannelError> {
        let request = Request::get(self.api.url("categories")).with_query("display", "full");
        let list = self.listed("category list", "categories", request).await?;
        let level = |c: &Value| {
            text(&c["level_depth"])
                .parse::<u64>()
                .unwrap_or(ROOT_LEVEL + 1)
        };
        Ok(list
            .iter()
            .filter(|c| level(c) > ROOT_LEVEL)
            .map(|c| ShopCategory {
                id: text(&c["id"]),
                name: first_language(&c["name"]),
                parent: Some(text(&c["id_parent"])).filter(|_| level(c) > ROOT_LEVEL + 1),
                enabled: text(&c["active"]) != "0",
            })
            .collect())
    }

    /// The combinations of `ids`, by id.
    async fn combinations(&self, ids: &[String]) -> Result<HashMap<String, Value>, ChannelError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let request = Request::get(self.api.url("combinations"))
            .with_query("display", "full")
            .with_query("filter[id]", format!("[{}]", ids.join("|")));
        let list = self
            .listed("combination list", "combinations", request)
            .await?;
        Ok(list.into_iter().map(|c| (text(&c["id"]), c)).collect())
    }

    pub(super) async fn products_page(
        &self,
        after: Option<&str>,
    ) -> Result<CatalogPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 0, "PrestaShop")?;
        let tree = (self.categories)
            .get_or_read(self.read_categories())
            .await?;
        let request = Request::get(self.api.url("products"))
            .with_query("display", "full")
            .with_query("sort", "[id_ASC]")
            .with_query("limit", format!("{},{PER_PAGE}", page * PER_PAGE));
        let nodes = self.listed("product list", "products", request).await?;
        let wanted: Vec<String> = (nodes.iter())
            .flat_map(|p| ids(&p["associations"]["combinations"]))
            .collect();
        let combinations = self.combinations(&wanted).await?;
        let mut products = Vec::with_capacity(nodes.len());
        for p in &nodes {
            let id = text(&p["id"]);
            if id.is_empty() {
                tracing::warn!("a PrestaShop product without an id; left out");
                continue;
            }
            let base = ShopProduct {
                remote_id: id,
                parent: None,
                sku: text(&p["reference"]),
                name: first_language(&p["name"]),
                price: text(&p["price"]).parse::<Decimal>().ok(),
                categories: tree.paths(
                    ids(&p["associations"]["categories"])
                        .iter()
                        .map(String::as_str),
                ),
                enabled: text(&p["active"]) != "0",
            };
            let own = ids(&p["associations"]["combinations"]);
            if own.is_empty() {
                products.push(base);
                continue;
            }
            for c in own.iter().filter_map(|c| combinations.get(c)) {
                let impact = text(&c["price"]).parse::<Decimal>().unwrap_or_default();
                products.push(ShopProduct {
                    remote_id: text(&c["id"]),
                    parent: Some(base.remote_id.clone()),
                    sku: text(&c["reference"]),
                    price: base.price.map(|p| p + impact),
                    ..base.clone()
                });
            }
        }
        let more = nodes.len() as u64 >= PER_PAGE;
        // The webservice gives no count: the first page asks for every id once.
        let total = if page > 0 {
            None
        } else if !more {
            Some(nodes.len() as u64)
        } else {
            let request = Request::get(self.api.url("products")).with_query("display", "[id]");
            Some(
                self.listed("product count", "products", request)
                    .await?
                    .len() as u64,
            )
        };
        Ok(CatalogPage {
            products,
            next: more.then(|| (page + 1).to_string()),
            total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_read_as_text_in_any_language_shape() {
        assert_eq!(
            first_language(&json!([{"id": "1", "value": " Mug "}])),
            "Mug"
        );
        assert_eq!(first_language(&json!("Mug")), "Mug");
        assert_eq!(
            ids(&json!([{"id": "2"}, {"id": 16}, {"id": "0"}])),
            ["2", "16"]
        );
        assert!(ids(&Value::Null).is_empty());
    }
}
