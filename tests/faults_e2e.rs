//! Nothing is lost when the shop misbehaves: the simulator injects a fault, the real
//! connector and a sync run ride it out or fail the run cleanly, and the next run after the
//! fault clears lands everything (DESIGN.md §1 "Sync runs and the outbox").

mod support;

use orderdesk::channels::shopify::ShopifyChannel;
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::engine::{Engine, ProblemKind};
use orderdesk::sim::shopify::{Expected, SimHandle};
use orderdesk::sync::{RunOptions, run_once};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::sim::{SeededShop, faults, gql, seeded_shop};

const TOKEN: &str = "shpat_faults_token_8c1f";
const OPTS: RunOptions = RunOptions {
    overlap_seconds: 60,
};

struct Rig {
    sim: SimHandle,
    engine: Engine,
    channel: ShopifyChannel,
    expected: Vec<Expected>,
    _dir: tempfile::TempDir,
}

async fn rig(orders: usize) -> Rig {
    let SeededShop {
        sim,
        products,
        customers,
        expected,
    } = seeded_shop(orders, 3).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let sc = StoreConfig::new(
        "web",
        "shopify",
        &sim.url(),
        vec![("token", Secret::new(TOKEN))],
    );
    let cfg = Config {
        stores: vec![sc.clone()],
        ..Config::empty()
    };
    let engine = Engine::open(dir.path(), "anna", cfg.settings()).expect("store opens");
    engine
        .import_products("products.csv", &products)
        .expect("products");
    engine
        .import_customers("customers.csv", &customers, None)
        .expect("customers");
    let channel = ShopifyChannel::new(&sim.url(), TOKEN.into())
        .expect("channel")
        // Several pages, so that faults land mid-run and a repeat is seen on each page; the
        // first run reads pages too (its bulk operation has its own tests: shopify_bulk.rs).
        .with_bulk(false)
        .with_page_size(8)
        .with_retry_delay(Duration::from_millis(10))
        .with_timeout(Duration::from_millis(400))
        .expect("timeout");
    Rig {
        sim,
        engine,
        channel,
        expected,
        _dir: dir,
    }
}

impl Rig {
    async fn arm(&self, body: Value) {
        let (status, answer) = faults(&self.sim, body).await;
        assert_eq!(status, 200, "{answer}");
    }

    async fn run(&self) -> orderdesk::engine::SyncRun {
        run_once(&self.engine, &self.channel, "web", OPTS)
            .await
            .expect("run recorded")
    }

    async fn requests(&self) -> u64 {
        let stats: Value = reqwest::get(format!("{}/_sim/stats", self.sim.url()))
            .await
            .expect("stats")
            .json()
            .await
            .expect("json");
        stats["graphql_requests"].as_u64().unwrap_or(0)
    }

    /// How many orders the shop holds that are stored (not skipped).
    fn storable(&self) -> u64 {
        self.expected
            .iter()
            .filter(|e| e.state != "skipped")
            .count() as u64
    }

    /// The legacy id of an order the seeds book.
    async fn booked_ids(&self, n: usize) -> Vec<String> {
        let q = "{ orders(first: 100) { nodes { legacyResourceId name } } }";
        let body = gql(&self.sim, q, json!({})).await;
        let nodes = body["data"]["orders"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        nodes
            .iter()
            .filter(|o| {
                let name = o["name"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches('#');
                self.expected
                    .iter()
                    .any(|e| e.name == name && e.state == "booked")
            })
            .filter_map(|o| o["legacyResourceId"].as_str().map(str::to_string))
            .take(n)
            .collect()
    }

    fn problems(&self, kind: ProblemKind) -> Vec<String> {
        self.engine
            .problems()
            .expect("problems")
            .into_iter()
            .filter(|p| p.kind == kind)
            .map(|p| format!("{}: {}", p.subject, p.text))
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_faults_are_ridden_out_and_every_order_lands() {
    let r = rig(30).await;
    r.arm(
        json!({"fail_next": 1, "status": 503, "delay_next": 1, "delay_ms": 900,
                 "truncate_next": 1, "throttle_next": 2, "slow_next": 2, "slow_ms": 20}),
    )
    .await;
    let run = r.run().await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(run.fetched, r.expected.len() as u64);
    assert_eq!(r.engine.counts().total, r.storable());
    assert!(r.engine.cursor("web").expect("cursor").is_some());
    r.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_waits_at_least_retry_after() {
    let r = rig(10).await;
    r.arm(json!({"rate_limit_next": 1, "retry_after": 0.8}))
        .await;
    let started = Instant::now();
    let run = r.run().await;
    assert!(run.ok, "{:?}", run.message);
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "waited only {:?}",
        started.elapsed()
    );
    assert_eq!(r.engine.counts().total, r.storable());
    r.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_orders_are_named_in_errors_and_leave_once_they_read() {
    let r = rig(30).await;
    let ids = r.booked_ids(2).await;
    assert_eq!(ids.len(), 2);
    r.arm(
        json!({"malformed": {"order": ids[0], "field": "totalPriceSet.shopMoney.amount",
                               "value": "12,50"}}),
    )
    .await;
    r.arm(
        json!({"malformed": {"order": ids[1], "field": "displayFulfillmentStatus"},
                 "repeat_order_next": 5}),
    )
    .await;
    let run = r.run().await;
    assert!(
        run.ok,
        "a bad order does not fail the run: {:?}",
        run.message
    );
    assert_eq!(
        run.fetched,
        r.expected.len() as u64,
        "the repeat is taken once"
    );
    assert_eq!(r.engine.counts().total, r.storable() - 2);
    let unreadable = r.problems(ProblemKind::Unreadable);
    assert_eq!(unreadable.len(), 2, "{unreadable:?}");
    assert!(
        unreadable
            .iter()
            .any(|p| p.contains("totalPriceSet.shopMoney.amount") && p.contains("\"12,50\"")),
        "{unreadable:?}"
    );
    assert!(
        unreadable
            .iter()
            .any(|p| p.contains("displayFulfillmentStatus") && p.contains("nothing")),
        "{unreadable:?}"
    );

    r.arm(json!({"clear": true})).await;
    let run = r.run().await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(r.engine.counts().total, r.storable());
    assert!(r.problems(ProblemKind::Unreadable).is_empty());
    r.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_run_keeps_the_cursor_and_the_next_lands_everything() {
    let r = rig(20).await;
    r.arm(json!({"truncate_next": 100})).await;
    let run = r.run().await;
    assert!(!run.ok);
    assert_eq!(r.engine.cursor("web").expect("cursor"), None);
    assert_eq!(r.engine.counts().total, 0);
    let failed = r.problems(ProblemKind::StoreFailed);
    assert!(
        failed
            .iter()
            .any(|p| p.contains("store web") && p.contains("not JSON")),
        "{failed:?}"
    );
    r.arm(json!({"clear": true})).await;
    let run = r.run().await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(r.engine.counts().total, r.storable());
    assert!(r.problems(ProblemKind::StoreFailed).is_empty());
    assert!(r.engine.cursor("web").expect("cursor").is_some());
    r.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_credential_names_the_store_and_what_to_check_never_the_token() {
    let r = rig(10).await;
    r.arm(json!({"unauthorized_next": 1})).await;
    let before = r.requests().await;
    let run = r.run().await;
    assert!(!run.ok);
    assert_eq!(
        r.requests().await - before,
        1,
        "a refused token is not retried"
    );
    let msg = run.message.unwrap_or_default();
    // The config keys to check are added by the registry's connection (tests/secrets.rs);
    // this test holds the Shopify connector itself.
    for words in ["store web", "refused the credentials", "Invalid API key"] {
        assert!(msg.contains(words), "{words:?} missing: {msg}");
    }
    assert!(!msg.contains(TOKEN), "{msg}");
    let failed = r.problems(ProblemKind::StoreFailed).join("\n");
    assert!(!failed.contains(TOKEN));
    let run = r.run().await;
    assert!(run.ok, "{:?}", run.message);
    assert!(r.problems(ProblemKind::StoreFailed).is_empty());
    r.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_that_always_fails_or_hangs_is_left_in_bounded_time_and_requests() {
    let r = rig(10).await;
    for fault in [
        json!({"fail_next": 1000, "status": 503}),
        json!({"clear": true, "delay_next": 1000, "delay_ms": 2000}),
        json!({"clear": true, "throttle_next": 1000}),
    ] {
        r.arm(fault.clone()).await;
        let before = r.requests().await;
        let started = Instant::now();
        let run = r.run().await;
        let took = started.elapsed();
        let asked = r.requests().await - before;
        assert!(!run.ok, "{fault}");
        assert!(took < Duration::from_secs(20), "{fault}: {took:?}");
        assert!((1..=8).contains(&asked), "{fault}: {asked} requests");
        assert_eq!(r.engine.cursor("web").expect("cursor"), None);
    }
    r.arm(json!({"clear": true})).await;
    assert!(r.run().await.ok);
    r.sim.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_failing_on_a_later_page_keeps_the_cursor_and_nothing_lands_twice() {
    let r = rig(30).await;
    // Pages of 8: the first two read, the third answers 503 until the retries run out.
    r.arm(json!({"after_requests": 2, "fail_next": 100, "status": 503}))
        .await;
    let run = r.run().await;
    assert!(!run.ok);
    assert_eq!(run.fetched, 16, "two pages were taken in");
    assert_eq!(r.engine.cursor("web").expect("cursor"), None);
    let first = r.engine.counts().total;
    assert!(first > 0 && first < r.storable(), "{first}");
    let failed = r.problems(ProblemKind::StoreFailed).join("\n");
    assert!(
        failed.contains("store web") && failed.contains("503"),
        "{failed}"
    );

    r.arm(json!({"clear": true})).await;
    let run = r.run().await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(
        r.engine.counts().total,
        r.storable(),
        "none lost, none twice"
    );
    assert_eq!(
        run.booked + run.parked + run.rejected,
        r.storable() - first,
        "what the failed run took in is not taken in again"
    );
    assert!(r.problems(ProblemKind::StoreFailed).is_empty());
    r.sim.stop();
}
