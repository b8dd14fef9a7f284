//! One conformance suite for every platform the registry connects and simulates: the same
//! scenarios against each platform's simulator through its real connector, with the same
//! local result (issue #13 §5). A platform joins by its registry row alone.

use orderdesk::channels::Channel;
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;
use orderdesk::engine::{Engine, ProblemKind};
use orderdesk::platforms::{PLATFORMS, Row};
use orderdesk::sim::{SimSpec, Simulator, Started};
use orderdesk::sync::outbox::drain;
use orderdesk::sync::{RunOptions, run_once};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One platform's shop and a store connected to it.
struct Shop {
    title: &'static str,
    started: Started,
    engine: Engine,
    channel: Arc<dyn Channel>,
    /// `(name, case, state)` as the simulator's `expected.json` gives them.
    expected: Vec<(String, String, String)>,
    _dir: tempfile::TempDir,
}

/// The rows with a connector and a simulator: every platform the suite runs on.
fn platforms() -> Vec<(&'static Row, &'static Simulator)> {
    let rows: Vec<_> = PLATFORMS
        .iter()
        .filter(|r| r.connect.is_some())
        .filter_map(|r| r.simulator.as_ref().map(|s| (r, s)))
        .collect();
    assert!(rows.len() >= 2, "Shopify and WooCommerce at least");
    rows
}

async fn shop(row: &'static Row, sim: &'static Simulator, orders: usize) -> Shop {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = SimSpec {
        orders,
        bucket: 2000,
        restore: 2000,
        ..SimSpec::default()
    };
    let export = dir.path().join("export");
    (sim.export)(&spec, &export).expect("export");
    let expected: Vec<Value> =
        serde_json::from_slice(&std::fs::read(export.join("expected.json")).expect("expected"))
            .expect("expected.json");
    let expected = expected
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("name"), s("case"), s("state"))
        })
        .collect();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let started = (sim.start)(spec, listener, Default::default())
        .await
        .expect("simulator starts");
    // The export's links name the store `web`, so every platform's store is called that here.
    let credentials = sim
        .demo_credentials
        .iter()
        .map(|(k, v)| (*k, Secret::new(*v)))
        .collect();
    let mut store = StoreConfig::new("web", row.platform.name, &started.url, credentials);
    store.carriers.insert("DHL".into(), "DHL Express".into());
    for option in sim.demo_options {
        store.options.insert(option, true);
    }
    let cfg = Config {
        stores: vec![store.clone()],
        ..Config::empty()
    };
    let engine = Engine::open(&dir.path().join("store"), "anna", cfg.settings()).expect("store");
    engine
        .import_products("products.csv", &started.products_csv)
        .expect("products");
    engine
        .import_customers("customers.csv", &started.customers_csv, None)
        .expect("customers");
    let channel = orderdesk::platforms::connect(&store).expect("connects");
    Shop {
        title: row.platform.title,
        started,
        engine,
        channel,
        expected,
        _dir: dir,
    }
}

impl Shop {
    async fn run(&self) -> orderdesk::engine::SyncRun {
        let opts = RunOptions {
            overlap_seconds: 60,
        };
        run_once(&self.engine, self.channel.as_ref(), "web", opts)
            .await
            .expect("run recorded")
    }

    fn states(&self) -> BTreeMap<String, String> {
        self.engine
            .all_orders(None)
            .expect("orders")
            .into_iter()
            .map(|o| (o.name.clone(), o.state.as_str().to_string()))
            .collect()
    }

    /// The cases not in their expected state, one line each (`skip` left out).
    fn wrong(&self, skip: Option<&str>) -> Vec<String> {
        let got = self.states();
        self.expected
            .iter()
            .filter(|(name, ..)| Some(name.as_str()) != skip)
            .filter_map(|(name, case, state)| {
                let now = got.get(name).map_or("skipped", String::as_str);
                (now != state).then(|| format!("{name} ({case}): expected {state}, got {now}"))
            })
            .collect()
    }

    async fn sim(&self, path: &str, body: Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.started.url))
            .json(&body)
            .send()
            .await
            .expect("test API");
        assert!(
            r.status().is_success(),
            "{}: {path}: {}",
            self.title,
            r.status()
        );
    }

    async fn log(&self, kind: &str) -> Vec<Value> {
        let all: Vec<Value> = reqwest::get(format!("{}/_sim/log", self.started.url))
            .await
            .expect("log")
            .json()
            .await
            .expect("log JSON");
        all.into_iter().filter(|e| e["kind"] == kind).collect()
    }

    fn order(&self, id: u64) -> orderdesk::domain::Order {
        self.engine
            .order_detail(id)
            .expect("read")
            .expect("the order")
            .order
    }

    /// A booked order that is not a pickup, by its remote id.
    fn a_booked_order(&self) -> orderdesk::domain::Order {
        self.engine
            .all_orders(Some(OrderState::Booked))
            .expect("orders")
            .into_iter()
            .find(|o| o.shipping.as_ref().is_some_and(|s| !s.pickup) && !o.test)
            .expect("a booked order to ship")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_lands_in_its_expected_state_over_pages_and_a_second_run_changes_nothing() {
    for (row, sim) in platforms() {
        // 250 orders: three pages of WooCommerce's 100, five of Shopify's.
        let shop = shop(row, sim, 250).await;
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        assert_eq!(run.fetched, 250, "{}: each order fetched once", shop.title);
        let wrong = shop.wrong(None);
        assert!(wrong.is_empty(), "{}:\n{}", shop.title, wrong.join("\n"));
        let before = shop.states();
        let again = shop.run().await;
        assert!(again.ok && again.booked == 0, "{}: {again:?}", shop.title);
        assert_eq!(shop.states(), before, "{}", shop.title);
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_cancel_cancels_the_order_and_gives_its_stock_back() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        let stock_before: i64 = shop
            .engine
            .products(None)
            .expect("p")
            .iter()
            .map(|p| p.stock)
            .sum();
        let held: i64 = order.booked_stock.iter().map(|(_, n)| n).sum();
        shop.sim(
            &format!("/_sim/orders/{}", order.remote_id),
            json!({"cancel": true}),
        )
        .await;
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        let now = shop.order(order.id);
        assert_eq!(now.state, OrderState::Cancelled, "{}", shop.title);
        let stock_after: i64 = shop
            .engine
            .products(None)
            .expect("p")
            .iter()
            .map(|p| p.stock)
            .sum();
        assert_eq!(
            stock_after,
            stock_before + held,
            "{}: stock given back",
            shop.title
        );
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_answer_is_waited_out() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        shop.sim(
            "/_sim/faults",
            json!({"rate_limit_next": 2, "retry_after": 0.2}),
        )
        .await;
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        let wrong = shop.wrong(None);
        assert!(wrong.is_empty(), "{}:\n{}", shop.title, wrong.join("\n"));
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_order_is_named_in_errors_and_the_rest_of_its_page_lands() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let broken = shop.a_booked_order();
        shop.sim(
            "/_sim/faults",
            json!({"malformed": {"order": broken.remote_id, "field": sim.vital_field}}),
        )
        .await;
        // A change at the shop makes the next run fetch it again, broken.
        shop.sim(
            &format!("/_sim/orders/{}", broken.remote_id),
            json!({"complete": true}),
        )
        .await;
        let run = shop.run().await;
        assert!(
            run.ok,
            "{}: one bad order does not fail the run: {:?}",
            shop.title, run.message
        );
        assert!(run.errors >= 1, "{}: {run:?}", shop.title);
        let problems = shop.engine.problems().expect("problems");
        let unreadable: Vec<_> = problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Unreadable)
            .map(|p| format!("{} {}", p.subject, p.text))
            .collect();
        assert!(
            unreadable
                .iter()
                .any(|p| p.contains(&broken.remote_id) || p.contains(&broken.name)),
            "{}: {unreadable:?}",
            shop.title
        );
        let wrong = shop.wrong(Some(&broken.name));
        assert!(wrong.is_empty(), "{}:\n{}", shop.title, wrong.join("\n"));
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipping_tells_the_shop_the_tracking_number_once() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        shop.engine
            .change_status(order.id, &StatusChange::ReadyToShip)
            .expect("ready to ship");
        let shipped = StatusChange::Shipped {
            carrier: "DHL".into(),
            tracking: "JD014600006281".into(),
        };
        shop.engine
            .change_status(order.id, &shipped)
            .expect("shipped");
        drain(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .expect("drain");
        drain(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .expect("drain again");
        let sent = shop.log("fulfillment_create").await;
        assert_eq!(sent.len(), 1, "{}: {sent:?}", shop.title);
        assert_eq!(
            sent[0]["tracking_number"], "JD014600006281",
            "{}",
            shop.title
        );
        // What the shop now shows of the order comes back as orderdesk's own change.
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        let now = shop.order(order.id);
        assert_eq!(now.state, OrderState::Shipped, "{}", shop.title);
        assert!(
            now.conflicts.is_empty(),
            "{}: {:?}",
            shop.title,
            now.conflicts
        );
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusing_cancels_at_the_shop_once_and_stock_comes_back_once() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        let total = |s: &Shop| -> i64 {
            s.engine
                .products(None)
                .expect("p")
                .iter()
                .map(|p| p.stock)
                .sum()
        };
        let before = total(&shop);
        let held: i64 = order.booked_stock.iter().map(|(_, n)| n).sum();
        let refused = StatusChange::Refused {
            reason: "customer asked".into(),
        };
        shop.engine
            .change_status(order.id, &refused)
            .expect("refused");
        drain(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .expect("drain");
        drain(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .expect("drain again");
        let cancels: Vec<Value> = shop
            .log("order_cancel")
            .await
            .into_iter()
            .filter(|e| {
                e["order_name"]
                    .as_str()
                    .is_some_and(|n| n.trim_start_matches('#') == order.name)
            })
            .collect();
        assert_eq!(cancels.len(), 1, "{}: {cancels:?}", shop.title);
        // The shop's cancel comes back on the next run as orderdesk's own: no second give-back.
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        assert_eq!(
            shop.order(order.id).state,
            OrderState::Refused,
            "{}",
            shop.title
        );
        assert_eq!(
            total(&shop),
            before + held,
            "{}: stock back once",
            shop.title
        );
        shop.started.stop();
    }
}
