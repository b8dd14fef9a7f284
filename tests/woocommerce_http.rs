//! The WooCommerce connector against a scripted loopback server: what it asks for, how it
//! pages, authenticates and waits, how it reads refusals, bad orders and the real payloads.

#[path = "support/woo_server.rs"]
mod server;

use orderdesk::channels::woocommerce::{WooCommerceChannel, WooSettings};
use orderdesk::channels::{Channel, ChannelError};
use orderdesk::domain::{RemoteFinancial, RemoteFulfillment};
use serde_json::json;
use server::*;
use std::time::Duration;

#[tokio::test]
async fn three_pages_follow_x_wp_totalpages_with_what_woocommerce_expects() {
    let (channel, script) = serve(vec![
        page(vec![order(1, "processing"), order(2, "on-hold")], 3),
        page(vec![order(3, "completed")], 3),
        page(vec![order(4, "cancelled")], 3),
    ])
    .await;
    assert_eq!(channel.platform(), "woocommerce");
    let (mut after, mut ids) = (None::<String>, Vec::new());
    for n in 1..=3 {
        let page = channel
            .fetch_orders_page(since(), after.as_deref())
            .await
            .expect("a page");
        ids.extend(page.orders.iter().map(|o| o.remote_id.clone()));
        assert_eq!(page.next.is_some(), n < 3, "page {n}");
        after = page.next;
    }
    assert_eq!(ids, ["1", "2", "3", "4"]);
    let seen = script.seen();
    assert_eq!(seen.len(), 3);
    for (i, s) in seen.iter().enumerate() {
        assert_eq!(
            (s.method.as_str(), s.path.as_str()),
            ("GET", "/wp-json/wc/v3/orders")
        );
        assert_eq!(s.param("page"), Some((i + 1).to_string().as_str()));
        assert_eq!(s.param("per_page"), Some("100"));
        assert_eq!(s.param("modified_after"), Some("2026-10-31T23:59:59"));
        assert_eq!(s.param("dates_are_gmt"), Some("true"));
        assert_eq!(
            (s.param("orderby"), s.param("order")),
            (Some("modified"), Some("asc"))
        );
        assert_eq!(
            s.param("status"),
            Some("pending,processing,on-hold,completed,cancelled,refunded,failed")
        );
        let auth = s.authorization.as_deref().expect("HTTP Basic");
        assert!(auth.starts_with("Basic ") && !auth.contains(KEY), "{auth}");
        assert_eq!(s.param("consumer_key"), None);
    }
}

#[tokio::test]
async fn the_query_string_fallback_sends_no_authorization_header() {
    let (channel, script) = serve_with(vec![page(vec![order(1, "processing")], 1)], |s| {
        s.query_string_auth = true;
    })
    .await;
    let page = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("a page");
    assert_eq!(page.next, None);
    let seen = script.seen();
    assert_eq!(seen[0].authorization, None);
    assert_eq!(seen[0].param("consumer_key"), Some(KEY));
    assert_eq!(seen[0].param("consumer_secret"), Some(SECRET));

    // A shop that cannot be reached: the URL (holding the secrets) stays out of the error.
    let mut settings = WooSettings::new("http://127.0.0.1:1", KEY.into(), SECRET.into());
    settings.query_string_auth = true;
    let channel = WooCommerceChannel::new(settings)
        .expect("a channel")
        .with_retry_delay(Duration::from_millis(1));
    let err = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("no shop");
    let shown = format!("{err} {err:?} {channel:?}");
    assert!(matches!(err, ChannelError::Transport(_)), "{err:?}");
    assert!(!shown.contains(KEY) && !shown.contains(SECRET), "{shown}");
}

#[tokio::test]
async fn a_malformed_order_is_named_and_the_rest_of_the_page_lands() {
    let mut bad = order(2, "processing");
    bad["line_items"][0]["quantity"] = json!("lots");
    let (channel, _) = serve(vec![page(
        vec![order(1, "processing"), bad.clone(), order(3, "processing")],
        1,
    )])
    .await;
    let page = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("the page reads");
    assert_eq!(page.orders.len(), 3);
    assert!(page.orders[0].order.is_ok() && page.orders[2].order.is_ok());
    let broken = &page.orders[1];
    assert_eq!(
        (broken.remote_id.as_str(), broken.name.as_deref()),
        ("2", Some("2"))
    );
    assert_eq!(broken.raw, bad.to_string());
    let why = broken.order.as_ref().expect_err("a bad quantity");
    assert!(
        why.contains("line_items[0].quantity") && why.contains("lots"),
        "{why}"
    );
}

#[tokio::test]
async fn http_429_waits_for_retry_after() {
    let busy = Reply {
        status: 429,
        headers: vec![("retry-after", "1".to_string())],
        body: "{}".to_string(),
    };
    let (channel, script) = serve(vec![busy, page(vec![], 1)]).await;
    channel
        .fetch_orders_page(since(), None)
        .await
        .expect("read after the wait");
    let seen = script.seen();
    assert_eq!(seen.len(), 2);
    let gap = seen[1].at - seen[0].at;
    assert!(gap >= Duration::from_millis(990), "retried after {gap:?}");
}

#[tokio::test]
async fn refused_credentials_are_one_clear_line_without_them() {
    let message = format!("Consumer key is invalid: {KEY}");
    let (channel, script) = serve(vec![error(
        "woocommerce_rest_authentication_error",
        &message,
        401,
    )])
    .await;
    let err = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("refused");
    let ChannelError::Auth(words) = &err else {
        panic!("not Auth: {err:?}")
    };
    assert!(
        words.contains("Consumer key is invalid") && words.contains("401"),
        "{words}"
    );
    assert!(
        words.contains("woocommerce_rest_authentication_error"),
        "{words}"
    );
    let shown = format!("{err} {err:?} {channel:?}");
    assert!(!shown.contains(KEY) && !shown.contains(SECRET), "{shown}");
    assert!(!err.to_string().contains('\n'));
    assert_eq!(script.seen().len(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn a_5xx_is_retried_and_a_page_not_json_fails() {
    let (channel, script) = serve(vec![
        raw(502, "Bad gateway"),
        page(vec![order(1, "processing")], 1),
    ])
    .await;
    let page = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("after a retry");
    assert_eq!(page.orders.len(), 1);
    assert_eq!(script.seen().len(), 2);
    let (channel, _) = serve(vec![ok(json!({"orders": []}))]).await;
    let err = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("not a list");
    assert!(matches!(err, ChannelError::Shape(_)), "{err:?}");
}

#[tokio::test]
async fn one_order_by_id_or_none_when_the_shop_has_none() {
    let fixture = include_str!("fixtures/woocommerce/v3-retrieve-order.json");
    let (channel, script) = serve(vec![
        raw(200, fixture),
        error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404),
        error(
            "rest_no_route",
            "No route was found matching the URL and request method.",
            404,
        ),
    ])
    .await;
    let fetched = channel
        .fetch_order("727")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(
        fetched.raw,
        serde_json::from_str::<serde_json::Value>(fixture)
            .expect("json")
            .to_string()
    );
    let o = fetched.order.expect("the docs' order reads");
    assert_eq!((o.name.as_str(), o.currency.as_str()), ("727", "USD"));
    assert_eq!(o.customer, None, "a guest (customer_id 0)");
    assert_eq!(o.lines[0].sku, None);
    assert_eq!(o.lines[1].variant_id.as_deref(), Some("23"));
    assert_eq!(
        o.lines[1].name,
        "Ship Your Idea – Color: Black, Size: M Test"
    );
    assert_eq!(
        o.shipping.as_ref().map(|s| s.title.as_str()),
        Some("Flat Rate")
    );
    assert_eq!(o.updated_at.to_rfc3339(), "2017-03-22T19:28:08+00:00");
    assert!(channel.fetch_order("728").await.expect("read").is_none());
    let err = channel.fetch_order("729").await.expect_err("no API there");
    assert!(err.to_string().contains("rest_no_route"), "{err}");
    assert!(
        channel
            .fetch_order("unreadable-1")
            .await
            .expect("no call")
            .is_none()
    );
    assert_eq!(script.seen()[0].path, "/wp-json/wc/v3/orders/727");
    assert_eq!(script.seen().len(), 3);
}

#[tokio::test]
async fn the_docs_list_of_orders_reads_as_a_page() {
    let fixture = include_str!("fixtures/woocommerce/v3-list-orders.json");
    let (channel, _) = serve(vec![raw(200, fixture)]).await;
    let page = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("the page reads");
    assert_eq!(
        page.next, None,
        "no X-WP-TotalPages and less than a full page"
    );
    assert_eq!(page.orders.len(), 2);
    let first = page.orders[0].order.as_ref().expect("727 reads");
    assert_eq!(
        (first.remote_id.as_str(), first.financial),
        ("727", RemoteFinancial::Paid)
    );
    assert_eq!(first.dealt_with_elsewhere(), None);
    let second = page.orders[1].order.as_ref().expect("723 reads");
    assert_eq!(second.fulfillment, RemoteFulfillment::Fulfilled);
    assert_eq!(second.financial, RemoteFinancial::PartiallyRefunded);
    assert_eq!(
        second.customer.as_ref().map(|c| c.first_name.as_str()),
        Some("João")
    );
    assert!(second.lines.iter().all(|l| l.sku.is_none()));
    assert!(
        second.dealt_with_elsewhere().is_some(),
        "completed at the shop"
    );
}
