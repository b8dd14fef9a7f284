//! The Shopify simulator's fault hooks and the validation of mutation documents.

mod support;

use orderdesk::sim::shopify::SimOptions;
use serde_json::json;
use std::time::{Duration, Instant};
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

/// The `data` of an answer.
fn data(text: &str) -> serde_json::Value {
    serde_json::from_str::<serde_json::Value>(text).expect("json")["data"].clone()
}

/// A GraphQL request with the test token: status, `Retry-After`, body text, time taken.
async fn timed(
    sim: &orderdesk::sim::shopify::SimHandle,
) -> (u16, Option<String>, String, Duration) {
    let started = Instant::now();
    let resp = reqwest::Client::new()
        .post(format!(
            "{}{}",
            sim.url(),
            orderdesk::sim::shopify::GRAPHQL_PATH
        ))
        .header("X-Shopify-Access-Token", "shpat_test")
        .json(&json!({"query": "{ orders(first: 5) { nodes { id name } } }"}))
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    let after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text = resp.text().await.expect("body");
    (status, after, text, started.elapsed())
}

#[tokio::test]
async fn each_fault_answers_as_armed_then_clears() {
    let sim = start(SimOptions::default()).await;
    let (_, plain, _) = {
        let (s, _, t, d) = timed(&sim).await;
        (s, t, d)
    };
    let armed = |body: serde_json::Value| faults(&sim, body);
    assert_eq!(
        armed(json!({"delay_next": 1, "delay_ms": 300})).await.0,
        200
    );
    let (status, _, _, took) = timed(&sim).await;
    assert!(
        status == 200 && took >= Duration::from_millis(300),
        "{took:?}"
    );
    assert_eq!(armed(json!({"slow_next": 1, "slow_ms": 40})).await.0, 200);
    let (status, _, text, took) = timed(&sim).await;
    assert!(
        status == 200 && took >= Duration::from_millis(200),
        "{took:?}"
    );
    assert_eq!(data(&text), data(&plain), "a slow body is the whole body");
    assert_eq!(
        armed(json!({"rate_limit_next": 1, "retry_after": 1.5}))
            .await
            .0,
        200
    );
    let (status, after, _, _) = timed(&sim).await;
    assert_eq!((status, after.as_deref()), (429, Some("1.5")));
    assert_eq!(armed(json!({"throttle_next": 1})).await.0, 200);
    let (status, _, text, _) = timed(&sim).await;
    assert!(status == 200 && text.contains("THROTTLED"), "{text}");
    assert_eq!(armed(json!({"truncate_next": 1})).await.0, 200);
    let (status, _, text, _) = timed(&sim).await;
    assert!(status == 200 && serde_json::from_str::<serde_json::Value>(&text).is_err());
    assert_eq!(armed(json!({"unauthorized_next": 1})).await.0, 200);
    let (status, _, text, _) = timed(&sim).await;
    assert!(
        status == 401 && text.contains("Invalid API key or access token"),
        "{text}"
    );
    assert_eq!(armed(json!({"repeat_order_next": 1})).await.0, 200);
    let (_, _, text, _) = timed(&sim).await;
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let nodes = v["data"]["orders"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(nodes.len(), 6);
    assert_eq!(nodes[0], nodes[5]);
    let id = nodes[1]["id"]
        .as_str()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let body = json!({"malformed": {"order": id, "field": "name", "value": 7}});
    assert_eq!(armed(body).await.0, 200);
    let (_, _, text, _) = timed(&sim).await;
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["data"]["orders"]["nodes"][1]["name"], 7);
    assert_eq!(v["data"]["orders"]["nodes"][0]["name"], nodes[0]["name"]);
    // Still there on the next request, until cleared.
    assert!(timed(&sim).await.2.contains("\"name\":7"));
    assert_eq!(armed(json!({"clear": true})).await.0, 200);
    assert_eq!(data(&timed(&sim).await.2), data(&plain));
    assert_eq!(
        armed(json!({"retry_after": 1, "rate_limit_next": -1}))
            .await
            .0,
        400
    );
    assert_eq!(armed(json!({"malformed": {"field": "name"}})).await.0, 400);
    let stats: serde_json::Value = reqwest::get(format!("{}/_sim/stats", sim.url()))
        .await
        .expect("stats")
        .json()
        .await
        .expect("json");
    assert_eq!(stats["graphql_requests"], 11, "every request is counted");
    sim.stop();
}
