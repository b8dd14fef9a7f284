//! Talking to the Shopify simulator over HTTP, as a client does.

#![allow(dead_code)]

use orderdesk::sim::shopify::{self, Seeded, SimHandle, SimOptions};
use serde_json::{Value, json};

pub const TOKEN: &str = "shpat_test";

pub async fn start(opts: SimOptions) -> SimHandle {
    let seeded = Seeded::new(&opts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    shopify::start(opts, seeded, listener).await.expect("start")
}

pub async fn post_raw(sim: &SimHandle, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{}{}", sim.url(), shopify::GRAPHQL_PATH))
        .json(&body);
    if let Some(t) = token {
        req = req.header("X-Shopify-Access-Token", t);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

pub async fn gql(sim: &SimHandle, query: &str, variables: Value) -> Value {
    let (status, body) = post_raw(
        sim,
        Some(TOKEN),
        json!({"query": query, "variables": variables}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// `GET /_sim/log`.
pub async fn log(sim: &SimHandle) -> Value {
    reqwest::get(format!("{}/_sim/log", sim.url()))
        .await
        .expect("send")
        .json()
        .await
        .expect("json")
}

/// `POST /_sim/faults`.
pub async fn faults(sim: &SimHandle, body: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}/_sim/faults", sim.url()))
        .json(&body)
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A GraphQL request with the test token; only the HTTP status (the body may not be JSON).
pub async fn post_status(sim: &SimHandle, body: Value) -> u16 {
    reqwest::Client::new()
        .post(format!("{}{}", sim.url(), shopify::GRAPHQL_PATH))
        .header("X-Shopify-Access-Token", TOKEN)
        .json(&body)
        .send()
        .await
        .expect("send")
        .status()
        .as_u16()
}
