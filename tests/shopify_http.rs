//! The Shopify connector against a scripted loopback server: what it sends, how it pages,
//! and how it reads refusals, broken answers, bad orders and a real payload.

#[path = "support/shopify_server.rs"]
mod server;

use orderdesk::channels::{Channel, ChannelError};
use serde_json::{Value, json};
use server::*;

#[tokio::test]
async fn pages_follow_the_cursor_and_send_what_shopify_expects() {
    let (channel, script) = serve(vec![
        ok(page(
            vec![order_node(1, vec![line(1)], false)],
            Some("CURSOR-1"),
        )),
        ok(page(vec![order_node(2, vec![line(2)], false)], None)),
    ])
    .await;
    assert_eq!(channel.platform(), "shopify");
    let first = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("page 1");
    assert_eq!(first.next.as_deref(), Some("CURSOR-1"));
    assert_eq!(first.orders[0].remote_id, "1");
    let second = channel
        .fetch_orders_page(since(), first.next.as_deref())
        .await
        .expect("page 2");
    assert_eq!(second.next, None);
    assert_eq!(
        second.orders[0].order.as_ref().map(|o| o.name.as_str()),
        Ok("2")
    );

    let seen = script.seen();
    assert_eq!(seen.len(), 2);
    let (_, path, token, body) = &seen[0];
    assert_eq!(path, "/admin/api/2026-10/graphql.json");
    assert_eq!(token.as_deref(), Some(TOKEN));
    assert!(
        body["query"]
            .as_str()
            .is_some_and(|q| q.contains("sortKey: UPDATED_AT"))
    );
    assert_eq!(
        body["variables"]["query"],
        "updated_at:>='2026-11-01T00:00:00Z'"
    );
    assert_eq!(body["variables"]["first"], 8);
    assert_eq!(body["variables"]["after"], Value::Null);
    assert_eq!(seen[1].3["variables"]["after"], "CURSOR-1");
}

#[tokio::test]
async fn a_refused_token_is_an_auth_error_without_the_token() {
    let body = format!(
        r#"{{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password) {TOKEN}"}}"#
    );
    let (channel, script) = serve(vec![raw(401, &body)]).await;
    let err = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("refused");
    let ChannelError::Auth(message) = &err else {
        panic!("not Auth: {err:?}")
    };
    assert!(
        message.contains("Invalid API key or access token"),
        "{message}"
    );
    assert!(!err.to_string().contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
    assert!(
        !format!("{channel:?}").contains(TOKEN),
        "Debug hides the token"
    );
    assert_eq!(script.seen().len(), 1, "a refusal is not retried");

    let (channel, _) = serve(vec![raw(403, r#"{"errors":"Forbidden"}"#)]).await;
    let err = channel.fetch_order("5").await.expect_err("forbidden");
    assert!(
        matches!(err, ChannelError::Auth(ref m) if m.contains("Forbidden")),
        "{err:?}"
    );
}

#[tokio::test]
async fn answers_not_in_shopifys_shape_fail_the_page() {
    for body in [
        "<!DOCTYPE html><html><body>Maintenance</body></html>",
        r#"{"data": {"orders": {"pageI"#,
        r#"{"data": {}}"#,
        r#"{"data": {"orders": {"nodes": []}}}"#,
    ] {
        // A body that is not JSON at all may have been cut short: it is asked again (after
        // backoff, a bounded number of times) before the page fails.
        let not_json = serde_json::from_str::<serde_json::Value>(body).is_err();
        let (channel, script) = serve((0..4).map(|_| raw(200, body)).collect()).await;
        let err = channel
            .fetch_orders_page(since(), None)
            .await
            .expect_err(body);
        assert!(matches!(err, ChannelError::Shape(_)), "{body}: {err:?}");
        assert_eq!(script.seen().len(), if not_json { 4 } else { 1 }, "{body}");
    }
    let errors =
        json!({"errors": [{"message": "Field 'ordrs' doesn't exist on type 'QueryRoot'"}]});
    let (channel, _) = serve(vec![ok(errors)]).await;
    let err = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("an error");
    assert!(
        matches!(err, ChannelError::Remote(ref m) if m.contains("ordrs")),
        "{err:?}"
    );
}

#[tokio::test]
async fn one_bad_order_does_not_fail_the_page() {
    let mut bad = order_node(2, vec![line(2)], false);
    bad["totalPriceSet"]["shopMoney"]["amount"] = json!(null);
    let nodes = vec![
        order_node(1, vec![line(1)], false),
        bad.clone(),
        order_node(3, vec![line(3)], false),
    ];
    let (channel, _) = serve(vec![ok(page(nodes, None))]).await;
    let page = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("the page reads");
    assert_eq!(page.orders.len(), 3);
    assert!(page.orders[0].order.is_ok() && page.orders[2].order.is_ok());
    let broken = &page.orders[1];
    assert_eq!(broken.remote_id, "2");
    assert_eq!(broken.raw, bad.to_string());
    let why = broken.order.as_ref().expect_err("a missing total");
    assert!(
        why.contains("totalPriceSet.shopMoney.amount") && why.contains("nothing"),
        "{why}"
    );
}

#[tokio::test]
async fn the_real_fixture_reads_as_a_page() {
    let fixture =
        include_str!("fixtures/shopify/graphql-orders-query-edges-pageinfo-cost-bc-connector.json");
    let (channel, _) = serve(vec![raw(200, fixture)]).await;
    let page = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("the page reads");
    assert_eq!(page.next, None);
    assert!(page.orders.len() >= 4);
    let first = &page.orders[0];
    assert_eq!(first.remote_id, "4573850468424");
    assert_eq!(first.name.as_deref(), Some("WEB1346"));
    assert_eq!(
        first.updated_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2022-05-25T13:47:47+00:00")
    );
    for fetched in &page.orders {
        // Headers only: the order cannot be complete, and says which field is missing.
        let why = fetched.order.as_ref().expect_err("headers only");
        assert!(why.starts_with("field `"), "{why}");
    }
    let status = channel.throttle_status().expect("the cost extension reads");
    assert_eq!(
        (
            status.maximum_available,
            status.currently_available,
            status.restore_rate
        ),
        (1000.0, 986.0, 50.0)
    );
}

#[tokio::test]
async fn fetch_order_by_id_with_more_lines_than_one_page() {
    let node = order_node(77, vec![line(1)], true);
    let lines = json!({"data": {"order": {"lineItems": {"pageInfo": {"hasNextPage": false, "endCursor": "L2"},
        "nodes": [line(2), line(3)]}}}, "extensions": cost(354.0, 900.0)});
    let (channel, script) = serve(vec![
        ok(json!({"data": {"order": node}})),
        ok(lines),
        ok(json!({"data": {"order": null}})),
    ])
    .await;
    let fetched = channel
        .fetch_order("77")
        .await
        .expect("read")
        .expect("found");
    let order = fetched.order.expect("reads");
    assert_eq!(order.lines.len(), 3);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&fetched.raw).expect("raw JSON")["lineItems"]
            ["nodes"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let seen = script.seen();
    assert_eq!(seen[0].3["variables"]["id"], "gid://shopify/Order/77");
    assert!(
        seen[0].3["query"]
            .as_str()
            .is_some_and(|q| q.contains("order(id: $id)"))
    );
    assert_eq!(
        seen[1].3["variables"],
        json!({"id": "gid://shopify/Order/77", "after": "L1"})
    );
    assert!(
        channel.fetch_order("78").await.expect("read").is_none(),
        "gone from the shop"
    );
    assert!(
        channel
            .fetch_order("unreadable-3")
            .await
            .expect("no call")
            .is_none()
    );
    assert_eq!(script.seen().len(), 3);
}
