//! A scripted WooCommerce stand-in on loopback for the connector's HTTP tests: each request
//! gets the next scripted reply, and what arrived is recorded (method, path, query,
//! `Authorization`, body). Used by `woocommerce_*.rs` through `#[path]`.
#![allow(dead_code)]

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use orderdesk::channels::woocommerce::{WooCommerceChannel, WooSettings};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const KEY: &str = "ck_0123456789abcdef0123456789abcdef01234567";
pub const SECRET: &str = "cs_fedcba9876543210fedcba9876543210fedcba98";

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

pub fn ok(body: Value) -> Reply {
    raw(200, &body.to_string())
}

pub fn raw(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: vec![],
        body: body.to_string(),
    }
}

/// A page of orders with WordPress's paging headers.
pub fn page(orders: Vec<Value>, total_pages: u32) -> Reply {
    Reply {
        status: 200,
        headers: vec![
            ("x-wp-totalpages", total_pages.to_string()),
            (
                "x-wp-total",
                (orders.len() as u32 * total_pages).to_string(),
            ),
        ],
        body: Value::Array(orders).to_string(),
    }
}

#[derive(Clone, Debug)]
pub struct Seen {
    pub at: Instant,
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

#[derive(Default)]
pub struct Script {
    pub replies: Mutex<VecDeque<Reply>>,
    pub seen: Mutex<Vec<Seen>>,
}

impl Script {
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

fn decode(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn handle(
    State(script): State<Arc<Script>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    let query = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect();
    script.seen.lock().expect("lock").push(Seen {
        at: Instant::now(),
        method: method.to_string(),
        path: uri.path().to_string(),
        query,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
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

/// A channel to a scripted shop, its settings changed by `adjust`.
pub async fn serve_with(
    replies: Vec<Reply>,
    adjust: impl FnOnce(&mut WooSettings),
) -> (WooCommerceChannel, Arc<Script>) {
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
    let mut settings = WooSettings::new(
        &format!("http://{addr}/"),
        KEY.to_string(),
        SECRET.to_string(),
    );
    adjust(&mut settings);
    let channel = WooCommerceChannel::new(settings)
        .expect("a channel")
        .with_retry_delay(Duration::from_millis(5));
    (channel, script)
}

pub async fn serve(replies: Vec<Reply>) -> (WooCommerceChannel, Arc<Script>) {
    serve_with(replies, |_| {}).await
}

pub fn since() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
        .expect("a time")
        .with_timezone(&Utc)
}

/// An order as `GET /orders` gives it.
pub fn order(id: u64, status: &str) -> Value {
    json!({
        "id": id, "parent_id": 0, "number": id.to_string(), "status": status, "currency": "EUR",
        "date_created_gmt": "2026-11-20T09:15:00", "date_modified_gmt": "2026-11-21T09:00:00",
        "discount_total": "0.00", "shipping_total": "0.00", "total": "25.00", "total_tax": "0.00",
        "prices_include_tax": false, "customer_id": 0, "date_paid_gmt": "2026-11-20T09:15:00",
        "transaction_id": "", "payment_method": "bacs", "payment_method_title": "Direct bank transfer",
        "billing": {"first_name": "Anna", "last_name": "Smith", "address_1": "1 Main St", "address_2": "",
            "city": "Town", "postcode": "1000", "country": "HU", "email": "anna@example.com", "phone": ""},
        "shipping": {"first_name": "Anna", "last_name": "Smith", "address_1": "1 Main St", "address_2": "",
            "city": "Town", "postcode": "1000", "country": "HU"},
        "line_items": [{"id": id * 10, "name": "Mug", "product_id": 5, "variation_id": 0, "quantity": 1,
            "subtotal": "25.00", "total": "25.00", "sku": "MUG", "price": 25}],
        "shipping_lines": [], "refunds": []
    })
}

/// WordPress's error body.
pub fn error(code: &str, message: &str, status: u16) -> Reply {
    raw(
        status,
        &json!({"code": code, "message": message, "data": {"status": status}}).to_string(),
    )
}
