//! Operator actions end to end: the engine's commands, the outbox worker and the real
//! connector against the Shopify simulator on 127.0.0.1:0. The simulator's log shows what the
//! shop received: every change exactly once.

mod support;

use orderdesk::channels::shopify::ShopifyChannel;
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;
use orderdesk::engine::Engine;
use orderdesk::sim::shopify::{self, Seeded, SimHandle, SimOptions};
use orderdesk::sync::outbox::drain;
use orderdesk::sync::{RunOptions, run_once};
use serde_json::{Value, json};

struct World {
    sim: SimHandle,
    engine: Engine,
    channel: ShopifyChannel,
    seeded_orders: Vec<Value>,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let opts = SimOptions {
        orders: 60,
        bucket: 2000,
        restore: 2000,
        ..SimOptions::default()
    };
    let seeded = Seeded::new(&opts);
    let (p, c, orders) = (
        seeded.products_csv(),
        seeded.customers_csv(),
        seeded.orders(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let sim = shopify::start(opts, seeded, listener).await.expect("sim");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sc = StoreConfig::new(
        "web",
        "shopify",
        &sim.url(),
        vec![("token", Secret::new("shpat_test"))],
    );
    sc.carriers.insert("DHL".into(), "DHL Express".into());
    let cfg = Config {
        stores: vec![sc.clone()],
        ..Config::empty()
    };
    let engine = Engine::open(dir.path(), "anna", cfg.settings()).expect("store");
    engine.import_products("p.csv", &p).expect("products");
    engine
        .import_customers("c.csv", &c, None)
        .expect("customers");
    let channel = ShopifyChannel::new(&sc.url, "shpat_test".into())
        .expect("channel")
        .with_retry_delay(std::time::Duration::from_millis(20));
    World {
        sim,
        engine,
        channel,
        seeded_orders: orders,
        _dir: dir,
    }
}

impl World {
    async fn sync(&self) {
        let run = run_once(
            &self.engine,
            &self.channel,
            "web",
            RunOptions {
                overlap_seconds: 60,
            },
        )
        .await
        .expect("run");
        assert!(run.ok, "{:?}", run.message);
    }
    fn id(&self, name: &str) -> u64 {
        self.engine
            .order_by_ref(&format!("web:{name}"))
            .expect("ref")
            .expect("order exists")
    }
    fn state(&self, name: &str) -> OrderState {
        self.engine
            .order_detail(self.id(name))
            .expect("detail")
            .expect("order")
            .order
            .state
    }
    async fn log(&self, kind: &str) -> Vec<Value> {
        let v = support::sim::log(&self.sim).await;
        v.as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e["kind"] == kind)
            .collect()
    }
    fn stock(&self, pid: &str) -> i64 {
        self.engine
            .product(pid)
            .expect("product")
            .expect("exists")
            .stock
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identify_pay_ship_complete_reaches_the_shop_once() {
    let w = world().await;
    w.sync().await;
    let id = w.id("1004");
    assert_eq!(w.state("1004"), OrderState::CustomerIdNeeded);
    let found = w
        .engine
        .search_customers("kovacs anna", 10)
        .expect("search");
    let anna = found
        .first()
        .expect("Anna Kovács is found by folded name")
        .id
        .clone();
    assert_eq!(
        w.engine.identify_customer(id, &anna).expect("identify"),
        OrderState::Booked
    );

    // Completed is refused while not paid; shipping needs a mapped carrier.
    w.engine
        .change_status(id, &StatusChange::ReadyToShip)
        .expect("ready to ship");
    let e = w.engine.change_status(
        id,
        &StatusChange::Shipped {
            carrier: "FedEx".into(),
            tracking: "X".into(),
        },
    );
    assert!(e.is_err_and(|e| e.to_string().contains("not mapped")));
    w.engine
        .change_status(
            id,
            &StatusChange::Shipped {
                carrier: "DHL".into(),
                tracking: "JD014600006281".into(),
            },
        )
        .expect("shipped");
    let e = w
        .engine
        .change_status(id, &StatusChange::Completed)
        .expect_err("not paid");
    assert!(e.to_string().contains("not paid in full"), "{e}");
    let balance = w
        .engine
        .order_detail(id)
        .expect("d")
        .expect("o")
        .order
        .balance();
    w.engine
        .record_payment(id, "VISA", balance, "auth 123", false)
        .expect("pay");
    assert_eq!(
        w.engine
            .change_status(id, &StatusChange::Completed)
            .expect("completed"),
        OrderState::Completed
    );

    let sent = drain(&w.engine, &w.channel, "web").await.expect("drain");
    assert_eq!(sent.sent, 1, "{:?}", sent.lines);
    let ships = w.log("fulfillment_create").await;
    assert_eq!(ships.len(), 1, "{ships:?}");
    assert_eq!(ships[0]["tracking_number"], "JD014600006281");
    assert_eq!(ships[0]["tracking_company"], "DHL Express");

    // The next pull sees the fulfilment as ours: no conflict, nothing sent again.
    w.sync().await;
    w.sync().await;
    assert_eq!(w.state("1004"), OrderState::Completed);
    let detail = w.engine.order_detail(id).expect("d").expect("o");
    assert!(
        detail.order.conflicts.is_empty(),
        "{:?}",
        detail.order.conflicts
    );
    assert!(
        detail.timeline.iter().any(|t| t.kind == "pushed"),
        "{:?}",
        detail.timeline
    );
    assert_eq!(w.log("fulfillment_create").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusing_cancels_at_the_shop_once_and_gives_stock_back_once() {
    let w = world().await;
    w.sync().await;
    let id = w.id("1001");
    let order = w.engine.order_detail(id).expect("d").expect("o").order;
    let (pid, qty) = order.booked_stock.first().cloned().expect("booked stock");
    let before = w.stock(&pid);
    w.engine
        .change_status(
            id,
            &StatusChange::Refused {
                reason: "customer called".into(),
            },
        )
        .expect("refused");
    assert_eq!(w.stock(&pid), before + qty);
    let sent = drain(&w.engine, &w.channel, "web").await.expect("drain");
    assert_eq!(sent.sent, 1, "{:?}", sent.lines);
    w.sync().await;
    w.sync().await;
    assert_eq!(w.state("1001"), OrderState::Refused);
    assert_eq!(w.stock(&pid), before + qty, "stock is not given back twice");
    assert_eq!(w.log("order_cancel").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_that_broke_after_the_shop_applied_it_is_not_sent_again() {
    let w = world().await;
    w.sync().await;
    let id = w.id("1001");
    w.engine
        .change_status(id, &StatusChange::ReadyToShip)
        .expect("ready");
    w.engine
        .change_status(
            id,
            &StatusChange::Shipped {
                carrier: "DHL".into(),
                tracking: "JD1".into(),
            },
        )
        .expect("ship");
    let (code, _) = support::sim::faults(&w.sim, json!({"drop_after_apply_next": 1})).await;
    assert_eq!(code, 200);
    let first = drain(&w.engine, &w.channel, "web").await.expect("drain");
    // Whether it settled in this pass or waits for the next, the shop got it once.
    if first.sent == 0 {
        drain(&w.engine, &w.channel, "web")
            .await
            .expect("drain again");
    }
    assert_eq!(w.log("fulfillment_create").await.len(), 1);
    let items = w.engine.order_outbox(id).expect("outbox");
    assert!(
        items
            .iter()
            .all(|i| i.status == orderdesk::domain::outbox::OutboxStatus::Sent),
        "{items:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_customer_and_line_mapping_match_the_next_order_by_themselves() {
    let w = world().await;
    w.sync().await;
    // #1004: an unknown customer. #1009: line 2 has an unknown SKU.
    let anna = w.engine.search_customers("kovacs", 5).expect("search")[0]
        .id
        .clone();
    w.engine
        .identify_customer(w.id("1004"), &anna)
        .expect("identify");
    let tea = w.engine.search_products("TEA-001", 5).expect("products")[0]
        .id
        .clone();
    w.engine.map_line(w.id("1009"), 2, &tea).expect("map line");
    assert_eq!(w.state("1009"), OrderState::Booked);

    // The shop sends a new order from the same customer, with the same unknown SKU.
    let pick = |name: &str| {
        w.seeded_orders
            .iter()
            .find(|o| o["name"] == name)
            .cloned()
            .expect("seeded")
    };
    let mut next = pick("#1004");
    let lines_1009 = pick("#1009")["lineItems"].clone();
    next["lineItems"] = lines_1009;
    for k in [
        "id",
        "legacyResourceId",
        "name",
        "number",
        "createdAt",
        "updatedAt",
        "processedAt",
        "fulfillmentOrders",
    ] {
        next.as_object_mut().expect("object").remove(k);
    }
    let resp = reqwest::Client::new()
        .post(format!("{}/_sim/orders", w.sim.url()))
        .json(&next)
        .send()
        .await
        .expect("post");
    assert!(resp.status().is_success());
    let added: Value = resp.json().await.expect("json");
    w.sync().await;
    let name = added["name"]
        .as_str()
        .expect("name")
        .trim_start_matches('#')
        .to_string();
    let o = w
        .engine
        .order_detail(w.id(&name))
        .expect("d")
        .expect("o")
        .order;
    assert_eq!(o.state, OrderState::Booked, "{:?}", o.problems);
    assert_eq!(o.customer.id.as_deref(), Some(anna.as_str()));
    assert!(
        o.lines
            .iter()
            .any(|l| l.matched.product_id.as_deref() == Some(tea.as_str()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_that_fails_for_a_while_gets_the_change_once_when_it_is_back() {
    let w = world().await;
    w.sync().await;
    let id = w.id("1001");
    w.engine
        .change_status(id, &StatusChange::ReadyToShip)
        .expect("ready");
    w.engine
        .change_status(
            id,
            &StatusChange::Shipped {
                carrier: "DHL".into(),
                tracking: "JD2".into(),
            },
        )
        .expect("ship");
    // Every request fails for a while: the item stays queued with the shop's words.
    let (code, _) = support::sim::faults(&w.sim, json!({"fail_next": 40, "status": 503})).await;
    assert_eq!(code, 200);
    let first = drain(&w.engine, &w.channel, "web").await.expect("drain");
    assert_eq!((first.sent, first.failed), (0, 1), "{:?}", first.lines);
    let items = w.engine.order_outbox(id).expect("outbox");
    assert_eq!(
        items[0].status,
        orderdesk::domain::outbox::OutboxStatus::Pending
    );
    assert!(
        items[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("503")),
        "{items:?}"
    );
    // The shop is back: one fulfilment, not more.
    let (code, _) = support::sim::faults(&w.sim, json!({"fail_next": 0})).await;
    assert_eq!(code, 200);
    let second = drain(&w.engine, &w.channel, "web")
        .await
        .expect("drain again");
    assert_eq!(second.sent, 1, "{:?}", second.lines);
    assert_eq!(w.log("fulfillment_create").await.len(), 1);
}
