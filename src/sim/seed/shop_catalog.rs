//! The catalog the simulated shop itself offers, built from the seeded products: each with
//! the shop's id (the `product_id` its order lines carry), the categories it is in (a small
//! tree with sub-categories and a disabled one, so that a product in several categories
//! exercises each case of DESIGN.md §1.5), plus as many generated products as a benchmark
//! asks for. One product of the store's records (the cookbook) is gone from the shop, as a
//! product known only from old orders is.

use rust_decimal::Decimal;

use super::catalog::Product;

/// A category of the shop: its id, name, parent and whether it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: u64,
    pub name: String,
    pub parent: Option<u64>,
    pub enabled: bool,
}

/// One product of the shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The shop's product id (`90 + k` for the `k`-th seeded product, as the orders name it).
    pub id: u64,
    /// The variant's id where the product is sold as a variant (the blue mug, `id + 500`).
    pub variant: Option<u64>,
    pub sku: String,
    pub name: String,
    pub price: Decimal,
    pub stock: i64,
    /// Category ids, in the order the shop lists them.
    pub categories: Vec<u64>,
    pub enabled: bool,
}

impl Item {
    /// The id its order lines name it by: the variant's, else the product's.
    pub fn line_id(&self) -> u64 {
        self.variant.unwrap_or(self.id)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ShopCatalog {
    pub categories: Vec<Category>,
    /// By id, ascending.
    pub items: Vec<Item>,
}

/// The SKU of the seeded product that is gone from the shop.
pub const GONE_SKU: &str = "BOOK-CK";
/// The SKU of the seeded product the shop has switched off.
pub const DISABLED_SKU: &str = "SOCK-M";
/// Where generated products' ids start.
pub const GENERATED_FROM: u64 = 100_000;

/// Sub-categories (name, parent's name) and the categories outside the seeded ones.
const SUBS: [(&str, &str); 4] = [
    ("Tea", "Tea & coffee"),
    ("Coffee", "Tea & coffee"),
    ("Mugs", "Kitchen"),
    ("Candles", "Home"),
];
const GIFTS: &str = "Gifts";
const SALE: &str = "Sale";

impl ShopCatalog {
    /// The shop's catalog over `products`, with `generated` more products after them.
    pub fn new(products: &[Product], generated: usize) -> ShopCatalog {
        let mut categories: Vec<Category> = Vec::new();
        let mut add = |name: &str, parent: Option<u64>, enabled: bool| -> u64 {
            if let Some(c) = categories.iter().find(|c| c.name == name) {
                return c.id;
            }
            let id = 15 + categories.len() as u64;
            categories.push(Category {
                id,
                name: name.to_string(),
                parent,
                enabled,
            });
            id
        };
        for p in products {
            add(&p.category, None, true);
        }
        for (name, parent) in SUBS {
            let parent = add(parent, None, true);
            add(name, Some(parent), true);
        }
        add(GIFTS, None, true);
        add(SALE, None, false);
        let id_of = |name: &str| categories.iter().find(|c| c.name == name).map(|c| c.id);
        let mut items = Vec::new();
        for (k, p) in products.iter().enumerate() {
            if p.sku == GONE_SKU {
                continue;
            }
            let mut names = vec![p.category.as_str()];
            names.extend(
                SUBS.iter()
                    .filter(|(sub, parent)| *parent == p.category && fits(&p.sku, sub))
                    .map(|(sub, _)| *sub),
            );
            if p.sku.starts_with("CANDLE") {
                names.push(GIFTS);
            }
            if p.sku == "MUG-BLUE" {
                names.push(SALE);
            }
            let id = 90 + k as u64;
            items.push(Item {
                id,
                variant: (p.sku == "MUG-BLUE" && k == 5).then_some(id + 500),
                sku: p.sku.clone(),
                name: p.name.clone(),
                price: p.price,
                stock: p.stock,
                categories: names.iter().filter_map(|n| id_of(n)).collect(),
                enabled: p.sku != DISABLED_SKU,
            });
        }
        let leaves: Vec<u64> = SUBS.iter().filter_map(|(n, _)| id_of(n)).collect();
        for n in 0..generated as u64 {
            let leaf = leaves[(n as usize) % leaves.len()];
            let parent = categories
                .iter()
                .find(|c| c.id == leaf)
                .and_then(|c| c.parent);
            items.push(Item {
                id: GENERATED_FROM + n,
                variant: None,
                sku: format!("GEN-{n:06}"),
                name: format!("Catalog item {n}"),
                price: Decimal::new(100 + (n as i64 * 37) % 9900, 2),
                stock: (n as i64 * 7) % 300,
                categories: parent.into_iter().chain([leaf]).collect(),
                enabled: n % 50 != 7,
            });
        }
        ShopCatalog { categories, items }
    }

    /// The item whose order lines carry `line_id`.
    pub fn by_line_id(&self, line_id: u64) -> Option<&Item> {
        self.items.iter().find(|i| i.line_id() == line_id)
    }

    pub fn category(&self, id: u64) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
}

/// Whether the seeded product with `sku` belongs in sub-category `sub`.
fn fits(sku: &str, sub: &str) -> bool {
    match sub {
        "Tea" => sku.starts_with("TEA"),
        "Coffee" => sku.starts_with("COF"),
        "Mugs" => sku.starts_with("MUG"),
        "Candles" => sku.starts_with("CANDLE"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::seed::{Rng, catalog};

    #[test]
    fn the_shop_catalog_names_the_orders_ids_and_exercises_each_rule() {
        let products = catalog::products(&mut Rng::new(1));
        let shop = ShopCatalog::new(&products, 120);
        assert!(!shop.items.iter().any(|i| i.sku == GONE_SKU));
        assert_eq!(shop.items.len(), products.len() - 1 + 120);
        let mug = shop.by_line_id(595).expect("the blue mug's variant");
        assert_eq!((mug.id, mug.sku.as_str()), (95, "MUG-BLUE"));
        let names = |i: &Item| -> Vec<String> {
            i.categories
                .iter()
                .filter_map(|c| shop.category(*c))
                .map(|c| c.name.clone())
                .collect()
        };
        assert_eq!(names(mug), ["Kitchen", "Mugs", "Sale"]);
        let tea = shop.items.iter().find(|i| i.sku == "TEA-001").expect("tea");
        assert_eq!(names(tea), ["Tea & coffee", "Tea"]);
        let candle = shop
            .items
            .iter()
            .find(|i| i.sku == "CANDLE-V")
            .expect("candle");
        assert_eq!(names(candle), ["Home", "Candles", "Gifts"]);
        let sale = shop
            .categories
            .iter()
            .find(|c| c.name == SALE)
            .expect("sale");
        assert!(!sale.enabled);
        let generated = shop.items.last().expect("generated");
        assert_eq!(generated.sku, "GEN-000119");
        assert_eq!(names(generated).len(), 2);
        let mut ids: Vec<u64> = shop.items.iter().map(|i| i.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), shop.items.len(), "ids are unique and ascending");
    }
}
