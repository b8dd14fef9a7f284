//! The seeded world (`crate::sim::seed`) in Shopify's shapes: the same seed gives the same
//! orders, names, ids and contents; only the dates move with the clock.

use serde_json::{Value, json};
use std::path::Path;

use super::SimOptions;
use super::order::{self, Placed};
use crate::sim::seed::cases;
use crate::sim::seed::catalog::{self, Customer, Product};
use crate::sim::seed::{self, Plan};

pub use crate::sim::seed::Expected;

#[derive(Debug, Clone)]
pub struct Seeded {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    pub orders: Vec<Value>,
    pub shop: Value,
    expected: Vec<Expected>,
}

impl Seeded {
    pub fn new(opts: &SimOptions) -> Seeded {
        let plan = Plan::new(opts.orders, opts.seed);
        let ctx = order::Ctx {
            products: &plan.products,
            customers: &plan.customers,
            shop_currency: &opts.currency,
        };
        let mut legacy_id = 6_120_000_000_000 + plan.id_base * 1000;
        let mut orders = Vec::with_capacity(plan.orders.len());
        let mut expected = Vec::with_capacity(plan.orders.len());
        for p in &plan.orders {
            legacy_id += p.gap;
            let placed = Placed {
                index: p.index,
                legacy_id,
                created: p.created,
                updated: p.updated,
            };
            orders.push(order::build(&p.spec, &ctx, &placed));
            expected.push(Expected {
                name: format!("{}", 1001 + p.index),
                case: p.spec.case.to_string(),
                state: cases::expected_state(&p.spec, &opts.currency, false).to_string(),
            });
        }
        let shop = json!({
            "__typename": "Shop", "id": "gid://shopify/Shop/68817420",
            "name": "orderdesk demo shop", "currencyCode": opts.currency,
            "myshopifyDomain": "orderdesk-demo.myshopify.com", "ianaTimezone": "Europe/Budapest",
        });
        Seeded {
            products: plan.products,
            customers: plan.customers,
            orders,
            shop,
            expected,
        }
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
