//! The simulator's bulk operations as Shopify documents them (issue #14 §4): it refuses the
//! bulk queries Shopify refuses, runs an operation through its states while its object count
//! grows, and serves the JSONL result with each child line's `__parentId`.

mod support;

use orderdesk::sim::shopify::{SimHandle, SimOptions};
use serde_json::{Value, json};
use std::time::Duration;
use support::sim::{SeededShop as Shop, faults, gql, seeded_shop};

async fn shop(orders: usize) -> Shop {
    seeded_shop(orders, SimOptions::default().seed).await
}

const RUN: &str = "mutation Run($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status objectCount url }
    userErrors { field message code }
  }
}";

async fn run_bulk(sim: &SimHandle, inner: &str) -> Value {
    gql(sim, RUN, json!({"query": inner})).await["data"]["bulkOperationRunQuery"].clone()
}

#[tokio::test]
async fn the_simulator_refuses_the_bulk_queries_shopify_refuses() {
    let shop = shop(20).await;
    let refused = |p: &Value, code: &str, words: &str| {
        let e = &p["userErrors"][0];
        assert_eq!(e["code"], code, "{p}");
        assert!(
            e["message"].as_str().unwrap_or_default().contains(words),
            "{words}: {p}"
        );
        assert_eq!(p["bulkOperation"], Value::Null);
    };
    let p = run_bulk(&shop.sim, "{ shop { name } }").await;
    refused(&p, "INVALID", "at least one connection");
    let p = run_bulk(&shop.sim, "{ orders { edges { node { bogus } } } }").await;
    refused(&p, "INVALID", "bogus");
    let p = run_bulk(
        &shop.sim,
        "{ node(id: \"gid://shopify/Order/1\") { id } orders { edges { node { id } } } }",
    )
    .await;
    refused(&p, "INVALID", "`node`");
    let deep = "{ orders { edges { node { id lineItems { edges { node { id \
        product { collections { edges { node { id } } } } } } } } } } }";
    let p = run_bulk(&shop.sim, deep).await;
    refused(&p, "INVALID", "nesting depth");
    let p = run_bulk(
        &shop.sim,
        "mutation { orderClose(input: {id: \"x\"}) { userErrors { message } } }",
    )
    .await;
    refused(&p, "INVALID", "");

    // One at a time.
    faults(&shop.sim, json!({"bulk_objects_per_second": 20})).await;
    let first = run_bulk(&shop.sim, "{ orders { edges { node { id name } } } }").await;
    assert_eq!(first["userErrors"], json!([]), "{first}");
    assert_eq!(first["bulkOperation"]["status"], "CREATED");
    let second = run_bulk(&shop.sim, "{ orders { edges { node { id } } } }").await;
    refused(&second, "OPERATION_IN_PROGRESS", "already in progress");
    shop.sim.stop();
}

#[tokio::test]
async fn an_operation_runs_counts_and_serves_its_lines_with_their_parents() {
    let shop = shop(20).await;
    faults(&shop.sim, json!({"bulk_objects_per_second": 40})).await;
    let inner = "{ orders(query: \"created_at:>='2000-01-01'\") { edges { node { id name \
        lineItems { edges { node { id sku quantity } } } } } } }";
    let p = run_bulk(&shop.sim, inner).await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let id = p["bulkOperation"]["id"].as_str().expect("id").to_string();
    let poll = "query P($id: ID!) { bulkOperation(id: $id) { status objectCount rootObjectCount url errorCode } }";
    let mut seen = Vec::new();
    let mut counts = Vec::new();
    let op = loop {
        let op = gql(&shop.sim, poll, json!({"id": id})).await["data"]["bulkOperation"].clone();
        let status = op["status"].as_str().unwrap_or_default().to_string();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        counts.push(
            op["objectCount"]
                .as_str()
                .and_then(|c| c.parse::<u64>().ok())
                .unwrap_or(0),
        );
        if status == "COMPLETED" {
            break op;
        }
        assert!(seen.len() < 4 && counts.len() < 400, "{seen:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // Shopify's order (slow objects: polls see it grow); a busy machine may miss CREATED.
    assert!(
        seen == ["CREATED", "RUNNING", "COMPLETED"] || seen == ["RUNNING", "COMPLETED"],
        "{seen:?}"
    );
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(
        counts.iter().filter(|c| **c > 0).count() > 2,
        "it grew: {counts:?}"
    );
    assert_eq!(op["rootObjectCount"], "20");
    let url = op["url"].as_str().expect("a url");
    assert!(url.starts_with(&shop.sim.url()), "{url}");
    let text = reqwest::get(url)
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len() as u64, counts.last().copied().unwrap_or(0));
    let mut parent = None;
    let mut orders = 0;
    for l in &lines {
        match l.get("__parentId") {
            None => {
                assert!(
                    l["id"]
                        .as_str()
                        .unwrap_or_default()
                        .starts_with("gid://shopify/Order/")
                );
                assert!(
                    l.get("lineItems").is_none(),
                    "connections are lines of their own: {l}"
                );
                parent = l["id"].as_str().map(str::to_string);
                orders += 1;
            }
            Some(p) => {
                assert_eq!(
                    p.as_str(),
                    parent.as_deref(),
                    "a child after its parent: {l}"
                );
                assert!(
                    l["id"]
                        .as_str()
                        .unwrap_or_default()
                        .starts_with("gid://shopify/LineItem/")
                );
                assert!(l.get("quantity").is_some());
            }
        }
    }
    assert_eq!(orders, 20);
    let count = gql(
        &shop.sim,
        "{ ordersCount(limit: null) { count precision } }",
        json!({}),
    )
    .await;
    assert_eq!(
        count["data"]["ordersCount"],
        json!({"count": 20, "precision": "EXACT"})
    );
    shop.sim.stop();
}
