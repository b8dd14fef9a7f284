//! A simulator of Shopify's GraphQL Admin API (2026-10) on loopback, for `orderdesk demo`,
//! `orderdesk sim`, tests and benchmarks. It shares no code with the connector
//! (`crate::channels`): it behaves as Shopify documents, not as a client expects.
//!
//! Mutations (each costs 10 and goes through the bucket; every applied change appends one
//! entry to `GET /_sim/log`, so a change applied twice shows twice):
//! - `fulfillmentCreate(fulfillment: {lineItemsByFulfillmentOrder: [{fulfillmentOrderId,
//!   fulfillmentOrderLineItems: [{id, quantity}]?}], trackingInfo: {company number url
//!   numbers urls}, notifyCustomer})`: the fulfillment orders' remaining quantities go down
//!   (CLOSED when none remain, else IN_PROGRESS), the order gains a `fulfillments` entry with
//!   its `trackingInfo`, `displayFulfillmentStatus` becomes FULFILLED (and the order closed)
//!   or PARTIALLY_FULFILLED. userErrors: unknown fulfillment order, one not OPEN/IN_PROGRESS
//!   ("... has an unfulfillable status= closed."), a cancelled order, a bad line or quantity.
//! - `fulfillmentOrderLineItemsPreparedForPickup(input: {lineItemsByFulfillmentOrder:
//!   [{fulfillmentOrderId}]})`: a PICK_UP fulfillment order becomes IN_PROGRESS (the
//!   simulator's reading: the schema has no "ready for pickup" state on FulfillmentOrder or
//!   Order). Coded userErrors: FULFILLMENT_ORDER_INVALID (unknown, not pickup),
//!   NO_LINE_ITEMS_TO_PREPARE_FOR_FULFILLMENT_ORDER (closed, or already prepared).
//! - `orderCancel(orderId, reason, refundMethod: {originalPaymentMethodsRefund: true} |
//!   refund (deprecated), restock, notifyCustomer, staffNote)`: applied at once; answers a
//!   `job` that `job(id:)` reports `done: false` the first time it is asked, `true` later or
//!   after 200 ms. `orderCancelUserErrors` NOT_FOUND (unknown order), INVALID (already
//!   cancelled, or has fulfillments). Paid orders refunded become REFUNDED, authorized
//!   ones VOIDED.
//! - `bulkOperationRunQuery(query:)`, with `bulkOperation(id:)`, `currentBulkOperation` and
//!   `ordersCount(query:, limit:)` beside it: see [`bulk`] (the rules a bulk query must
//!   follow, its status and counts over time, its JSONL at `GET /_sim/bulk/{n}.jsonl`, and
//!   the `bulk_*` faults).
//! - `inventorySetQuantities(input:) @idempotent(key:)`, with `nodes(ids:)` and `location`
//!   beside it: see [`inventory`] (the key required and honoured, the userErrors, one
//!   `inventory_set` log entry per quantity set).
//! - Any other mutation: an error naming it (`NOT_SUPPORTED_BY_SIMULATOR`). The
//!   `@idempotent(key:)` directive validates on the others but is not honoured: none of them
//!   documents idempotency support (Shopify's are refunds and inventory).
//!
//! Fault hooks, `POST /_sim/faults` (answers the faults now armed):
//! - `{"fail_next": N, "status": 500}`: the next N GraphQL requests answer that status (any
//!   400..=599) with `{"errors": "<reason>"}` and do nothing (no bucket, no change).
//! - `{"drop_after_apply_next": N}`: the next N mutation requests are applied (and logged)
//!   but answered `502 Bad Gateway` with a plain-text body, as when the connection breaks
//!   after Shopify did the work; a client must read the order back, not send again.
//! - `{"delay_next": N, "delay_ms": 1000}`: the next N requests are held that long first (a
//!   client with a shorter timeout sees a timeout).
//! - `{"slow_next": N, "slow_ms": 100}`: the next N answers are sent in 8 pieces that far apart.
//! - `{"rate_limit_next": N, "retry_after": 1.5}`: the next N requests answer `429 Too Many
//!   Requests` with `Retry-After` in seconds (fractions allowed; default 1).
//! - `{"throttle_next": N}`: the next N requests answer THROTTLED, whatever the bucket holds.
//! - `{"truncate_next": N}`: the next N answers are cut in the middle of their JSON.
//! - `{"unauthorized_next": N}`: the next N requests answer 401 with Shopify's invalid-token
//!   body, as for a wrong or expired token.
//! - `{"repeat_order_next": N}`: the next N answers holding a list of orders hold its first
//!   order twice.
//! - `{"malformed": {"order": "<legacy id>", "field": "totalPriceSet.shopMoney.amount",
//!   "value": "12,50"}}`: that order is served with that value (no `value`: the field left
//!   out) wherever it appears, until cleared.
//! - `{"bulk_fail_next": N, "bulk_error_code": "TIMEOUT"}`, `{"bulk_cancel_next": N}`,
//!   `{"bulk_expire_next": N}`, `{"bulk_url_broken_next": N}`, `{"bulk_broken_line":
//!   "<legacy id>"}`, `{"bulk_objects_per_second": N}`: the next N bulk operations end FAILED
//!   (that error code; INTERNAL_SERVER_ERROR by default) or CANCELED half-way, read EXPIRED
//!   when they would complete, or answer 403 at their `url`; that order's own line is cut in
//!   half in every bulk file; bulk operations go through N objects a second (until cleared;
//!   see [`bulk`]).
//! - `{"after_requests": N}`: the counted faults above wait until N more requests have been
//!   answered normally (a fault lands mid-run, on a later page).
//! - `{"clear": true}`: disarms everything (applied before the other keys).
//!
//! Any other key (or a key of `malformed` other than `order`, `field`, `value`) is refused
//! with 400 `{"errors": "unknown fault \"…\" (known: …)"}` and nothing is armed: a typo
//! cannot make a fault test pass for nothing.
//!
//! `GET /_sim/stats` answers `{"graphql_requests": N, "charged": N, "throttled": N,
//! "requested_points": N, "actual_points": N}`: every GraphQL request counted, and of those
//! that reached the cost bucket, how many were refused THROTTLED and what the others cost.
//!
//! `GET /_sim/charges` answers `{"maximum": 1000, "restore_rate": 50, "charges": [{"t": 1.25,
//! "requested": 891, "actual": 312, "available": 687.9, "took": 0.003}]}`: each query that
//! reached the bucket, in order, `t` in seconds since the simulator began serving, `actual` null
//! when THROTTLED, `available` what the bucket held after it, `took` the seconds from the
//! request's arrival to its charge (see [`charges::pacing`]).

mod admin;
mod bucket;
mod bulk;
mod cancel;
mod catalog;
pub mod charges;
mod cost;
mod cursor;
mod exec;
pub mod faults;
mod fulfil;
mod graphql;
mod index;
mod inventory;
mod money;
mod mutate;
mod order;
mod root;
mod schema;
mod search;
mod seeded;
mod select;
mod state;
mod world;

pub use crate::sim::SimHandle;
use crate::sim::seed::shop_catalog::ShopCatalog;
use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;

pub use crate::sim::seed::Rng;
pub use seeded::{Expected, Seeded};
pub use world::LogEntry;

pub const GRAPHQL_PATH: &str = "/admin/api/2026-10/graphql.json";

#[derive(Debug, Clone)]
pub struct SimOptions {
    /// How many orders in all (the named cases first).
    pub orders: usize,
    pub seed: u64,
    /// The shop's currency.
    pub currency: String,
    /// When set, the only access token accepted; otherwise any non-empty one.
    pub token: Option<String>,
    /// The cost bucket's size (maximumAvailable).
    pub bucket: u32,
    /// Points restored per second.
    pub restore: u32,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            orders: 200,
            seed: 1,
            currency: "EUR".into(),
            token: None,
            bucket: 1000,
            restore: 100,
        }
    }
}

fn router(state: Arc<state::AppState>) -> Router {
    Router::new()
        .route(GRAPHQL_PATH, post(graphql::handle))
        .route("/_sim/log", get(admin::log))
        .route("/_sim/faults", post(admin::faults))
        .route("/_sim/stats", get(admin::stats))
        .route("/_sim/charges", get(admin::charges))
        .route("/_sim/orders", post(admin::add_order))
        .route("/_sim/orders/{id}", post(admin::change_order))
        .route("/_sim/bulk/{file}", get(bulk::download))
        .with_state(state)
}

/// Serves `seeded` on `listener` from a spawned task.
pub async fn start(
    opts: SimOptions,
    seeded: Seeded,
    listener: tokio::net::TcpListener,
) -> std::io::Result<SimHandle> {
    start_armed(opts, seeded, listener, faults::Faults::default()).await
}

/// Parses faults in the shape `POST /_sim/faults` takes; the error names what does not read.
pub fn parse_faults(json: &str) -> Result<faults::Faults, String> {
    crate::sim::faults::parse(json, faults::Faults::arm)
}

async fn start_armed(
    opts: SimOptions,
    seeded: Seeded,
    listener: tokio::net::TcpListener,
    armed: faults::Faults,
) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    // Build the schema before the first request needs it.
    tokio::task::spawn_blocking(|| {
        schema::schema();
    })
    .await
    .map_err(std::io::Error::other)?;
    let mut world = world::World::seeded(seeded.planned, seeded.shop);
    world.base_url = format!("http://{addr}");
    world.variants = catalog::variants(&seeded.catalog);
    world.inventory = inventory::stock(&mut world.variants);
    // Index the orders now rather than in the first query.
    world.indexed();
    let state = state::AppState::new(opts, world);
    *state.faults() = armed;
    let app = router(Arc::new(state));
    Ok(SimHandle::serve(addr, listener, app))
}

/// This simulator as its registry row holds it (`crate::platforms`).
pub const SIMULATOR: crate::sim::Simulator = crate::sim::Simulator {
    start: |spec, listener, armed| Box::pin(start_spec(spec, listener, armed)),
    export: |spec, dir| Seeded::new(&options(spec)).write_export(dir),
    parse_faults,
    demo_store: "web",
    demo_credentials: &[("token", "demo-token")],
    demo_options: &[],
    vital_field: "totalPriceSet.shopMoney.amount",
    own_statuses: &[],
};

fn options(spec: &crate::sim::SimSpec) -> SimOptions {
    SimOptions {
        orders: spec.orders,
        seed: spec.seed,
        currency: spec.currency.clone(),
        token: spec.credential.clone(),
        bucket: spec.bucket,
        restore: spec.restore,
    }
}

async fn start_spec(
    spec: crate::sim::SimSpec,
    listener: tokio::net::TcpListener,
    armed: faults::Faults,
) -> std::io::Result<crate::sim::Started> {
    let opts = options(&spec);
    let mut seeded = Seeded::new(&opts);
    if spec.catalog > 0 {
        seeded.catalog = ShopCatalog::new(&seeded.products, spec.catalog);
    }
    let (products, customers) = (seeded.products_csv(), seeded.customers_csv());
    let handle = start_armed(opts, seeded, listener, armed).await?;
    Ok(crate::sim::Started::new(handle, products, customers))
}

#[cfg(test)]
mod seed_tests;
