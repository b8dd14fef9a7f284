//! A simulator of Tray's REST API on loopback, for `orderdesk sim --platform tray`,
//! `orderdesk demo`, tests and benchmarks. It shares no code with the connector but Tray's
//! Brasília clock: it behaves as Tray documents. The seeded world is the one every simulator
//! renders (`crate::sim::seed`).
//!
//! Routes (the address is the store's API address; errors are
//! `{"message", "causes": [...], "code"}`):
//! - `POST /auth` (`consumer_key`, `consumer_secret`, `code`; form or JSON) → 201 with
//!   `access_token` (valid 3 hours), `refresh_token` (30 days) and their expiry dates;
//!   `GET /auth?refresh_token=` → new tokens, the old refresh token spent. Wrong ones: 401.
//! - Every other route needs `?access_token=` (401 when missing, unknown or expired):
//!   `GET /orders` (`modified=start,end` in days, `status`, `sort=id_asc|id_desc`, `limit`
//!   1..=50, `page` from 1; else 400) → `{"paging", "Orders": [{"Order": summary}]}`;
//!   `GET /orders/:id/complete`; `GET /orders/statuses`; `PUT /orders/:id`
//!   (`{"Order": {"status_id", "sending_code", "sending_date"}}`); `PUT /orders/cancel/:id`.
//! - `GET /products`, `GET /categories`: the store's catalog; `PUT /products/:id`
//!   (`{"Product": {"stock"}}`) sets a product's stock, logged as `inventory_set` (see
//!   `products.rs`); `GET /products/variants`, `GET|PUT /products/variants/:id` its variants
//!   (see `variants.rs`).
//! - Every request counts against the budget (180 a minute, 10,000 a day): past it, 429
//!   (`Retry-After` for the minute's).
//!
//! `GET /_sim/log` lists what the store received (`fulfillment_create` with the tracking
//! code, `order_update`, `order_cancel`); `GET /_sim/usage` the requests counted today;
//! `POST /_sim/orders` adds an order, `POST /_sim/orders/{id}` changes one at the shop; `POST /_sim/tokens` expires or
//! revokes what was issued; `POST /_sim/faults` takes the shared faults but Shopify's.

// A refusal is the HTTP answer itself, made at most once per request: not worth a box.
#![allow(clippy::result_large_err)]

mod admin;
mod auth;
mod orders;
mod products;
mod seeded;
mod state;
mod variants;

use axum::Router;
use axum::routing::{get, post, put};
use std::sync::Arc;

use crate::sim::SimHandle;
use crate::sim::faults::Faults;
pub use seeded::Seeded;
pub use state::READY_PICKUP;

#[derive(Debug, Clone)]
pub struct TrayOptions {
    pub orders: usize,
    pub seed: u64,
    /// The store's currency (what the demo's store is set to).
    pub currency: String,
    /// When set, the only consumer key, secret and code taken; otherwise any non-empty ones.
    pub key: Option<String>,
    pub secret: Option<String>,
    pub code: Option<String>,
    /// How long an access token and a refresh token last.
    pub access_seconds: i64,
    pub refresh_seconds: i64,
    /// The budget: requests in any `window`, and in a day.
    pub per_window: u32,
    pub window: std::time::Duration,
    pub per_day: u32,
    /// Generated products in the store's catalog beyond the seeded ones.
    pub catalog: usize,
}

impl Default for TrayOptions {
    fn default() -> Self {
        TrayOptions {
            orders: 200,
            seed: 1,
            currency: "EUR".into(),
            key: None,
            secret: None,
            code: None,
            access_seconds: 3 * 3600,
            refresh_seconds: 30 * 86_400,
            per_window: 180,
            window: std::time::Duration::from_secs(60),
            per_day: 10_000,
            catalog: 0,
        }
    }
}

fn router(state: Arc<state::AppState>) -> Router {
    Router::new()
        .route("/auth", post(auth::authorise).get(auth::refresh))
        .route("/orders", get(orders::list))
        .route("/orders/statuses", get(orders::statuses))
        .route("/orders/{id}/complete", get(orders::complete))
        .route("/orders/{id}", put(orders::update))
        .route("/orders/cancel/{id}", put(orders::cancel))
        .route("/products", get(products::list))
        .route("/products/{id}", put(products::set_stock))
        .route("/products/variants", get(variants::list))
        .route(
            "/products/variants/{id}",
            get(variants::one).put(variants::set_stock),
        )
        .route("/categories", get(products::categories))
        .route("/_sim/log", get(admin::log))
        .route("/_sim/usage", get(admin::usage))
        .route("/_sim/faults", post(admin::faults))
        .route("/_sim/tokens", post(admin::tokens))
        .route("/_sim/orders", post(admin::add_order))
        .route("/_sim/orders/{id}", post(admin::change_order))
        .fallback(|| async { auth::not_found() })
        .with_state(state)
}

/// Parses faults in the shape `POST /_sim/faults` takes; the error names what does not read.
pub fn parse_faults(json: &str) -> Result<Faults, String> {
    crate::sim::faults::parse(json, crate::sim::faults::arm_rest)
}

/// Serves `seeded` on `listener` from a spawned task, with `armed` faults from the start.
pub async fn start(
    opts: TrayOptions,
    seeded: Seeded,
    listener: tokio::net::TcpListener,
    armed: Faults,
) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    let app = router(Arc::new(state::AppState::new(
        opts,
        seeded.orders,
        seeded.catalog,
        armed,
    )));
    Ok(SimHandle::serve(addr, listener, app))
}

/// This simulator as its registry row holds it (`crate::platforms`).
pub const SIMULATOR: crate::sim::Simulator = crate::sim::Simulator {
    start: |spec, listener, armed| Box::pin(start_spec(spec, listener, armed)),
    export: |spec, dir| Seeded::new(&options(spec)).write_export(dir),
    parse_faults,
    demo_store: "tray",
    demo_credentials: &[
        ("key", "tray_demo_key"),
        ("secret", "tray_demo_secret"),
        ("code", "tray_demo_code"),
    ],
    demo_options: &[],
    vital_field: "total",
    own_statuses: &[(
        crate::domain::platform::LocalChange::ReadyForPickup,
        READY_PICKUP,
    )],
};

/// The spec's credential is `KEY:SECRET:CODE` when given.
pub fn options(spec: &crate::sim::SimSpec) -> TrayOptions {
    let parts: Vec<String> = spec
        .credential
        .as_deref()
        .map(|c| c.splitn(3, ':').map(str::to_string).collect())
        .unwrap_or_default();
    TrayOptions {
        orders: spec.orders,
        seed: spec.seed,
        currency: spec.currency.clone(),
        key: parts.first().cloned(),
        secret: parts.get(1).cloned(),
        code: parts.get(2).cloned(),
        catalog: spec.catalog,
        ..TrayOptions::default()
    }
}

async fn start_spec(
    spec: crate::sim::SimSpec,
    listener: tokio::net::TcpListener,
    armed: Faults,
) -> std::io::Result<crate::sim::Started> {
    use crate::sim::seed::catalog;
    let seeded = Seeded::new(&options(&spec));
    let products = catalog::products_csv(&seeded.products);
    let customers = catalog::customers_csv(&seeded.customers);
    let handle = start(options(&spec), seeded, listener, armed).await?;
    Ok(crate::sim::Started::new(handle, products, customers))
}
