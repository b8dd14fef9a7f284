//! `orderdesk catalog sync STORE [--yes] [--json]`: the store's catalog from its shop.

use super::common::{Context, Failure, init_logging};
use crate::domain::catalog::CatalogProgress;
use crate::engine::EngineEvent;
use crate::engine::command::Command;
use crate::service::Desk;
use serde_json::json;
use std::io::{IsTerminal, Write};
use tokio::sync::broadcast;

#[derive(clap::Args, Debug)]
pub struct CatalogArgs {
    #[command(subcommand)]
    pub action: CatalogAction,
}

#[derive(clap::Subcommand, Debug)]
pub enum CatalogAction {
    /// Pull the shop's whole catalog into the products (keyed by SKU; names, prices and
    /// categories rewritten); a sync cut short resumes where it stopped.
    Sync {
        /// The store's id, as in the config.
        store: String,
        /// Do not ask first.
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
}

impl CatalogArgs {
    pub fn json(&self) -> bool {
        match self.action {
            CatalogAction::Sync { json, .. } => json,
        }
    }
}

/// The catalog sync's outcome in `--json`.
pub fn progress_json(store: &str, p: &CatalogProgress) -> serde_json::Value {
    let time =
        |t: &chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    json!({
        "store": store, "pass": p.pass, "complete": p.finished_at.is_some(),
        "read": p.done, "total": p.total, "created": p.created, "updated": p.updated,
        "skipped": p.skipped, "uncategorized": p.uncategorized,
        "started_at": time(&p.started_at), "finished_at": p.finished_at.as_ref().map(time),
    })
}

/// Asks on the terminal; without one (a script), refuses: `--yes` answers.
fn confirmed(store: &str) -> Result<(), Failure> {
    let refused = || {
        Failure::new(
            "confirm",
            format!(
                "a catalog sync of {store} rewrites product names, prices and categories from the shop: add --yes to run it"
            ),
        )
    };
    if !std::io::stdin().is_terminal() {
        return Err(refused());
    }
    eprint!(
        "Sync the catalog of {store}? It rewrites product names, prices and categories from the shop. [y/N] "
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Failure::new("confirm", format!("cannot read the answer: {e}")))?;
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(refused()),
    }
}

pub async fn catalog(ctx: Context, args: CatalogArgs) -> Result<i32, Failure> {
    let CatalogAction::Sync { store, yes, json } = args.action;
    let cfg = ctx.config()?;
    let Some(sc) = cfg
        .stores
        .iter()
        .find(|s| s.id.eq_ignore_ascii_case(store.trim()))
    else {
        return Err(Failure::new(
            "unknown_store",
            format!("unknown store \"{store}\": the config names no such [[store]]"),
        ));
    };
    if !yes {
        confirmed(&sc.id)?;
    }
    let shown = std::io::stderr().is_terminal() && !json;
    let engine = match ctx.engine_or_create(&cfg) {
        Ok(engine) => engine,
        // The service holds the store: it runs the sync.
        Err(f) if f.exit == 3 => match ctx.service().await? {
            Some(c) => return through_service(Desk::Remote(c), &sc.id, json, shown).await,
            None => return Err(f),
        },
        Err(f) => return Err(f),
    };
    let channel = crate::platforms::connect(sc)
        .map_err(|e| Failure::new("channel", format!("store {}: {e}", sc.id)))?;
    init_logging(&cfg, &ctx.data_dir());
    let mut events = engine.subscribe();
    let watcher = tokio::spawn(async move {
        while let Ok(ev) = events.recv().await {
            if shown {
                show_progress(&ev);
            }
        }
    });
    let outcome = crate::sync::catalog::run_catalog(&engine, channel.as_ref(), &sc.id).await;
    watcher.abort();
    if shown {
        eprintln!();
    }
    let p = outcome.map_err(|e| {
        let mut f = Failure::from(e);
        if f.code == "refused" {
            f.code = "catalog_failed".into();
        }
        f
    })?;
    print_outcome(&sc.id, &p, json);
    Ok(0)
}

fn print_outcome(store: &str, p: &CatalogProgress, json: bool) {
    if json {
        println!("{}", progress_json(store, p));
    } else {
        println!("{store}: {}", p.summary());
    }
}

/// A progress event on the terminal's last line.
fn show_progress(ev: &EngineEvent) {
    if let EngineEvent::CatalogProgress {
        done,
        total,
        per_second,
        seconds_left,
        ..
    } = ev
    {
        let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
        let left = seconds_left
            .map(|s| format!(", {s} s left"))
            .unwrap_or_default();
        eprint!("\r{done}{of} products, {per_second}/s{left}   ");
    }
}

/// While the service holds the store: asks it for the sync (a manager's action), shows its
/// progress events and waits for its end, then reports it as a run here would.
async fn through_service(desk: Desk, store: &str, json: bool, shown: bool) -> Result<i32, Failure> {
    let mut events = desk.subscribe();
    desk.execute(
        store,
        Command::CatalogSync {
            store: store.to_string(),
        },
    )
    .await?;
    let message = loop {
        match events.recv().await {
            Ok(EngineEvent::CatalogDone { store: s, message }) if s == store => break message,
            Ok(ev) if shown => show_progress(&ev),
            Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
            Err(broadcast::error::RecvError::Closed) => {
                return Err(Failure::new(
                    "service",
                    "the service stopped before the catalog sync ended; it resumes where it stood when the service runs again",
                ));
            }
        }
    };
    if shown {
        eprintln!();
    }
    match desk
        .catalog_progress(store)
        .await?
        .filter(|p| p.finished_at.is_some())
    {
        Some(p) => {
            print_outcome(store, &p, json);
            Ok(0)
        }
        None => Err(Failure::new("catalog_failed", message)),
    }
}
