//! A tiny scripted Shopify stand-in on loopback for the connector's HTTP tests: it answers
//! each request with the next scripted reply and records what it received. (Used by
//! `shopify_http.rs` and `shopify_throttle.rs` through `#[path]`; as a target of its own it
//! holds no tests.)
#![allow(dead_code)]

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use orderdesk::channels::shopify::ShopifyChannel;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "shpat_secret_token_0123456789";

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

pub fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        headers: vec![],
        body: body.to_string(),
    }
}

pub fn raw(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: vec![],
        body: body.to_string(),
    }
}

pub struct Seen {
    pub at: Instant,
    pub path: String,
    pub token: Option<String>,
    pub body: Value,
}

#[derive(Default)]
pub struct Script {
    pub replies: Mutex<VecDeque<Reply>>,
    pub seen: Mutex<Vec<Seen>>,
}

impl Script {
    pub fn seen(&self) -> Vec<(Instant, String, Option<String>, Value)> {
        let seen = self.seen.lock().expect("lock");
        seen.iter()
            .map(|s| (s.at, s.path.clone(), s.token.clone(), s.body.clone()))
            .collect()
    }
}

pub async fn handle(
    State(script): State<Arc<Script>>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    let token = headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = serde_json::from_str(&body).unwrap_or(Value::Null);
    script.seen.lock().expect("lock").push(Seen {
        at: Instant::now(),
        path: uri.path().to_string(),
        token,
        body,
    });
    let reply = script.replies.lock().expect("lock").pop_front();
    match reply {
        None => (StatusCode::INTERNAL_SERVER_ERROR, "script exhausted").into_response(),
        Some(r) => {
            let mut response =
                (StatusCode::from_u16(r.status).expect("a status"), r.body).into_response();
            for (name, value) in r.headers {
                response
                    .headers_mut()
                    .insert(name, value.parse().expect("a header value"));
            }
            response
        }
    }
}

pub async fn serve(replies: Vec<Reply>) -> (ShopifyChannel, Arc<Script>) {
    let script = Arc::new(Script {
        replies: Mutex::new(replies.into()),
        ..Script::default()
    });
    let app = Router::new().fallback(handle).with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let channel = ShopifyChannel::new(&format!("http://{addr}/"), TOKEN.to_string())
        .expect("a channel")
        .with_retry_delay(Duration::from_millis(5))
        .with_job_polling(20, Duration::from_millis(5));
    (channel, script)
}

pub fn since() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
        .expect("a time")
        .with_timezone(&Utc)
}

pub fn cost(requested: f64, available: f64) -> Value {
    json!({"cost": {"requestedQueryCost": requested, "actualQueryCost": 10,
        "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": available, "restoreRate": 100.0}}})
}

pub fn money(amount: &str) -> Value {
    json!({"shopMoney": {"amount": amount, "currencyCode": "EUR"}})
}

pub fn order_node(id: u64, lines: Vec<Value>, more_lines: bool) -> Value {
    json!({
        "id": format!("gid://shopify/Order/{id}"), "legacyResourceId": id.to_string(),
        "name": format!("#{id}"), "createdAt": "2026-11-20T09:15:00Z", "updatedAt": "2026-11-21T09:00:00Z",
        "test": false, "email": "a@example.com", "phone": null, "currencyCode": "EUR",
        "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "UNFULFILLED",
        "cancelledAt": null, "taxesIncluded": true, "totalPriceSet": money("10.00"),
        "subtotalPriceSet": money("10.00"), "totalTaxSet": null, "totalDiscountsSet": money("0.00"),
        "totalShippingPriceSet": money("0.00"), "customer": null, "billingAddress": null,
        "shippingAddress": null, "shippingLine": null,
        "lineItems": {"pageInfo": {"hasNextPage": more_lines, "endCursor": if more_lines { "L1" } else { "" }},
            "nodes": lines},
        "fulfillmentOrders": {"nodes": []}, "transactions": [], "paymentGatewayNames": []
    })
}

pub fn line(id: u64) -> Value {
    json!({"id": format!("gid://shopify/LineItem/{id}"), "sku": "S", "name": "Item", "quantity": 1,
        "currentQuantity": 1, "variant": null, "product": null,
        "originalUnitPriceSet": {"shopMoney": {"amount": "10.00"}},
        "discountedTotalSet": {"shopMoney": {"amount": "10.00"}}})
}

pub fn page(nodes: Vec<Value>, next: Option<&str>) -> Value {
    json!({"data": {"orders": {"pageInfo": {"hasNextPage": next.is_some(), "endCursor": next},
        "nodes": nodes}}, "extensions": cost(500.0, 990.0)})
}

/// The operation name of a body the connector sent (`query OrderState(` → `OrderState`).
pub fn operation(body: &Value) -> String {
    let text = body["query"].as_str().unwrap_or("");
    let head = text
        .trim_start()
        .trim_start_matches("query ")
        .trim_start_matches("mutation ");
    head.split(|c: char| c == '(' || c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_string()
}

/// A fulfillment order node as `FulfillmentOrders` and `OrderState` read it.
pub fn fulfillment_order(id: u64, status: &str, method: &str, location: u64) -> Value {
    json!({"id": format!("gid://shopify/FulfillmentOrder/{id}"), "status": status,
        "deliveryMethod": {"methodType": method},
        "assignedLocation": {"location": {"id": format!("gid://shopify/Location/{location}")}}})
}

/// The answer to `FulfillmentOrders` for order `id`.
pub fn fulfillment_orders(id: u64, nodes: Vec<Value>) -> Value {
    json!({"data": {"order": {"id": format!("gid://shopify/Order/{id}"), "cancelledAt": null,
        "fulfillmentOrders": {"pageInfo": {"hasNextPage": false}, "nodes": nodes}}},
        "extensions": cost(44.0, 990.0)})
}

/// A real `fulfillmentCreate` answer (graphql-fulfillmentCreate-success-bc-connector.json).
pub const FULFILLMENT_CREATED: &str = r#"{"data":{"fulfillmentCreate":{"fulfillment":{"id":"gid://shopify/Fulfillment/5936298623038","status":"SUCCESS"},"userErrors":[]}},"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":10,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1990,"restoreRate":100.0}}}}"#;

/// A real refusal (graphql-fulfillmentCreate-usererror-bc-connector.json).
pub const FULFILLMENT_REFUSED: &str = r#"{ "data": { "fulfillmentCreate": { "fulfillment": null, "userErrors": [ { "field": [ "fulfillment" ], "message": "Fulfillment order does not exist." } ] } }, "extensions": { "cost": { "requestedQueryCost": 24, "actualQueryCost": 10, "throttleStatus": { "maximumAvailable": 2000, "currentlyAvailable": 1990, "restoreRate": 100 } } } }"#;

pub fn json_reply(text: &str) -> Reply {
    raw(200, text)
}

/// The answer to `orderCancel`: its job, or the shop's refusal.
pub fn cancel_answer(job: Option<(&str, bool)>, errors: Vec<Value>) -> Value {
    let job = job.map(|(id, done)| json!({"id": id, "done": done}));
    json!({"data": {"orderCancel": {"job": job, "orderCancelUserErrors": errors}},
        "extensions": cost(13.0, 980.0)})
}

/// The answer to `CancelJob`; once done, the order as the job's `query` shows it.
pub fn job_answer(done: bool, cancelled_at: Option<&str>) -> Value {
    let query = if done {
        json!({"order": {"cancelledAt": cancelled_at}})
    } else {
        Value::Null
    };
    json!({"data": {"job": {"done": done, "query": query}}, "extensions": cost(3.0, 980.0)})
}
