//! A Shopify store's first sync by a bulk operation (issue #14 §4), against the simulator over
//! HTTP: the whole window read by `bulkOperationRunQuery` and its JSONL, then incremental
//! pages; pages instead when the operation fails, expires or its file cannot be read; a line
//! that does not read is one order's error; a run after a kill follows the operation it
//! started; an order changed at the shop while the operation runs is not lost. (The
//! simulator's side alone: `sim_shopify_bulk.rs`.)

mod support;

use orderdesk::channels::shopify::{BulkPolling, ShopifyChannel, query};
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::engine::Engine;
use orderdesk::sim::shopify::{SimHandle, SimOptions};
use orderdesk::sync::{RunOptions, run_once};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;
use support::sim::{SeededShop as Shop, faults, gql, seeded_shop};

async fn shop(orders: usize) -> Shop {
    seeded_shop(orders, SimOptions::default().seed).await
}

fn engine(dir: &std::path::Path, shop: &Shop) -> Engine {
    let sc = StoreConfig::new(
        "web",
        "shopify",
        &shop.sim.url(),
        vec![("token", Secret::new("shpat_test"))],
    );
    let cfg = Config {
        stores: vec![sc],
        ..Config::empty()
    };
    let engine = Engine::open(dir, "anna", cfg.settings()).expect("store opens");
    engine
        .import_products("products.csv", &shop.products)
        .expect("products");
    engine
        .import_customers("customers.csv", &shop.customers, None)
        .expect("customers");
    engine
}

fn channel(shop: &Shop) -> ShopifyChannel {
    ShopifyChannel::new(&shop.sim.url(), "shpat_test".into())
        .expect("channel")
        .with_bulk_polling(BulkPolling {
            first: Duration::from_millis(20),
            every: Duration::from_millis(50),
            give_up_after: Duration::from_secs(60),
        })
}

const OPTS: RunOptions = RunOptions {
    overlap_seconds: 60,
};

fn states(engine: &Engine) -> BTreeMap<String, String> {
    engine
        .all_orders(None)
        .expect("orders")
        .into_iter()
        .map(|o| (o.name.clone(), o.state.as_str().to_string()))
        .collect()
}

/// Every seeded case in the state its shop expects.
fn assert_expected(engine: &Engine, shop: &Shop) {
    let got = states(engine);
    let wrong: Vec<String> = shop
        .expected
        .iter()
        .filter_map(|e| {
            let state = got.get(&e.name).map_or("skipped", String::as_str);
            (state != e.state).then(|| format!("{} ({}): {} ≠ {}", e.name, e.case, state, e.state))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

const CURRENT: &str = "{ currentBulkOperation { id status objectCount rootObjectCount url } }";

async fn current(sim: &SimHandle) -> Value {
    gql(sim, CURRENT, json!({})).await["data"]["currentBulkOperation"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_reads_the_window_by_a_bulk_operation_then_goes_on_by_pages() {
    let shop = shop(150).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine(dir.path(), &shop);
    let channel = channel(&shop);

    let run = run_once(&engine, &channel, "web", OPTS).await.expect("run");
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(run.fetched, shop.expected.len() as u64);
    assert!(
        !run.error_lines.iter().any(|l| l.contains("pages")),
        "{:?}",
        run.error_lines
    );
    assert_expected(&engine, &shop);
    let op = current(&shop.sim).await;
    assert_eq!(op["status"], "COMPLETED", "{op}");
    assert_eq!(op["id"], "gid://shopify/BulkOperation/1");
    assert!(engine.cursor("web").expect("cursor").is_some());

    // The next run follows the cursor by pages: no second bulk operation.
    let before = states(&engine);
    let run = run_once(&engine, &channel, "web", OPTS).await.expect("run");
    assert!(run.ok, "{:?}", run.message);
    assert_eq!((run.booked, run.parked), (0, 0));
    assert_eq!(states(&engine), before);
    assert_eq!(
        current(&shop.sim).await["id"],
        "gid://shopify/BulkOperation/1"
    );
    shop.sim.stop();
}

/// A fault at the shop's side of the bulk read: the run reads pages and says why.
async fn falls_back(fault: Value, words: &str) {
    let shop = shop(60).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine(dir.path(), &shop);
    let (status, body) = faults(&shop.sim, fault).await;
    assert_eq!(status, 200, "{body}");

    let run = run_once(&engine, &channel(&shop), "web", OPTS)
        .await
        .expect("run");
    assert!(run.ok, "{:?}", run.message);
    let said = run
        .error_lines
        .iter()
        .find(|l| l.contains("reads pages instead of a bulk operation"))
        .unwrap_or_else(|| panic!("no word of the fallback: {:?}", run.error_lines));
    assert!(said.contains(words), "{said}");
    assert_eq!(run.message.as_deref(), Some(said.as_str()));
    assert_eq!(run.fetched, shop.expected.len() as u64);
    assert_expected(&engine, &shop);
    shop.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_that_fails_at_the_shop_falls_back_to_pages() {
    falls_back(
        json!({"bulk_fail_next": 1, "bulk_error_code": "TIMEOUT"}),
        "FAILED (TIMEOUT)",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_that_expires_or_is_canceled_falls_back_to_pages() {
    falls_back(json!({"bulk_expire_next": 1}), "EXPIRED").await;
    falls_back(json!({"bulk_cancel_next": 1}), "CANCELED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_that_cannot_be_read_falls_back_to_pages() {
    falls_back(json!({"bulk_url_broken_next": 1}), "403").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_that_cannot_be_read_fails_the_first_sync_instead_of_falling_back() {
    let shop = shop(30).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine(dir.path(), &shop);
    faults(&shop.sim, json!({"unauthorized_next": 1})).await;
    let run = run_once(&engine, &channel(&shop), "web", OPTS)
        .await
        .expect("run");
    assert!(!run.ok);
    let said = run.message.unwrap_or_default();
    assert!(said.contains("refused the credentials"), "{said}");
    assert!(!run.error_lines.iter().any(|l| l.contains("reads pages")));
    assert_eq!(engine.cursor("web").expect("cursor"), None);
    assert_eq!(
        current(&shop.sim).await,
        Value::Null,
        "no operation was started"
    );
    let run = run_once(&engine, &channel(&shop), "web", OPTS)
        .await
        .expect("run");
    assert!(run.ok, "{:?}", run.message);
    assert_expected(&engine, &shop);
    shop.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_that_does_not_read_is_one_orders_error_and_the_rest_goes_on() {
    let shop = shop(60).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine(dir.path(), &shop);
    // An ordinary order that intake books or parks (not skipped).
    let list = gql(
        &shop.sim,
        "{ orders(first: 60, sortKey: ID) { nodes { legacyResourceId name displayFulfillmentStatus cancelledAt } } }",
        json!({}),
    )
    .await;
    let nodes = list["data"]["orders"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let victim = nodes
        .iter()
        .filter(|n| n["displayFulfillmentStatus"] == "UNFULFILLED" && n["cancelledAt"].is_null())
        .nth(3)
        .cloned()
        .expect("an unfulfilled order");
    let legacy = victim["legacyResourceId"].as_str().expect("id").to_string();
    let name = victim["name"]
        .as_str()
        .expect("name")
        .trim_start_matches('#')
        .to_string();
    let (status, body) = faults(&shop.sim, json!({"bulk_broken_line": legacy})).await;
    assert_eq!(status, 200, "{body}");

    let channel = channel(&shop);
    let run = run_once(&engine, &channel, "web", OPTS).await.expect("run");
    assert!(run.ok, "{:?}", run.message);
    assert!(
        !run.error_lines.iter().any(|l| l.contains("reads pages")),
        "{:?}",
        run.error_lines
    );
    assert_eq!(run.errors, 1, "{:?}", run.error_lines);
    assert!(
        run.error_lines
            .iter()
            .any(|l| l.contains("bulk result does not read")),
        "{:?}",
        run.error_lines
    );
    let problems = engine.problems().expect("problems");
    assert!(
        problems
            .iter()
            .any(|p| p.text.contains("bulk result does not read")),
        "{problems:?}"
    );
    let got = states(&engine);
    assert!(!got.contains_key(&name), "{name} was stored");
    assert_eq!(
        got.len(),
        shop.expected
            .iter()
            .filter(|e| e.state != "skipped")
            .count()
            - 1
    );

    // Once the shop serves it whole, the next run fetches it again by id.
    faults(&shop.sim, json!({"clear": true})).await;
    let run = run_once(&engine, &channel, "web", OPTS).await.expect("run");
    assert!(run.ok, "{:?}", run.message);
    assert_expected(&engine, &shop);
    shop.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_after_a_kill_follows_the_operation_it_had_started() {
    let shop = shop(80).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine(dir.path(), &shop);
    // What the killed run had sent: the same window, the same document.
    faults(&shop.sim, json!({"bulk_objects_per_second": 400})).await;
    let window = chrono::Utc::now() - chrono::Duration::days(60);
    let inner = query::bulk_orders_query(&query::bulk_window_start(window));
    let started = gql(
        &shop.sim,
        &query::bulk_orders_document(),
        json!({"query": inner}),
    )
    .await;
    let payload = &started["data"]["bulkOperationRunQuery"];
    assert_eq!(payload["userErrors"], json!([]), "{started}");
    let status = current(&shop.sim).await["status"].clone();
    assert!(status == "CREATED" || status == "RUNNING", "{status}");

    let run = run_once(&engine, &channel(&shop), "web", OPTS)
        .await
        .expect("run");
    assert!(run.ok, "{:?}", run.message);
    assert!(
        !run.error_lines.iter().any(|l| l.contains("reads pages")),
        "{:?}",
        run.error_lines
    );
    let op = current(&shop.sim).await;
    assert_eq!(
        op["id"], "gid://shopify/BulkOperation/1",
        "followed, not a new one"
    );
    assert_eq!(op["status"], "COMPLETED");
    assert_expected(&engine, &shop);
    shop.sim.stop();
}

/// An order cancelled at the shop while the bulk operation runs: the operation may have read it
/// before or after; the cursor stops at the operation's start, so the pages that follow read it
/// again, and the store never keeps it booked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_changed_while_the_operation_runs_is_read_again() {
    let shop = shop(60).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine(dir.path(), &shop);
    // Slow objects: the operation runs a few seconds.
    faults(&shop.sim, json!({"bulk_objects_per_second": 40})).await;
    // An order intake books (not one it skips or parks).
    let name = shop
        .expected
        .iter()
        .find(|e| e.state == "booked")
        .map(|e| e.name.trim_start_matches('#').to_string())
        .expect("a booked case");
    let listed = gql(
        &shop.sim,
        "{ orders(first: 100) { nodes { id name } } }",
        json!({}),
    )
    .await;
    let legacy = listed["data"]["orders"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["name"].as_str().map(|s| s.trim_start_matches('#')) == Some(name.as_str()))
        .and_then(|n| n["id"].as_str())
        .and_then(|g| g.rsplit('/').next())
        .expect("its id at the shop")
        .to_string();

    let sync = {
        let (engine, channel) = (engine.clone(), channel(&shop));
        tokio::spawn(async move { run_once(&engine, &channel, "web", OPTS).await })
    };
    let mut waited = 0;
    while current(&shop.sim).await["status"] != "RUNNING" {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += 1;
        assert!(waited < 500, "the operation never ran");
    }
    let answer = reqwest::Client::new()
        .post(format!("{}/_sim/orders/{legacy}", shop.sim.url()))
        .json(&json!({"cancel": true}))
        .send()
        .await
        .expect("cancel at the shop");
    assert_eq!(answer.status().as_u16(), 200);
    let first_run = sync.await.expect("task").expect("run");
    assert!(first_run.ok, "{:?}", first_run.message);
    assert_eq!(current(&shop.sim).await["status"], "COMPLETED");

    let run = run_once(&engine, &channel(&shop), "web", OPTS)
        .await
        .expect("second run");
    assert!(run.ok, "{:?}", run.message);
    // Read before the cancel: booked, then cancelled by the pages that follow, stock back.
    // Read after it: a new order already cancelled at the shop, skipped. Never left booked.
    let stored = engine
        .all_orders(None)
        .expect("orders")
        .into_iter()
        .find(|o| o.name.trim_start_matches('#') == name);
    if let Some(o) = stored {
        assert_eq!(
            o.state,
            orderdesk::domain::OrderState::Cancelled,
            "{name}: {:?}",
            o.problems
        );
        assert!(o.booked_stock.is_empty(), "its stock is back");
    } else {
        let skipped = shop
            .expected
            .iter()
            .filter(|e| e.state == "skipped")
            .count();
        assert_eq!(
            first_run.skipped,
            skipped as u64 + 1,
            "{name} was skipped as cancelled at the shop"
        );
    }
    assert!(engine.check().expect("check").is_clean());
    shop.sim.stop();
}

/// `orderdesk ARGS…` on the store in `data`, with kill-point variables `env`.
fn od_env(
    home: &std::path::Path,
    cfg: &std::path::Path,
    data: &std::path::Path,
    args: &[&str],
    env: &[(&str, String)],
) -> std::process::Output {
    let mut c = support::pty::orderdesk(home);
    c.env("SHOP_TOKEN", "t")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .arg("--config")
        .arg(cfg)
        .arg("--data")
        .arg(data)
        .args(args);
    c.output().expect("orderdesk runs")
}

/// What a sync must neither lose nor double: each order's state and lines, each product's
/// stock.
fn outcome(
    home: &std::path::Path,
    cfg: &std::path::Path,
    data: &std::path::Path,
) -> (BTreeMap<String, Value>, BTreeMap<String, Value>) {
    let json = |args: &[&str]| -> Value {
        let out = od_env(home, cfg, data, args, &[]);
        assert!(out.status.success(), "{args:?}: {out:?}");
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let orders = json(&["orders", "--json"]);
    let orders = orders
        .as_array()
        .expect("an array")
        .iter()
        .map(|o| {
            let lines: Vec<Value> = o["lines"]
                .as_array()
                .map(|ls| {
                    ls.iter()
                        .map(|l| json!([l["sku"], l["quantity"], l["match"]["status"]]))
                        .collect()
                })
                .unwrap_or_default();
            let name = o["name"].as_str().unwrap_or_default().to_string();
            (name, json!([o["state"], o["total"], lines]))
        })
        .collect();
    let products = json(&["products", "--json"]);
    let stock = products
        .as_array()
        .expect("an array")
        .iter()
        .map(|p| {
            (
                p["sku"].as_str().unwrap_or_default().to_string(),
                p["stock"].clone(),
            )
        })
        .collect();
    (orders, stock)
}

#[test]
fn a_kill_in_the_middle_of_a_first_sync_by_bulk_loses_and_doubles_nothing() {
    use std::os::unix::process::ExitStatusExt;
    let home = tempfile::tempdir().expect("tempdir");
    let export = home.path().join("export");
    let shop = support::shop::ShopProcess::start_with(
        home.path(),
        1200,
        &[
            "--export",
            &export.to_string_lossy(),
            "--faults",
            r#"{"bulk_objects_per_second": 3000}"#,
        ],
    );
    let cfg = shop.write_config(home.path());
    let store = |name: &str| {
        let data = home.path().join(name);
        for kind in ["products", "customers"] {
            let file = export.join(format!("{kind}.csv"));
            let out = od_env(
                home.path(),
                &cfg,
                &data,
                &["import", kind, &file.to_string_lossy()],
                &[],
            );
            assert!(out.status.success(), "{out:?}");
        }
        data
    };
    let whole = store("whole");
    let points = home.path().join("points.log");
    let log = [("ORDERDESK_KILL_LOG", points.to_string_lossy().into_owned())];
    let out = od_env(home.path(), &cfg, &whole, &["sync", "--once"], &log);
    assert!(out.status.success(), "{out:?}");
    let labels: Vec<String> = std::fs::read_to_string(&points)
        .expect("points")
        .lines()
        .map(str::to_string)
        .collect();
    let read_at = labels
        .iter()
        .position(|l| l.ends_with("shop: before reading a bulk result"))
        .unwrap_or_else(|| panic!("the first sync went by bulk: {labels:?}"));
    let want = outcome(home.path(), &cfg, &whole);
    assert!(want.0.len() > 1000, "{}", want.0.len());

    // Killed while the operation runs (after a look at it), then after the first batch of
    // the file was committed: the next run gives the same orders and stock.
    let polled = labels[..read_at]
        .iter()
        .rposition(|l| l.ends_with("shop: after a query's answer"))
        .expect("a poll");
    let committed = labels[read_at..]
        .iter()
        .position(|l| l.ends_with("store: after commit"))
        .map(|i| read_at + i)
        .expect("a commit after the read began");
    for (name, at) in [
        ("killed-polling", polled),
        ("killed-reading", committed + 1),
    ] {
        let data = store(name);
        let kill = [("ORDERDESK_KILL_AT", (at + 1).to_string())];
        let out = od_env(home.path(), &cfg, &data, &["sync", "--once"], &kill);
        assert_eq!(out.status.signal(), Some(libc::SIGKILL), "{name}: {out:?}");
        let out = od_env(home.path(), &cfg, &data, &["sync", "--once"], &[]);
        assert!(out.status.success(), "{name}: {out:?}");
        let got = outcome(home.path(), &cfg, &data);
        assert_eq!(got.0.len(), want.0.len(), "{name}: orders");
        for (order, seen) in &want.0 {
            assert_eq!(got.0.get(order), Some(seen), "{name}: {order}");
        }
        assert_eq!(got.1, want.1, "{name}: stock");
    }
}
