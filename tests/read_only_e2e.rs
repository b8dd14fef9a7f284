//! A read-only trial (`read_only = true`): orders are fetched and worked locally, the shop
//! never hears a thing (DESIGN.md §1 "Sync runs and the outbox").

mod support;

use orderdesk::channels::shopify::ShopifyChannel;
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;
use orderdesk::engine::Engine;
use orderdesk::sim::shopify::{Seeded, SimOptions};
use orderdesk::sync::{RunOptions, run_once};
use serde_json::{Value, json};
use std::process::Command;
use std::time::Duration;
use support::pty::{Pty, od, orderdesk, sim_process};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_store_syncs_and_the_shop_hears_nothing() {
    let opts = SimOptions {
        orders: 40,
        bucket: 2000,
        restore: 2000,
        ..SimOptions::default()
    };
    let seeded = Seeded::new(&opts);
    let sim = support::sim::start(opts).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sc = StoreConfig::new(
        "web",
        "shopify",
        &sim.url(),
        vec![("token", Secret::new("shpat_test"))],
    );
    sc.read_only = true;
    sc.carriers.insert("DHL".into(), "DHL Express".into());
    let cfg = Config {
        stores: vec![sc.clone()],
        ..Config::empty()
    };
    let engine = Engine::open(dir.path(), "anna", cfg.settings()).expect("store");
    engine
        .import_products("p.csv", &seeded.products_csv())
        .expect("products");
    engine
        .import_customers("c.csv", &seeded.customers_csv(), None)
        .expect("customers");
    let channel = ShopifyChannel::new(&sc.url, "shpat_test".into())
        .expect("channel")
        .with_retry_delay(Duration::from_millis(10));
    let opts = RunOptions {
        overlap_seconds: 60,
    };
    let run = run_once(&engine, &channel, "web", opts).await.expect("run");
    assert!(run.ok, "{:?}", run.message);
    assert!(run.fetched > 0);

    let id = engine
        .all_orders(None)
        .expect("orders")
        .iter()
        .find(|o| o.state == OrderState::Booked)
        .expect("a booked order")
        .id;
    engine
        .change_status(id, &StatusChange::ReadyToShip)
        .expect("ready to ship");
    engine
        .change_status(
            id,
            &StatusChange::Shipped {
                carrier: "DHL".into(),
                tracking: "JD014600006281".into(),
            },
        )
        .expect("shipped");
    assert!(engine.order_outbox(id).expect("outbox").is_empty());
    let detail = engine.order_detail(id).expect("detail").expect("order");
    assert!(
        detail
            .timeline
            .iter()
            .any(|t| t.text.contains("not sent: store web is read-only")),
        "{:?}",
        detail.timeline
    );
    let status: Value = engine.status_json().expect("status");
    assert_eq!(status["outbox"]["pending"], 0, "{status}");
    assert_eq!(status["stores"][0]["read_only"], true, "{status}");

    // Another run sends nothing either.
    let run = run_once(&engine, &channel, "web", opts).await.expect("run");
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(support::sim::log(&sim).await, json!([]));
    sim.stop();
}

#[test]
fn the_console_header_shows_a_read_only_store() {
    let home = tempfile::tempdir().expect("tempdir");
    let (_sim, url) = sim_process(home.path(), &["--token", "t"]);
    let cfg = home.path().join("orderdesk.toml");
    std::fs::write(
        &cfg,
        format!("[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"{url}\"\ntoken_env = \"SHOP_TOKEN\"\nread_only = true\n"),
    )
    .expect("config");
    let mut cmd: Command = orderdesk(home.path());
    cmd.env("SHOP_TOKEN", "t")
        .arg("--config")
        .arg(&cfg)
        .arg("--data")
        .arg(home.path().join("store"));
    let mut pty = Pty::spawn(cmd, 160, 40);
    pty.wait_for(&["web", "read-only"], Duration::from_secs(60));
    pty.send(b"q");
    assert_eq!(pty.wait_exit(Duration::from_secs(30)), Some(0));
}

#[test]
fn from_the_command_line_a_read_only_store_ships_locally_and_sends_nothing() {
    let home = tempfile::tempdir().expect("tempdir");
    let export = home.path().join("export");
    let export_arg = export.to_string_lossy().into_owned();
    let (_sim, url) = sim_process(home.path(), &["--export", &export_arg]);
    let cfg = home.path().join("orderdesk.toml");
    std::fs::write(
        &cfg,
        format!("[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"{url}\"\ntoken_env = \"SHOP_TOKEN\"\nread_only = true\n[store.carriers]\nDHL = \"DHL Express\"\n"),
    )
    .expect("config");
    let data = home.path().join("store");
    let od = |args: &[&str]| od(home.path(), &cfg, &data, args);
    let p = export.join("products.csv").to_string_lossy().into_owned();
    let c = export.join("customers.csv").to_string_lossy().into_owned();
    assert_eq!(od(&["import", "products", &p]).0, 0);
    assert_eq!(od(&["import", "customers", &c]).0, 0);
    let (code, out, err) = od(&["sync", "--once"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, _) = od(&["orders", "--state", "booked", "--json"]);
    let booked: Vec<Value> = serde_json::from_str(&out).expect("orders json");
    let r = booked[0]["ref"]
        .as_str()
        .expect("a booked order")
        .to_string();
    assert_eq!(od(&["order", &r, "status", "ready-to-ship"]).0, 0);
    let (code, out, err) = od(&[
        "order",
        &r,
        "status",
        "shipped",
        "--carrier",
        "DHL",
        "--tracking",
        "JD77",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("shop: not sent: store web is read-only"),
        "the operator is told nothing is sent: {out}"
    );
    let (code, out, _) = od(&["status", "--json"]);
    assert_eq!(code, 0);
    let s: Value = serde_json::from_str(&out).expect("status json");
    assert_eq!(s["outbox"], json!({"pending": 0, "failed": 0}), "{s}");
    assert_eq!(s["stores"][0]["read_only"], true, "{s}");
    assert_eq!(od(&["sync", "--once"]).0, 0);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let log: Value = rt.block_on(async {
        reqwest::get(format!("{url}/_sim/log"))
            .await
            .expect("log")
            .json()
            .await
            .expect("json")
    });
    assert_eq!(log, json!([]), "the shop heard nothing");
}
