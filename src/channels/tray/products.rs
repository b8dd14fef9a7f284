//! The store's catalog: `GET /products?limit=50&page=N&sort=id_asc` (every request within
//! the budget, as any), while `page × limit < paging.total`, the total being `paging.total`.
//! A product's SKU is its `reference`; its categories are `category_id` and
//! `related_categories`, placed in the tree of `GET /categories` (`parent_id` "0" a top
//! level), read once per connector. `available` "0" is a product switched off.
//!
//! A product with variants (`has_variation` "1", or a non-empty `Variant` list of ids) is
//! sold as its variants, what order lines name by `variant_id`: `GET /products/variants?
//! product_id=ID` (paged the same way) → `{"Variants": [{"Variant": {"id", "product_id",
//! "reference", "price", "stock", "Sku": [{"type", "value"}]}}]}`, each a product of its own:
//! its `reference` the SKU, the parent's name with the variant's values as its name (as
//! "Mug – Blue"), the parent's categories and switch, the parent's id kept as the product it
//! is a variant of. Assumed where Tray's docs are silent: categories carry no switch the
//! connector reads (all count as shown); the parent of variants is not sold on its own (its
//! order lines name a variant), so it is not a product of the catalog; a variant without a
//! price takes the parent's.

use super::{PAGE_SIZE, TrayChannel};
use crate::channels::categories::{CategoryTree, ShopCategory};
use crate::channels::http::Request;
use crate::channels::http::json::At;
use crate::channels::{CatalogPage, ChannelError};
use crate::domain::catalog::ShopProduct;
use serde_json::Value;

/// One page of a Tray list: its entries under `key` and `paging.total`.
fn entries<'a>(body: &'a Value, key: &str) -> Result<(Vec<At<'a>>, u64), ChannelError> {
    let at = At::root(body);
    let total = at.get("paging").get("total");
    let total = (total.id().ok())
        .and_then(|t| t.parse::<u64>().ok())
        .ok_or_else(|| ChannelError::Shape(total.wrong("a count")))?;
    let items = at.get(key).items_or_none().map_err(ChannelError::Shape)?;
    Ok((items, total))
}

impl TrayChannel {
    async fn list_page(&self, what: &str, path: &str, page: u64) -> Result<Value, ChannelError> {
        self.list_request(what, Request::get(self.api.url(path)), page)
            .await
    }

    async fn list_request(
        &self,
        what: &str,
        request: Request,
        page: u64,
    ) -> Result<Value, ChannelError> {
        let request = request
            .with_query("sort", "id_asc")
            .with_query("limit", PAGE_SIZE.to_string())
            .with_query("page", page.to_string());
        self.api.get(what, request).await?.ok_or_else(|| {
            ChannelError::Shape(format!("the {what} answered that it does not exist"))
        })
    }

    /// The shop's categories, as its API lists them.
    async fn read_categories(&self) -> Result<Vec<ShopCategory>, ChannelError> {
        let mut all = Vec::new();
        for page in 1.. {
            let body = self.list_page("category list", "categories", page).await?;
            let (items, total) = entries(&body, "Categories")?;
            let empty = items.is_empty();
            for item in items {
                let c = item.get("Category");
                let (Ok(id), Ok(Some(name))) = (c.get("id").id(), c.get("name").opt_text()) else {
                    tracing::warn!("a Tray category without an id or a name; left out");
                    continue;
                };
                all.push(ShopCategory {
                    id,
                    name,
                    parent: c
                        .get("parent_id")
                        .opt_id()
                        .ok()
                        .flatten()
                        .filter(|p| p != "0"),
                    enabled: true,
                });
            }
            if empty || page * PAGE_SIZE >= total {
                break;
            }
        }
        Ok(all)
    }

    pub(super) async fn products_page(
        &self,
        after: Option<&str>,
    ) -> Result<CatalogPage, ChannelError> {
        let page = crate::channels::http::page_number(after, 1, "Tray")?;
        let tree = (self.categories)
            .get_or_read(self.read_categories())
            .await?;
        let body = self.list_page("product list", "products", page).await?;
        let (items, total) = entries(&body, "Products")?;
        let more = page * PAGE_SIZE < total && !items.is_empty();
        let mut products = Vec::with_capacity(items.len());
        for item in &items {
            let p = item.get("Product");
            let Some(own) = sold(&p, &tree) else {
                continue;
            };
            if has_variants(&p) {
                for v in self.variants_of(&own.remote_id).await? {
                    products.extend(variant(&At::root(&v).get("Variant"), &own));
                }
            } else {
                products.push(own);
            }
        }
        Ok(CatalogPage {
            products,
            next: more.then(|| (page + 1).to_string()),
            total: Some(total),
        })
    }
}

impl TrayChannel {
    /// Every variant of product `id`, each as the list gives it (`{"Variant": {...}}`).
    async fn variants_of(&self, id: &str) -> Result<Vec<Value>, ChannelError> {
        let mut all = Vec::new();
        for page in 1.. {
            let request =
                Request::get(self.api.url("products/variants")).with_query("product_id", id);
            let body = self.list_request("variant list", request, page).await?;
            let (items, total) = entries(&body, "Variants")?;
            let empty = items.is_empty();
            all.extend(items.iter().map(|v| v.value().clone()));
            if empty || page * PAGE_SIZE >= total {
                break;
            }
        }
        Ok(all)
    }
}

/// Whether a product is sold as its variants.
fn has_variants(p: &At) -> bool {
    let flag = p.get("has_variation").opt_id().ok().flatten();
    flag.as_deref() == Some("1") || p.get("Variant").items().is_ok_and(|v| !v.is_empty())
}

/// A variant of `parent` (as [`sold`] read it) as the catalog holds it; `None` (with a
/// warning) for one without an id.
fn variant(v: &At, parent: &ShopProduct) -> Option<ShopProduct> {
    let Ok(remote_id) = v.get("id").id() else {
        tracing::warn!("a Tray variant without an id; left out");
        return None;
    };
    let values: Vec<String> = (v.get("Sku").items().unwrap_or_default().iter())
        .filter_map(|s| s.get("value").opt_text().ok().flatten())
        .filter(|s| !s.trim().is_empty())
        .collect();
    let name = match values.is_empty() {
        true => parent.name.clone(),
        false => format!("{} – {}", parent.name, values.join(", ")),
    };
    Some(ShopProduct {
        remote_id,
        parent: Some(parent.remote_id.clone()),
        sku: (v.get("reference").opt_text().ok().flatten()).unwrap_or_default(),
        name,
        price: v.get("price").decimal().ok().or(parent.price),
        ..parent.clone()
    })
}

/// A product as the catalog holds it; `None` (with a warning) for one without an id.
fn sold(p: &At, tree: &CategoryTree) -> Option<ShopProduct> {
    let Ok(remote_id) = p.get("id").id() else {
        tracing::warn!("a Tray product without an id; left out");
        return None;
    };
    let text = |k: &str| p.get(k).opt_text().ok().flatten().unwrap_or_default();
    let mut ids: Vec<String> = p
        .get("category_id")
        .opt_id()
        .ok()
        .flatten()
        .into_iter()
        .collect();
    if let Ok(related) = p.get("related_categories").items() {
        ids.extend(related.iter().filter_map(|c| c.id().ok()));
    }
    ids.retain(|id| id != "0");
    ids.dedup();
    Some(ShopProduct {
        remote_id,
        parent: None,
        sku: text("reference"),
        name: text("name"),
        price: p.get("price").decimal().ok(),
        categories: tree.paths(ids.iter().map(String::as_str)),
        enabled: text("available") != "0",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_product_reads_its_reference_categories_and_switch() {
        let tree = CategoryTree::new([
            ShopCategory {
                id: "15".into(),
                name: "Kitchen".into(),
                parent: None,
                enabled: true,
            },
            ShopCategory {
                id: "30".into(),
                name: "Mugs".into(),
                parent: Some("15".into()),
                enabled: true,
            },
        ]);
        let v = json!({"id": "95", "reference": "MUG-BLUE", "name": "Mug, blue", "price": "9.62",
                       "category_id": "15", "related_categories": ["30"], "available": "0"});
        let p = sold(&At::root(&v), &tree).expect("a product");
        assert_eq!((p.remote_id.as_str(), p.sku.as_str()), ("95", "MUG-BLUE"));
        assert_eq!(p.category(), Some("Mugs"));
        assert!(!p.enabled);
        assert_eq!(p.price, Some("9.62".parse().expect("decimal")));
        let body = json!({"paging": {"total": "3"}, "Products": []});
        assert_eq!(entries(&body, "Products").expect("reads").1, 3);
        assert!(entries(&json!({"paging": {}}), "Products").is_err());
    }

    #[test]
    fn a_variant_takes_its_parents_name_with_its_values_and_keeps_the_parent() {
        let tree = CategoryTree::new([]);
        let p = json!({"id": "95", "reference": "MUG", "name": "Mug", "price": "9.00",
                       "available": "1", "has_variation": "0", "Variant": [{"id": "595"}]});
        let at = At::root(&p);
        assert!(has_variants(&at), "a Variant list says so without the flag");
        let parent = sold(&at, &tree).expect("the parent");
        let v = json!({"id": "595", "product_id": "95", "reference": "MUG-BLUE", "price": "",
                       "Sku": [{"type": "Cor", "value": "Azul"}, {"type": "Tamanho", "value": "G"}]});
        let v = variant(&At::root(&v), &parent).expect("a variant");
        assert_eq!(
            (
                v.remote_id.as_str(),
                v.parent.as_deref(),
                v.sku.as_str(),
                v.name.as_str()
            ),
            ("595", Some("95"), "MUG-BLUE", "Mug – Azul, G")
        );
        assert_eq!(v.price, parent.price, "no price of its own: the parent's");
        let plain = json!({"id": "7", "has_variation": "0", "Variant": []});
        assert!(!has_variants(&At::root(&plain)));
        assert!(variant(&At::root(&json!({"reference": "X"})), &parent).is_none());
    }
}
