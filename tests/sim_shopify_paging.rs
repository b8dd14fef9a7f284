//! The Shopify simulator's pagination over HTTP.

mod support;

use orderdesk::sim::shopify::{SimHandle, SimOptions};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use support::sim::{gql, start};

fn opts(orders: usize) -> SimOptions {
    SimOptions {
        orders,
        ..SimOptions::default()
    }
}

async fn all_ids(sim: &SimHandle, page: u64, extra: &str) -> Vec<String> {
    let q = format!(
        "query($n: Int!, $after: String) {{ orders(first: $n, after: $after{extra}) {{ \
           pageInfo {{ hasNextPage hasPreviousPage endCursor }} nodes {{ id }} }} }}"
    );
    let mut ids = Vec::new();
    let mut after = Value::Null;
    for round in 0.. {
        assert!(round < 100, "pagination does not end");
        let body = gql(sim, &q, json!({"n": page, "after": after})).await;
        let conn = &body["data"]["orders"];
        for n in conn["nodes"].as_array().cloned().unwrap_or_default() {
            ids.push(n["id"].as_str().unwrap_or_default().to_string());
        }
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], round > 0, "{body}");
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    ids
}

#[tokio::test]
async fn pagination_returns_every_order_exactly_once() {
    let sim = start(opts(61)).await;
    for extra in [
        "",
        ", sortKey: UPDATED_AT",
        ", sortKey: CREATED_AT, reverse: true",
        ", sortKey: ID",
    ] {
        let ids = all_ids(&sim, 7, extra).await;
        assert_eq!(ids.len(), 61, "{extra}");
        assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 61, "{extra}");
    }
    // last/before walk back from the end
    let body = gql(&sim, "{ orders(last: 3, sortKey: ID) { nodes { name } pageInfo { hasNextPage hasPreviousPage } } }", json!({})).await;
    let names: Vec<&str> = body["data"]["orders"]["nodes"]
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["#1059", "#1060", "#1061"]);
    assert_eq!(
        body["data"]["orders"]["pageInfo"],
        json!({"hasNextPage": false, "hasPreviousPage": true})
    );
    sim.stop();
}
