//! Shoprenter's connector against its simulator: pages from 0 over the shop's orders at 3
//! requests a second, and a simulator that refuses what Shoprenter refuses (no or wrong HTTP
//! Basic, no JSON `Accept`, bad paging, a fourth request in a second).

use orderdesk::channels::Channel;
use orderdesk::channels::shoprenter::{FETCHED, ON_CHANGE, ShoprenterChannel, SrStatuses};
use orderdesk::domain::platform::StatusMap;
use orderdesk::sim::shoprenter::{Seeded, ShoprenterOptions, start};
use serde_json::Value;
use std::time::{Duration, Instant};

async fn shop(orders: usize) -> String {
    let opts = ShoprenterOptions {
        orders,
        user: Some("api_user".into()),
        password: Some("api_pw".into()),
        ..ShoprenterOptions::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let seeded = Seeded::new(&opts);
    start(opts, seeded, listener, Default::default())
        .await
        .expect("starts")
        .url()
}

fn channel(url: &str, password: &str) -> ShoprenterChannel {
    let statuses = SrStatuses {
        map: StatusMap::from_parts(&FETCHED, &ON_CHANGE),
    };
    ShoprenterChannel::new(url, "api_user".into(), password.into(), statuses)
        .expect("a channel")
        .with_retry_delay(Duration::from_millis(10))
}

async fn usage(url: &str) -> Value {
    reqwest::get(format!("{url}/_sim/usage"))
        .await
        .expect("usage")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_from_zero_read_every_order_at_three_requests_a_second() {
    let url = shop(120).await;
    let c = channel(&url, "api_pw");
    let since = chrono::Utc::now() - chrono::Duration::days(70);
    let started = Instant::now();
    let (mut after, mut seen, mut pages) = (None, Vec::new(), 0);
    loop {
        let page = c
            .fetch_orders_page(since, after.as_deref())
            .await
            .expect("a page");
        pages += 1;
        seen.extend(page.orders.iter().map(|o| o.remote_id.clone()));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(pages, 3, "50 a page from page 0");
    assert_eq!(seen.len(), 120);
    let first = c.fetch_order(&seen[0]).await.expect("read").expect("found");
    let order = first.order.expect("reads");
    assert_eq!(order.remote_id, seen[0]);
    assert!(
        order.name.parse::<u64>().is_ok(),
        "the inner id: {}",
        order.name
    );
    for id in &seen[1..4] {
        assert!(c.order_state(id).await.expect("read").is_some());
    }
    // 3 pages, then 1 order and 3 states of two requests each: 10 requests, 3 a second.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(usage(&url).await["refused"], 0, "the connector kept to it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_an_auth_error_without_the_password() {
    let url = shop(3).await;
    let e = channel(&url, "not_the_pw")
        .fetch_orders_page(chrono::Utc::now(), None)
        .await
        .expect_err("refused");
    let text = e.to_string();
    assert!(text.contains("refused the credentials"), "{text}");
    assert!(!text.contains("not_the_pw"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_refuses_what_shoprenter_refuses() {
    let url = shop(3).await;
    let client = reqwest::Client::new();
    let get = |path: &str, user: &str, accept: Option<&str>| {
        let mut r = client
            .get(format!("{url}{path}"))
            .basic_auth(user, Some("api_pw"));
        if let Some(a) = accept {
            r = r.header("accept", a);
        }
        r.send()
    };
    let status = |r: reqwest::Response| r.status().as_u16();
    let json = Some("application/json");
    assert_eq!(
        status(get("/orderExtend", "api_user", None).await.expect("answer")),
        406
    );
    assert_eq!(
        status(
            get("/orderExtend", "api_user", Some("application/xml"))
                .await
                .expect("answer")
        ),
        406
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        status(get("/orderExtend", "someone", json).await.expect("answer")),
        401
    );
    for bad in [
        "limit=201",
        "limit=0",
        "page=-1",
        "page=x",
        "dateUpdatedFrom=yesterday",
    ] {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let r = get(&format!("/orderExtend?{bad}"), "api_user", json)
            .await
            .expect("answer");
        assert_eq!(status(r), 400, "{bad}");
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = get("/orderExtend?page=0&limit=2", "api_user", json)
        .await
        .expect("answer");
    let page: Value = r.json().await.expect("JSON");
    assert_eq!(page["pageCount"], "2");
    assert!(page["items"][0]["href"].as_str().is_some());
    assert!(
        page["items"][0]["total"].is_null(),
        "without full=1, hrefs only"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // A page far past the end is an empty page, not a failure.
    let r = get(
        &format!("/orderExtend?page={}&limit=200", u64::MAX),
        "api_user",
        json,
    )
    .await
    .expect("answer");
    assert_eq!(status(r), 200);
    let mut answers = Vec::new();
    for _ in 0..3 {
        let r = get("/orderExtend?full=1", "api_user", json)
            .await
            .expect("answer");
        answers.push((
            r.status().as_u16(),
            r.headers().get("retry-after").is_some(),
        ));
    }
    assert!(answers.contains(&(429, true)), "{answers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_added_at_the_shop_reads_through_the_connector() {
    let url = shop(2).await;
    let added: Value = reqwest::Client::new()
        .post(format!("{url}/_sim/orders"))
        .json(
            &serde_json::json!({"firstname": "Anna", "lastname": "Kiss", "total": "1270.0000",
            "orderProducts": [{"id": "b3JkZXJQcm9kdWN0LW9yZGVyX3Byb2R1Y3RfaWQ9MQ==", "name": "Tea",
                "sku": "TEA-001", "price": "1000.0000", "total": "1000.0000", "quantity": "1"}]}),
        )
        .send()
        .await
        .expect("added")
        .json()
        .await
        .expect("JSON");
    let id = added["id"].as_str().expect("an id");
    let got = channel(&url, "api_pw")
        .fetch_order(id)
        .await
        .expect("read")
        .expect("found");
    let order = got.order.expect("reads");
    assert_eq!(order.lines[0].sku.as_deref(), Some("TEA-001"));
    assert!(order.customer.is_none(), "a guest");
    assert!(added["href"].as_str().is_some_and(|h| h.starts_with(&url)));
}
