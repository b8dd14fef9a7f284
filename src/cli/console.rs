//! The console (`orderdesk` with no subcommand) and `orderdesk demo`.

use super::common::{Context, Failure, init_logging};
use crate::config::{Config, Secret, StoreConfig};
use crate::engine::Engine;
use crate::sim::shopify::{Seeded, SimOptions};
use crate::tui::TuiOptions;

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// How many orders the simulated shop holds (at most 50,000: it keeps them in memory).
    #[arg(long, default_value_t = 200,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=50_000))]
    pub orders: usize,
    /// The simulator's seed (the same seed gives the same shop).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// The user's keymap file, when there is one.
fn user_keymap() -> Option<std::path::PathBuf> {
    Some(Context::config_dir().join("keymap.toml")).filter(|p| p.exists())
}

/// Checks the keymap files before the terminal is touched.
fn keymap_preset(ctx: &Context, cfg: &Config) -> Result<String, Failure> {
    let preset = ctx.keymap.clone().unwrap_or_else(|| cfg.keymap.clone());
    crate::tui::load_keymap(&preset, user_keymap().as_deref())
        .map_err(|e| Failure::new("keymap", e.to_string()))?;
    Ok(preset)
}

async fn open_console(ctx: &Context, cfg: &Config, engine: Engine) -> Result<i32, Failure> {
    let keymap = keymap_preset(ctx, cfg)?;
    let log_file = init_logging(cfg, &ctx.data_dir());
    let stores = super::sync::scheduled(cfg)?;
    let (control, requests) = crate::sync::SyncControl::new();
    let handles = crate::sync::spawn(engine.clone(), stores, requests);
    let opts = TuiOptions {
        keymap,
        mouse: cfg.mouse,
        timezone: cfg.timezone,
        configured_stores: cfg.stores.len(),
        log_file,
        user_keymap: user_keymap(),
        payment_methods: cfg.payment_methods.clone(),
        carriers: (cfg.stores.iter())
            .map(|s| (s.id.clone(), s.carriers.keys().cloned().collect()))
            .collect(),
        phone_region: cfg.phone_region.clone(),
    };
    let result = crate::tui::run(engine.clone(), control, opts).await;
    for h in handles {
        h.abort();
    }
    let _ = engine.flush();
    result.map_err(|e| Failure::new("terminal", e.to_string()))?;
    Ok(0)
}

pub async fn console(ctx: Context) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    keymap_preset(&ctx, &cfg)?;
    init_logging(&cfg, &ctx.data_dir());
    let t = std::time::Instant::now();
    let engine = ctx.engine_or_create(&cfg)?;
    tracing::info!(
        ms = t.elapsed().as_millis() as u64,
        orders = engine.counts().total,
        "store opened"
    );
    open_console(&ctx, &cfg, engine).await
}

pub async fn demo(ctx: Context, args: DemoArgs) -> Result<i32, Failure> {
    let mut cfg = ctx.config()?;
    keymap_preset(&ctx, &cfg)?;
    // The demo shop has a Shopify Plus rate budget (2,000 points, 1,000 restored a second),
    // so the first sync fills the screen in seconds.
    let opts = SimOptions {
        orders: args.orders,
        seed: args.seed,
        bucket: 2000,
        restore: 1000,
        ..SimOptions::default()
    };
    let seeded = Seeded::new(&opts);
    let products = seeded.products_csv();
    let customers = seeded.customers_csv();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Failure::new("sim", format!("cannot listen on loopback: {e}")))?;
    let sim = crate::sim::shopify::start(opts, seeded, listener)
        .await
        .map_err(|e| Failure::new("sim", format!("simulator: {e}")))?;
    // A fresh temporary store unless --data names one.
    let temp = (!ctx.has_data_dir())
        .then(|| std::env::temp_dir().join(format!("orderdesk-demo-{}", std::process::id())));
    let ctx = match &temp {
        Some(dir) => Context::new(None, Some(dir.clone()), ctx.keymap.clone()),
        None => ctx,
    };
    let mut store = StoreConfig::new("web", "shopify", &sim.url(), Secret::new("demo-token"));
    store.carriers = [("DHL", "DHL Express"), ("GLS", "GLS"), ("UPS", "UPS")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    cfg.stores = vec![store];
    let engine = ctx.engine_or_create(&cfg)?;
    if engine.products(None)?.is_empty() {
        engine.import_products("products.csv (demo)", &products)?;
        engine.import_customers(
            "customers.csv (demo)",
            &customers,
            cfg.phone_region.as_deref(),
        )?;
    }
    let code = open_console(&ctx, &cfg, engine).await;
    sim.stop();
    if let Some(dir) = temp {
        let _ = std::fs::remove_dir_all(dir);
    }
    code
}
