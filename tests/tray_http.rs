//! Tray's connector against its simulator: the access token from the code, renewed once when
//! near its expiry or refused, kept in the store across a restart; a refused renewal that
//! tells the operator to issue a new code; the budget of requests a window and a day, kept by
//! the connector and enforced by the simulator with Tray's 429.

use orderdesk::channels::http::budget::Budget;
use orderdesk::channels::tray::{FETCHED, ON_CHANGE, TrayChannel, TrayStatuses};
use orderdesk::config::{Config, Secret, StoreConfig};
use orderdesk::domain::platform::StatusMap;
use orderdesk::engine::Engine;
use orderdesk::sim::tray::{Seeded, TrayOptions, start};
use orderdesk::sync::{RunOptions, run_once};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

struct Shop {
    url: String,
    engine: Engine,
    _dir: tempfile::TempDir,
}

async fn shop(opts: TrayOptions) -> Shop {
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let seeded = Seeded::new(&opts);
    let handle = start(opts, seeded, listener, Default::default())
        .await
        .expect("starts");
    let url = handle.url();
    let credentials = ["key", "secret", "code"]
        .map(|k| (k, Secret::new(format!("tray_{k}"))))
        .to_vec();
    let store = StoreConfig::new("br", "tray", &url, credentials);
    let cfg = Config {
        stores: vec![store],
        ..Config::empty()
    };
    let engine = Engine::open(&dir.path().join("store"), "anna", cfg.settings()).expect("store");
    Shop {
        url,
        engine,
        _dir: dir,
    }
}

impl Shop {
    /// A new connector, as a restart makes one.
    fn channel(&self, budget: Budget) -> TrayChannel {
        let statuses = TrayStatuses::from_map(&StatusMap::from_parts(&FETCHED, &ON_CHANGE));
        TrayChannel::new(
            &self.url,
            "tray_key".into(),
            "tray_secret".into(),
            "tray_code".into(),
            statuses,
            "EUR",
        )
        .expect("a channel")
        .with_budget(budget)
        .with_retry_delay(Duration::from_millis(10))
    }

    async fn run(&self, channel: &TrayChannel) -> orderdesk::engine::SyncRun {
        let opts = RunOptions {
            overlap_seconds: 60,
        };
        run_once(&self.engine, channel, "br", opts)
            .await
            .expect("run recorded")
    }

    async fn admin(&self, path: &str, body: Value) -> Value {
        reqwest::Client::new()
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .expect("test API")
            .json()
            .await
            .expect("JSON")
    }

    async fn usage(&self) -> Value {
        reqwest::get(format!("{}/_sim/usage", self.url))
            .await
            .expect("usage")
            .json()
            .await
            .expect("JSON")
    }

    /// How many token pairs the store issued so far.
    async fn issued(&self) -> u64 {
        self.admin("/_sim/tokens", json!({})).await["tokens"]
            .as_u64()
            .expect("a count")
    }
}

fn opts(orders: usize) -> TrayOptions {
    TrayOptions {
        orders,
        key: Some("tray_key".into()),
        secret: Some("tray_secret".into()),
        code: Some("tray_code".into()),
        ..TrayOptions::default()
    }
}

const ROOMY: Budget = Budget::per_minute(1000, 10_000);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_renewed_once_and_kept_across_a_restart() {
    let shop = shop(opts(12)).await;
    let run = shop.run(&shop.channel(ROOMY)).await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(shop.issued().await, 1, "one token from the code");
    let kept = shop
        .engine
        .channel_session("br")
        .expect("read")
        .expect("kept");

    // Tray stops taking the token before its date: renewed once, the run goes on.
    shop.admin("/_sim/tokens", json!({"expire_access": true}))
        .await;
    let channel = shop.channel(ROOMY);
    assert!(shop.run(&channel).await.ok);
    assert_eq!(shop.issued().await, 2, "renewed once");
    let renewed = shop
        .engine
        .channel_session("br")
        .expect("read")
        .expect("kept");
    assert_ne!(renewed, kept, "the new tokens are kept");

    // A restart (a new connector) uses the kept tokens: no new code, no renewal.
    let run = shop.run(&shop.channel(ROOMY)).await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(shop.issued().await, 2);
    assert!(
        run.message
            .as_deref()
            .is_some_and(|m| m.contains("Tray API requests today:")),
        "the day's use in the sync log: {:?}",
        run.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_near_its_expiry_is_renewed_before_use_with_the_kept_refresh_token() {
    let shop = shop(opts(3)).await;
    assert!(shop.run(&shop.channel(ROOMY)).await.ok);
    assert_eq!(shop.issued().await, 1);
    // Two hours and 55 minutes later, as the kept session sees it: five minutes left.
    let text = shop
        .engine
        .channel_session("br")
        .expect("read")
        .expect("kept");
    let mut session: Value = serde_json::from_str(&text).expect("JSON");
    let now = chrono::Utc::now();
    session["obtained"] = json!(now - chrono::Duration::minutes(175));
    session["access_expires"] = json!(now + chrono::Duration::minutes(5));
    shop.engine
        .keep_channel_session("br", &session.to_string())
        .expect("kept");
    // After a restart the kept refresh token renews it: not the code (taken back here).
    shop.admin("/_sim/tokens", json!({"revoke_code": true}))
        .await;
    let before = shop.usage().await["today"].as_u64().expect("count");
    let run = shop.run(&shop.channel(ROOMY)).await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(
        shop.issued().await,
        2,
        "renewed once before the run's requests"
    );
    let after = shop.usage().await["today"].as_u64().expect("count");
    assert!(after - before >= 2, "the renewal and the list at least");
    let kept: Value = serde_json::from_str(
        &shop
            .engine
            .channel_session("br")
            .expect("read")
            .expect("kept"),
    )
    .expect("JSON");
    assert_ne!(
        kept["refresh_token"], session["refresh_token"],
        "the new tokens kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_renewal_tells_the_operator_to_issue_a_new_code() {
    let shop = shop(opts(3)).await;
    assert!(shop.run(&shop.channel(ROOMY)).await.ok);
    shop.admin(
        "/_sim/tokens",
        json!({"expire_access": true, "revoke_refresh": true}),
    )
    .await;
    let run = shop.run(&shop.channel(ROOMY)).await;
    assert!(!run.ok);
    let message = run.message.unwrap_or_default();
    assert!(
        message.contains("new code") && message.contains("code_env"),
        "{message}"
    );
    assert!(
        !message.contains("APP_"),
        "no token in the message: {message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_s_budget_is_waited_for_and_the_simulator_never_refuses() {
    let window = Budget {
        per_window: 4,
        window: Duration::from_secs(1),
        per_day: 10_000,
    };
    let shop = shop(TrayOptions {
        per_window: 4,
        window: Duration::from_secs(1),
        ..opts(10)
    })
    .await;
    let started = Instant::now();
    let run = shop.run(&shop.channel(window)).await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(run.fetched, 10);
    // 12 requests (the code, the list, ten orders) at four a second: two waits at least.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(shop.usage().await["refused"], 0, "the connector kept to it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_refuses_past_the_budget_with_429_and_the_connector_waits_it_out() {
    let shop = shop(TrayOptions {
        per_window: 3,
        window: Duration::from_secs(1),
        ..opts(6)
    })
    .await;
    // A connector that does not know the budget meets Tray's 429 and waits as it says.
    let run = shop.run(&shop.channel(ROOMY)).await;
    assert!(run.ok, "{:?}", run.message);
    assert_eq!(run.fetched, 6);
    assert!(shop.usage().await["refused"].as_u64().expect("count") >= 1);
    // Straight at the simulator: the fourth request of a second is refused, as Tray does.
    let mut answers = Vec::new();
    for _ in 0..4 {
        let r = reqwest::get(format!("{}/orders?access_token=x", shop.url))
            .await
            .expect("answer");
        let after = r.headers().get("retry-after").is_some();
        answers.push((r.status().as_u16(), after));
    }
    assert!(answers.contains(&(429, true)), "{answers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_day_s_budget_stops_the_sync_and_says_so() {
    let day = Budget::per_minute(1000, 6);
    let shop = shop(TrayOptions {
        per_day: 6,
        ..opts(10)
    })
    .await;
    let run = shop.run(&shop.channel(day)).await;
    assert!(!run.ok, "the day's budget stops it");
    let message = run.message.unwrap_or_default();
    assert!(message.contains("6 requests a day is spent"), "{message}");
    assert!(
        message.contains("Tray API requests today: 6 of 6"),
        "{message}"
    );
    assert_eq!(shop.usage().await["today"], 6, "never past the budget");
    // The simulator refuses past its day too, with 429.
    let r = reqwest::get(format!("{}/orders?access_token=x", shop.url))
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 429);
    let body: Value = r.json().await.expect("JSON");
    assert!(
        body["causes"][0]
            .as_str()
            .unwrap_or_default()
            .contains("dia"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_refuses_bad_paging_and_bad_tokens() {
    let shop = shop(opts(3)).await;
    let get = |q: &str| reqwest::get(format!("{}/orders?{q}", shop.url));
    assert_eq!(get("limit=5").await.expect("answer").status().as_u16(), 401);
    let auth = reqwest::Client::new()
        .post(format!("{}/auth", shop.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("consumer_key=tray_key&consumer_secret=tray_secret&code=tray_code")
        .send()
        .await
        .expect("answer");
    assert_eq!(auth.status().as_u16(), 201);
    let tokens: Value = auth.json().await.expect("JSON");
    let token = tokens["access_token"].as_str().expect("a token");
    for bad in [
        "limit=51",
        "limit=0",
        "page=0",
        "sort=name_asc",
        "modified=yesterday",
    ] {
        let r = get(&format!("access_token={token}&{bad}"))
            .await
            .expect("answer");
        assert_eq!(r.status().as_u16(), 400, "{bad}");
    }
    let r = get(&format!("access_token={token}&limit=2&page=2"))
        .await
        .expect("answer");
    let page: Value = r.json().await.expect("JSON");
    assert_eq!(page["paging"]["total"], 3);
    assert_eq!(page["Orders"].as_array().map(Vec::len), Some(1));
    // A page far past the end is an empty page, not a failure.
    let r = get(&format!("access_token={token}&limit=50&page={}", u64::MAX))
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 200);
    let page: Value = r.json().await.expect("JSON");
    assert_eq!(page["Orders"].as_array().map(Vec::len), Some(0));
    let wrong = reqwest::Client::new()
        .post(format!("{}/auth", shop.url))
        .json(&json!({"consumer_key": "tray_key", "consumer_secret": "nope", "code": "tray_code"}))
        .send()
        .await
        .expect("answer");
    assert_eq!(wrong.status().as_u16(), 401);
}

#[test]
fn a_kept_session_survives_closing_the_store_and_is_replaced_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store");
    let open = || Engine::open(&path, "anna", Config::empty().settings()).expect("store");
    let engine = open();
    assert_eq!(engine.channel_session("br").expect("read"), None);
    engine
        .keep_channel_session("br", "{\"a\":1}")
        .expect("kept");
    engine
        .keep_channel_session("br", "{\"a\":2}")
        .expect("kept");
    engine
        .keep_channel_session("other", "{\"b\":1}")
        .expect("kept");
    drop(engine);
    let engine = open();
    assert_eq!(
        engine.channel_session("br").expect("read").as_deref(),
        Some("{\"a\":2}")
    );
    assert_eq!(
        engine.channel_session("other").expect("read").as_deref(),
        Some("{\"b\":1}")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_added_at_the_shop_comes_in_with_the_next_run() {
    let shop = shop(opts(2)).await;
    assert!(shop.run(&shop.channel(ROOMY)).await.ok);
    let added = shop
        .admin(
            "/_sim/orders",
            json!({"Order": {"total": "12.00", "partial_total": "12.00", "ProductsSold": [
                {"ProductsSold": {"id": "77", "product_id": "1", "reference": "TEA-001",
                    "name": "Tea", "quantity": "1", "price": "12.00"}}]}}),
        )
        .await;
    let id = added["Order"]["id"].as_str().expect("an id").to_string();
    assert_eq!(id, "40003", "after the seeded ones");
    let again = shop.admin("/_sim/orders", json!({"id": "40003"})).await;
    assert!(
        again["message"]
            .as_str()
            .unwrap_or_default()
            .contains("exists"),
        "{again}"
    );
    let run = shop.run(&shop.channel(ROOMY)).await;
    assert!(run.ok, "{:?}", run.message);
    let orders = shop.engine.all_orders(None).expect("orders");
    let o = orders
        .iter()
        .find(|o| o.name == id)
        .expect("the added order");
    assert_eq!(o.lines.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_larger_than_a_day_s_budget_goes_on_the_next_day_where_it_stopped() {
    let straight = shop(opts(110)).await;
    let shop = shop(opts(110)).await;
    // The first day's budget covers the first page (50 orders, each read whole) and part of
    // the second.
    let first = shop.run(&shop.channel(Budget::per_minute(1000, 60))).await;
    assert!(!first.ok, "the day's budget stops it");
    let message = first.message.clone().unwrap_or_default();
    assert!(
        message.contains("orders taken in so far, the next run goes on from there"),
        "{message}"
    );
    let taken = shop.engine.all_orders(None).expect("orders").len();
    // What one run with budget enough takes in, on a shop seeded the same.
    assert!(straight.run(&straight.channel(ROOMY)).await.ok);
    let whole = straight.engine.all_orders(None).expect("orders").len();
    assert!(taken > 0 && taken < whole, "{taken} of {whole}");
    let resume = shop
        .engine
        .resume("br")
        .expect("read")
        .expect("where to go on");
    assert_eq!(resume.taken, first.fetched);
    assert!(resume.first_run);
    assert_eq!(shop.engine.cursor("br").expect("read"), None);

    // The next day: the run asks for the page where the first stopped, not the first page.
    let used = shop.usage().await["today"].as_u64().expect("a count");
    let second = shop.run(&shop.channel(ROOMY)).await;
    assert!(second.ok, "{:?}", second.message);
    let spent = shop.usage().await["today"].as_u64().expect("a count") - used;
    assert!(
        spent < 70,
        "only the pages not yet taken are read: {spent} requests"
    );
    let all = shop.engine.all_orders(None).expect("orders");
    let mut ids: Vec<&str> = all.iter().map(|o| o.remote_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no order twice");
    assert_eq!(all.len(), whole, "every order of the window");
    assert_eq!(shop.engine.resume("br").expect("read"), None);
    // An order read on the first day and changed since sits on a page already passed: the
    // cursor stays at the first day's start, so the next run reads it again.
    let cursor = shop.engine.cursor("br").expect("read").expect("a cursor");
    assert!(cursor <= first.started_at, "{cursor} {}", first.started_at);
}
