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

/// A seeded shop for a whole sync: the simulator with a fast-restoring bucket (the pacing is
/// tested elsewhere), and its world's products and customers CSV and expected outcomes.
pub struct SeededShop {
    pub sim: SimHandle,
    pub products: String,
    pub customers: String,
    pub expected: Vec<shopify::Expected>,
}

pub async fn seeded_shop(orders: usize, seed: u64) -> SeededShop {
    let opts = SimOptions {
        orders,
        seed,
        bucket: 2000,
        restore: 2000,
        ..SimOptions::default()
    };
    let seeded = Seeded::new(&opts);
    let (products, customers, expected) = (
        seeded.products_csv(),
        seeded.customers_csv(),
        seeded.expected(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let sim = shopify::start(opts, seeded, listener)
        .await
        .expect("simulator starts");
    SeededShop {
        sim,
        products,
        customers,
        expected,
    }
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

// Mutation documents as a connector sends them (2026-10), and helpers to find and read orders.

pub const CREATE: &str = "mutation Ship($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo { company number url } }
    userErrors { field message }
  }
}";

pub const PREPARED: &str =
    "mutation Ready($input: FulfillmentOrderLineItemsPreparedForPickupInput!) {
  fulfillmentOrderLineItemsPreparedForPickup(input: $input) { userErrors { field message code } }
}";

pub const CANCEL: &str = "mutation Cancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $notify: Boolean) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: {originalPaymentMethodsRefund: true},
              restock: $restock, notifyCustomer: $notify, staffNote: \"orderdesk\") {
    job { id done }
    orderCancelUserErrors { field message code }
    userErrors { field message }
  }
}";

pub const JOB: &str = "query($id: ID!) { job(id: $id) { id done } }";

pub const READ: &str = "query($id: ID!) { order(id: $id) {
  id name updatedAt displayFulfillmentStatus displayFinancialStatus cancelledAt cancelReason closed
  totalRefundedSet { shopMoney { amount } } totalReceivedSet { shopMoney { amount } }
  fulfillments(first: 10) { id status createdAt trackingInfo(first: 5) { company number url } }
  fulfillmentOrders(first: 5) { nodes { id status updatedAt deliveryMethod { methodType }
    lineItems(first: 10) { nodes { id remainingQuantity totalQuantity } } } }
} }";

/// The first 50 orders with their fulfillment orders.
pub async fn orders(sim: &SimHandle) -> Vec<Value> {
    let q = "{ orders(first: 50) { nodes { id name displayFulfillmentStatus displayFinancialStatus cancelledAt
        fulfillmentOrders(first: 5) { nodes { id status deliveryMethod { methodType } } } } } }";
    let body = gql(sim, q, json!({})).await;
    body["data"]["orders"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub fn first_fo(o: &Value) -> String {
    o["fulfillmentOrders"]["nodes"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// An open order, not cancelled, paid, delivered by `method`, with one OPEN fulfillment order.
pub fn open_order(list: &[Value], method: &str) -> Value {
    list.iter()
        .find(|o| {
            let fos = &o["fulfillmentOrders"]["nodes"];
            o["cancelledAt"].is_null()
                && o["displayFulfillmentStatus"] == "UNFULFILLED"
                && o["displayFinancialStatus"] == "PAID"
                && fos.as_array().map_or(0, Vec::len) == 1
                && fos[0]["status"] == "OPEN"
                && fos[0]["deliveryMethod"]["methodType"] == method
        })
        .cloned()
        .unwrap_or_else(|| panic!("no open {method} order"))
}

pub async fn read(sim: &SimHandle, id: &Value) -> Value {
    gql(sim, READ, json!({"id": id})).await["data"]["order"].clone()
}

pub fn kinds(log: &Value, kind: &str) -> Vec<Value> {
    log.as_array()
        .map(|l| l.iter().filter(|e| e["kind"] == kind).cloned().collect())
        .unwrap_or_default()
}
