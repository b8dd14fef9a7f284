//! Changes pushed to a scripted WooCommerce store, and the order's state read back.

#[path = "support/woo_server.rs"]
mod server;

use orderdesk::channels::{Channel, PushOutcome};
use orderdesk::domain::outbox::ShopChange;
use serde_json::json;
use server::*;

fn fulfil(number: Option<&str>) -> ShopChange {
    ShopChange::Fulfil {
        company: Some("DHL".into()),
        number: number.map(str::to_string),
        notify_customer: true,
    }
}

fn cancel() -> ShopChange {
    ShopChange::Cancel {
        reason: "customer changed their mind".into(),
        notify_customer: true,
        refund: true,
        restock: true,
    }
}

fn steps(script: &Script) -> Vec<String> {
    script
        .seen()
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect()
}

#[tokio::test]
async fn fulfil_adds_the_tracking_as_a_customer_note_then_the_shipped_status() {
    let (channel, script) = serve(vec![
        ok(order(901, "processing")),
        ok(json!([])),
        ok(json!({"id": 55, "note": "…", "customer_note": true})),
        ok(order(901, "completed")),
    ])
    .await;
    let out = channel
        .push("901", &fulfil(Some("JD1")), "k1")
        .await
        .expect("sent");
    assert_eq!(
        out,
        PushOutcome::Done("tracking JD1 (order note); status completed".into())
    );
    assert_eq!(
        steps(&script),
        [
            "GET /wp-json/wc/v3/orders/901",
            "GET /wp-json/wc/v3/orders/901/notes",
            "POST /wp-json/wc/v3/orders/901/notes",
            "PUT /wp-json/wc/v3/orders/901",
        ]
    );
    let seen = script.seen();
    assert_eq!(seen[2].body["customer_note"], true);
    let note = seen[2].body["note"].as_str().expect("a note");
    assert!(
        note.contains("DHL") && note.contains("Tracking number: JD1"),
        "{note}"
    );
    assert_eq!(seen[3].body, json!({"status": "completed"}));
}

#[tokio::test]
async fn fulfil_through_shipment_tracking_and_never_twice() {
    let trackings = "/wp-json/wc-shipment-tracking/v3/orders/901/shipment-trackings";
    let (channel, script) = serve_with(
        vec![
            ok(order(901, "processing")),
            ok(json!([])),
            ok(json!({"tracking_id": "a1", "tracking_number": "JD1"})),
            ok(order(901, "completed")),
            // Sent again after a crash: the number is there, only the status is set.
            ok(order(901, "processing")),
            ok(json!([{"tracking_id": "a1", "tracking_number": "JD1"}])),
            ok(order(901, "completed")),
        ],
        |s| s.shipment_tracking = true,
    )
    .await;
    channel
        .push("901", &fulfil(Some("JD1")), "k1")
        .await
        .expect("sent");
    let seen = script.seen();
    assert_eq!(
        (seen[2].method.as_str(), seen[2].path.as_str()),
        ("POST", trackings)
    );
    assert_eq!(seen[2].body["tracking_provider"], "DHL");
    assert_eq!(seen[2].body["tracking_number"], "JD1");
    let again = channel
        .push("901", &fulfil(Some("JD1")), "k1")
        .await
        .expect("sent");
    assert_eq!(
        again,
        PushOutcome::Done("tracking JD1 already there; status completed".into())
    );
    assert_eq!(script.seen().len(), 7);
    assert!(script.seen()[4..].iter().all(|s| s.method != "POST"));
}

#[tokio::test]
async fn ready_for_pickup_tells_nothing_by_default_and_sets_a_mapped_status() {
    let (channel, script) = serve(vec![ok(order(901, "processing"))]).await;
    let out = channel
        .push("901", &ShopChange::PreparedForPickup, "k")
        .await
        .expect("ok");
    assert!(
        matches!(out, PushOutcome::Done(ref s) if s.starts_with("not told")),
        "{out:?}"
    );
    assert_eq!(script.seen().len(), 1);

    let (channel, script) = serve_with(
        vec![ok(order(901, "processing")), ok(order(901, "ready-pickup"))],
        |s| s.statuses.ready_for_pickup = Some("ready-pickup".into()),
    )
    .await;
    let out = channel
        .push("901", &ShopChange::PreparedForPickup, "k")
        .await
        .expect("ok");
    assert_eq!(out, PushOutcome::Done("status ready-pickup".into()));
    assert_eq!(script.seen()[1].body, json!({"status": "ready-pickup"}));
}

#[tokio::test]
async fn cancel_refunds_what_is_left_then_sets_the_refused_status() {
    let mut partly = order(723, "processing");
    partly["refunds"] = json!([{"id": 724, "refund": "", "total": "-9.00"}]);
    let refund = include_str!("fixtures/woocommerce/v3-retrieve-order-refund.json");
    let (channel, script) = serve(vec![
        ok(partly),
        raw(201, refund),
        ok(order(723, "cancelled")),
    ])
    .await;
    let out = channel.push("723", &cancel(), "k").await.expect("sent");
    assert_eq!(
        out,
        PushOutcome::Done("refunded 16.00 (refund 726); status cancelled".into())
    );
    let seen = script.seen();
    assert_eq!(seen[1].path, "/wp-json/wc/v3/orders/723/refunds");
    assert_eq!(seen[1].body["amount"], "16.00");
    assert_eq!(seen[1].body["api_refund"], true);
    assert_eq!(seen[1].body["reason"], "customer changed their mind");
    assert_eq!(seen[2].body, json!({"status": "cancelled"}));
}

#[tokio::test]
async fn refusals_are_the_shops_words_and_nothing_more_is_sent() {
    let (channel, script) = serve(vec![
        ok(order(723, "processing")),
        error(
            "woocommerce_rest_cannot_create_order_refund",
            "Refund failed: gateway declined.",
            400,
        ),
    ])
    .await;
    let out = channel.push("723", &cancel(), "k").await.expect("answered");
    assert!(
        matches!(out, PushOutcome::Refused(ref w) if w.contains("gateway declined")),
        "{out:?}"
    );
    assert_eq!(script.seen().len(), 2, "no status after a refused refund");

    let mut unpaid = order(724, "pending");
    unpaid["date_paid_gmt"] = json!(null);
    let (channel, script) = serve(vec![ok(unpaid), ok(order(724, "cancelled"))]).await;
    let out = channel.push("724", &cancel(), "k").await.expect("answered");
    assert_eq!(
        out,
        PushOutcome::Done("nothing paid, nothing refunded; status cancelled".into())
    );
    assert_eq!(script.seen()[1].method, "PUT");

    let (channel, script) = serve(vec![ok(order(901, "cancelled"))]).await;
    let out = channel
        .push("901", &fulfil(Some("JD1")), "k")
        .await
        .expect("answered");
    assert_eq!(
        out,
        PushOutcome::Refused("the order is cancelled at the shop".into())
    );
    assert_eq!(script.seen().len(), 1);

    let (channel, _) = serve(vec![error(
        "woocommerce_rest_shop_order_invalid_id",
        "Invalid ID.",
        404,
    )])
    .await;
    let out = channel.push("901", &cancel(), "k").await.expect("answered");
    assert_eq!(
        out,
        PushOutcome::Refused("the shop no longer has this order".into())
    );
}

#[tokio::test]
async fn a_change_that_may_have_reached_the_shop_is_not_sent_again() {
    let (channel, script) = serve(vec![
        ok(order(901, "processing")),
        raw(502, "Bad gateway"),
        ok(order(901, "completed")),
    ])
    .await;
    let err = channel
        .push("901", &fulfil(None), "k")
        .await
        .expect_err("a 502");
    assert!(err.to_string().contains("502"), "{err}");
    assert_eq!(script.seen().len(), 2, "the PUT is not repeated");
}

#[tokio::test]
async fn order_state_reads_the_status_and_the_trackings() {
    let note = json!([{"id": 1, "note": "Shipped with DHL.\nTracking number: JD1", "customer_note": true},
        {"id": 2, "note": "Payment received.", "customer_note": false}]);
    let (channel, script) = serve(vec![
        ok(order(901, "completed")),
        ok(note),
        ok(order(902, "processing")),
        ok(order(903, "refunded")),
        ok(order(904, "cancelled")),
        error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404),
    ])
    .await;
    let state = channel
        .order_state("901")
        .await
        .expect("read")
        .expect("found");
    assert!(state.fulfilled && !state.cancelled);
    assert_eq!(state.tracking_numbers, ["JD1"]);
    assert!(state.shows(&fulfil(Some("JD1"))));
    let open = channel
        .order_state("902")
        .await
        .expect("read")
        .expect("found");
    assert!(!open.fulfilled && open.tracking_numbers.is_empty());
    assert!(!open.shows(&fulfil(Some("JD1"))));
    let gone = channel
        .order_state("903")
        .await
        .expect("read")
        .expect("found");
    // Refunded in full but not yet in the store's refused status (`cancelled`): a refusal
    // killed between its refund and its status change still has the status to send.
    assert!(!gone.cancelled && !gone.shows(&cancel()));
    let cancelled = channel
        .order_state("904")
        .await
        .expect("read")
        .expect("found");
    assert!(cancelled.cancelled && cancelled.shows(&cancel()));
    assert!(channel.order_state("905").await.expect("read").is_none());
    assert_eq!(script.seen().len(), 6);
    assert_eq!(script.seen()[1].path, "/wp-json/wc/v3/orders/901/notes");
}

#[tokio::test]
async fn a_note_is_added_for_the_staff_once() {
    let note = ShopChange::Note {
        text: "Invoice WOO-000001".into(),
    };
    let (channel, script) = serve(vec![
        ok(order(901, "completed")),
        ok(json!([])),
        ok(json!({"id": 77, "note": "Invoice WOO-000001", "customer_note": false})),
        // Sent again after a crash: the note is there, nothing is added.
        ok(order(901, "completed")),
        ok(json!([{"id": 77, "note": "Invoice WOO-000001", "customer_note": false}])),
    ])
    .await;
    let out = channel.push("901", &note, "k1").await.expect("sent");
    assert_eq!(out, PushOutcome::Done("order note 77".into()));
    let seen = script.seen();
    assert_eq!(seen[2].path, "/wp-json/wc/v3/orders/901/notes");
    assert_eq!(
        seen[2].body,
        json!({"note": "Invoice WOO-000001", "customer_note": false})
    );
    let again = channel.push("901", &note, "k1").await.expect("sent");
    assert_eq!(again, PushOutcome::Done("the note is there already".into()));
    assert_eq!(script.seen().len(), 5, "no second note");
}
