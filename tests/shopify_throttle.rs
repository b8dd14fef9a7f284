//! The Shopify connector's rate limits and retries against a scripted loopback server:
//! Shopify's cost bucket, THROTTLED, 429 with Retry-After, 5xx and an unreachable shop.

#[path = "support/shopify_server.rs"]
mod server;

use orderdesk::channels::shopify::ShopifyChannel;
use orderdesk::channels::{Channel, ChannelError};
use serde_json::json;
use server::*;
use std::time::Duration;

#[tokio::test]
async fn a_throttled_answer_waits_for_the_missing_points_then_retries() {
    let throttled = json!({"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED",
        "documentation": "https://shopify.dev/api/usage/limits"}}], "extensions": cost(120.0, 100.0)});
    let (channel, script) = serve(vec![ok(throttled), ok(page(vec![], None))]).await;
    let page = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("read after the wait");
    assert!(page.orders.is_empty());
    let seen = script.seen();
    assert_eq!(seen.len(), 2);
    // (120 - 100) / 100 per second = 200 ms.
    let gap = seen[1].0 - seen[0].0;
    assert!(gap >= Duration::from_millis(190), "retried after {gap:?}");
}

#[tokio::test]
async fn a_nearly_empty_bucket_makes_the_next_call_wait() {
    let mut low = page(vec![], None);
    low["extensions"] = cost(30.0, 0.0);
    let (channel, script) = serve(vec![ok(low), ok(page(vec![], None))]).await;
    channel
        .fetch_orders_page(since(), None)
        .await
        .expect("page 1");
    let status = channel.throttle_status().expect("the bucket is known");
    assert_eq!(status.currently_available, 0.0);
    channel
        .fetch_orders_page(since(), None)
        .await
        .expect("page 2");
    let seen = script.seen();
    // The document asked for 30 last time: 30 points at 100 a second.
    let gap = seen[1].0 - seen[0].0;
    assert!(gap >= Duration::from_millis(280), "sent after {gap:?}");
}

#[tokio::test]
async fn http_429_honours_retry_after() {
    let busy = Reply {
        status: 429,
        headers: vec![("retry-after", "1".to_string())],
        body: "{}".to_string(),
    };
    let (channel, script) = serve(vec![busy, ok(page(vec![], None))]).await;
    channel
        .fetch_orders_page(since(), None)
        .await
        .expect("read after the wait");
    let seen = script.seen();
    assert!(seen[1].0 - seen[0].0 >= Duration::from_millis(990));
}

#[tokio::test]
async fn server_errors_are_retried_a_few_times_then_fail() {
    let (channel, script) = serve(vec![raw(502, "Bad Gateway"), ok(page(vec![], None))]).await;
    channel
        .fetch_orders_page(since(), None)
        .await
        .expect("the retry reads");
    assert_eq!(script.seen().len(), 2);

    let (channel, script) = serve((0..10).map(|_| raw(503, "Service Unavailable")).collect()).await;
    let err = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("still down");
    assert!(
        matches!(err, ChannelError::Remote(ref m) if m.contains("503")),
        "{err:?}"
    );
    assert_eq!(script.seen().len(), 4, "one call and three retries");
}

#[tokio::test]
async fn an_unreachable_shop_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let channel = ShopifyChannel::new(&format!("http://{addr}"), TOKEN.to_string())
        .expect("a channel")
        .with_retry_delay(Duration::from_millis(1));
    let err = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("nobody listens");
    assert!(matches!(err, ChannelError::Transport(_)), "{err:?}");
    assert!(!err.to_string().contains(TOKEN));
}
