//! One platform's simulator in this process and a store `web` connected to it through the
//! registry row, as `orderdesk sim --platform` and a config would make them: for connector
//! tests that need no whole suite (`#[path]`-included by the tests that use it).

#![allow(dead_code)]

use orderdesk::channels::Channel;
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::engine::Engine;
use orderdesk::sim::{SimSpec, Started};
use serde_json::Value;
use std::sync::Arc;

pub struct RegistryShop {
    pub started: Started,
    pub store: StoreConfig,
    pub channel: Arc<dyn Channel>,
}

/// `platform`'s simulator with `orders` orders and a connected store as `adjust` leaves it.
pub async fn registry_shop(
    platform: &str,
    orders: usize,
    adjust: impl Fn(&mut StoreConfig),
) -> RegistryShop {
    let row = orderdesk::platforms::find(platform).expect("the row");
    let sim = row.simulator.as_ref().expect("a simulator");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let spec = SimSpec {
        orders,
        ..SimSpec::default()
    };
    let started = (sim.start)(spec, listener, Default::default())
        .await
        .expect("starts");
    let credentials = (sim.demo_credentials.iter())
        .map(|(k, v)| (*k, Secret::new(*v)))
        .collect();
    let mut store = StoreConfig::new("web", platform, &started.url, credentials);
    adjust(&mut store);
    let channel = orderdesk::platforms::connect(&store).expect("connects");
    RegistryShop {
        started,
        store,
        channel,
    }
}

impl RegistryShop {
    /// A store over the shop's `products.csv`, in `dir`.
    pub fn engine(&self, dir: &std::path::Path) -> Engine {
        let cfg = Config {
            stores: vec![self.store.clone()],
            ..Config::empty()
        };
        let engine = Engine::open(&dir.join("store"), "anna", cfg.settings()).expect("store");
        engine
            .import_products("products.csv", &self.started.products_csv)
            .expect("products");
        engine
    }

    /// The entries of `kind` in the shop's log.
    pub async fn log(&self, kind: &str) -> Vec<Value> {
        let log: Vec<Value> = reqwest::get(format!("{}/_sim/log", self.started.url))
            .await
            .expect("log")
            .json()
            .await
            .expect("JSON");
        log.into_iter().filter(|e| e["kind"] == kind).collect()
    }

    /// What the shop logged as `inventory_set`: `(product id, quantity)` in order.
    pub async fn stock_log(&self) -> Vec<(String, i64)> {
        (self.log("inventory_set").await.iter())
            .map(|e| {
                let id = e["product_id"].as_str().unwrap_or_default().to_string();
                (id, e["quantity"].as_i64().unwrap_or(-1))
            })
            .collect()
    }

    pub async fn run(&self, engine: &Engine) -> orderdesk::engine::SyncRun {
        let opts = orderdesk::sync::RunOptions {
            overlap_seconds: 60,
        };
        orderdesk::sync::run_once(engine, self.channel.as_ref(), "web", opts)
            .await
            .expect("run recorded")
    }
}

/// A stock level for the connector's `push_stock`.
pub fn level(
    remote_id: &str,
    parent: Option<&str>,
    quantity: i64,
    seq: u64,
) -> orderdesk::domain::outbox::QueuedStock {
    orderdesk::domain::outbox::QueuedStock {
        product_id: format!("P{seq}"),
        sku: format!("SKU-{seq}"),
        remote_id: remote_id.into(),
        parent: parent.map(str::to_string),
        quantity,
        seq,
        queued_at: chrono::Utc::now(),
    }
}

/// Adds `more` to the stock of the product with `sku` (by a products CSV, as an operator
/// would), which queues its new quantity for the shops.
pub fn restock(engine: &Engine, sku: &str, more: i64) {
    let products = engine.products(None).expect("products");
    let p = (products.iter())
        .find(|p| p.sku == sku)
        .expect("the product");
    let quoted = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    let csv = format!(
        "id,sku,name,description,price,stock,category,unit\n{},{},{},,{},{},{},piece\n",
        p.id,
        quoted(&p.sku),
        quoted(&p.name),
        p.price,
        p.stock + more,
        quoted(&p.category)
    );
    engine
        .import_products("stock.csv", &csv)
        .expect("the new stock");
}
