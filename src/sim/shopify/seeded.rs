//! The deterministic world: the same seed gives the same orders, names, ids and contents;
//! only the dates move with the clock (placed relative to now).

use chrono::{Duration, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use std::path::Path;

use super::SimOptions;
use super::cases::{self, Spec};
use super::catalog::{self, Customer, Product};
use super::order::{self, Placed};
use super::rng::Rng;

/// One order of expected.json.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Expected {
    /// The order's name without the leading `#`.
    pub name: String,
    pub case: String,
    pub state: String,
}

#[derive(Debug, Clone)]
pub struct Seeded {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    pub orders: Vec<Value>,
    pub shop: Value,
    expected: Vec<Expected>,
}

const DAY: i64 = 86_400;

impl Seeded {
    pub fn new(opts: &SimOptions) -> Seeded {
        let mut rng = Rng::new(opts.seed);
        let products = catalog::products(&mut rng);
        let customers = catalog::customers(&mut rng);
        let mut specs: Vec<Spec> = cases::named();
        while specs.len() < opts.orders {
            specs.push(cases::ordinary(&mut rng, customers.len()));
        }
        specs.truncate(opts.orders);
        // Ages in seconds: within the last 50 days, one in 60 between 50 and 58 days old.
        let mut ages: Vec<i64> = (0..specs.len())
            .map(|i| {
                if i % 60 == 5 {
                    50 * DAY + rng.below(8 * DAY as u64) as i64
                } else {
                    600 + rng.below(50 * DAY as u64 - 600) as i64
                }
            })
            .collect();
        ages.sort_unstable_by(|a, b| b.cmp(a));
        let now = Utc::now();
        let ctx = order::Ctx {
            products: &products,
            customers: &customers,
            shop_currency: &opts.currency,
        };
        let mut legacy_id = 6_120_000_000_000 + rng.below(1_000_000) * 1000;
        let mut orders = Vec::with_capacity(specs.len());
        let mut expected = Vec::with_capacity(specs.len());
        for (index, (spec, age)) in specs.iter().zip(ages).enumerate() {
            legacy_id += rng.range(10_000, 900_000);
            let created = now - Duration::seconds(age);
            let touched = rng.below(age.min(3 * DAY) as u64) as i64;
            let placed = Placed {
                index,
                legacy_id,
                created,
                updated: created + Duration::seconds(touched),
            };
            let value = order::build(spec, &ctx, &placed);
            expected.push(Expected {
                name: format!("{}", 1001 + index),
                case: spec.case.to_string(),
                state: cases::expected_state(spec, &opts.currency).to_string(),
            });
            orders.push(value);
        }
        let shop = json!({
            "__typename": "Shop", "id": "gid://shopify/Shop/68817420",
            "name": "orderdesk demo shop", "currencyCode": opts.currency,
            "myshopifyDomain": "orderdesk-demo.myshopify.com", "ianaTimezone": "Europe/Budapest",
        });
        Seeded {
            products,
            customers,
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
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("products.csv"), self.products_csv())?;
        std::fs::write(dir.join("customers.csv"), self.customers_csv())?;
        let json = serde_json::to_string_pretty(&self.expected).map_err(std::io::Error::other)?;
        std::fs::write(dir.join("expected.json"), json + "\n")
    }
}
