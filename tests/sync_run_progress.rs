//! A running sync run shows its counts as it goes: after each page of orders the run is
//! recorded with what it took in so far, and the console hears of it (DESIGN.md §1 "Sync runs").
//! A page the store cannot take in fails the run where it stands, whole.

mod engine_common;

use chrono::{Duration, Utc};
use engine_common::*;
use orderdesk::channels::{BoxFuture, Channel, ChannelError, FetchedOrder, OrdersPage};
use orderdesk::domain::{OrderState, ShopOrder};
use orderdesk::engine::EngineEvent;
use orderdesk::sync::{RunOptions, run_once};
use std::sync::Arc;
use tokio::sync::Notify;

const WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// A shop of two pages that holds the second back until the test lets it go.
struct TwoPages {
    first: Vec<ShopOrder>,
    second: Vec<ShopOrder>,
    /// Told when the run asks for the second page (the first is taken in by then).
    at_second: Notify,
    go_on: Notify,
}

impl Channel for TwoPages {
    fn platform(&self) -> &'static str {
        "shopify"
    }

    fn fetch_orders_page<'a>(
        &'a self,
        _since: chrono::DateTime<Utc>,
        after: Option<&'a str>,
    ) -> BoxFuture<'a, Result<OrdersPage, ChannelError>> {
        Box::pin(async move {
            if after.is_none() {
                return Ok(OrdersPage {
                    orders: self.first.iter().map(incoming).collect(),
                    next: Some("2".into()),
                });
            }
            self.at_second.notify_one();
            self.go_on.notified().await;
            Ok(OrdersPage {
                orders: self.second.iter().map(incoming).collect(),
                next: None,
            })
        })
    }

    fn fetch_order<'a>(
        &'a self,
        _remote_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<FetchedOrder>, ChannelError>> {
        Box::pin(async { Ok(None) })
    }
}

/// An order created yesterday (inside the first run's window whatever today is).
fn recent(o: ShopOrder) -> ShopOrder {
    let yesterday = Utc::now() - Duration::days(1);
    ShopOrder {
        created_at: yesterday,
        updated_at: yesterday,
        ..o
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_run_shows_its_counts_after_each_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = seeded(dir.path());
    let shop = Arc::new(TwoPages {
        first: vec![
            recent(order("7001", &[("MUG", 1)])),
            recent(stranger(order("7002", &[("TEE", 1)]))),
        ],
        second: vec![recent(order("7003", &[("MUG", 1)]))],
        at_second: Notify::new(),
        go_on: Notify::new(),
    });
    let mut events = engine.subscribe();
    let run = tokio::spawn({
        let (engine, shop) = (engine.clone(), shop.clone());
        async move {
            let opts = RunOptions {
                overlap_seconds: 60,
            };
            run_once(&engine, shop.as_ref(), "web", opts).await
        }
    });
    tokio::time::timeout(WAIT, shop.at_second.notified())
        .await
        .expect("the run asks for the second page");

    // After the first page, still running: the sync log has its counts so far.
    let running = engine.sync_runs(1).expect("runs").remove(0);
    assert_eq!(running.finished_at, None, "the run is still running");
    assert_eq!((running.fetched, running.booked, running.parked), (2, 1, 1));
    let mut heard = Vec::new();
    while let Ok(ev) = events.try_recv() {
        heard.push(ev);
    }
    assert!(
        heard.contains(&EngineEvent::SyncProgress {
            store: "web".into()
        }),
        "the console is told: {heard:?}"
    );

    shop.go_on.notify_one();
    let done = tokio::time::timeout(WAIT, run)
        .await
        .expect("the run ends")
        .expect("run task")
        .expect("run");
    assert!(done.ok);
    assert_eq!((done.fetched, done.booked, done.parked), (3, 2, 1));
    let stored = engine.sync_run(done.id).expect("run").expect("stored");
    assert_eq!(stored.fetched, 3);
    assert_eq!(
        stored.touched.len(),
        3,
        "its end records the orders touched"
    );
}

/// A catalog sync that fails says so and ends the store's run: the console would otherwise
/// show the store syncing for good.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_sync_that_fails_ends_its_run_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = seeded(dir.path());
    // No catalog at this shop: its first page fails.
    let shop = TwoPages {
        first: vec![],
        second: vec![],
        at_second: Notify::new(),
        go_on: Notify::new(),
    };
    let mut events = engine.subscribe();
    let failed = orderdesk::sync::catalog::run_catalog(&engine, &shop, "web").await;
    let why = failed.expect_err("no catalog").to_string();
    assert!(why.contains("cannot read its catalog"), "{why}");
    let mut heard = Vec::new();
    while let Ok(ev) = events.try_recv() {
        heard.push(ev);
    }
    let running = |running| EngineEvent::SyncRun {
        store: "web".into(),
        running,
    };
    let start = heard.iter().position(|e| *e == running(true));
    let end = heard.iter().position(|e| *e == running(false));
    assert!(start.is_some() && end > start, "{heard:?}");
    assert!(
        heard.iter().any(|e| matches!(e,
            EngineEvent::CatalogDone { store, message }
                if store == "web" && message.contains("cannot read its catalog"))),
        "{heard:?}"
    );
    let run = engine.sync_runs(1).expect("runs").remove(0);
    assert!(!run.ok, "the sync log has the failure");
}

/// A page the store cannot take in fails the run where it stands, whole: none of its orders
/// is kept, the run is finished in the sync log with the reason, and the next run takes the
/// page in once the cause is gone (a page is one transaction).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_cannot_be_written_fails_the_run_whole_and_is_taken_in_next_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = seeded(dir.path());
    // Two more of MUG sold would take its stock below the least stock may hold.
    let low = "id,sku,name,price,stock\nP1,MUG,Mug,9.50,-999999999\n";
    engine.import_products("low.csv", low).expect("import");
    let shop = TwoPages {
        first: ["8001", "8002", "8003"]
            .iter()
            .zip(["TEE", "MUG", "CAP"])
            .map(|(rid, sku)| recent(order(rid, &[(sku, if sku == "MUG" { 2 } else { 1 })])))
            .collect(),
        second: vec![],
        at_second: Notify::new(),
        go_on: Notify::new(),
    };
    let opts = || RunOptions {
        overlap_seconds: 60,
    };

    let run = run_once(&engine, &shop, "web", opts()).await.expect("run");
    assert!(!run.ok, "{run:?}");
    assert!(run.finished_at.is_some(), "finished, not left running");
    let why = run.message.clone().unwrap_or_default();
    assert!(
        why.starts_with("store web: orders it sent could not be taken in")
            && why.contains("product P1 (Mug)")
            && why.contains("range stock may hold"),
        "{why}"
    );
    let logged = engine.sync_runs(1).expect("runs").remove(0);
    assert_eq!((logged.id, logged.ok), (run.id, false));
    assert_eq!(logged.message.as_deref(), Some(why.as_str()));
    for rid in ["8001", "8002", "8003"] {
        assert!(
            find(&engine, rid).is_none(),
            "{rid}: none of the page is kept"
        );
    }
    assert_eq!(
        engine.cursor("web").expect("cursor"),
        None,
        "the cursor stays"
    );

    let fixed = "id,sku,name,price,stock\nP1,MUG,Mug,9.50,10\n";
    engine.import_products("fixed.csv", fixed).expect("import");
    shop.go_on.notify_one();
    let run = run_once(&engine, &shop, "web", opts()).await.expect("run");
    assert!(run.ok, "{run:?}");
    assert_eq!((run.fetched, run.booked), (3, 3));
    for rid in ["8001", "8002", "8003"] {
        assert_eq!(get(&engine, rid).state, OrderState::Booked, "{rid}");
    }
    check_counts(&engine);
}
