//! The Shopify simulator's fault hooks and the validation of mutation documents.

mod support;

use orderdesk::sim::shopify::SimOptions;
use serde_json::json;
use support::sim::{
    CANCEL, CREATE, JOB, PREPARED, READ, faults, first_fo, gql, kinds, log, open_order, orders,
    post_status, read, start,
};

#[tokio::test]
async fn faults_fail_requests_and_drop_answers_after_applying() {
    let sim = start(SimOptions::default()).await;
    let list = orders(&sim).await;
    let order = open_order(&list, "SHIPPING");
    let (status, _) = faults(&sim, json!({"fail_next": 2, "status": 503})).await;
    assert_eq!(status, 200);
    let q = json!({"query": "{ shop { name } }"});
    assert_eq!(post_status(&sim, q.clone()).await, 503);
    assert_eq!(post_status(&sim, q.clone()).await, 503);
    assert_eq!(post_status(&sim, q).await, 200);

    let (status, _) = faults(&sim, json!({"drop_after_apply_next": 1})).await;
    assert_eq!(status, 200);
    let create = json!({"query": CREATE, "variables": {"fulfillment": {
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": first_fo(&order)}],
        "trackingInfo": {"number": "1Z999"}}}});
    assert_eq!(post_status(&sim, create.clone()).await, 502);
    // it was applied all the same: the client reads it back instead of sending again
    let after = read(&sim, &order["id"]).await;
    assert_eq!(after["displayFulfillmentStatus"], "FULFILLED");
    assert_eq!(
        after["fulfillments"][0]["trackingInfo"][0]["number"],
        "1Z999"
    );
    assert_eq!(kinds(&log(&sim).await, "fulfillment_create").len(), 1);
    // armed once only; a resend is answered (and refused)
    assert_eq!(post_status(&sim, create).await, 200);
    assert_eq!(kinds(&log(&sim).await, "fulfillment_create").len(), 1);
    let (status, _) = faults(&sim, json!({"fail_next": "x"})).await;
    assert_eq!(status, 400);
    sim.stop();
}

#[tokio::test]
async fn mutation_documents_are_validated_in_shopify_words() {
    let sim = start(SimOptions::default()).await;
    // every document used above validates (their answers carry data)
    for doc in [CREATE, PREPARED, CANCEL, JOB, READ] {
        let body = gql(&sim, doc, json!({})).await;
        let code = body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("");
        assert_eq!(
            code, "INVALID_VARIABLE",
            "only the variables are missing: {body}"
        );
    }
    // a wrong argument name
    let doc = "mutation { orderCancel(id: \"gid://shopify/Order/1\", reason: CUSTOMER, restock: true) { job { id } } }";
    let body = gql(&sim, doc, json!({})).await;
    assert!(body.get("data").is_none(), "{body}");
    let codes: Vec<&str> = body["errors"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter_map(|e| e["extensions"]["code"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(codes.contains(&"argumentNotAccepted"), "{body}");
    assert!(codes.contains(&"missingRequiredArguments"), "{body}");
    // an input field that does not exist
    let doc = "mutation { fulfillmentCreate(fulfillment: {lineItemsByFulfillmentOrder: [], tracking: {number: \"1\"}}) { userErrors { message } } }";
    let body = gql(&sim, doc, json!({})).await;
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(log(&sim).await, json!([]));
    sim.stop();
}
