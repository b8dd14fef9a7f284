//! A scripted Magento 2 stand-in on loopback for the connector's HTTP tests: each request
//! gets the first scripted reply for its method and path, and what arrived is recorded.
//! Used by `magento_*.rs` through `#[path]`.
#![allow(dead_code)]

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use orderdesk::channels::magento::{MagentoChannel, MagentoStatuses};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "mg_tok_4f1c2d3e5a6b7c8d9e0f";

#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub authorization: Option<String>,
    pub body: Value,
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `(method path, status, body)`, e.g. `("GET /rest/default/V1/orders", 200, …)`.
pub type Reply = (String, u16, Value);

#[derive(Default)]
pub struct Script {
    pub replies: Mutex<Vec<Reply>>,
    pub seen: Mutex<Vec<Seen>>,
}

impl Script {
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

async fn handle(
    State(script): State<Arc<Script>>,
    method: Method,
    uri: Uri,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let key = format!("{method} {}", uri.path());
    script.seen.lock().expect("lock").push(Seen {
        method: method.to_string(),
        path: uri.path().to_string(),
        query,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
    });
    let mut replies = script.replies.lock().expect("lock");
    match replies.iter().position(|(k, ..)| *k == key) {
        None => (StatusCode::INTERNAL_SERVER_ERROR, "script exhausted").into_response(),
        Some(i) => {
            let (_, status, body) = replies.remove(i);
            let status = StatusCode::from_u16(status).expect("a status");
            (status, body.to_string()).into_response()
        }
    }
}

/// A channel (store code `default`) to a scripted shop answering `replies`.
pub async fn serve(replies: Vec<(&str, u16, Value)>) -> (MagentoChannel, Arc<Script>) {
    let replies = replies
        .into_iter()
        .map(|(k, s, b)| (k.replace("V1/", "/rest/default/V1/"), s, b))
        .collect();
    let script = Arc::new(Script {
        replies: Mutex::new(replies),
        ..Script::default()
    });
    let app = Router::new().fallback(handle).with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let channel = MagentoChannel::new(
        &format!("http://{addr}/"),
        TOKEN.to_string(),
        "default",
        MagentoStatuses::default(),
    )
    .expect("a channel")
    .with_retry_delay(Duration::from_millis(5));
    (channel, script)
}

pub fn since() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
        .expect("a time")
        .with_timezone(&Utc)
}

/// An order as `GET /V1/orders` gives it: one simple item, not invoiced, not shipped.
pub fn order(id: u64, status: &str) -> Value {
    json!({
        "entity_id": id, "increment_id": format!("0000000{id}"), "status": status,
        "state": if status == "pending" { "new" } else { status },
        "created_at": "2026-11-20 09:15:00", "updated_at": "2026-11-21 09:00:00",
        "base_currency_code": "EUR", "base_grand_total": 25, "base_subtotal": 25,
        "base_tax_amount": 0, "base_discount_amount": 0, "base_shipping_amount": 0,
        "customer_id": null, "customer_is_guest": 1, "customer_email": "anna@example.com",
        "billing_address": {"firstname": "Anna", "lastname": "Smith", "street": ["1 Main St"],
            "city": "Town", "postcode": "1000", "country_id": "HU", "telephone": "+36 1 234 5678"},
        "payment": {"method": "checkmo"},
        "items": [{"item_id": id * 10, "product_id": 5, "product_type": "simple", "sku": "MUG",
            "name": "Mug", "qty_ordered": 1, "qty_shipped": 0, "base_price": 25,
            "base_row_total": 25}],
        "status_histories": []
    })
}

/// A page of `GET /V1/orders`.
pub fn page(orders: Vec<Value>, total_count: u64) -> Value {
    json!({"items": orders, "search_criteria": {}, "total_count": total_count})
}

/// Magento's error body.
pub fn error(message: &str, parameters: Value) -> Value {
    json!({"message": message, "parameters": parameters})
}
