//! One conformance suite for every platform the registry connects and simulates: the same
//! scenarios against each platform's simulator through its real connector, with the same
//! local result (issue #13 §5). A platform joins by its registry row alone.

use orderdesk::channels::Channel;
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;
use orderdesk::domain::platform::LocalChange;
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
    // The statuses the shop added are mapped, and fetched, as a store of it would.
    for (change, status) in sim.own_statuses {
        store.statuses.on_change.insert(*change, status.to_string());
        store.statuses.fetch.push(status.to_string());
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
        let all = self.whole_log().await;
        all.into_iter().filter(|e| e["kind"] == kind).collect()
    }

    async fn whole_log(&self) -> Vec<Value> {
        reqwest::get(format!("{}/_sim/log", self.started.url))
            .await
            .expect("log")
            .json()
            .await
            .expect("log JSON")
    }

    /// What the shop received for one order, of every kind.
    async fn log_of(&self, order: &orderdesk::domain::Order) -> Vec<Value> {
        self.whole_log()
            .await
            .into_iter()
            .filter(|e| {
                e["order_id"].as_str() == Some(order.remote_id.as_str())
                    || e["order_name"]
                        .as_str()
                        .is_some_and(|n| n.trim_start_matches('#') == order.name)
            })
            .collect()
    }

    /// Ready to ship, then shipped with DHL and this tracking number.
    fn ship(&self, id: u64, tracking: &str) {
        self.engine
            .change_status(id, &StatusChange::ReadyToShip)
            .expect("ready to ship");
        let shipped = StatusChange::Shipped {
            carrier: "DHL".into(),
            tracking: tracking.into(),
        };
        self.engine.change_status(id, &shipped).expect("shipped");
    }

    /// Sends the outbox twice: the second pass must find nothing left to send.
    async fn drain_twice(&self) {
        let first = drain(&self.engine, self.channel.as_ref(), "web")
            .await
            .expect("drain");
        assert!(
            first.failed == 0 && first.refused == 0,
            "{}: {first:?}",
            self.title
        );
        let again = drain(&self.engine, self.channel.as_ref(), "web")
            .await
            .expect("drain again");
        assert_eq!(again.sent, 0, "{}: {again:?}", self.title);
    }

    /// A run that reads the shop again: it succeeds, and the order keeps `state` with no
    /// conflict (what the shop now shows is orderdesk's own change).
    async fn reread_keeps(&self, id: u64, state: OrderState) {
        let run = self.run().await;
        assert!(run.ok, "{}: {:?}", self.title, run.message);
        let now = self.order(id);
        assert_eq!(now.state, state, "{}", self.title);
        assert!(
            now.conflicts.is_empty(),
            "{}: {:?}",
            self.title,
            now.conflicts
        );
    }

    /// An order in `states` (not a test) with a line of two or more: the order and the line.
    fn with_a_line_of_two(&self, states: &[OrderState]) -> (orderdesk::domain::Order, usize) {
        self.engine
            .all_orders(None)
            .expect("orders")
            .into_iter()
            .filter(|o| states.contains(&o.state) && !o.test)
            .find_map(|o| {
                let i = o.lines.iter().position(|l| l.quantity >= 2)?;
                Some((o, i))
            })
            .unwrap_or_else(|| panic!("{}: an order in {states:?} with a line of 2", self.title))
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
        shop.ship(order.id, "JD014600006281");
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

/// The id the shop's test API takes for a line (Shopify's `gid://shopify/LineItem/7` is 7).
fn line_id(remote_id: &str) -> &str {
    remote_id.rsplit('/').next().unwrap_or(remote_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_is_applied_before_booking_and_a_conflict_after() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let parked = [OrderState::CustomerIdNeeded, OrderState::ProductMatchFailed];
        let (before, i) = shop.with_a_line_of_two(&parked);
        let (booked, j) = shop.with_a_line_of_two(&[OrderState::Booked]);
        let stock = |s: &Shop| -> BTreeMap<String, i64> {
            let products = s.engine.products(None).expect("products");
            products.into_iter().map(|p| (p.id, p.stock)).collect()
        };
        let stock_before = stock(&shop);
        for (o, k) in [(&before, i), (&booked, j)] {
            let line = &o.lines[k];
            let quantities = json!({ line_id(&line.remote_id): line.quantity - 1 });
            shop.sim(
                &format!("/_sim/orders/{}", o.remote_id),
                json!({ "quantities": quantities }),
            )
            .await;
        }
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);

        // Not booked yet: the shop's quantity is the order's now, and no conflict.
        let now = shop.order(before.id);
        let quantities = |o: &orderdesk::domain::Order| -> Vec<u32> {
            o.lines.iter().map(|l| l.quantity).collect()
        };
        let mut want = quantities(&before);
        want[i] -= 1;
        assert_eq!(quantities(&now), want, "{}: {}", shop.title, before.name);
        assert!(
            now.conflicts.is_empty(),
            "{}: {:?}",
            shop.title,
            now.conflicts
        );
        assert!(
            parked.contains(&now.state),
            "{}: {:?}",
            shop.title,
            now.state
        );

        // Booked: the lines and the stock stay as booked, and the change is a conflict.
        let now = shop.order(booked.id);
        assert_eq!(now.state, OrderState::Booked, "{}", shop.title);
        assert_eq!(quantities(&now), quantities(&booked), "{}", shop.title);
        assert_eq!(now.booked_stock, booked.booked_stock, "{}", shop.title);
        assert!(
            now.conflicts
                .iter()
                .any(|c| c.contains("changed at the shop after booking, not applied")),
            "{}: {:?}",
            shop.title,
            now.conflicts
        );
        assert_eq!(
            stock(&shop),
            stock_before,
            "{}: stock untouched",
            shop.title
        );
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_for_pickup_tells_the_shop_once_and_the_re_read_shows_no_conflict() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop
            .engine
            .all_orders(Some(OrderState::Booked))
            .expect("orders")
            .into_iter()
            .find(|o| o.shipping.as_ref().is_some_and(|s| s.pickup) && !o.test)
            .unwrap_or_else(|| panic!("{}: a booked pickup order", shop.title));
        assert!(shop.log_of(&order).await.is_empty(), "{}", shop.title);
        shop.engine
            .change_status(order.id, &StatusChange::ReadyForPickup)
            .expect("ready for pickup");
        shop.drain_twice().await;
        // (Shopify shows no sign of it on the order to read back: its repeated push is refused
        // by the shop instead, see `channels::shopify::answers::remote_state`.)
        let told = shop.log_of(&order).await;
        assert_eq!(told.len(), 1, "{}: {told:?}", shop.title);
        shop.reread_keeps(order.id, OrderState::ReadyForPickup)
            .await;
        assert_eq!(shop.log_of(&order).await.len(), 1, "{}", shop.title);
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_sets_the_mapped_status_once_and_the_re_read_shows_no_conflict() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        shop.ship(order.id, "JD014600006282");
        shop.drain_twice().await;
        let after_shipping = shop.log_of(&order).await.len();
        let status_then = shop
            .channel
            .order_state(&order.remote_id)
            .await
            .expect("read")
            .expect("the order")
            .status;
        let balance = shop.order(order.id).balance();
        shop.engine
            .record_payment(order.id, "VISA", balance, "", false)
            .expect("paid");
        shop.engine
            .change_status(order.id, &StatusChange::Completed)
            .expect("completed");
        shop.drain_twice().await;

        // The store's completed status, where it maps one: set once, unless the order
        // already had it.
        let settings = shop.engine.setting("web").expect("store web");
        let mapped = settings
            .statuses
            .as_ref()
            .and_then(|m| m.status_for(LocalChange::Completed))
            .map(str::to_string);
        let now = shop
            .channel
            .order_state(&order.remote_id)
            .await
            .expect("read")
            .expect("the order");
        let new = shop.log_of(&order).await.len() - after_shipping;
        match &mapped {
            Some(status) => {
                assert_eq!(now.status.as_ref(), Some(status), "{}", shop.title);
                let sent = usize::from(status_then.as_ref() != Some(status));
                assert_eq!(new, sent, "{}", shop.title);
            }
            None => assert_eq!(new, 0, "{}: nothing to tell", shop.title),
        }
        let timeline = shop
            .engine
            .order_detail(order.id)
            .expect("detail")
            .expect("order")
            .timeline;
        let not_told = timeline
            .iter()
            .any(|t| t.text.contains("not told") && t.text.contains("completed"));
        // A store of a platform with statuses hears why nothing was sent; Shopify has none.
        assert_eq!(
            not_told,
            settings.statuses.is_some() && mapped.is_none(),
            "{}",
            shop.title
        );
        shop.reread_keeps(order.id, OrderState::Completed).await;
        assert_eq!(
            shop.log_of(&order).await.len() - after_shipping,
            new,
            "{}: nothing more sent",
            shop.title
        );
        shop.started.stop();
    }
}

/// The real binary on a data directory of its own, with the suite's store `web` on `shop`.
struct Binary {
    config: std::path::PathBuf,
    env: Vec<(String, String)>,
}

impl Binary {
    fn new(shop: &Shop, row: &Row, sim: &Simulator, home: &std::path::Path) -> Binary {
        let mut table = format!(
            "operator = \"anna\"\n[[store]]\nid = \"web\"\nplatform = \"{}\"\nurl = \"{}\"\n",
            row.platform.name, shop.started.url
        );
        let mut env = Vec::new();
        for (key, value) in sim.demo_credentials {
            let var = format!("CONFORMANCE_{}", key.to_uppercase());
            table += &format!("{key}_env = \"{var}\"\n");
            env.push((var, value.to_string()));
        }
        for option in sim.demo_options {
            table += &format!("{option} = true\n");
        }
        table += "[store.carriers]\nDHL = \"DHL Express\"\n";
        let config = home.join("orderdesk.toml");
        std::fs::write(&config, table).expect("config");
        std::fs::set_permissions(&config, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .expect("chmod");
        for (name, text) in [
            ("products.csv", &shop.started.products_csv),
            ("customers.csv", &shop.started.customers_csv),
        ] {
            std::fs::write(home.join(name), text).expect("export");
        }
        Binary { config, env }
    }

    /// `orderdesk --config … --data DATA ARGS` with these kill-point variables.
    async fn run(
        &self,
        data: &std::path::Path,
        args: &[&str],
        kill: &[(&str, String)],
    ) -> std::process::Output {
        let home = self.config.parent().expect("home");
        let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_orderdesk"));
        c.env_remove("ORDERDESK_KILL_AT")
            .env_remove("ORDERDESK_KILL_LOG")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .envs(kill.iter().map(|(k, v)| (k, v)))
            .arg("--config")
            .arg(&self.config)
            .arg("--data")
            .arg(data)
            .args(args)
            .stdin(std::process::Stdio::null());
        c.output().await.expect("orderdesk runs")
    }

    /// A store with the export's products and customers.
    async fn store(&self, data: &std::path::Path) {
        let home = self.config.parent().expect("home");
        for kind in ["products", "customers"] {
            let file = home.join(format!("{kind}.csv"));
            let out = self
                .run(data, &["import", kind, &file.to_string_lossy()], &[])
                .await;
            assert!(out.status.success(), "import {kind}: {out:?}");
        }
    }

    async fn json(&self, data: &std::path::Path, args: &[&str]) -> Value {
        let out = self.run(data, args, &[]).await;
        assert!(out.status.success(), "{args:?}: {out:?}");
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    /// Every stored order by name (state, each line's quantity, booked stock's products'
    /// figures follow from these), and each product's stock: what a sync must not lose or
    /// double.
    async fn outcome(&self, data: &std::path::Path) -> (BTreeMap<String, Value>, Vec<Value>) {
        let orders = self.json(data, &["orders", "--json"]).await;
        let list = orders.as_array().expect("an array");
        let mut by_name = BTreeMap::new();
        for o in list {
            let name = o["name"].as_str().expect("a name").to_string();
            let lines: Vec<&Value> = o["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .map(|l| &l["quantity"])
                .collect();
            let seen = json!({"state": o["state"], "lines": lines, "total": o["total"]});
            assert!(by_name.insert(name.clone(), seen).is_none(), "{name} twice");
        }
        let products = self.json(data, &["products", "--json"]).await;
        let stock = products
            .as_array()
            .expect("an array")
            .iter()
            .map(|p| json!([p["id"], p["stock"]]))
            .collect();
        (by_name, stock)
    }
}

/// A `kill -9` in the middle of a sync (the debug build's kill point at half the points an
/// uninterrupted sync passes), then a sync again: the same orders, states and stock as a sync
/// that was never interrupted, each order once, and `check` finds the store whole.
#[cfg(debug_assertions)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_in_the_middle_of_a_sync_loses_nothing_and_doubles_nothing() {
    use std::os::unix::process::ExitStatusExt;
    for (row, sim) in platforms() {
        // 150 orders: two pages of WooCommerce's, three of Shopify's.
        let shop = shop(row, sim, 150).await;
        let home = tempfile::tempdir().expect("tempdir");
        let bin = Binary::new(&shop, row, sim, home.path());
        let (whole, killed) = (home.path().join("whole"), home.path().join("killed"));
        bin.store(&whole).await;
        bin.store(&killed).await;

        let points = home.path().join("points.log");
        let log = [("ORDERDESK_KILL_LOG", points.to_string_lossy().into_owned())];
        let out = bin.run(&whole, &["sync", "--once"], &log).await;
        assert!(out.status.success(), "{}: {out:?}", shop.title);
        let passed = std::fs::read_to_string(&points)
            .expect("points")
            .lines()
            .count();
        assert!(passed >= 4, "{}: {passed} kill points", shop.title);

        let at = [("ORDERDESK_KILL_AT", (passed / 2).to_string())];
        let out = bin.run(&killed, &["sync", "--once"], &at).await;
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGKILL),
            "{}: killed at point {} of {passed}: {out:?}",
            shop.title,
            passed / 2
        );
        let out = bin.run(&killed, &["sync", "--once"], &[]).await;
        assert!(out.status.success(), "{}: {out:?}", shop.title);

        let (want, got) = (bin.outcome(&whole).await, bin.outcome(&killed).await);
        assert_eq!(got.0.len(), want.0.len(), "{}: orders", shop.title);
        for (name, seen) in &want.0 {
            assert_eq!(got.0.get(name), Some(seen), "{}: {name}", shop.title);
        }
        assert_eq!(got.1, want.1, "{}: stock", shop.title);
        // And the uninterrupted one is what the shop's cases expect.
        let wrong: Vec<String> = shop
            .expected
            .iter()
            .filter_map(|(name, case, state)| {
                let now = got.0.get(name).and_then(|s| s["state"].as_str());
                let now = now.unwrap_or("skipped");
                (now != state).then(|| format!("{name} ({case}): expected {state}, got {now}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}:\n{}", shop.title, wrong.join("\n"));
        let out = bin.run(&killed, &["check"], &[]).await;
        assert!(out.status.success(), "{}: {out:?}", shop.title);
        shop.started.stop();
    }
}
