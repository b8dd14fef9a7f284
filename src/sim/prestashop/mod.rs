//! A simulator of the PrestaShop Webservice on loopback (`/api/`, JSON output), for
//! `orderdesk sim --platform prestashop`, `orderdesk demo`, tests and benchmarks. It shares no
//! code with the connector (`crate::channels`): it behaves as the webservice documents, not
//! as a client expects. The seeded world is the one every simulator renders
//! (`crate::sim::seed`); dates are the shop's clock, here UTC (`YYYY-MM-DD HH:MM:SS`).
//!
//! Routes (every one needs the webservice key: the HTTP Basic user, any password, or the
//! `ws_key` parameter):
//! - `GET /api/{resource}` for `orders`, `customers`, `addresses`, `carriers`, `currencies`,
//!   `countries`, `order_carriers`, and the catalog's `products`, `combinations`,
//!   `categories` (see `catalog.rs`): `display`, `filter[field]`, `sort`, `limit`, `date=1`
//!   (see `list.rs`).
//! - `GET /api/{resource}/{id}`: `{"order": {...}}`; no such object answers 404.
//! - `POST /api/order_histories` (XML: `id_order`, `id_order_state`; `sendemail=1`), and
//!   `PUT /api/order_carriers/{id}` (XML: the whole object, `tracking_number`).
//!
//! `GET /_sim/log` lists each applied change once: `order_update` (a new state),
//! `order_cancel` (state 6 or 7), `fulfillment_create` (a new tracking number on the order's
//! carrier). `POST /_sim/orders` adds an order (missing fields filled), `POST
//! /_sim/orders/{id}` changes one at the shop: `{"cancel": true}`, `{"complete": true}`
//! (delivered), `{"state": "3"}`, `{"quantities": {order row id: n}}`. `POST /_sim/faults`
//! takes the shared faults but Shopify's `throttle_next` (see `crate::sim::faults`); any
//! other key is refused with 400.

// A refusal is the HTTP answer itself, made at most once per request: not worth a box.
#![allow(clippy::result_large_err)]

mod admin;
mod catalog;
mod change;
mod gate;
mod list;
mod order;
mod seeded;
mod state;

pub use crate::sim::SimHandle;
use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;

use crate::sim::faults::Faults;
pub use seeded::Seeded;

#[derive(Debug, Clone)]
pub struct PsOptions {
    /// How many orders in all (the named cases first).
    pub orders: usize,
    pub seed: u64,
    /// The shop's currency.
    pub currency: String,
    /// When set, the only webservice key accepted; otherwise any non-empty one.
    pub token: Option<String>,
    /// Generated products in the shop's catalog beyond the seeded ones.
    pub catalog: usize,
}

impl Default for PsOptions {
    fn default() -> Self {
        PsOptions {
            orders: 200,
            seed: 1,
            currency: "EUR".into(),
            token: None,
            catalog: 0,
        }
    }
}

fn router(state: Arc<state::AppState>) -> Router {
    Router::new()
        .route("/api/{resource}", get(list::list).post(change::create))
        .route("/api/{resource}/{id}", get(list::one).put(change::update))
        .route("/_sim/log", get(admin::log))
        .route("/_sim/faults", post(admin::faults))
        .route("/_sim/orders", post(admin::add_order))
        .route("/_sim/orders/{id}", post(admin::change_order))
        .with_state(state)
}

/// Parses faults in the shape `POST /_sim/faults` takes; the error names what does not read.
pub fn parse_faults(json: &str) -> Result<Faults, String> {
    crate::sim::faults::parse(json, crate::sim::faults::arm_rest)
}

/// Serves `seeded` on `listener` from a spawned task, with `armed` faults from the start.
pub async fn start(
    opts: PsOptions,
    seeded: Seeded,
    listener: tokio::net::TcpListener,
    armed: Faults,
) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    let state = state::AppState::new(opts, seeded.resources, armed);
    let app = router(Arc::new(state));
    Ok(SimHandle::serve(addr, listener, app))
}

/// This simulator as its registry row holds it (`crate::platforms`).
pub const SIMULATOR: crate::sim::Simulator = crate::sim::Simulator {
    start: |spec, listener, armed| Box::pin(start_spec(spec, listener, armed)),
    export: |spec, dir| Seeded::new(&options(spec)).write_export(dir),
    parse_faults,
    demo_store: "ps",
    demo_credentials: &[("token", "PSDEMOWEBSERVICEKEY0000000000000")],
    demo_options: &[],
    vital_field: "total_paid_tax_incl",
    own_statuses: &[(crate::domain::platform::LocalChange::ReadyForPickup, "14")],
};

fn options(spec: &crate::sim::SimSpec) -> PsOptions {
    PsOptions {
        orders: spec.orders,
        seed: spec.seed,
        currency: spec.currency.clone(),
        token: spec.credential.clone(),
        catalog: spec.catalog,
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
