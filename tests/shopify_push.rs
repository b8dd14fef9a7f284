//! The Shopify connector's pushes and order state against the scripted loopback server: what
//! it sends, how it reads the shop's answers, and that a mutation is never sent twice.

#[path = "support/shopify_server.rs"]
mod server;

use orderdesk::channels::{Channel, ChannelError, PushOutcome};
use orderdesk::domain::outbox::ShopChange;
use serde_json::{Value, json};
use server::*;
use std::time::Duration;

fn fulfil(notify: bool) -> ShopChange {
    ShopChange::Fulfil {
        company: Some("DHL Express".into()),
        number: Some("JD014600006281234567".into()),
        notify_customer: notify,
    }
}

fn cancel(reason: &str) -> ShopChange {
    ShopChange::Cancel {
        reason: reason.into(),
        notify_customer: true,
        refund: true,
        restock: true,
    }
}

fn operations(script: &Script) -> Vec<String> {
    script
        .seen()
        .iter()
        .map(|(_, _, _, b)| operation(b))
        .collect()
}

#[tokio::test]
async fn fulfil_sends_the_open_fulfillment_orders_with_the_tracking() {
    let (channel, script) = serve(vec![
        ok(fulfillment_orders(
            1042,
            vec![
                fulfillment_order(1, "OPEN", "SHIPPING", 7),
                fulfillment_order(2, "CLOSED", "SHIPPING", 7),
                fulfillment_order(3, "IN_PROGRESS", "SHIPPING", 7),
                fulfillment_order(4, "CANCELLED", "SHIPPING", 7),
            ],
        )),
        json_reply(FULFILLMENT_CREATED),
    ])
    .await;
    let outcome = channel
        .push("1042", &fulfil(true), "outbox-17")
        .await
        .expect("pushed");
    assert_eq!(
        outcome,
        PushOutcome::Done("fulfillment 5936298623038".into())
    );

    let seen = script.seen();
    assert_eq!(
        operations(&script),
        ["FulfillmentOrders", "FulfillmentCreate"]
    );
    assert_eq!(seen[0].3["variables"]["id"], "gid://shopify/Order/1042");
    let body = &seen[1].3;
    assert_eq!(
        body["variables"]["fulfillment"],
        json!({
            "lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1"},
                {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/3"}
            ],
            "trackingInfo": {"company": "DHL Express", "number": "JD014600006281234567"},
            "notifyCustomer": true
        })
    );
    let text = body.to_string();
    assert!(
        !text.contains("outbox-17") && !text.contains("@idempotent"),
        "fulfillmentCreate documents no idempotency key: {text}"
    );
}

#[tokio::test]
async fn fulfil_without_tracking_sends_no_tracking_and_one_fulfillment_per_location() {
    let (channel, script) = serve(vec![
        ok(fulfillment_orders(
            5,
            vec![
                fulfillment_order(1, "OPEN", "SHIPPING", 7),
                fulfillment_order(2, "OPEN", "SHIPPING", 8),
            ],
        )),
        json_reply(FULFILLMENT_CREATED),
        ok(json!({"data": {"fulfillmentCreate": {"fulfillment":
            {"id": "gid://shopify/Fulfillment/99", "status": "SUCCESS"}, "userErrors": []}}})),
    ])
    .await;
    let change = ShopChange::Fulfil {
        company: None,
        number: None,
        notify_customer: false,
    };
    let outcome = channel.push("5", &change, "k").await.expect("pushed");
    assert_eq!(
        outcome,
        PushOutcome::Done("fulfillments 5936298623038, 99".into())
    );
    let seen = script.seen();
    assert_eq!(seen.len(), 3);
    for (i, fo) in [(1, 1), (2, 2)] {
        let input = &seen[i].3["variables"]["fulfillment"];
        assert_eq!(
            input["lineItemsByFulfillmentOrder"],
            json!([{"fulfillmentOrderId": format!("gid://shopify/FulfillmentOrder/{fo}")}])
        );
        assert_eq!(input.get("trackingInfo"), None);
        assert_eq!(input["notifyCustomer"], false);
    }
}

#[tokio::test]
async fn a_refused_fulfillment_is_refused_in_the_shops_words() {
    let (channel, _script) = serve(vec![
        ok(fulfillment_orders(
            1,
            vec![fulfillment_order(1, "OPEN", "SHIPPING", 7)],
        )),
        json_reply(FULFILLMENT_REFUSED),
    ])
    .await;
    let outcome = channel
        .push("1", &fulfil(true), "k")
        .await
        .expect("answered");
    assert_eq!(
        outcome,
        PushOutcome::Refused("fulfillment: Fulfillment order does not exist.".into())
    );
}

#[tokio::test]
async fn nothing_open_is_refused_without_sending_a_mutation() {
    let (channel, script) = serve(vec![ok(fulfillment_orders(
        1,
        vec![
            fulfillment_order(1, "CLOSED", "SHIPPING", 7),
            fulfillment_order(2, "CANCELLED", "SHIPPING", 7),
        ],
    ))])
    .await;
    let outcome = channel
        .push("1", &fulfil(true), "k")
        .await
        .expect("answered");
    assert_eq!(
        outcome,
        PushOutcome::Refused("nothing left to fulfil at the shop".into())
    );
    assert_eq!(operations(&script), ["FulfillmentOrders"]);

    // Held ones are named, still without a mutation.
    let (channel, script) = serve(vec![ok(fulfillment_orders(
        1,
        vec![fulfillment_order(1, "ON_HOLD", "SHIPPING", 7)],
    ))])
    .await;
    let outcome = channel
        .push("1", &fulfil(true), "k")
        .await
        .expect("answered");
    let PushOutcome::Refused(why) = outcome else {
        panic!("not refused: {outcome:?}")
    };
    assert!(why.starts_with("nothing left to fulfil at the shop") && why.contains("ON_HOLD"));
    assert_eq!(script.seen().len(), 1);

    // A cancelled order, or one the shop no longer has: refused, nothing sent.
    let mut cancelled = fulfillment_orders(1, vec![fulfillment_order(1, "OPEN", "SHIPPING", 7)]);
    cancelled["data"]["order"]["cancelledAt"] = json!("2026-11-22T08:00:00Z");
    let (channel, script) = serve(vec![ok(cancelled), ok(json!({"data": {"order": null}}))]).await;
    let outcome = channel
        .push("1", &fulfil(true), "k")
        .await
        .expect("answered");
    assert_eq!(
        outcome,
        PushOutcome::Refused("the order is cancelled at the shop".into())
    );
    let outcome = channel
        .push("1", &fulfil(true), "k")
        .await
        .expect("answered");
    assert!(matches!(outcome, PushOutcome::Refused(_)), "{outcome:?}");
    assert_eq!(
        operations(&script),
        ["FulfillmentOrders", "FulfillmentOrders"]
    );
}

#[tokio::test]
async fn a_502_to_a_mutation_is_not_sent_again() {
    let (channel, script) = serve(vec![
        ok(fulfillment_orders(
            1,
            vec![fulfillment_order(1, "OPEN", "SHIPPING", 7)],
        )),
        raw(502, "<html>Bad Gateway</html>"),
        json_reply(FULFILLMENT_CREATED),
    ])
    .await;
    let err = channel
        .push("1", &fulfil(true), "k")
        .await
        .expect_err("the shop may have applied it");
    assert!(
        matches!(&err, ChannelError::Remote(m) if m.contains("502")),
        "{err:?}"
    );
    assert_eq!(
        operations(&script),
        ["FulfillmentOrders", "FulfillmentCreate"],
        "exactly one mutation reached the server"
    );

    let (channel, script) = serve(vec![
        raw(502, "Bad Gateway"),
        json_reply(FULFILLMENT_CREATED),
    ])
    .await;
    let err = channel
        .push("1", &cancel("x"), "k")
        .await
        .expect_err("not retried");
    assert!(matches!(err, ChannelError::Remote(_)), "{err:?}");
    assert_eq!(operations(&script), ["OrderCancel"]);
}

#[tokio::test]
async fn a_502_to_the_read_before_is_retried_and_a_throttled_mutation_waits() {
    let throttled = json!({"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
        "extensions": cost(13.0, 3.0)});
    let (channel, script) = serve(vec![
        raw(502, "Bad Gateway"),
        ok(fulfillment_orders(
            1,
            vec![fulfillment_order(1, "OPEN", "SHIPPING", 7)],
        )),
        ok(throttled),
        json_reply(FULFILLMENT_CREATED),
    ])
    .await;
    let outcome = channel.push("1", &fulfil(true), "k").await.expect("pushed");
    assert!(matches!(outcome, PushOutcome::Done(_)), "{outcome:?}");
    // A query is safe to repeat; a THROTTLED mutation never ran at the shop.
    assert_eq!(
        operations(&script),
        [
            "FulfillmentOrders",
            "FulfillmentOrders",
            "FulfillmentCreate",
            "FulfillmentCreate"
        ]
    );
}

#[tokio::test]
async fn cancel_waits_for_its_job() {
    let job = "gid://shopify/Job/4b1e-77";
    let (channel, script) = serve(vec![
        ok(cancel_answer(Some((job, false)), vec![])),
        ok(job_answer(false, None)),
        ok(job_answer(false, None)),
        ok(job_answer(true, Some("2026-11-22T08:01:00Z"))),
    ])
    .await;
    let outcome = channel
        .push("1042", &cancel("Customer changed their mind"), "k")
        .await
        .expect("pushed");
    assert_eq!(outcome, PushOutcome::Done("cancelled (job 4b1e-77)".into()));
    assert_eq!(
        operations(&script),
        ["OrderCancel", "CancelJob", "CancelJob", "CancelJob"]
    );
    let seen = script.seen();
    assert_eq!(
        seen[0].3["variables"],
        json!({
            "orderId": "gid://shopify/Order/1042",
            "reason": "CUSTOMER",
            "refundMethod": {"originalPaymentMethodsRefund": true},
            "restock": true,
            "notifyCustomer": true,
            "staffNote": "Customer changed their mind"
        })
    );
    assert_eq!(
        seen[1].3["variables"],
        json!({"id": job, "orderId": "gid://shopify/Order/1042"})
    );
}

#[tokio::test]
async fn a_refused_cancel_and_a_job_that_never_finishes() {
    let refusal = json!({"field": ["orderId"], "message": "Cannot cancel an order with fulfillments",
        "code": "INVALID"});
    let (channel, script) = serve(vec![ok(cancel_answer(None, vec![refusal]))]).await;
    let outcome = channel
        .push("1", &cancel("duplicate"), "k")
        .await
        .expect("answered");
    assert_eq!(
        outcome,
        PushOutcome::Refused("orderId: Cannot cancel an order with fulfillments (INVALID)".into())
    );
    assert_eq!(operations(&script), ["OrderCancel"]);

    let (channel, script) = serve(vec![
        ok(cancel_answer(Some(("gid://shopify/Job/9", false)), vec![])),
        ok(job_answer(false, None)),
        ok(job_answer(false, None)),
        ok(job_answer(false, None)),
    ])
    .await;
    let channel = channel.with_job_polling(3, Duration::from_millis(1));
    let err = channel
        .push("1042", &cancel("duplicate"), "k")
        .await
        .expect_err("not finished");
    assert_eq!(
        err,
        ChannelError::Remote(
            "the shop did not finish cancelling order 1042; it will be checked again".into()
        )
    );
    assert_eq!(script.seen().len(), 4, "the cancel and three polls");

    // A job done at once is asked once, at once; the order not cancelled is a refusal.
    let (channel, _) = serve(vec![
        ok(cancel_answer(Some(("gid://shopify/Job/9", true)), vec![])),
        ok(job_answer(true, None)),
    ])
    .await;
    let outcome = channel
        .push("1", &cancel("x"), "k")
        .await
        .expect("answered");
    assert!(
        matches!(&outcome, PushOutcome::Refused(m) if m.contains("not cancelled")),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn ready_for_pickup_marks_the_open_pickup_fulfillment_orders() {
    let (channel, script) = serve(vec![
        ok(fulfillment_orders(
            3,
            vec![
                fulfillment_order(1, "OPEN", "PICK_UP", 7),
                fulfillment_order(2, "OPEN", "SHIPPING", 7),
                fulfillment_order(3, "CLOSED", "PICK_UP", 7),
            ],
        )),
        ok(json!({"data": {"fulfillmentOrderLineItemsPreparedForPickup": {"userErrors": []}}})),
    ])
    .await;
    let outcome = channel
        .push("3", &ShopChange::PreparedForPickup, "k")
        .await
        .expect("pushed");
    assert_eq!(
        outcome,
        PushOutcome::Done("ready for pickup (fulfillment order 1)".into())
    );
    let seen = script.seen();
    assert_eq!(
        operations(&script),
        ["FulfillmentOrders", "PreparedForPickup"]
    );
    assert_eq!(
        seen[1].3["variables"],
        json!({"input": {"lineItemsByFulfillmentOrder":
            [{"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1"}]}})
    );

    let (channel, script) = serve(vec![ok(fulfillment_orders(
        3,
        vec![fulfillment_order(2, "OPEN", "SHIPPING", 7)],
    ))])
    .await;
    let outcome = channel
        .push("3", &ShopChange::PreparedForPickup, "k")
        .await
        .expect("answered");
    assert!(
        matches!(&outcome, PushOutcome::Refused(m) if m.contains("not a local pickup order")),
        "{outcome:?}"
    );
    assert_eq!(script.seen().len(), 1);
}

#[tokio::test]
async fn the_order_state_reads_tracking_cancel_and_fulfilment() {
    let order = json!({"data": {"order": {
        "id": "gid://shopify/Order/1042", "cancelledAt": null,
        "displayFulfillmentStatus": "FULFILLED",
        "fulfillments": [
            {"status": "SUCCESS", "displayStatus": "IN_TRANSIT",
             "trackingInfo": [{"number": "JD1", "company": "DHL"}]},
            {"status": "CANCELLED", "displayStatus": "CANCELED",
             "trackingInfo": [{"number": "OLD", "company": "DHL"}]}
        ],
        "fulfillmentOrders": {"pageInfo": {"hasNextPage": false},
            "nodes": [fulfillment_order(1, "CLOSED", "SHIPPING", 7)]}
    }}, "extensions": cost(206.0, 900.0)});
    let cancelled = json!({"data": {"order": {
        "id": "gid://shopify/Order/7", "cancelledAt": "2026-11-22T08:00:00Z",
        "displayFulfillmentStatus": "UNFULFILLED", "fulfillments": [],
        "fulfillmentOrders": {"pageInfo": {"hasNextPage": false}, "nodes": []}}}});
    let (channel, script) = serve(vec![
        ok(order),
        ok(cancelled),
        ok(json!({"data": {"order": null}})),
    ])
    .await;
    let state = channel
        .order_state("1042")
        .await
        .expect("read")
        .expect("an order");
    assert!(state.fulfilled && !state.cancelled && !state.prepared_for_pickup);
    assert_eq!(state.tracking_numbers, vec!["JD1".to_string()]);
    assert!(state.shows(&ShopChange::Fulfil {
        company: None,
        number: Some("JD1".into()),
        notify_customer: false
    }));
    let state = channel
        .order_state("7")
        .await
        .expect("read")
        .expect("an order");
    assert!(state.cancelled && !state.fulfilled && state.tracking_numbers.is_empty());
    assert_eq!(channel.order_state("8").await.expect("read"), None);
    assert_eq!(channel.order_state("not-an-id").await.expect("read"), None);
    assert_eq!(
        operations(&script),
        ["OrderState", "OrderState", "OrderState"]
    );
    assert_eq!(
        script.seen()[0].3["variables"],
        json!({"id": "gid://shopify/Order/1042"})
    );
}

fn stock_level(remote_id: &str, quantity: i64, seq: u64) -> orderdesk::domain::outbox::QueuedStock {
    orderdesk::domain::outbox::QueuedStock {
        product_id: "P1".into(),
        sku: "SKU-1".into(),
        remote_id: remote_id.into(),
        parent: None,
        quantity,
        seq,
        queued_at: chrono::Utc::now(),
    }
}

fn stock_replies(set: Value) -> Vec<Reply> {
    vec![
        ok(
            json!({"data": {"location": {"id": "gid://shopify/Location/5", "name": "Shop", "isActive": true}}, "extensions": cost(1.0, 999.0)}),
        ),
        ok(
            json!({"data": {"nodes": [{"id": "gid://shopify/ProductVariant/71", "inventoryItem": {"id": "gid://shopify/InventoryItem/9071"}}]}, "extensions": cost(2.0, 997.0)}),
        ),
        ok(set),
    ]
}

fn set_errors(code: &str) -> Value {
    json!({"data": {"inventorySetQuantities": {"userErrors": [{"field": ["input"], "message": "m", "code": code}]}}, "extensions": cost(10.0, 987.0)})
}

#[tokio::test]
async fn stock_after_a_failed_key_goes_again_with_a_new_one_and_a_busy_key_waits() {
    let mut replies = stock_replies(set_errors("IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED"));
    replies.push(ok(
        json!({"data": {"inventorySetQuantities": {"userErrors": []}}}),
    ));
    let (channel, script) = serve(replies).await;
    let refused = channel
        .push_stock(&[stock_level("71", 4, 3)])
        .await
        .expect("set");
    assert!(refused.is_empty(), "{refused:?}");
    let seen = script.seen();
    assert_eq!(
        operations(&script),
        [
            "StockLocation",
            "InventoryItems",
            "InventorySet",
            "InventorySet"
        ]
    );
    assert_eq!(
        seen[1].3["variables"]["ids"],
        json!(["gid://shopify/ProductVariant/71"])
    );
    let (first, second) = (&seen[2].3["variables"], &seen[3].3["variables"]);
    assert_eq!(
        first["input"],
        json!({"name": "available", "reason": "correction", "quantities": [
            {"inventoryItemId": "gid://shopify/InventoryItem/9071",
             "locationId": "gid://shopify/Location/5", "quantity": 4, "changeFromQuantity": null}]})
    );
    assert_eq!(first["input"], second["input"]);
    assert_eq!(
        format!("{}-again", first["key"].as_str().unwrap_or("?")),
        second["key"]
    );

    let (channel, _) = serve(stock_replies(set_errors("IDEMPOTENCY_CONCURRENT_REQUEST"))).await;
    let err = channel
        .push_stock(&[stock_level("71", 4, 3)])
        .await
        .expect_err("still being applied: kept queued");
    assert!(matches!(err, ChannelError::Remote(_)), "{err}");
}
