//! A simulator of Shopify's GraphQL Admin API (2026-10) on loopback, for `orderdesk demo`,
//! `orderdesk sim`, tests and benchmarks. It shares no code with the connector
//! (`crate::channels`): it behaves as Shopify documents, not as a client expects.

mod admin;
mod bucket;
mod cancel;
mod cases;
mod catalog;
mod cost;
mod cursor;
mod exec;
mod fulfil;
mod graphql;
mod money;
mod mutate;
mod order;
mod rng;
mod root;
mod schema;
mod search;
mod seeded;
mod select;
mod state;
mod world;

use axum::Router;
use axum::routing::{get, post};
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

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

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot write the export to {path}: {source}")]
    Export {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("the simulator stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// A running simulator; dropping it leaves it running, `stop` ends it.
pub struct SimHandle {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

fn router(state: Arc<state::AppState>) -> Router {
    Router::new()
        .route(GRAPHQL_PATH, post(graphql::handle))
        .route("/_sim/log", get(admin::log))
        .route("/_sim/faults", post(admin::faults))
        .route("/_sim/orders", post(admin::add_order))
        .route("/_sim/orders/{id}", post(admin::change_order))
        .with_state(state)
}

/// Serves `seeded` on `listener` from a spawned task.
pub async fn start(
    opts: SimOptions,
    seeded: Seeded,
    listener: tokio::net::TcpListener,
) -> std::io::Result<SimHandle> {
    let addr = listener.local_addr()?;
    // Build the schema before the first request needs it.
    tokio::task::spawn_blocking(|| {
        schema::schema();
    })
    .await
    .map_err(std::io::Error::other)?;
    let world = world::World::new(seeded.orders, seeded.shop);
    let app = router(Arc::new(state::AppState::new(opts, world)));
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!("simulator stopped: {e}");
        }
    });
    Ok(SimHandle { addr, task })
}

/// `orderdesk sim`: writes the export, binds, prints `listening on http://HOST:PORT`, serves
/// until interrupted.
pub async fn run(opts: SimOptions, listen: &str, export: Option<&Path>) -> Result<(), SimError> {
    let seeded = Seeded::new(&opts);
    if let Some(dir) = export {
        seeded
            .write_export(dir)
            .map_err(|source| SimError::Export {
                path: dir.display().to_string(),
                source,
            })?;
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| SimError::Listen {
            addr: listen.to_string(),
            source,
        })?;
    let handle = start(opts, seeded, listener).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", handle.url())?;
        out.flush()?;
    }
    tokio::signal::ctrl_c().await?;
    handle.stop();
    Ok(())
}

#[cfg(test)]
mod seed_tests;
