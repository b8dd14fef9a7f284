//! The seeded world every simulator renders in its platform's shapes: the store's products
//! and customers, and the orders planned over them (what each is meant to exercise, when it
//! was placed and last touched). Deterministic from the seed; only the dates move with the
//! clock (placed relative to now).

pub mod buyer;
pub mod cases;
pub mod catalog;
pub mod rng;
pub mod shop_catalog;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::path::Path;

use cases::Spec;
use catalog::{Customer, Product};
pub use rng::Rng;

/// One order of expected.json.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Expected {
    /// The order's name as the store shows it, without a leading `#`.
    pub name: String,
    pub case: String,
    /// The state intake gives the order in a store with every option at its default, or
    /// `skipped`.
    pub state: String,
}

/// One planned order.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Its place among the orders, oldest first.
    pub index: usize,
    pub spec: Spec,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// A seeded step (10,000..=900,000) a platform may space its order ids by.
    pub gap: u64,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    /// A seeded number (below 1,000,000) a platform may start its order ids from.
    pub id_base: u64,
    pub orders: Vec<Planned>,
}

const DAY: i64 = 86_400;

impl Plan {
    /// `orders` orders (the named cases first, then ordinary ones) from `seed`.
    pub fn new(orders: usize, seed: u64) -> Plan {
        let mut rng = Rng::new(seed);
        let products = catalog::products(&mut rng);
        let customers = catalog::customers(&mut rng);
        let mut specs: Vec<Spec> = cases::named();
        while specs.len() < orders {
            specs.push(cases::ordinary(&mut rng, customers.len()));
        }
        specs.truncate(orders);
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
        let id_base = rng.below(1_000_000);
        let orders = specs
            .into_iter()
            .zip(ages)
            .enumerate()
            .map(|(index, (spec, age))| {
                let gap = rng.range(10_000, 900_000);
                let created = now - Duration::seconds(age);
                let touched = rng.below(age.min(3 * DAY) as u64) as i64;
                Planned {
                    index,
                    spec,
                    created,
                    updated: created + Duration::seconds(touched),
                    gap,
                }
            })
            .collect();
        Plan {
            products,
            customers,
            id_base,
            orders,
        }
    }
}

/// Writes products.csv, customers.csv and expected.json into `dir` (made if missing).
pub fn write_export(
    dir: &Path,
    products: &[Product],
    customers: &[Customer],
    expected: &[Expected],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("products.csv"), catalog::products_csv(products))?;
    std::fs::write(dir.join("customers.csv"), catalog::customers_csv(customers))?;
    let json = serde_json::to_string_pretty(expected).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("expected.json"), json + "\n")
}
