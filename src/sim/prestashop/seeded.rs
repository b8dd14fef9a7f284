//! The seeded world (`crate::sim::seed`) in PrestaShop's shapes: the same seed gives the same
//! orders, ids and contents; only the dates move with the clock. Order ids follow one another
//! from a seeded start, as a shop's do; the order's name is its id.

use crate::sim::seed::shop_catalog::ShopCatalog;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

use super::PsOptions;
use super::order::{self, CARRIERS};
use crate::sim::seed::catalog::{self, Customer, LINK_ONLY, PHONE_ONLY, Product};
use crate::sim::seed::{self, Expected, Plan, cases};

/// States an order never seen before is skipped in: shipped, delivered, canceled,
/// refunded, payment error.
pub const DONE: [&str; 5] = ["4", "5", "6", "7", "8"];

/// Every resource of the shop, by name (`orders`, `customers`, …), each object by id.
pub type Resources = BTreeMap<&'static str, BTreeMap<u64, Value>>;

#[derive(Debug, Clone)]
pub struct Seeded {
    pub products: Vec<Product>,
    pub customers: Vec<Customer>,
    pub resources: Resources,
    expected: Vec<Expected>,
}

impl Seeded {
    pub fn new(opts: &PsOptions) -> Seeded {
        let mut plan = Plan::new(opts.orders, opts.seed);
        // PrestaShop customer ids are small and follow one another.
        catalog::renumber(&mut plan.customers, |i, _| 2 + i as u64);
        let mut r = Resources::new();
        let codes: Vec<String> = {
            let mut c: Vec<String> = plan
                .customers
                .iter()
                .map(|c| c.country_code.clone())
                .collect();
            c.sort();
            c.dedup();
            c
        };
        for (i, code) in codes.iter().enumerate() {
            let id = 1 + i as u64;
            r.entry("countries")
                .or_default()
                .insert(id, json!({"id": id, "iso_code": code}));
        }
        let other = if opts.currency == "USD" { "GBP" } else { "USD" };
        for (id, code) in [(1, opts.currency.as_str()), (2, other)] {
            r.entry("currencies")
                .or_default()
                .insert(id, json!({"id": id, "iso_code": code}));
        }
        for (id, name) in CARRIERS {
            let c = json!({"id": id, "name": name, "active": "1", "deleted": "0"});
            r.entry("carriers").or_default().insert(id, c);
        }
        for (i, c) in plan.customers.iter().enumerate() {
            let email = match i {
                PHONE_ONLY => "",
                LINK_ONLY => "odon.lakatos.new@example.org",
                _ => c.email.as_str(),
            };
            let v = order::customer(c.shop_id, &c.first_name, &c.last_name, email, false);
            r.entry("customers").or_default().insert(c.shop_id, v);
        }
        let country = |code: &str| 1 + codes.iter().position(|c| c == code).unwrap_or(0) as u64;
        let ctx = order::Ctx {
            products: &plan.products,
            customers: &plan.customers,
            country: &country,
        };
        let first = 10 + plan.id_base % 90;
        let mut expected = Vec::with_capacity(plan.orders.len());
        for p in &plan.orders {
            let id = first + p.index as u64;
            let state = order::state(&p.spec);
            let expect = if DONE.contains(&state) {
                "skipped"
            } else {
                cases::expected_state(&p.spec, &opts.currency, true)
            };
            expected.push(Expected {
                name: id.to_string(),
                case: p.spec.case.to_string(),
                state: expect.to_string(),
            });
            let built = order::build(p, &ctx, id, if p.spec.foreign { 2 } else { 1 });
            if let Some(c) = built.customer {
                r.entry("customers").or_default().insert(id_of(&c), c);
            }
            r.entry("addresses")
                .or_default()
                .insert(id_of(&built.address), built.address);
            r.entry("order_carriers")
                .or_default()
                .insert(id, built.order_carrier);
            r.entry("orders").or_default().insert(id, built.order);
        }
        super::catalog::add(&mut r, &ShopCatalog::new(&plan.products, opts.catalog));
        Seeded {
            products: plan.products,
            customers: plan.customers,
            resources: r,
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

/// An object's id, a number or a text of digits (0 when neither).
pub fn id_of(v: &Value) -> u64 {
    match &v["id"] {
        Value::Number(n) => n.as_u64().unwrap_or(0),
        Value::String(s) => s.parse().unwrap_or(0),
        _ => 0,
    }
}
