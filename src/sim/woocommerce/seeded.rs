//! The seeded world (`crate::sim::seed`) in WooCommerce's shapes: the same seed gives the
//! same orders, ids and contents; only the dates move with the clock. Order ids are spaced
//! as a shop's are (refunds take ids from the same sequence); the number is the id.

use chrono::{FixedOffset, Offset, Utc};
use serde_json::Value;
use std::path::Path;

use super::WooOptions;
use super::order::{self, Clock};
use crate::sim::seed::catalog::{self, Customer, Product};
use crate::sim::seed::shop_catalog::ShopCatalog;
use crate::sim::seed::{self, Expected, Plan, cases};

/// Statuses an order never seen before is skipped in: it is over at the shop.
pub const DONE: [&str; 5] = ["completed", "cancelled", "refunded", "failed", "trash"];

#[derive(Debug, Clone)]
pub struct Seeded {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    /// Each order one JSON value in the shape of WooCommerce's order, oldest first.
    pub orders: Vec<Value>,
    /// The shop's own catalog (the seeded products and `WooOptions::catalog` more).
    pub catalog: ShopCatalog,
    expected: Vec<Expected>,
}

/// The shop's clock for `opts` (UTC when the offset is out of range).
pub fn clock(opts: &WooOptions) -> Clock {
    Clock(FixedOffset::east_opt(opts.utc_offset * 60).unwrap_or(Utc.fix()))
}

impl Seeded {
    pub fn new(opts: &WooOptions) -> Seeded {
        let mut plan = Plan::new(opts.orders, opts.seed);
        // WordPress user ids are small.
        catalog::renumber(&mut plan.customers, |i, drawn| 2 + 3 * i as u64 + drawn % 3);
        let ctx = order::Ctx {
            products: &plan.products,
            customers: &plan.customers,
            currency: &opts.currency,
            clock: clock(opts),
        };
        let mut id = 700 + plan.id_base % 300;
        let mut orders = Vec::with_capacity(plan.orders.len());
        let mut expected = Vec::with_capacity(plan.orders.len());
        for p in &plan.orders {
            id += 2 + p.gap % 3;
            let status = order::status(&p.spec);
            let state = if DONE.contains(&status) {
                "skipped"
            } else {
                cases::expected_state(&p.spec, &opts.currency, true)
            };
            expected.push(Expected {
                name: id.to_string(),
                case: p.spec.case.to_string(),
                state: state.to_string(),
            });
            orders.push(order::build(p, &ctx, id));
        }
        Seeded {
            catalog: ShopCatalog::new(&plan.products, opts.catalog),
            products: plan.products,
            customers: plan.customers,
            orders,
            expected,
        }
    }

    pub fn expected(&self) -> &[Expected] {
        &self.expected
    }

    /// Writes products.csv, customers.csv and expected.json into `dir` (made if missing).
    pub fn write_export(&self, dir: &Path) -> std::io::Result<()> {
        seed::write_export(dir, &self.products, &self.customers, &self.expected)
    }
}
