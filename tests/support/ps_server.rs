//! A scripted PrestaShop stand-in on loopback for the connector's HTTP tests: each request
//! gets the first scripted reply for its path, and what arrived is recorded (method, path,
//! query, `Authorization`, body). Used by `prestashop_*.rs` through `#[path]`.
#![allow(dead_code)]

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use orderdesk::channels::prestashop::{PrestaShopChannel, PsSettings};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const KEY: &str = "UCCLLQ9N2ARSHWCXLT74KUKSSK34BFKX";

#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub authorization: Option<String>,
    pub body: String,
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
    /// `(path, status, body)`, taken first come first served per path.
    pub replies: Mutex<Vec<(String, u16, String)>>,
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
    let path = uri.path().to_string();
    script.seen.lock().expect("lock").push(Seen {
        method: method.to_string(),
        path: path.clone(),
        query,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body,
    });
    let mut replies = script.replies.lock().expect("lock");
    match replies.iter().position(|(p, ..)| *p == path) {
        None => (StatusCode::INTERNAL_SERVER_ERROR, "script exhausted").into_response(),
        Some(i) => {
            let (_, status, body) = replies.remove(i);
            (StatusCode::from_u16(status).expect("a status"), body).into_response()
        }
    }
}

/// A channel to a scripted shop answering `replies` (`(path, status, body)`).
pub async fn serve(replies: Vec<(&str, u16, Value)>) -> (PrestaShopChannel, Arc<Script>) {
    let replies = replies
        .into_iter()
        .map(|(p, s, b)| (p.to_string(), s, b.to_string()))
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
    let settings = PsSettings::new(&format!("http://{addr}/"), KEY.to_string());
    let channel = PrestaShopChannel::new(settings)
        .expect("a channel")
        .with_retry_delay(Duration::from_millis(5));
    (channel, script)
}

/// An order as `GET /api/orders?display=full` gives it, in state `state`.
pub fn order(id: u64, state: &str) -> Value {
    json!({
        "id": id, "id_address_delivery": "4", "id_address_invoice": "4", "id_currency": "1",
        "id_customer": "9", "id_carrier": "2", "current_state": state, "valid": "1",
        "date_add": "2026-11-20 09:15:00", "date_upd": "2026-11-21 09:00:00",
        "shipping_number": "", "payment": "Bank wire", "total_discounts_tax_incl": "0.000000",
        "total_paid_tax_incl": "29.900000", "total_paid_tax_excl": "24.500000",
        "total_products_wt": "25.000000", "total_shipping_tax_incl": "4.900000",
        "reference": "KHWLILZLL",
        "associations": {"order_rows": [{"id": "13", "product_id": "1", "product_attribute_id": "0",
            "product_quantity": "1", "product_name": "Mug", "product_reference": "MUG",
            "unit_price_tax_incl": "25.000000"}]}
    })
}

/// The replies for what an order of [`order`] names.
pub fn related() -> Vec<(&'static str, u16, Value)> {
    vec![
        (
            "/api/addresses",
            200,
            json!({"addresses": [{"id": 4, "id_country": "8",
            "firstname": "Anna", "lastname": "Smith", "address1": "1 Main St", "address2": "",
            "postcode": "1000", "city": "Town", "phone": "+36 1 234 5678", "phone_mobile": ""}]}),
        ),
        (
            "/api/customers",
            200,
            json!({"customers": [{"id": 9, "firstname": "Anna",
            "lastname": "Smith", "email": "anna@example.com", "is_guest": "0"}]}),
        ),
        (
            "/api/carriers",
            200,
            json!({"carriers": [{"id": 2, "name": "DHL Express"}]}),
        ),
        (
            "/api/currencies",
            200,
            json!({"currencies": [{"id": 1, "iso_code": "EUR"}]}),
        ),
        (
            "/api/countries",
            200,
            json!({"countries": [{"id": 8, "iso_code": "HU"}]}),
        ),
    ]
}

pub fn since() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
        .expect("a time")
        .with_timezone(&chrono::Utc)
}
