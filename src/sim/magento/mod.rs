//! A simulator of Magento 2's REST API on loopback (`/rest/<store code>/V1/`), for
//! `orderdesk sim --platform magento`, `orderdesk demo`, tests and benchmarks. It shares no
//! code with the connector (`crate::channels`): it behaves as Magento documents. The seeded
//! world is the one every simulator renders (`crate::sim::seed`). Dates are UTC
//! (`YYYY-MM-DD HH:MM:SS`), amounts JSON numbers, prices without tax.
//!
//! Routes (each needs `Authorization: Bearer <token>`, else 401; the store code is `default`
//! or `all`, else 400; errors are `{"message": "… %1 …", "parameters": …}`):
//! - `GET /rest/{store}/V1/orders`: `searchCriteria` filter groups (ORed inside a group, ANDed
//!   between) on `entity_id`, `increment_id`, `status`, `state`, `created_at`, `updated_at`,
//!   `customer_email` with `eq`, `neq`, `gt`, `gteq`, `lt`, `lteq`, `in`, `nin`, `like`;
//!   `sortOrders`; `pageSize`, `currentPage` (past the end: the last page again);
//!   `{"items", "search_criteria", "total_count"}`.
//! - `GET /rest/{store}/V1/orders/{id}` (404 for an unknown id).
//! - `GET /rest/{store}/V1/products` (a search), `GET …/V1/categories` (the tree): the shop's
//!   catalog; `POST …/V1/inventory/source-items` sets stock by SKU at a source, logged as
//!   `inventory_set` with the source's code; `GET …/V1/inventory/sources` lists the sources
//!   (`default`, `shop_floor`, the disabled `old_depot`; see `products.rs`).
//! - `POST /rest/{store}/V1/orders/{id}/comments` (`statusHistory`, its `status` one the shop
//!   knows), `POST …/orders/{id}/cancel` (`true`, or `false` when it cannot be cancelled).
//! - `POST /rest/{store}/V1/order/{id}/ship` (`notify`, `tracks`): one shipment of all that is
//!   left, answering its id; `GET …/V1/shipments` (a search on `order_id`);
//!   `POST …/V1/shipment/track` (`entity`) adds a number to a shipment.
//! - `POST /rest/{store}/V1/order/{id}/refund`: a credit memo of all that was invoiced; the
//!   order `closed`.
//!
//! `GET /_sim/log` lists what the shop received: `fulfillment_create` (a shipment),
//! `order_cancel` (a cancel, or a refund of everything that closed the order), `refund_create`,
//! `order_update` (a comment, a track added).
//! `POST /_sim/orders` adds an order, `POST /_sim/orders/{id}` changes one at the shop
//! (`{"status": …}`, `{"cancel": true}`, `{"complete": true}`, `{"quantities": {item_id: n}}`).
//! `POST /_sim/faults` takes the shared faults but Shopify's `throttle_next`; any other key is
//! refused and nothing armed.

// A refusal is the HTTP answer itself, made at most once per request: not worth a box.
#![allow(clippy::result_large_err)]

mod admin;
mod orders;
mod products;
mod reply;
mod search;
mod seeded;
mod ship;
mod state;

use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;

use crate::sim::SimHandle;
use crate::sim::faults::Faults;
pub use seeded::Seeded;

#[derive(Debug, Clone)]
pub struct MagentoOptions {
    /// How many orders in all (the named cases first).
    pub orders: usize,
    pub seed: u64,
    /// The shop's base currency.
    pub currency: String,
    /// When set, the only Bearer token accepted; otherwise any non-empty one.
    pub token: Option<String>,
    /// Generated products in the shop's catalog beyond the seeded ones.
    pub catalog: usize,
}

impl Default for MagentoOptions {
    fn default() -> Self {
        MagentoOptions {
            orders: 200,
            seed: 1,
            currency: "EUR".into(),
            token: None,
            catalog: 0,
        }
    }
}

fn router(state: Arc<state::AppState>) -> Router {
    let v1 = "/rest/{store}/V1";
    Router::new()
        .route(&format!("{v1}/orders"), get(orders::list))
        .route(&format!("{v1}/orders/{{id}}"), get(orders::one))
        .route(
            &format!("{v1}/orders/{{id}}/comments"),
            post(orders::comment),
        )
        .route(&format!("{v1}/orders/{{id}}/cancel"), post(orders::cancel))
        .route(&format!("{v1}/order/{{id}}/ship"), post(ship::ship))
        .route(&format!("{v1}/order/{{id}}/refund"), post(ship::refund))
        .route(&format!("{v1}/shipments"), get(ship::shipments))
        .route(&format!("{v1}/shipment/track"), post(ship::track))
        .route(&format!("{v1}/products"), get(products::list))
        .route(&format!("{v1}/categories"), get(products::categories))
        .route(
            &format!("{v1}/inventory/source-items"),
            post(products::source_items),
        )
        .route(&format!("{v1}/inventory/sources"), get(products::sources))
        .route("/_sim/log", get(admin::log))
        .route("/_sim/faults", post(admin::faults))
        .route("/_sim/orders", post(admin::add_order))
        .route("/_sim/orders/{id}", post(admin::change_order))
        .fallback(reply::no_route)
        .with_state(state)
}

/// Parses faults in the shape `POST /_sim/faults` takes; the error names what does not read.
pub fn parse_faults(json: &str) -> Result<Faults, String> {
    crate::sim::faults::parse(json, crate::sim::faults::arm_rest)
}

/// Serves `seeded` on `listener` from a spawned task, with `armed` faults from the start.
pub async fn start(
    opts: MagentoOptions,
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
    demo_store: "mag",
    demo_credentials: &[("token", "mg_demo_token")],
    demo_options: &[],
    vital_field: "base_grand_total",
    own_statuses: &[(
        crate::domain::platform::LocalChange::ReadyForPickup,
        "ready_pickup",
    )],
};

fn options(spec: &crate::sim::SimSpec) -> MagentoOptions {
    MagentoOptions {
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
