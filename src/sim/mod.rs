//! Simulated shops (DESIGN.md §4 "The simulator"). Shares no code with `crate::channels`.
//!
//! Each platform's folder renders the one seeded world (`seed`) in its own shapes and gives a
//! [`Simulator`] for its registry row (`crate::platforms`); `orderdesk sim` and `orderdesk
//! demo` run any of them through [`run`] and [`Simulator::start`].

pub mod faults;
pub mod log;
pub mod magento;
pub mod prestashop;
pub mod rest;
pub mod seed;
pub mod shopify;
pub mod shoprenter;
pub mod tray;
pub mod woocommerce;

use std::future::Future;
use std::io::Write;
use std::path::Path;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What `orderdesk sim` and `orderdesk demo` ask of any platform's simulator. A platform
/// takes what applies to it (the cost bucket is Shopify's).
#[derive(Debug, Clone)]
pub struct SimSpec {
    /// How many orders in all (the named cases first).
    pub orders: usize,
    pub seed: u64,
    /// The shop's currency.
    pub currency: String,
    /// When set, the only credential accepted (a token; `KEY:SECRET` for a key and secret).
    pub credential: Option<String>,
    /// The cost bucket's size and its restore rate per second (Shopify).
    pub bucket: u32,
    pub restore: u32,
    /// Products the shop's catalog has beyond the seeded ones (generated, for a benchmark).
    pub catalog: usize,
}

impl Default for SimSpec {
    fn default() -> Self {
        SimSpec {
            orders: 200,
            seed: 1,
            currency: "EUR".into(),
            credential: None,
            bucket: 1000,
            restore: 100,
            catalog: 0,
        }
    }
}

/// A running simulator; dropping it leaves it running, `stop` ends it.
pub struct SimHandle {
    pub addr: std::net::SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl SimHandle {
    pub fn new(addr: std::net::SocketAddr, task: tokio::task::JoinHandle<()>) -> SimHandle {
        SimHandle { addr, task }
    }

    /// Serves `app` on `listener` (bound to `addr`) from a spawned task.
    pub fn serve(
        addr: std::net::SocketAddr,
        listener: tokio::net::TcpListener,
        app: axum::Router,
    ) -> SimHandle {
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!("simulator stopped: {e}");
            }
        });
        SimHandle { addr, task }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

/// A simulator serving on loopback, with the store side its shop is meant to match.
pub struct Started {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pub products_csv: String,
    pub customers_csv: String,
    handle: SimHandle,
}

impl Started {
    pub fn new(handle: SimHandle, products_csv: String, customers_csv: String) -> Started {
        Started {
            url: handle.url(),
            products_csv,
            customers_csv,
            handle,
        }
    }

    pub fn stop(self) {
        self.handle.stop();
    }
}

/// One platform's simulator, as its registry row holds it.
pub struct Simulator {
    /// Seeds the shop from the spec and serves it on the listener with `armed` faults.
    pub start: fn(
        SimSpec,
        tokio::net::TcpListener,
        faults::Faults,
    ) -> BoxFuture<'static, std::io::Result<Started>>,
    /// Writes `products.csv`, `customers.csv` and `expected.json` for the spec's shop.
    pub export: fn(&SimSpec, &Path) -> std::io::Result<()>,
    /// Faults in the shape its `POST /_sim/faults` takes; unknown keys refused by name.
    pub parse_faults: fn(&str) -> Result<faults::Faults, String>,
    /// The id of its store in `orderdesk demo` (references read `web:1001`).
    pub demo_store: &'static str,
    /// What a store of `orderdesk demo` gives it: credentials by key, and switches turned on.
    pub demo_credentials: &'static [(&'static str, &'static str)],
    pub demo_options: &'static [&'static str],
    /// A field of its orders (a dotted path, as a `malformed` fault takes it) without which an
    /// order does not read: the conformance suite breaks one order with it.
    pub vital_field: &'static str,
    /// Statuses the simulated shop added to its platform's own, each with the local change a
    /// store of it maps to it (the conformance suite does; a real store declares such a status
    /// under `[store.statuses] custom`).
    pub own_statuses: &'static [(crate::domain::platform::LocalChange, &'static str)],
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
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// `orderdesk sim`: writes the export, binds, prints `listening on http://HOST:PORT`, serves
/// until interrupted, with `armed` faults from the start.
pub async fn run(
    sim: &Simulator,
    spec: SimSpec,
    listen: &str,
    export: Option<&Path>,
    armed: faults::Faults,
) -> Result<(), SimError> {
    if let Some(dir) = export {
        (sim.export)(&spec, dir).map_err(|source| SimError::Export {
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
    let started = (sim.start)(spec, listener, armed).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", started.url)?;
        out.flush()?;
    }
    tokio::signal::ctrl_c().await?;
    started.stop();
    Ok(())
}
