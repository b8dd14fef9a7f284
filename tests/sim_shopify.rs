//! The Shopify simulator over HTTP, as a client sees it.

mod support;

use orderdesk::sim::shopify::{self, SimOptions};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use support::sim::{gql, post_raw, start};

fn opts(orders: usize) -> SimOptions {
    SimOptions {
        orders,
        ..SimOptions::default()
    }
}

#[tokio::test]
async fn bad_or_missing_token_is_401_in_shopify_words() {
    let sim = start(SimOptions {
        token: Some("right".into()),
        ..opts(40)
    })
    .await;
    let q = json!({"query": "{ shop { name } }"});
    for token in [None, Some(""), Some("wrong")] {
        let (status, body) = post_raw(&sim, token, q.clone()).await;
        assert_eq!(status, 401);
        assert_eq!(
            body,
            json!({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
        );
    }
    let (status, body) = post_raw(&sim, Some("right"), q).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["shop"]["name"], "orderdesk demo shop");
    let (status, _) = post_raw(&sim, Some("right"), json!({"nope": 1})).await;
    assert_eq!(status, 400);
    sim.stop();
}

#[tokio::test]
async fn invalid_documents_are_refused_without_data() {
    let sim = start(opts(40)).await;
    let body = gql(
        &sim,
        "{ orders(first: 1) { nodes { id bogus } } }",
        json!({}),
    )
    .await;
    assert!(body.get("data").is_none(), "{body}");
    let e = &body["errors"][0];
    assert_eq!(e["message"], "Field 'bogus' doesn't exist on type 'Order'");
    assert_eq!(e["extensions"]["code"], "undefinedField");
    assert_eq!(e["locations"][0], json!({"line": 1, "column": 33}));
    let body = gql(&sim, "{ order { id } }", json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "missingRequiredArguments",
        "{body}"
    );
    let body = gql(&sim, "query($id: ID!) { order(id: $id) { id } }", json!({})).await;
    assert!(body.get("data").is_none());
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INVALID_VARIABLE",
        "{body}"
    );
    let body = gql(&sim, "{ products(first: 1) { nodes { id } } }", json!({})).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("'products'"),
        "{body}"
    );
    let body = gql(
        &sim,
        "mutation { orderClose(input: {id: \"gid://shopify/Order/1\"}) { order { id } } }",
        json!({}),
    )
    .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("not supported by the simulator")
    );
    sim.stop();
}

#[tokio::test]
async fn cost_is_computed_as_documented() {
    let sim = start(opts(60)).await;
    // requested: 2 + first(10) × (Order 1 + lineItems(first: 5) (2 + 5 × LineItem 1)) = 2 + 10 × 8 = 82
    let q = "{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { sku } } } } }";
    let body = gql(&sim, q, json!({})).await;
    let cost = &body["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 82, "{body}");
    // actual: 2 + Σ over the 10 orders returned of (1 + 2 + lines returned (≤ 5))
    let nodes = body["data"]["orders"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(nodes.len(), 10);
    let lines: u64 = nodes
        .iter()
        .map(|n| {
            n["lineItems"]["nodes"]
                .as_array()
                .map_or(0, |l| l.len() as u64)
        })
        .sum();
    assert_eq!(cost["actualQueryCost"], 2 + 10 * 3 + lines);
    assert_eq!(cost["throttleStatus"]["maximumAvailable"], 1000.0);
    assert_eq!(cost["throttleStatus"]["restoreRate"], 100.0);
    // 2 + 250 × (1 + 2 + 250 × 1) = 63252
    let big = "{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }";
    let body = gql(&sim, big, json!({})).await;
    assert!(body.get("data").is_none());
    let e = &body["errors"][0];
    assert_eq!(e["extensions"]["code"], "MAX_COST_EXCEEDED");
    let msg = e["message"].as_str().unwrap_or_default();
    assert!(
        msg.starts_with(
            "Query cost is 63252, which exceeds the single query max cost limit (1000)."
        ),
        "{msg}"
    );
    assert_eq!(body["extensions"]["cost"]["requestedQueryCost"], 63252);
    sim.stop();
}

#[tokio::test]
async fn throttled_when_the_bucket_is_empty_then_restored() {
    let sim = start(SimOptions {
        bucket: 100,
        restore: 20,
        ..opts(60)
    })
    .await;
    // 2 + 40 × 1 = 42, and 60 orders exist so the actual cost is 42 too.
    let q = "{ orders(first: 40) { nodes { id } } }";
    let a = gql(&sim, q, json!({})).await;
    assert_eq!(a["extensions"]["cost"]["actualQueryCost"], 42);
    let b = gql(&sim, q, json!({})).await;
    assert!(b.get("errors").is_none(), "{b}");
    let left = b["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
        .as_u64()
        .unwrap_or(99);
    assert!(left < 42, "{b}");
    let c = gql(&sim, q, json!({})).await;
    assert_eq!(c["errors"][0]["message"], "Throttled", "{c}");
    assert_eq!(c["errors"][0]["extensions"]["code"], "THROTTLED");
    assert!(c.get("data").is_none());
    // nothing was charged for the refused request
    let after = c["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
        .as_u64()
        .unwrap_or(0);
    assert!(after >= left, "{c}");
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    let d = gql(&sim, q, json!({})).await;
    assert!(d.get("errors").is_none(), "{d}");
    // What the bucket charged, query by query, and the totals.
    let get = |path: &str| {
        let url = format!("{}{path}", sim.url());
        async move {
            let r = reqwest::get(url).await.expect("answers");
            r.json::<Value>().await.expect("json")
        }
    };
    let log = get("/_sim/charges").await;
    assert_eq!(
        (log["maximum"].clone(), log["restore_rate"].clone()),
        (json!(100), json!(20))
    );
    let charges: Vec<shopify::charges::Charge> =
        serde_json::from_value(log["charges"].clone()).expect("charges");
    let actual: Vec<Option<u64>> = charges.iter().map(|c| c.actual).collect();
    assert_eq!(actual, [Some(42), Some(42), None, Some(42)]);
    assert!(charges.iter().all(|c| c.requested == 42));
    assert!(charges.windows(2).all(|w| w[0].t <= w[1].t));
    assert_eq!(
        shopify::charges::window_start(&charges),
        Some(&charges[1]),
        "the second answer left less than 42: the first fill is spent"
    );
    let stats = get("/_sim/stats").await;
    assert_eq!(
        (
            &stats["charged"],
            &stats["throttled"],
            &stats["actual_points"]
        ),
        (&json!(4), &json!(1), &json!(126))
    );
    sim.stop();
}

#[tokio::test]
async fn aliases_fragments_typename_and_only_asked_fields() {
    let sim = start(opts(40)).await;
    let q = r#"
        query Q($n: Int!) {
          first: orders(first: $n) { edges { cursor node { ...O ... on Order { number: name } } } }
          shop { __typename currencyCode }
        }
        fragment O on Order { __typename legacyResourceId customer { displayName } }"#;
    let body = gql(&sim, q, json!({"n": 2})).await;
    assert!(body.get("errors").is_none(), "{body}");
    let edges = body["data"]["first"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 2);
    let node = edges[0]["node"].as_object().cloned().unwrap_or_default();
    let keys: BTreeSet<&str> = node.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["__typename", "legacyResourceId", "customer", "number"])
    );
    assert_eq!(node["__typename"], "Order");
    assert_eq!(node["number"], "#1001");
    assert_eq!(node["customer"].as_object().map(|c| c.len()), Some(1));
    assert!(edges[0]["cursor"].is_string());
    assert_eq!(
        body["data"]["shop"],
        json!({"__typename": "Shop", "currencyCode": "EUR"})
    );
    // an order by id; a field that exists but the shop has no value for is null
    let id =
        "gid://shopify/Order/".to_string() + node["legacyResourceId"].as_str().unwrap_or_default();
    let body = gql(
        &sim,
        "query($id: ID!) { order(id: $id) { name poNumber } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        body["data"]["order"],
        json!({"name": "#1001", "poNumber": null})
    );
    let body = gql(
        &sim,
        "{ order(id: \"gid://shopify/Order/1\") { name } }",
        json!({}),
    )
    .await;
    assert_eq!(body["data"]["order"], Value::Null);
    sim.stop();
}

#[tokio::test]
async fn updated_at_filter_and_sim_changes() {
    let sim = start(opts(50)).await;
    let all = gql(&sim, "{ orders(first: 100) { nodes { id legacyResourceId updatedAt lineItems(first: 5) { nodes { id quantity } } } } }", json!({})).await;
    let nodes = all["data"]["orders"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(nodes.len(), 50);
    let mut times: Vec<String> = nodes
        .iter()
        .filter_map(|n| n["updatedAt"].as_str().map(String::from))
        .collect();
    times.sort();
    let t = times[25].clone();
    let want: BTreeSet<String> = nodes
        .iter()
        .filter(|n| n["updatedAt"].as_str().unwrap_or_default() > t.as_str())
        .filter_map(|n| n["id"].as_str().map(String::from))
        .collect();
    let q = "query($q: String) { orders(first: 100, query: $q) { nodes { id } } }";
    let got = gql(&sim, q, json!({"q": format!("updated_at:>'{t}'")})).await;
    let got: BTreeSet<String> = got["data"]["orders"]["nodes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(got, want);
    assert!(!want.is_empty() && want.len() < 50);

    // change one old order at the shop: its updatedAt moves to now and the filter finds it
    let old = nodes
        .iter()
        .find(|n| n["updatedAt"].as_str().unwrap_or_default() <= t.as_str())
        .cloned()
        .unwrap_or_default();
    let legacy = old["legacyResourceId"].as_str().unwrap_or_default();
    let line = old["lineItems"]["nodes"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let client = reqwest::Client::new();
    let resp = client
        .post(format!("{}/_sim/orders/{legacy}", sim.url()))
        .json(&json!({"quantities": {line: 0}}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 200);
    let changed: Value = resp.json().await.expect("json");
    assert!(
        changed["updatedAt"].as_str().unwrap_or_default()
            > old["updatedAt"].as_str().unwrap_or_default()
    );
    assert_eq!(changed["lineItems"][0]["currentQuantity"], 0);
    let got = gql(&sim, q, json!({"q": format!("updated_at:>'{t}'")})).await;
    assert!(
        got["data"]["orders"]["nodes"]
            .as_array()
            .is_some_and(|a| a.iter().any(|n| n["id"] == old["id"]))
    );

    let resp = client
        .post(format!("{}/_sim/orders/{legacy}", sim.url()))
        .json(&json!({"cancel": true}))
        .send()
        .await
        .expect("send");
    let cancelled: Value = resp.json().await.expect("json");
    assert!(cancelled["cancelledAt"].is_string());
    let resp = client
        .post(format!("{}/_sim/orders/999", sim.url()))
        .json(&json!({"fulfil": true}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 404);

    // add an order: ids, name and dates are filled in, and the shop serves it
    let resp = client.post(format!("{}/_sim/orders", sim.url())).json(&json!({"email": "new@example.com", "lineItems": [{"id": "gid://shopify/LineItem/1", "sku": "TEA-001", "quantity": 1, "currentQuantity": 1}]})).send().await.expect("send");
    let added: Value = resp.json().await.expect("json");
    assert_eq!(added["name"], "#1051");
    let body = gql(&sim, "query($id: ID!) { order(id: $id) { email updatedAt lineItems(first: 2) { nodes { sku } } } }", json!({"id": added["id"]})).await;
    assert_eq!(body["data"]["order"]["email"], "new@example.com");
    assert_eq!(
        body["data"]["order"]["lineItems"]["nodes"],
        json!([{"sku": "TEA-001"}])
    );
    let log: Value = client
        .get(format!("{}/_sim/log", sim.url()))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(log, json!([]));
    sim.stop();
}

#[tokio::test]
async fn run_writes_the_export_before_binding() {
    let dir = std::env::temp_dir().join(format!("orderdesk-sim-run-{}", std::process::id()));
    let spec = orderdesk::sim::SimSpec {
        orders: 45,
        ..Default::default()
    };
    // an address that cannot be bound: the export is there all the same, and the error says why
    let sim = &shopify::SIMULATOR;
    let err = orderdesk::sim::run(sim, spec, "256.1.1.1:0", Some(&dir), Default::default())
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("cannot listen on 256.1.1.1:0"), "{err}");
    let expected: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(expected.len(), 45);
    assert_eq!(
        expected[0],
        json!({"name": "1001", "case": "known_customer_email", "state": "booked"})
    );
    let products = std::fs::read_to_string(dir.join("products.csv")).unwrap_or_default();
    assert!(products.starts_with("id,sku,name,description,price,stock,category,unit\n"));
    let _ = std::fs::remove_dir_all(dir);
}
