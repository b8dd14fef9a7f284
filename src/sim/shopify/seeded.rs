//! The seeded world (`crate::sim::seed`) in Shopify's shapes: the same seed gives the same
//! orders, names, ids and contents; only the dates move with the clock.

use crate::sim::seed::shop_catalog::ShopCatalog;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

use super::SimOptions;
use super::order::{self, Placed};
use crate::sim::seed::cases;
use crate::sim::seed::catalog::{self, Customer, Product};
use crate::sim::seed::{self, Plan};

pub use crate::sim::seed::Expected;

/// What every seeded order is made from: the catalogue and the shop's currency, shared.
#[derive(Debug)]
pub struct Catalog {
    products: Vec<Product>,
    customers: Vec<Customer>,
    currency: String,
}

/// A seeded order as its plan: the JSON value is made when it is asked for (the same value
/// every time), so a shop of 100,000 orders holds their plans, not their JSON.
#[derive(Debug, Clone)]
pub struct SeededOrder {
    spec: crate::sim::seed::cases::Spec,
    index: usize,
    pub legacy_id: u64,
    pub created: chrono::DateTime<chrono::Utc>,
    pub updated: chrono::DateTime<chrono::Utc>,
    catalog: Arc<Catalog>,
}

impl SeededOrder {
    /// The order in the shape of Shopify's `Order`.
    pub fn build(&self) -> Value {
        let ctx = order::Ctx {
            products: &self.catalog.products,
            customers: &self.catalog.customers,
            shop_currency: &self.catalog.currency,
        };
        let placed = Placed {
            index: self.index,
            legacy_id: self.legacy_id,
            created: self.created,
            updated: self.updated,
        };
        order::build(&self.spec, &ctx, &placed)
    }
}

#[derive(Debug, Clone)]
pub struct Seeded {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    /// The orders, made when asked for ([`Seeded::orders`]).
    pub planned: Vec<SeededOrder>,
    pub shop: Value,
    /// The shop's own catalog: the seeded products (more are generated for a benchmark).
    pub catalog: ShopCatalog,
    expected: Vec<Expected>,
}

impl Seeded {
    pub fn new(opts: &SimOptions) -> Seeded {
        let plan = Plan::new(opts.orders, opts.seed);
        let catalog = Arc::new(Catalog {
            products: plan.products.clone(),
            customers: plan.customers.clone(),
            currency: opts.currency.clone(),
        });
        let mut legacy_id = 6_120_000_000_000 + plan.id_base * 1000;
        let mut planned = Vec::with_capacity(plan.orders.len());
        let mut expected = Vec::with_capacity(plan.orders.len());
        for p in plan.orders {
            legacy_id += p.gap;
            expected.push(Expected {
                name: format!("{}", 1001 + p.index),
                case: p.spec.case.to_string(),
                state: cases::expected_state(&p.spec, &opts.currency, false).to_string(),
            });
            planned.push(SeededOrder {
                spec: p.spec,
                index: p.index,
                legacy_id,
                created: p.created,
                updated: p.updated,
                catalog: Arc::clone(&catalog),
            });
        }
        let shop = json!({
            "__typename": "Shop", "id": "gid://shopify/Shop/68817420",
            "name": "orderdesk demo shop", "currencyCode": opts.currency,
            "myshopifyDomain": "orderdesk-demo.myshopify.com", "ianaTimezone": "Europe/Budapest",
        });
        Seeded {
            catalog: ShopCatalog::new(&plan.products, 0),
            products: plan.products,
            customers: plan.customers,
            planned,
            shop,
            expected,
        }
    }

    /// Every order's JSON value, made now.
    pub fn orders(&self) -> Vec<Value> {
        self.planned.iter().map(SeededOrder::build).collect()
    }

    pub fn products_csv(&self) -> String {
        catalog::products_csv(&self.products)
    }

    pub fn customers_csv(&self) -> String {
        catalog::customers_csv(&self.customers)
    }

    pub fn expected(&self) -> Vec<Expected> {
        self.expected.clone()
    }

    /// Writes products.csv, customers.csv and expected.json into `dir` (made if missing).
    pub fn write_export(&self, dir: &Path) -> std::io::Result<()> {
        seed::write_export(dir, &self.products, &self.customers, &self.expected)
    }
}
