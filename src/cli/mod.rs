//! The command line (DESIGN.md §4): one file per subcommand.

mod bench_data;
mod catalog;
mod check;
mod common;
mod console;
mod demo;
mod export;
mod import;
pub mod invoice;
mod listing;
pub mod manifest;
mod memory;
mod metrics;
mod order;
mod receipt;
mod serve;
mod sim;
mod status;
mod store;
mod sync;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use common::Failure;

#[derive(Parser, Debug)]
#[command(
    name = "orderdesk",
    version,
    about = "A keyboard-driven console for a store's web orders"
)]
pub struct Cli {
    /// The config file (default: $XDG_CONFIG_HOME/orderdesk/orderdesk.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The data directory holding the store (default: $XDG_DATA_HOME/orderdesk/).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The keymap preset for the console: default or vim.
    #[arg(long, global = true, value_name = "NAME")]
    pub keymap: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The console against a built-in simulated Shopify shop (store id `web`).
    Demo(demo::DemoArgs),
    /// Run a shop simulator on loopback.
    Sim(sim::SimArgs),
    /// Import products or customers from CSV.
    Import(import::ImportArgs),
    /// Export products or customers as CSV, in the columns import reads.
    Export(export::ExportArgs),
    /// Run as a service: own the store, sync around the clock, answer consoles and
    /// subcommands on the socket `orderdesk.sock` in the data directory.
    Serve(serve::ServeArgs),
    /// Sync every configured store: keeps running, or one run with --once.
    Sync(sync::SyncArgs),
    /// Counts, problems and the last sync of each store.
    Status(status::StatusArgs),
    /// List orders.
    Orders(listing::OrdersArgs),
    /// List products.
    Products(listing::ProductArgs),
    /// List customers.
    Customers(listing::SearchArgs),
    /// Show or act on one order (identify, map-line, intake, pay, status, note, dismiss, ack).
    Order(order::OrderArgs),
    /// The catalog from a store's shop: `catalog sync STORE [--yes]`.
    Catalog(catalog::CatalogArgs),
    /// Change a product.
    Product(order::ProductArgs),
    /// Shipping manifests: create, add, remove, ship, show, list.
    Manifest(manifest::ManifestArgs),
    /// Invoices: generate, send, list, show.
    Invoice(invoice::InvoiceArgs),
    /// Recount counters, indexes and stock against the records; exit 1 on any difference.
    Check(check::CheckArgs),
    /// The store's storage engine: `store info`, `store migrate --to redb|sled`.
    Store(store::StoreArgs),
    /// Fill an empty store with generated orders, customers and products (benchmarks).
    BenchData(bench_data::BenchDataArgs),
}

/// Parses the command line, runs the subcommand and returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        None | Some(Command::Demo(_)) | Some(Command::Serve(_))
    ) {
        memory::keep_small();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("orderdesk: cannot start: {e}");
            return 1;
        }
    };
    let json = cli.command.as_ref().is_some_and(Command::wants_json);
    // The service keeps Rust's default too: a client that goes away must not end it.
    if !matches!(
        cli.command,
        None | Some(Command::Demo(_)) | Some(Command::Serve(_))
    ) {
        // A script reading only the head of the output (`| head`) ends us quietly, as it does
        // any Unix tool, instead of a panic on the closed pipe. The console keeps Rust's default.
        // SAFETY: setting a signal disposition before any thread is started.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let result = runtime.block_on(run(cli));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(code) => code,
        Err(f) => f.report(json),
    }
}

impl Command {
    fn wants_json(&self) -> bool {
        match self {
            Command::Status(a) => a.json(),
            Command::Orders(a) => a.json,
            Command::Products(a) => a.search.json,
            Command::Customers(a) => a.json,
            Command::Sync(a) => a.json,
            Command::Import(a) => a.json,
            Command::Order(a) => a.json,
            Command::Product(a) => a.json,
            Command::Manifest(a) => a.json,
            Command::Invoice(a) => a.json,
            Command::Check(a) => a.json,
            Command::Catalog(a) => a.json(),
            Command::Store(a) => a.json(),
            _ => false,
        }
    }
}

async fn run(cli: Cli) -> Result<i32, Failure> {
    let ctx = common::Context::new(cli.config.clone(), cli.data.clone(), cli.keymap.clone());
    match cli.command {
        None => console::console(ctx).await,
        Some(Command::Demo(a)) => demo::demo(ctx, a).await,
        Some(Command::Sim(a)) => sim::sim(a).await,
        Some(Command::Import(a)) => import::import(ctx, a),
        Some(Command::Export(a)) => export::export(ctx, a),
        Some(Command::Serve(a)) => serve::serve(ctx, a).await,
        Some(Command::Sync(a)) => sync::sync(ctx, a).await,
        Some(Command::Status(a)) => status::status(ctx, a).await,
        Some(Command::Orders(a)) => listing::orders(ctx, a).await,
        Some(Command::Products(a)) => listing::products(ctx, a).await,
        Some(Command::Customers(a)) => listing::customers(ctx, a).await,
        Some(Command::Order(a)) => order::order(ctx, a).await,
        Some(Command::Product(a)) => order::product(ctx, a).await,
        Some(Command::Manifest(a)) => manifest::manifest(ctx, a).await,
        Some(Command::Invoice(a)) => invoice::invoice(ctx, a).await,
        Some(Command::Check(a)) => check::check(ctx, a),
        Some(Command::Catalog(a)) => catalog::catalog(ctx, a).await,
        Some(Command::Store(a)) => store::store(ctx, a),
        Some(Command::BenchData(a)) => bench_data::bench_data(ctx, a),
    }
}
