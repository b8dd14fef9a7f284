//! The suite's shop: one platform's simulator and a store connected to it through the
//! registry row, with what every scenario asks of them.

use orderdesk::channels::Channel;
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;
use orderdesk::engine::Engine;
use orderdesk::platforms::{PLATFORMS, Row};
use orderdesk::sim::{SimSpec, Simulator, Started};
use orderdesk::sync::outbox::drain;
use orderdesk::sync::{RunOptions, run_once};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One platform's shop and a store connected to it.
pub(crate) struct Shop {
    pub(crate) title: &'static str,
    pub(crate) started: Started,
    pub(crate) engine: Engine,
    pub(crate) channel: Arc<dyn Channel>,
    /// `(name, case, state)` as the simulator's `expected.json` gives them.
    pub(crate) expected: Vec<(String, String, String)>,
    pub(crate) _dir: tempfile::TempDir,
}

/// The rows with a connector and a simulator: every platform the suite runs on.
pub(crate) fn platforms() -> Vec<(&'static Row, &'static Simulator)> {
    let rows: Vec<_> = PLATFORMS
        .iter()
        .filter(|r| r.connect.is_some())
        .filter_map(|r| r.simulator.as_ref().map(|s| (r, s)))
        .collect();
    assert!(rows.len() >= 2, "Shopify and WooCommerce at least");
    rows
}

pub(crate) async fn shop(row: &'static Row, sim: &'static Simulator, orders: usize) -> Shop {
    shop_with(row, sim, orders, 0, |_| {}).await
}

/// A shop whose catalog has `catalog` generated products beyond the seeded ones, its store
/// as `adjust` leaves it.
pub(crate) async fn shop_with(
    row: &'static Row,
    sim: &'static Simulator,
    orders: usize,
    catalog: usize,
    adjust: impl Fn(&mut StoreConfig),
) -> Shop {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = SimSpec {
        orders,
        bucket: 2000,
        restore: 2000,
        catalog,
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
    adjust(&mut store);
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
    pub(crate) async fn run(&self) -> orderdesk::engine::SyncRun {
        let opts = RunOptions {
            overlap_seconds: 60,
        };
        run_once(&self.engine, self.channel.as_ref(), "web", opts)
            .await
            .expect("run recorded")
    }

    pub(crate) fn states(&self) -> BTreeMap<String, String> {
        self.engine
            .all_orders(None)
            .expect("orders")
            .into_iter()
            .map(|o| (o.name.clone(), o.state.as_str().to_string()))
            .collect()
    }

    /// The cases not in their expected state, one line each (`skip` left out).
    pub(crate) fn wrong(&self, skip: Option<&str>) -> Vec<String> {
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

    pub(crate) async fn sim(&self, path: &str, body: Value) {
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

    pub(crate) async fn log(&self, kind: &str) -> Vec<Value> {
        let all = self.whole_log().await;
        all.into_iter().filter(|e| e["kind"] == kind).collect()
    }

    pub(crate) async fn whole_log(&self) -> Vec<Value> {
        reqwest::get(format!("{}/_sim/log", self.started.url))
            .await
            .expect("log")
            .json()
            .await
            .expect("log JSON")
    }

    /// What the shop received for one order, of every kind.
    pub(crate) async fn log_of(&self, order: &orderdesk::domain::Order) -> Vec<Value> {
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
    pub(crate) fn ship(&self, id: u64, tracking: &str) {
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
    pub(crate) async fn drain_twice(&self) {
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
    pub(crate) async fn reread_keeps(&self, id: u64, state: OrderState) {
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

    /// What the shop shows of `order` now.
    pub(crate) async fn remote(
        &self,
        order: &orderdesk::domain::Order,
    ) -> orderdesk::domain::outbox::RemoteOrderState {
        self.channel
            .order_state(&order.remote_id)
            .await
            .expect("read")
            .expect("the order")
    }

    /// [`Shop::reread_keeps`], and the shop heard no more of `order` than `told` entries of
    /// its log since it had `before`.
    pub(crate) async fn reread_sends_nothing(
        &self,
        order: &orderdesk::domain::Order,
        state: OrderState,
        before: usize,
        told: usize,
    ) {
        self.reread_keeps(order.id, state).await;
        assert_eq!(
            self.log_of(order).await.len() - before,
            told,
            "{}: nothing more sent",
            self.title
        );
    }

    /// An order in `states` (not a test) with a line of two or more: the order and the line.
    pub(crate) fn with_a_line_of_two(
        &self,
        states: &[OrderState],
    ) -> (orderdesk::domain::Order, usize) {
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

    pub(crate) fn order(&self, id: u64) -> orderdesk::domain::Order {
        self.engine
            .order_detail(id)
            .expect("read")
            .expect("the order")
            .order
    }

    /// A booked order that is not a pickup, by its remote id.
    pub(crate) fn a_booked_order(&self) -> orderdesk::domain::Order {
        self.engine
            .all_orders(Some(OrderState::Booked))
            .expect("orders")
            .into_iter()
            .find(|o| o.shipping.as_ref().is_some_and(|s| !s.pickup) && !o.test)
            .expect("a booked order to ship")
    }
}
