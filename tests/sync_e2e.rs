//! The whole path once: the Shopify simulator on 127.0.0.1:0 -> the real connector over
//! HTTP -> intake -> the store. Every seeded case ends in the state expected.json names.

mod support;

use orderdesk::channels::shopify::ShopifyChannel;
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::engine::Engine;
use orderdesk::sim::shopify::{self, Seeded, SimHandle, SimOptions};
use orderdesk::sync::{RunOptions, run_once};
use std::collections::BTreeMap;
use support::sim::seeded_shop;

async fn start_sim(
    orders: usize,
    seed: u64,
) -> (SimHandle, String, String, Vec<shopify::Expected>) {
    let s = seeded_shop(orders, seed).await;
    (s.sim, s.products, s.customers, s.expected)
}

fn store_config(url: String) -> StoreConfig {
    StoreConfig::new(
        "web",
        "shopify",
        &url,
        vec![("token", Secret::new("shpat_test"))],
    )
}

fn open(dir: &std::path::Path, sc: &StoreConfig) -> Engine {
    let cfg = Config {
        stores: vec![sc.clone()],
        ..Config::empty()
    };
    Engine::open(dir, "anna", cfg.settings()).expect("store opens")
}

fn states(engine: &Engine) -> BTreeMap<String, String> {
    engine
        .all_orders(None)
        .expect("orders")
        .into_iter()
        .map(|o| (o.name.clone(), o.state.as_str().to_string()))
        .collect()
}

fn stock(engine: &Engine) -> BTreeMap<String, i64> {
    engine
        .products(None)
        .expect("products")
        .into_iter()
        .map(|p| (p.id, p.stock))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_seeded_case_ends_in_its_expected_state_and_a_second_sync_changes_nothing() {
    let (sim, products, customers, expected) = start_sim(120, 1).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let sc = store_config(sim.url());
    let engine = open(dir.path(), &sc);
    engine
        .import_products("products.csv", &products)
        .expect("products import");
    engine
        .import_customers("customers.csv", &customers, None)
        .expect("customers import");
    let start_stock = stock(&engine);
    let channel = ShopifyChannel::new(&sc.url, "shpat_test".into()).expect("channel");
    let opts = RunOptions {
        overlap_seconds: 60,
    };

    let run = run_once(&engine, &channel, "web", opts)
        .await
        .expect("run recorded");
    assert!(run.ok, "first run failed: {:?}", run.message);
    assert_eq!(
        run.fetched,
        expected.len() as u64,
        "every order the shop has is fetched once"
    );

    let got = states(&engine);
    let mut wrong = Vec::new();
    for e in &expected {
        let state = got
            .get(&e.name)
            .cloned()
            .unwrap_or_else(|| "skipped".into());
        if state != e.state {
            wrong.push(format!(
                "{} ({}): expected {}, got {}",
                e.name, e.case, e.state, state
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "cases in the wrong state:\n{}",
        wrong.join("\n")
    );
    let skipped = expected.iter().filter(|e| e.state == "skipped").count() as u64;
    assert_eq!(run.skipped, skipped);
    assert_eq!(engine.counts().total, expected.len() as u64 - skipped);

    // Stock went down by exactly what the booked orders hold.
    let after_first = stock(&engine);
    let mut taken: BTreeMap<String, i64> = BTreeMap::new();
    for o in engine.all_orders(None).expect("orders") {
        for (pid, q) in &o.booked_stock {
            *taken.entry(pid.clone()).or_default() += q;
        }
    }
    for (pid, start) in &start_stock {
        assert_eq!(
            after_first[pid],
            start - taken.get(pid).copied().unwrap_or(0),
            "stock of {pid}"
        );
    }

    // A second run: same orders, no duplicates, stock untouched.
    let run2 = run_once(&engine, &channel, "web", opts)
        .await
        .expect("second run");
    assert!(run2.ok);
    assert_eq!(
        (run2.booked, run2.parked, run2.rejected),
        (0, 0, 0),
        "nothing is booked or parked twice"
    );
    assert_eq!(states(&engine), got);
    assert_eq!(stock(&engine), after_first);
    assert_eq!(engine.counts().total, expected.len() as u64 - skipped);
    sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_that_refuses_the_token_fails_the_run_and_keeps_the_cursor() {
    let opts = SimOptions {
        orders: 40,
        token: Some("right".into()),
        ..SimOptions::default()
    };
    let seeded = Seeded::new(&opts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let sim = shopify::start(opts, seeded, listener).await.expect("sim");
    let dir = tempfile::tempdir().expect("tempdir");
    let sc = store_config(sim.url());
    let engine = open(dir.path(), &sc);
    let channel = ShopifyChannel::new(&sc.url, "wrong-secret-token".into()).expect("channel");
    let run = run_once(
        &engine,
        &channel,
        "web",
        RunOptions {
            overlap_seconds: 60,
        },
    )
    .await
    .expect("run");
    assert!(!run.ok);
    let msg = run.message.clone().unwrap_or_default();
    assert!(
        msg.contains("credentials") || msg.contains("token"),
        "{msg}"
    );
    assert!(
        !msg.contains("wrong-secret-token"),
        "the token leaks: {msg}"
    );
    assert_eq!(engine.cursor("web").expect("cursor"), None);
    let problems = engine.problems().expect("problems");
    assert!(
        problems
            .iter()
            .any(|p| p.subject == "store web" && p.text.contains("last sync failed")),
        "{problems:?}"
    );
    sim.stop();
}
