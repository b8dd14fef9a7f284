//! The Shopify simulator's mutations over HTTP: fulfillmentCreate, prepared for pickup,
//! orderCancel and its job, and the log.

mod support;

use orderdesk::sim::shopify::SimOptions;
use serde_json::{Value, json};
use support::sim::{
    CANCEL, CREATE, JOB, PREPARED, first_fo, gql, kinds, log, open_order, orders, read, start,
};

#[tokio::test]
async fn fulfillment_create_fulfils_once_with_tracking() {
    let sim = start(SimOptions::default()).await;
    let list = orders(&sim).await;
    let order = open_order(&list, "SHIPPING");
    let before = read(&sim, &order["id"]).await;
    let fo = first_fo(&order);
    let input = json!({"fulfillment": {
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo}],
        "trackingInfo": {"company": "DHL Express", "number": "JD014600006281", "url": "https://dhl.example/JD014600006281"},
        "notifyCustomer": true}});
    let body = gql(&sim, CREATE, input.clone()).await;
    let payload = &body["data"]["fulfillmentCreate"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert_eq!(payload["fulfillment"]["status"], "SUCCESS");
    assert_eq!(
        payload["fulfillment"]["trackingInfo"][0]["number"],
        "JD014600006281"
    );
    assert_eq!(body["extensions"]["cost"]["requestedQueryCost"], 10);

    let after = read(&sim, &order["id"]).await;
    assert_eq!(after["displayFulfillmentStatus"], "FULFILLED");
    assert_eq!(after["closed"], true);
    assert_ne!(after["updatedAt"], before["updatedAt"]);
    let fos = &after["fulfillmentOrders"]["nodes"];
    assert_eq!(fos[0]["status"], "CLOSED");
    assert!(
        fos[0]["lineItems"]["nodes"]
            .as_array()
            .is_some_and(|ls| ls.iter().all(|l| l["remainingQuantity"] == 0))
    );
    let fs = after["fulfillments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(fs.len(), 1, "{after}");
    assert_eq!(
        fs[0]["trackingInfo"],
        json!([{"company": "DHL Express", "number": "JD014600006281", "url": "https://dhl.example/JD014600006281"}])
    );
    let l = log(&sim).await;
    let made = kinds(&l, "fulfillment_create");
    assert_eq!(made.len(), 1, "{l}");
    assert_eq!(made[0]["order_id"], order["id"]);
    assert_eq!(made[0]["order_name"], order["name"]);
    assert_eq!(made[0]["tracking_number"], "JD014600006281");
    assert_eq!(made[0]["tracking_company"], "DHL Express");
    assert_eq!(made[0]["notify_customer"], true);

    // the same fulfillment order again: refused, nothing applied
    let body = gql(&sim, CREATE, input).await;
    let payload = &body["data"]["fulfillmentCreate"];
    assert!(payload["fulfillment"].is_null(), "{body}");
    let msg = payload["userErrors"][0]["message"].as_str().unwrap_or("");
    assert!(msg.contains("unfulfillable status= closed"), "{body}");
    assert_eq!(kinds(&log(&sim).await, "fulfillment_create").len(), 1);
    assert_eq!(
        read(&sim, &order["id"]).await["fulfillments"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // an unknown fulfillment order
    let body = gql(&sim, CREATE, json!({"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1"}]}})).await;
    let e = &body["data"]["fulfillmentCreate"]["userErrors"][0];
    assert_eq!(e["message"], "Fulfillment order does not exist.", "{body}");
    assert_eq!(
        e["field"],
        json!([
            "fulfillment",
            "lineItemsByFulfillmentOrder",
            "0",
            "fulfillmentOrderId"
        ])
    );
    sim.stop();
}

#[tokio::test]
async fn part_of_a_fulfillment_order_leaves_it_in_progress() {
    let sim = start(SimOptions::default()).await;
    let list = orders(&sim).await;
    let order = open_order(&list, "SHIPPING");
    let before = read(&sim, &order["id"]).await;
    let fo = &before["fulfillmentOrders"]["nodes"][0];
    let line = &fo["lineItems"]["nodes"][0];
    let several = fo["lineItems"]["nodes"].as_array().map_or(0, Vec::len) > 1
        || line["remainingQuantity"].as_u64() > Some(1);
    let input = json!({"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"],
        "fulfillmentOrderLineItems": [{"id": line["id"], "quantity": 1}]}]}});
    let body = gql(&sim, CREATE, input).await;
    assert_eq!(
        body["data"]["fulfillmentCreate"]["userErrors"],
        json!([]),
        "{body}"
    );
    let after = read(&sim, &order["id"]).await;
    let (fo_status, order_status) = if several {
        ("IN_PROGRESS", "PARTIALLY_FULFILLED")
    } else {
        ("CLOSED", "FULFILLED")
    };
    assert_eq!(after["fulfillmentOrders"]["nodes"][0]["status"], fo_status);
    assert_eq!(after["displayFulfillmentStatus"], order_status);
    assert!(after["fulfillments"][0]["trackingInfo"] == json!([]));
    // too many of a line: refused
    let input = json!({"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"],
        "fulfillmentOrderLineItems": [{"id": line["id"], "quantity": 99}]}]}});
    let body = gql(&sim, CREATE, input).await;
    assert_eq!(
        body["data"]["fulfillmentCreate"]["userErrors"][0]["message"],
        if several {
            "Invalid fulfillment order line item quantity requested."
        } else {
            "Fulfillment order 0 has an unfulfillable status= closed."
        }
        .replace(
            " 0 ",
            &format!(
                " {} ",
                fo["id"]
                    .as_str()
                    .and_then(|s| s.rsplit('/').next())
                    .unwrap_or("")
            )
        ),
        "{body}"
    );
    assert_eq!(kinds(&log(&sim).await, "fulfillment_create").len(), 1);
    sim.stop();
}

#[tokio::test]
async fn prepared_for_pickup_only_for_pickup_orders() {
    let sim = start(SimOptions::default()).await;
    let list = orders(&sim).await;
    let pickup = open_order(&list, "PICK_UP");
    let shipping = open_order(&list, "SHIPPING");
    let ready = |o: &Value| json!({"input": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": first_fo(o)}]}});

    let body = gql(&sim, PREPARED, ready(&shipping)).await;
    let e = &body["data"]["fulfillmentOrderLineItemsPreparedForPickup"]["userErrors"][0];
    assert_eq!(e["code"], "FULFILLMENT_ORDER_INVALID", "{body}");
    assert_eq!(
        read(&sim, &shipping["id"]).await["fulfillmentOrders"]["nodes"][0]["status"],
        "OPEN"
    );

    let body = gql(&sim, PREPARED, ready(&pickup)).await;
    assert_eq!(
        body["data"]["fulfillmentOrderLineItemsPreparedForPickup"]["userErrors"],
        json!([]),
        "{body}"
    );
    let after = read(&sim, &pickup["id"]).await;
    assert_eq!(
        after["fulfillmentOrders"]["nodes"][0]["status"],
        "IN_PROGRESS"
    );
    assert_eq!(after["displayFulfillmentStatus"], "UNFULFILLED");
    assert_eq!(after["fulfillments"], json!([]));

    // again: nothing left to prepare
    let body = gql(&sim, PREPARED, ready(&pickup)).await;
    let e = &body["data"]["fulfillmentOrderLineItemsPreparedForPickup"]["userErrors"][0];
    assert_eq!(
        e["code"], "NO_LINE_ITEMS_TO_PREPARE_FOR_FULFILLMENT_ORDER",
        "{body}"
    );
    let body = gql(&sim, PREPARED, json!({"input": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/7"}]}})).await;
    let e = &body["data"]["fulfillmentOrderLineItemsPreparedForPickup"]["userErrors"][0];
    assert_eq!(e["code"], "FULFILLMENT_ORDER_INVALID", "{body}");

    let l = log(&sim).await;
    let prepared = kinds(&l, "prepared_for_pickup");
    assert_eq!(prepared.len(), 1, "{l}");
    assert_eq!(prepared[0]["order_id"], pickup["id"]);
    // the prepared order can still be fulfilled (picked up)
    let body = gql(&sim, CREATE, json!({"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": first_fo(&pickup)}]}})).await;
    assert_eq!(
        body["data"]["fulfillmentCreate"]["userErrors"],
        json!([]),
        "{body}"
    );
    sim.stop();
}

#[tokio::test]
async fn order_cancel_runs_a_job_and_refunds() {
    let sim = start(SimOptions::default()).await;
    let list = orders(&sim).await;
    let order = open_order(&list, "SHIPPING");
    let vars =
        json!({"orderId": order["id"], "reason": "CUSTOMER", "restock": true, "notify": false});
    let body = gql(&sim, CANCEL, vars.clone()).await;
    let payload = &body["data"]["orderCancel"];
    assert_eq!(payload["orderCancelUserErrors"], json!([]), "{body}");
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["job"]["done"], false);
    let job = payload["job"]["id"].clone();
    assert!(
        job.as_str()
            .is_some_and(|j| j.starts_with("gid://shopify/Job/"))
    );
    let first = gql(&sim, JOB, json!({"id": job})).await;
    assert_eq!(
        first["data"]["job"],
        json!({"id": job, "done": false}),
        "{first}"
    );
    let second = gql(&sim, JOB, json!({"id": job})).await;
    assert_eq!(second["data"]["job"]["done"], true);
    let unknown = gql(&sim, JOB, json!({"id": "gid://shopify/Job/nope"})).await;
    assert!(unknown["data"]["job"].is_null());

    let after = read(&sim, &order["id"]).await;
    assert!(after["cancelledAt"].is_string(), "{after}");
    assert_eq!(after["cancelReason"], "CUSTOMER");
    assert_eq!(after["closed"], true);
    assert_eq!(after["displayFinancialStatus"], "REFUNDED");
    assert_eq!(after["totalRefundedSet"], after["totalReceivedSet"]);
    assert_eq!(after["fulfillmentOrders"]["nodes"][0]["status"], "CLOSED");
    let l = log(&sim).await;
    let c = kinds(&l, "order_cancel");
    assert_eq!(c.len(), 1, "{l}");
    assert_eq!(c[0]["restock"], true);
    assert_eq!(c[0]["notify_customer"], false);
    assert_eq!(
        c[0]["refund"],
        after["totalReceivedSet"]["shopMoney"]["amount"]
    );

    // again: refused with a code, nothing logged
    let body = gql(&sim, CANCEL, vars).await;
    let e = &body["data"]["orderCancel"]["orderCancelUserErrors"][0];
    assert_eq!(e["code"], "INVALID", "{body}");
    assert_eq!(e["field"], json!(["orderId"]));
    assert!(body["data"]["orderCancel"]["job"].is_null());
    // fulfilling the cancelled order is refused
    let body = gql(&sim, CREATE, json!({"fulfillment": {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": first_fo(&order)}]}})).await;
    assert_eq!(
        body["data"]["fulfillmentCreate"]["userErrors"][0]["message"],
        "The order has been canceled.",
        "{body}"
    );
    // an unknown order
    let body = gql(
        &sim,
        CANCEL,
        json!({"orderId": "gid://shopify/Order/1", "reason": "OTHER", "restock": false}),
    )
    .await;
    assert_eq!(
        body["data"]["orderCancel"]["orderCancelUserErrors"][0]["code"],
        "NOT_FOUND"
    );
    assert_eq!(kinds(&log(&sim).await, "order_cancel").len(), 1);
    sim.stop();
}

#[tokio::test]
async fn a_fulfilled_order_cannot_be_cancelled() {
    let sim = start(SimOptions::default()).await;
    let list = orders(&sim).await;
    let fulfilled = list
        .iter()
        .find(|o| o["displayFulfillmentStatus"] == "FULFILLED" && o["cancelledAt"].is_null())
        .cloned()
        .unwrap_or_default();
    let seeded = read(&sim, &fulfilled["id"]).await;
    assert_eq!(
        seeded["fulfillments"].as_array().map(Vec::len),
        Some(1),
        "{seeded}"
    );
    let body = gql(
        &sim,
        CANCEL,
        json!({"orderId": fulfilled["id"], "reason": "CUSTOMER", "restock": true}),
    )
    .await;
    let e = &body["data"]["orderCancel"]["orderCancelUserErrors"][0];
    assert_eq!(e["code"], "INVALID", "{body}");
    assert!(read(&sim, &fulfilled["id"]).await["cancelledAt"].is_null());
    // a partly fulfilled order: one CLOSED and one OPEN fulfillment order, one fulfillment
    let partly = list
        .iter()
        .find(|o| o["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED")
        .cloned()
        .unwrap_or_default();
    let partly = read(&sim, &partly["id"]).await;
    let statuses: Vec<&Value> = partly["fulfillmentOrders"]["nodes"]
        .as_array()
        .map(|a| a.iter().map(|fo| &fo["status"]).collect())
        .unwrap_or_default();
    assert_eq!(statuses, [&json!("CLOSED"), &json!("OPEN")], "{partly}");
    assert_eq!(partly["fulfillments"].as_array().map(Vec::len), Some(1));
    assert_eq!(log(&sim).await, json!([]));
    sim.stop();
}

#[tokio::test]
async fn an_invoice_number_goes_into_the_orders_note_once() {
    use orderdesk::channels::{Channel, PushOutcome};
    use orderdesk::domain::outbox::ShopChange;
    let sim = start(SimOptions::default()).await;
    let list = orders(&sim).await;
    let order = open_order(&list, "SHIPPING");
    let gid = order["id"].as_str().expect("id").to_string();
    let legacy = gid.rsplit('/').next().expect("legacy id").to_string();
    let channel =
        orderdesk::channels::shopify::ShopifyChannel::new(&sim.url(), "t".into()).expect("channel");
    let note = ShopChange::Note {
        text: "Invoice WEB-000007".into(),
    };
    for _ in 0..2 {
        let outcome = channel.push(&legacy, &note, "k").await.expect("push");
        assert!(matches!(outcome, PushOutcome::Done(_)), "{outcome:?}");
    }
    let body = gql(
        &sim,
        "query N($id: ID!) { order(id: $id) { note } }",
        json!({"id": gid}),
    )
    .await;
    let text = body["data"]["order"]["note"].as_str().unwrap_or_default();
    assert_eq!(text.matches("Invoice WEB-000007").count(), 1, "{body}");
    assert_eq!(
        kinds(&log(&sim).await, "order_update").len(),
        1,
        "one update"
    );
    // An order the shop does not have: refused in the shop's words.
    let missing = gql(
        &sim,
        "mutation U($input: OrderInput!) { orderUpdate(input: $input) { userErrors { message } } }",
        json!({"input": {"id": "gid://shopify/Order/1", "note": "x"}}),
    )
    .await;
    assert_eq!(
        missing["data"]["orderUpdate"]["userErrors"][0]["message"],
        "Order does not exist"
    );
}
