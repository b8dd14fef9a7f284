//! `orderdesk demo`: one simulated shop for every platform that has a simulator, each
//! connected as a store through the real connector, and the console on them.

use super::common::{Context, Failure};
use super::console::{keymap_preset, open_console};
use crate::config::{Secret, StoreConfig};
use crate::sim::{SimSpec, Started};

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// How many orders each simulated shop holds (at most 50,000: they keep them in memory).
    #[arg(long, default_value_t = 200,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=50_000))]
    pub orders: usize,
    /// The simulators' seed (the same seed gives the same shops).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub async fn demo(ctx: Context, args: DemoArgs) -> Result<i32, Failure> {
    let mut cfg = ctx.config()?;
    keymap_preset(&ctx, &cfg)?;
    // Shopify's demo shop has a Plus rate budget (2,000 points, 1,000 restored a second), so
    // the first sync fills the screen in seconds.
    let spec = SimSpec {
        orders: args.orders,
        seed: args.seed,
        bucket: 2000,
        restore: 1000,
        ..SimSpec::default()
    };
    let mut shops: Vec<(Started, StoreConfig)> = Vec::new();
    for row in crate::platforms::PLATFORMS.iter() {
        let Some(sim) = &row.simulator else { continue };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| Failure::new("sim", format!("cannot listen on loopback: {e}")))?;
        let started = (sim.start)(spec.clone(), listener, Default::default())
            .await
            .map_err(|e| Failure::new("sim", format!("{} simulator: {e}", row.platform.title)))?;
        let credentials = sim
            .demo_credentials
            .iter()
            .map(|(key, value)| (*key, Secret::new(*value)))
            .collect();
        let mut store =
            StoreConfig::new(sim.demo_store, row.platform.name, &started.url, credentials);
        store.carriers = [("DHL", "DHL Express"), ("GLS", "GLS"), ("UPS", "UPS")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        for option in sim.demo_options {
            store.options.insert(option, true);
        }
        shops.push((started, store));
    }
    // A fresh temporary store unless --data names one.
    let temp = (!ctx.has_data_dir())
        .then(|| std::env::temp_dir().join(format!("orderdesk-demo-{}", std::process::id())));
    let ctx = match &temp {
        Some(dir) => Context::new(None, Some(dir.clone()), ctx.keymap.clone()),
        None => ctx,
    };
    cfg.stores = shops.iter().map(|(_, s)| s.clone()).collect();
    let engine = ctx.engine_or_create(&cfg)?;
    if engine.products(None)?.is_empty() {
        // Every simulator renders the same seeded world: the products and customers are the
        // same records, each shop knowing the customers by ids of its own.
        for (shop, store) in &shops {
            engine.import_products("products.csv (demo)", &shop.products_csv)?;
            let customers = crate::sim::seed::catalog::linked_to(&shop.customers_csv, &store.id)
                .map_err(|e| Failure::new("sim", format!("the demo's customers: {e}")))?;
            engine.import_customers(
                "customers.csv (demo)",
                &customers,
                cfg.phone_region.as_deref(),
            )?;
        }
    }
    let code = open_console(&ctx, &cfg, engine).await;
    for (shop, _) in shops {
        shop.stop();
    }
    if let Some(dir) = temp {
        let _ = std::fs::remove_dir_all(dir);
    }
    code
}
