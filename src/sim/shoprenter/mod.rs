//! A simulator of Shoprenter's REST API on loopback, for `orderdesk sim --platform
//! shoprenter`, `orderdesk demo`, tests and benchmarks. It shares no code with the connector:
//! it behaves as Shoprenter documents. The seeded world is the one every simulator renders
//! (`crate::sim::seed`).
//!
//! Every request needs HTTP Basic (the API user and password; 401 otherwise) and
//! `Accept: application/json` (406 otherwise: Shoprenter's default is XML, which this
//! simulator does not speak), and counts against 3 requests a second (429 past it, with
//! `Retry-After`). Ids are base64 resource ids; lists are
//! `{"page", "limit", "pageCount", "first", "previous", "next", "last", "items"}` with `page`
//! from 0 and `limit` 1..=200 (else 400). Errors are `{"error", "message"}`.
//! - `GET /orderExtend` (`full=1` whole orders, else `href`s; `dateUpdatedFrom`),
//!   `GET /orderExtend/{id}`.
//! - `GET /productExtend`, `GET /categoryExtend`: the shop's catalog; `PUT /products/{id}`
//!   (`stock1`) sets a product's stock, logged as `inventory_set` (see `products.rs`).
//! - `GET /orderHistories?orderId=`, `POST /orderHistories` (`order.id`, `orderStatus.id`,
//!   `comment`, `notify`): the order moves to that status.
//!
//! `GET /_sim/log` lists what the shop received (`order_cancel` for the cancelled status,
//! `order_update` for another status, `fulfillment_create` for a history comment with
//! "Tracking number: …": a history entry may be both);
//! `GET /_sim/usage` the requests counted today and refused; `POST /_sim/orders` adds an
//! order, `POST /_sim/orders/{id}` changes one at the shop; `POST /_sim/faults` takes the
//! shared faults but Shopify's.

// A refusal is the HTTP answer itself, made at most once per request: not worth a box.
#![allow(clippy::result_large_err)]

mod admin;
mod api;
mod products;
mod seeded;
mod state;

use axum::Router;
use axum::routing::{get, post, put};
use std::sync::Arc;

use crate::sim::SimHandle;
use crate::sim::faults::Faults;
pub use seeded::Seeded;
pub use state::READY_PICKUP;

#[derive(Debug, Clone)]
pub struct ShoprenterOptions {
    pub orders: usize,
    pub seed: u64,
    pub currency: String,
    /// When set, the only API user and password taken; otherwise any non-empty ones.
    pub user: Option<String>,
    pub password: Option<String>,
    pub per_second: u32,
    /// Generated products in the shop's catalog beyond the seeded ones.
    pub catalog: usize,
}

impl Default for ShoprenterOptions {
    fn default() -> Self {
        ShoprenterOptions {
            orders: 200,
            seed: 1,
            currency: "EUR".into(),
            user: None,
            password: None,
            per_second: 3,
            catalog: 0,
        }
    }
}

fn router(state: Arc<state::AppState>) -> Router {
    Router::new()
        .route("/orderExtend", get(api::list))
        .route("/orderExtend/{id}", get(api::one))
        .route(
            "/orderHistories",
            get(api::histories).post(api::add_history),
        )
        .route("/productExtend", get(products::list))
        .route("/products/{id}", put(products::set_stock))
        .route("/categoryExtend", get(products::categories_list))
        .route("/_sim/log", get(admin::log))
        .route("/_sim/usage", get(admin::usage))
        .route("/_sim/faults", post(admin::faults))
        .route("/_sim/orders", post(admin::add_order))
        .route("/_sim/orders/{id}", post(admin::change_order))
        .fallback(|| async { api::not_found() })
        .with_state(state)
}

pub fn parse_faults(json: &str) -> Result<Faults, String> {
    crate::sim::faults::parse(json, crate::sim::faults::arm_rest)
}

/// Serves `seeded` on `listener` from a spawned task, with `armed` faults from the start.
pub async fn start(
    opts: ShoprenterOptions,
    seeded: Seeded,
    listener: tokio::net::TcpListener,
    armed: Faults,
) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let app = router(Arc::new(state::AppState::new(
        opts,
        base,
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
    demo_store: "sr",
    demo_credentials: &[("user", "sr_demo_user"), ("password", "sr_demo_password")],
    demo_options: &[],
    vital_field: "total",
    own_statuses: &[(
        crate::domain::platform::LocalChange::ReadyForPickup,
        READY_PICKUP,
    )],
};

/// The spec's credential is `USER:PASSWORD` when given.
pub fn options(spec: &crate::sim::SimSpec) -> ShoprenterOptions {
    let pair = spec.credential.as_deref().and_then(|c| c.split_once(':'));
    ShoprenterOptions {
        orders: spec.orders,
        seed: spec.seed,
        currency: spec.currency.clone(),
        user: pair.map(|(u, _)| u.to_string()),
        password: pair.map(|(_, p)| p.to_string()),
        catalog: spec.catalog,
        ..ShoprenterOptions::default()
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
