//! A simulator of the WooCommerce REST API v3 on loopback (`/wp-json/wc/v3/`), for
//! `orderdesk sim --platform woocommerce`, `orderdesk demo`, tests and benchmarks. It shares no
//! code with the connector (`crate::channels`): it behaves as WooCommerce documents, not as a
//! client expects. The seeded world is the one every simulator renders (`crate::sim::seed`).
//!
//! The shop's clock is [`WooOptions::utc_offset`] (-03:00 by default): `date_created` and
//! `date_modified` are its wall clock, the `_gmt` fields UTC. `modified_after`,
//! `modified_before`, `after` and `before` are compared as wall-clock times (any offset in
//! the value is ignored, as WordPress's date query does) against the local fields, or
//! against the `_gmt` fields when `dates_are_gmt=true`. A shop west of UTC is the one where
//! forgetting it costs orders: a UTC cursor read as local time skips the last three hours.
//!
//! Routes (every one needs the consumer key and secret, by HTTP Basic or the
//! `consumer_key`/`consumer_secret` query parameters):
//! - `GET /wp-json/wc/v3/orders`: `page`, `per_page` (1..=100, default 10), `status` (comma
//!   list; `any`, the default, leaves out `trash`), `modified_after`, `modified_before`,
//!   `after`, `before`, `dates_are_gmt`, `include`, `customer`, `orderby` (date, modified, id,
//!   include, title, slug), `order` (asc, desc); `X-WP-Total`, `X-WP-TotalPages` and a `Link`
//!   header. A bad parameter answers 400 `rest_invalid_param`.
//! - `GET /wp-json/wc/v3/products`, `…/products/{id}/variations`, `…/products/categories`:
//!   the shop's catalog; `POST …/products/batch` (`update`: `id`, `stock_quantity`) sets
//!   stock, logged as `inventory_set`, and `POST …/products/{id}/variations/batch` a
//!   variation's (see `products.rs`).
//! - `GET|PUT /wp-json/wc/v3/orders/{id}`: PUT takes `status` (one the shop knows, else 400).
//! - `GET|POST /wp-json/wc/v3/orders/{id}/notes` (`note`, `customer_note`).
//! - `GET|POST /wp-json/wc/v3/orders/{id}/refunds` (`amount`, `reason`, `api_refund`,
//!   `line_items`); more than remains answers 400 (see `refund.rs`).
//! - `GET|POST /wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings`
//!   (`tracking_provider` or `custom_tracking_provider`, `tracking_number`, `date_shipped`)
//!   when [`WooOptions::tracking`] says the extension is installed, else 404 `rest_no_route`.
//!
//! `GET /_sim/log` lists each applied change once: `order_update` (a status change),
//! `order_cancel` (the status became cancelled), `refund_create`, `fulfillment_create` (a
//! shipment tracking added, or a customer note: its tracking number is the note's longest
//! word holding a digit, the simulator's reading). `POST /_sim/orders` adds an order (a JSON
//! object in the order's shape; missing fields filled), `POST /_sim/orders/{id}` changes one
//! at the shop: `{"status": "completed"}`, `{"cancel": true}`, `{"complete": true}`,
//! `{"quantities": {"<line item id>": n}}` (0 removes the line; totals follow).
//! `POST /_sim/faults` takes the Shopify simulator's faults except `throttle_next` (see
//! `crate::sim::faults`); any other key is refused with 400 and nothing is armed.

// A refusal is the HTTP answer itself, made at most once per request: not worth a box.
#![allow(clippy::result_large_err)]

mod admin;
mod auth;
mod edit;
mod list;
mod money;
mod order;
mod products;
mod refund;
mod reply;
mod seeded;
mod state;
mod tracking;
mod wp;

pub use crate::sim::SimHandle;
use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;

use crate::sim::faults::Faults;
pub use seeded::Seeded;

pub const ORDERS_PATH: &str = "/wp-json/wc/v3/orders";
pub const PRODUCTS_PATH: &str = "/wp-json/wc/v3/products";
pub const TRACKING_PATH: &str = "/wp-json/wc-shipment-tracking/v3/orders";

#[derive(Debug, Clone)]
pub struct WooOptions {
    /// How many orders in all (the named cases first).
    pub orders: usize,
    pub seed: u64,
    /// The shop's currency.
    pub currency: String,
    /// When set, the only credentials accepted: `KEY:SECRET`, or `KEY` with any non-empty
    /// secret; otherwise any non-empty key and secret.
    pub token: Option<String>,
    /// Whether the Shipment Tracking extension is installed.
    pub tracking: bool,
    /// The shop's timezone, in minutes east of UTC (negative west of it).
    pub utc_offset: i32,
    /// Generated products in the shop's catalog beyond the seeded ones.
    pub catalog: usize,
}

impl Default for WooOptions {
    fn default() -> Self {
        WooOptions {
            orders: 200,
            seed: 1,
            currency: "EUR".into(),
            token: None,
            tracking: true,
            utc_offset: -180,
            catalog: 0,
        }
    }
}

fn router(state: Arc<state::AppState>) -> Router {
    let one = format!("{ORDERS_PATH}/{{id}}");
    Router::new()
        .route(ORDERS_PATH, get(list::orders))
        .route(&one, get(edit::order).put(edit::update))
        .route(
            &format!("{one}/notes"),
            get(edit::notes).post(edit::add_note),
        )
        .route(
            &format!("{one}/refunds"),
            get(refund::list).post(refund::create),
        )
        .route(
            &format!("{TRACKING_PATH}/{{id}}/shipment-trackings"),
            get(tracking::list).post(tracking::create),
        )
        .route(PRODUCTS_PATH, get(products::list))
        .route(&format!("{PRODUCTS_PATH}/batch"), post(products::batch))
        .route(
            &format!("{PRODUCTS_PATH}/categories"),
            get(products::categories),
        )
        .route(
            &format!("{PRODUCTS_PATH}/{{id}}/variations"),
            get(products::variations),
        )
        .route(
            &format!("{PRODUCTS_PATH}/{{id}}/variations/batch"),
            post(products::variations_batch),
        )
        .route("/_sim/log", get(admin::log))
        .route("/_sim/faults", post(admin::faults))
        .route("/_sim/orders", post(admin::add_order))
        .route("/_sim/orders/{id}", post(admin::change_order))
        .fallback(wp::no_route)
        .with_state(state)
}

/// Parses faults in the shape `POST /_sim/faults` takes; the error names what does not read.
pub fn parse_faults(json: &str) -> Result<Faults, String> {
    crate::sim::faults::parse(json, crate::sim::faults::arm_rest)
}

/// Serves `seeded` on `listener` from a spawned task, with `armed` faults from the start.
pub async fn start(
    opts: WooOptions,
    seeded: Seeded,
    listener: tokio::net::TcpListener,
    armed: Faults,
) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    let state = state::AppState::new(opts, seeded.orders, seeded.catalog, armed);
    let app = router(Arc::new(state));
    Ok(SimHandle::serve(addr, listener, app))
}

/// This simulator as its registry row holds it (`crate::platforms`): the demo's store has
/// the Shipment Tracking extension, as the simulated shop does by default.
pub const SIMULATOR: crate::sim::Simulator = crate::sim::Simulator {
    start: |spec, listener, armed| Box::pin(start_spec(spec, listener, armed)),
    export: |spec, dir| Seeded::new(&options(spec)).write_export(dir),
    parse_faults,
    demo_store: "woo",
    demo_credentials: &[("key", "ck_demo"), ("secret", "cs_demo")],
    demo_options: &["shipment_tracking"],
    vital_field: "total",
    own_statuses: &[(
        crate::domain::platform::LocalChange::ReadyForPickup,
        "ready-pickup",
    )],
};

fn options(spec: &crate::sim::SimSpec) -> WooOptions {
    WooOptions {
        orders: spec.orders,
        seed: spec.seed,
        currency: spec.currency.clone(),
        token: spec.credential.clone(),
        catalog: spec.catalog,
        ..WooOptions::default()
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
