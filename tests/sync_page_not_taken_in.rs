//! A page the store cannot take in fails the run where it stands, whole: none of its orders is
//! kept, the run is finished in the sync log with the reason, and the next run takes the page
//! in once the cause is gone (DESIGN.md §1 "Sync runs"; an intake page is one transaction).

mod engine_common;

use chrono::{Duration, Utc};
use engine_common::*;
use orderdesk::channels::{BoxFuture, Channel, ChannelError, FetchedOrder, OrdersPage};
use orderdesk::domain::{OrderState, ShopOrder};
use orderdesk::sync::{RunOptions, run_once};

/// A shop with one page of orders.
struct OnePage(Vec<ShopOrder>);

impl Channel for OnePage {
    fn platform(&self) -> &'static str {
        "shopify"
    }

    fn fetch_orders_page<'a>(
        &'a self,
        _since: chrono::DateTime<Utc>,
        _after: Option<&'a str>,
    ) -> BoxFuture<'a, Result<OrdersPage, ChannelError>> {
        Box::pin(async move {
            Ok(OrdersPage {
                orders: self.0.iter().map(incoming).collect(),
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

fn recent(o: ShopOrder) -> ShopOrder {
    let yesterday = Utc::now() - Duration::days(1);
    ShopOrder {
        created_at: yesterday,
        updated_at: yesterday,
        ..o
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_cannot_be_written_fails_the_run_whole_and_is_taken_in_next_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = seeded(dir.path());
    // Two more of MUG sold would take its stock below the least stock may hold.
    engine
        .import_products(
            "low.csv",
            "id,sku,name,price,stock\nP1,MUG,Mug,9.50,-999999999\n",
        )
        .expect("import");
    let shop = OnePage(vec![
        recent(order("8001", &[("TEE", 1)])),
        recent(order("8002", &[("MUG", 2)])),
        recent(order("8003", &[("CAP", 1)])),
    ]);
    let opts = || RunOptions {
        overlap_seconds: 60,
    };

    let run = run_once(&engine, &shop, "web", opts()).await.expect("run");
    assert!(!run.ok, "{run:?}");
    assert!(
        run.finished_at.is_some(),
        "the run is finished, not left running"
    );
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

    engine
        .import_products("fixed.csv", "id,sku,name,price,stock\nP1,MUG,Mug,9.50,10\n")
        .expect("import");
    let run = run_once(&engine, &shop, "web", opts()).await.expect("run");
    assert!(run.ok, "{run:?}");
    assert_eq!((run.fetched, run.booked), (3, 3));
    for rid in ["8001", "8002", "8003"] {
        assert_eq!(get(&engine, rid).state, OrderState::Booked, "{rid}");
    }
    check_counts(&engine);
}
