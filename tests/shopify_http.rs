//! The Shopify connector against a tiny scripted HTTP server on loopback: what it sends, how
//! it pages, and how it treats refusals, throttling and broken answers.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use orderdesk::channels::shopify::ShopifyChannel;
use orderdesk::channels::{Channel, ChannelError};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "shpat_secret_token_0123456789";

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        headers: vec![],
        body: body.to_string(),
    }
}

fn raw(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: vec![],
        body: body.to_string(),
    }
}

struct Seen {
    at: Instant,
    path: String,
    token: Option<String>,
    body: Value,
}

#[derive(Default)]
struct Script {
    replies: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<Seen>>,
}

impl Script {
    fn seen(&self) -> Vec<(Instant, String, Option<String>, Value)> {
        let seen = self.seen.lock().expect("lock");
        seen.iter()
            .map(|s| (s.at, s.path.clone(), s.token.clone(), s.body.clone()))
            .collect()
    }
}

async fn handle(
    State(script): State<Arc<Script>>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    let token = headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = serde_json::from_str(&body).unwrap_or(Value::Null);
    script.seen.lock().expect("lock").push(Seen {
        at: Instant::now(),
        path: uri.path().to_string(),
        token,
        body,
    });
    let reply = script.replies.lock().expect("lock").pop_front();
    match reply {
        None => (StatusCode::INTERNAL_SERVER_ERROR, "script exhausted").into_response(),
        Some(r) => {
            let mut response =
                (StatusCode::from_u16(r.status).expect("a status"), r.body).into_response();
            for (name, value) in r.headers {
                response
                    .headers_mut()
                    .insert(name, value.parse().expect("a header value"));
            }
            response
        }
    }
}

async fn serve(replies: Vec<Reply>) -> (ShopifyChannel, Arc<Script>) {
    let script = Arc::new(Script {
        replies: Mutex::new(replies.into()),
        ..Script::default()
    });
    let app = Router::new().fallback(handle).with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let channel = ShopifyChannel::new(&format!("http://{addr}/"), TOKEN.to_string())
        .expect("a channel")
        .with_retry_delay(Duration::from_millis(5));
    (channel, script)
}

fn since() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
        .expect("a time")
        .with_timezone(&Utc)
}

fn cost(requested: f64, available: f64) -> Value {
    json!({"cost": {"requestedQueryCost": requested, "actualQueryCost": 10,
        "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": available, "restoreRate": 100.0}}})
}

fn money(amount: &str) -> Value {
    json!({"shopMoney": {"amount": amount, "currencyCode": "EUR"}})
}

fn order_node(id: u64, lines: Vec<Value>, more_lines: bool) -> Value {
    json!({
        "id": format!("gid://shopify/Order/{id}"), "legacyResourceId": id.to_string(),
        "name": format!("#{id}"), "createdAt": "2026-11-20T09:15:00Z", "updatedAt": "2026-11-21T09:00:00Z",
        "test": false, "email": "a@example.com", "phone": null, "currencyCode": "EUR",
        "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "UNFULFILLED",
        "cancelledAt": null, "taxesIncluded": true, "totalPriceSet": money("10.00"),
        "subtotalPriceSet": money("10.00"), "totalTaxSet": null, "totalDiscountsSet": money("0.00"),
        "totalShippingPriceSet": money("0.00"), "customer": null, "billingAddress": null,
        "shippingAddress": null, "shippingLine": null,
        "lineItems": {"pageInfo": {"hasNextPage": more_lines, "endCursor": if more_lines { "L1" } else { "" }},
            "nodes": lines},
        "fulfillmentOrders": {"nodes": []}, "transactions": [], "paymentGatewayNames": []
    })
}

fn line(id: u64) -> Value {
    json!({"id": format!("gid://shopify/LineItem/{id}"), "sku": "S", "name": "Item", "quantity": 1,
        "currentQuantity": 1, "variant": null, "product": null,
        "originalUnitPriceSet": {"shopMoney": {"amount": "10.00"}},
        "discountedTotalSet": {"shopMoney": {"amount": "10.00"}}})
}

fn page(nodes: Vec<Value>, next: Option<&str>) -> Value {
    json!({"data": {"orders": {"pageInfo": {"hasNextPage": next.is_some(), "endCursor": next},
        "nodes": nodes}}, "extensions": cost(500.0, 990.0)})
}

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

#[tokio::test]
async fn answers_not_in_shopifys_shape_fail_the_page() {
    for body in [
        "<!DOCTYPE html><html><body>Maintenance</body></html>",
        r#"{"data": {"orders": {"pageI"#,
        r#"{"data": {}}"#,
        r#"{"data": {"orders": {"nodes": []}}}"#,
    ] {
        let (channel, _) = serve(vec![raw(200, body)]).await;
        let err = channel
            .fetch_orders_page(since(), None)
            .await
            .expect_err(body);
        assert!(matches!(err, ChannelError::Shape(_)), "{body}: {err:?}");
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
    assert_eq!(broken.raw, bad);
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
        fetched.raw["lineItems"]["nodes"].as_array().map(Vec::len),
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
