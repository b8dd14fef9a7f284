//! The store's own records: products and customers.

use super::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub sku: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub price: Money,
    /// Stock at the default location; may go below zero when a shop oversold.
    pub stock: i64,
    #[serde(default)]
    pub category: String,
    #[serde(default = "default_unit")]
    pub unit: String,
    /// Stock went below zero through a booking and the operator has not acknowledged it.
    #[serde(default)]
    pub oversold: bool,
    /// Remote codes per store (store id -> the shop's product or variant id).
    #[serde(default)]
    pub remote_codes: BTreeMap<String, String>,
    /// Per store, the shop's id of the product a remote code is a variant of, where it is
    /// known (the catalog sync reads variants per parent; order lines name both). WooCommerce
    /// sets a variation's stock only through its parent. The remote code itself stays the
    /// variant's id, which order lines name it by (`product_key = "remote_id"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub remote_parents: BTreeMap<String, String>,
    /// A kit's components, `(product id, quantity)`: a kit has no stock of its own; booking
    /// one takes its components' (see [`Product::available`]). Empty for a plain product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<(String, u32)>,
}

impl Product {
    /// A product with id `id` and nothing else yet: no SKU, name, price or stock, a piece.
    pub fn blank(id: String) -> Product {
        Product {
            id,
            sku: String::new(),
            name: String::new(),
            description: String::new(),
            price: Money::ZERO,
            stock: 0,
            category: String::new(),
            unit: default_unit(),
            oversold: false,
            remote_codes: Default::default(),
            remote_parents: Default::default(),
            components: vec![],
        }
    }

    /// Sets the shop's id of this product for `store`, and the id of the product it is a
    /// variant of when `parent` gives one. Without one, a parent known for the same code is
    /// kept (an order line may have told it); a new code forgets the old code's parent.
    pub fn set_remote_code(&mut self, store: &str, code: &str, parent: Option<&str>) {
        let code = code.trim();
        let same = self.remote_codes.get(store).is_some_and(|c| c == code);
        match parent
            .map(str::trim)
            .filter(|p| !p.is_empty() && *p != code)
        {
            Some(p) => {
                self.remote_parents.insert(store.to_string(), p.to_string());
            }
            None if !same => {
                self.remote_parents.remove(store);
            }
            None => {}
        }
        self.remote_codes
            .insert(store.to_string(), code.to_string());
    }

    pub fn is_kit(&self) -> bool {
        !self.components.is_empty()
    }

    /// What can be sold: a plain product's stock; for a kit, how many whole kits its
    /// components' stock makes (the least over its components; none below zero), given each
    /// component's stock by `stock_of` (`None`: a component that is gone, so no kit).
    pub fn available(&self, stock_of: impl Fn(&str) -> Option<i64>) -> i64 {
        if !self.is_kit() {
            return self.stock;
        }
        self.components
            .iter()
            .map(|(id, n)| match stock_of(id) {
                Some(s) if *n > 0 => s.max(0) / i64::from(*n),
                Some(_) => i64::MAX,
                None => 0,
            })
            .min()
            .unwrap_or(0)
    }
}

pub fn default_unit() -> String {
    "piece".to_string()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// Normalised (E.164 where the number allows it).
    pub phone: Option<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub country: String,
    /// Remembered links: `store:remote customer id`.
    #[serde(default)]
    pub remote_ids: Vec<String>,
    /// The store's "unspecified customer" for orders without customer data.
    #[serde(default)]
    pub unspecified_for: Option<String>,
}

impl Customer {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name.trim(), self.last_name.trim())
            .trim()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::Product;

    #[test]
    fn a_remote_code_keeps_its_parent_until_the_code_changes() {
        let mut p = Product::blank("P1".into());
        p.set_remote_code("web", "595", None);
        assert!(p.remote_parents.is_empty());
        p.set_remote_code("web", " 595 ", Some("95"));
        assert_eq!(p.remote_parents["web"], "95");
        // The same code again without a parent (a catalog that does not say): kept.
        p.set_remote_code("web", "595", None);
        assert_eq!(p.remote_parents["web"], "95");
        // A product is not its own parent.
        p.set_remote_code("web", "595", Some("595"));
        assert_eq!(p.remote_parents["web"], "95");
        // Another code forgets the old one's parent.
        p.set_remote_code("web", "91", None);
        assert_eq!(
            (p.remote_codes["web"].as_str(), p.remote_parents.get("web")),
            ("91", None)
        );
    }
}
