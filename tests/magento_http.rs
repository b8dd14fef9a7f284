//! The Magento 2 connector against a scripted loopback server: what it asks for, how it pages
//! and authenticates, how it reads refusals, and the changes it makes (and does not repeat).

#[path = "support/magento_server.rs"]
mod server;

use orderdesk::channels::{Channel, ChannelError, PushOutcome};
use orderdesk::domain::outbox::ShopChange;
use serde_json::json;
use server::*;

const ORDERS: &str = "GET V1/orders";

#[tokio::test]
async fn pages_follow_total_count_with_the_search_criteria_magento_expects() {
    let first: Vec<_> = (1..=100).map(|i| order(i, "processing")).collect();
    let (channel, script) = serve(vec![
        (ORDERS, 200, page(first, 101)),
        (ORDERS, 200, page(vec![order(101, "complete")], 101)),
    ])
    .await;
    assert_eq!(channel.platform(), "magento");
    let one = channel
        .fetch_orders_page(since(), None)
        .await
        .expect("page 1");
    assert_eq!((one.orders.len(), one.next.as_deref()), (100, Some("2")));
    let two = channel
        .fetch_orders_page(since(), one.next.as_deref())
        .await
        .expect("page 2");
    assert_eq!((two.orders.len(), two.next), (1, None));
    assert_eq!(two.orders[0].remote_id, "101");
    assert_eq!(two.orders[0].name.as_deref(), Some("0000000101"));
    let seen = script.seen();
    let s = &seen[1];
    assert_eq!(s.path, "/rest/default/V1/orders");
    let f = |g: u8, k: &str| format!("searchCriteria[filter_groups][{g}][filters][0][{k}]");
    assert_eq!(s.param(&f(0, "field")), Some("updated_at"));
    assert_eq!(s.param(&f(0, "value")), Some("2026-11-01 00:00:00"));
    assert_eq!(s.param(&f(0, "condition_type")), Some("gteq"));
    assert_eq!(s.param(&f(1, "field")), Some("status"));
    assert_eq!(s.param(&f(1, "condition_type")), Some("in"));
    assert!(
        s.param(&f(1, "value"))
            .expect("statuses")
            .contains("canceled")
    );
    assert_eq!(
        s.param("searchCriteria[sortOrders][0][field]"),
        Some("updated_at")
    );
    assert_eq!(
        s.param("searchCriteria[sortOrders][0][direction]"),
        Some("ASC")
    );
    assert_eq!(s.param("searchCriteria[pageSize]"), Some("100"));
    assert_eq!(s.param("searchCriteria[currentPage]"), Some("2"));
    assert_eq!(
        s.authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn a_refused_token_is_an_auth_error_without_the_token_and_a_missing_order_is_none() {
    let (channel, _) = serve(vec![
        (
            ORDERS,
            401,
            error(
                "The consumer isn't authorized to access %resources.",
                json!({"resources": "Magento_Sales::actions_view"}),
            ),
        ),
        (
            "GET V1/orders/9",
            404,
            error(
                "The entity that was requested doesn't exist. Verify the entity and try again.",
                json!([]),
            ),
        ),
        (
            "GET V1/orders/8",
            404,
            error("Request does not match any route.", json!([])),
        ),
    ])
    .await;
    let e = channel
        .fetch_orders_page(since(), None)
        .await
        .expect_err("401");
    let ChannelError::Auth(words) = &e else {
        panic!("{e:?}")
    };
    assert!(
        words.contains("Magento_Sales::actions_view") && !words.contains(TOKEN),
        "{words}"
    );
    assert!(channel.fetch_order("9").await.expect("an answer").is_none());
    assert!(
        channel.fetch_order("8").await.is_err(),
        "no route is not a missing order"
    );
    assert!(
        channel
            .fetch_order("#9")
            .await
            .expect("no request")
            .is_none()
    );
}

#[tokio::test]
async fn shipping_sends_tracks_once() {
    let fulfil = ShopChange::Fulfil {
        company: Some("DHL".into()),
        number: Some("JD0001".into()),
        notify_customer: true,
    };
    let mut shipped = order(7, "processing");
    shipped["items"][0]["qty_shipped"] = json!(1);
    let shipments = json!({"items": [{"entity_id": 3, "order_id": 7,
        "tracks": [{"track_number": "JD0001", "carrier_code": "dhl", "title": "DHL"}]}], "total_count": 1});
    let (channel, script) = serve(vec![
        ("GET V1/orders/7", 200, order(7, "processing")),
        (
            "GET V1/shipments",
            200,
            json!({"items": [], "total_count": 0}),
        ),
        ("POST V1/order/7/ship", 200, json!("3")),
        ("GET V1/orders/7", 200, shipped.clone()),
        ("GET V1/shipments", 200, shipments.clone()),
        ("GET V1/orders/7", 200, shipped),
        ("GET V1/shipments", 200, shipments),
    ])
    .await;
    let done = channel.push("7", &fulfil, "k1").await.expect("an answer");
    assert_eq!(
        done,
        PushOutcome::Done("shipment 3 with tracking JD0001".into())
    );
    let again = channel.push("7", &fulfil, "k1").await.expect("an answer");
    assert_eq!(
        again,
        PushOutcome::Done("tracking JD0001 already there".into())
    );
    let state = channel
        .order_state("7")
        .await
        .expect("read")
        .expect("an order");
    assert!(state.fulfilled && state.shows(&fulfil), "{state:?}");
    let ship: Vec<_> = script
        .seen()
        .into_iter()
        .filter(|s| s.method == "POST")
        .collect();
    assert_eq!(ship.len(), 1);
    assert_eq!(
        ship[0].body,
        json!({"notify": true, "tracks": [{"track_number": "JD0001", "title": "DHL", "carrier_code": "dhl"}]})
    );
}

#[tokio::test]
async fn refusing_cancels_an_open_order_and_refunds_an_invoiced_one() {
    let cancel = ShopChange::Cancel {
        reason: "out of stock".into(),
        notify_customer: true,
        refund: true,
        restock: true,
    };
    let mut invoiced = order(5, "processing");
    invoiced["base_total_invoiced"] = json!(25);
    invoiced["base_total_paid"] = json!(25);
    let (channel, script) = serve(vec![
        ("GET V1/orders/4", 200, order(4, "pending")),
        ("POST V1/orders/4/cancel", 200, json!(true)),
        ("GET V1/orders/5", 200, invoiced),
        ("POST V1/order/5/refund", 200, json!("12")),
        ("GET V1/orders/6", 200, order(6, "canceled")),
        ("GET V1/orders/2", 200, order(2, "holded")),
        (
            "POST V1/orders/2/cancel",
            400,
            error("We cannot cancel this order.", json!([])),
        ),
    ])
    .await;
    let done = |s: &str| PushOutcome::Done(s.to_string());
    assert_eq!(
        channel.push("4", &cancel, "k").await.expect("4"),
        done("cancelled")
    );
    assert_eq!(
        channel.push("5", &cancel, "k").await.expect("5"),
        done("refunded (credit memo 12)")
    );
    assert_eq!(
        channel.push("6", &cancel, "k").await.expect("6"),
        done("already canceled at the shop")
    );
    assert_eq!(
        channel.push("2", &cancel, "k").await.expect("2"),
        PushOutcome::Refused("HTTP 400 Bad Request: We cannot cancel this order.".into())
    );
    let refund = script
        .seen()
        .into_iter()
        .find(|s| s.path.ends_with("/refund"))
        .expect("a refund");
    assert_eq!(
        refund.body["arguments"]["extension_attributes"]["return_to_stock_items"],
        json!([50])
    );
    assert_eq!(refund.body["notify"], json!(true));
}

#[tokio::test]
async fn ready_for_pickup_is_a_comment_told_once() {
    let mut commented = order(3, "processing");
    commented["status_histories"] =
        json!([{"comment": "Ready for pickup.", "status": "processing"}]);
    let (channel, script) = serve(vec![
        ("GET V1/orders/3", 200, order(3, "processing")),
        ("POST V1/orders/3/comments", 200, json!(true)),
        ("GET V1/orders/3", 200, commented),
    ])
    .await;
    let ready = ShopChange::PreparedForPickup;
    let first = channel.push("3", &ready, "k").await.expect("an answer");
    assert_eq!(
        first,
        PushOutcome::Done("comment \"Ready for pickup.\"".into())
    );
    let again = channel.push("3", &ready, "k").await.expect("an answer");
    assert_eq!(
        again,
        PushOutcome::Done("already marked ready for pickup".into())
    );
    let post = script
        .seen()
        .into_iter()
        .find(|s| s.method == "POST")
        .expect("a comment");
    assert_eq!(post.body["statusHistory"]["is_customer_notified"], json!(1));
}
