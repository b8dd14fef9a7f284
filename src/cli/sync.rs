//! `orderdesk sync [--once]`: headless syncing of every configured store.

use super::common::{Context, Failure, init_logging};
use crate::config::Config;
use crate::engine::SyncRun;
use crate::engine::command::Command;
use crate::service::Desk;
use crate::sync::{RunOptions, Scheduled};

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// One run of every store, then exit (1 if a store failed).
    #[arg(long)]
    pub once: bool,
    #[arg(long)]
    pub json: bool,
}

/// The sync schedule for every configured store.
pub fn scheduled(cfg: &Config) -> Result<Vec<Scheduled>, Failure> {
    cfg.stores
        .iter()
        .map(|s| {
            let channel = crate::platforms::connect(s)
                .map_err(|e| Failure::new("channel", format!("store {}: {e}", s.id)))?;
            Ok(Scheduled {
                store: s.id.clone(),
                channel,
                poll: std::time::Duration::from_secs(s.poll_seconds),
                options: RunOptions {
                    overlap_seconds: s.overlap_seconds,
                },
            })
        })
        .collect()
}

pub async fn sync(ctx: Context, args: SyncArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    if cfg.stores.is_empty() {
        return Err(Failure::new(
            "no_stores",
            "no stores are configured: add a [[store]] table to orderdesk.toml (see README.md)",
        ));
    }
    let engine = match ctx.engine_or_create(&cfg) {
        Ok(e) => e,
        Err(f) if f.exit == 3 => {
            return match ctx.service().await? {
                Some(c) => through_service(&cfg, Desk::Remote(c), args).await,
                None => Err(f),
            };
        }
        Err(f) => return Err(f),
    };
    init_logging(&cfg, &ctx.data_dir());
    let stores = scheduled(&cfg)?;
    if args.once {
        let runs = crate::sync::run_all_once(&engine, &stores).await;
        let status = args.json.then(|| engine.status_json()).transpose()?;
        return report(&runs, status);
    }
    let handles = crate::sync::spawn(engine, stores);
    eprintln!(
        "orderdesk: syncing {} store(s); logs in the data directory; ctrl-c stops",
        cfg.stores.len()
    );
    let _ = tokio::signal::ctrl_c().await;
    for h in handles {
        h.abort();
    }
    Ok(0)
}

/// What `sync --once` prints of its runs (the status document with `--json`); exit 1 when a
/// store failed.
fn report(runs: &[SyncRun], status: Option<serde_json::Value>) -> Result<i32, Failure> {
    let mut failed = Vec::new();
    for r in runs {
        if !r.ok {
            // The run's message names the store already.
            failed.push(
                r.message
                    .clone()
                    .unwrap_or_else(|| format!("store {}: the run failed", r.store)),
            );
        }
        if status.is_none() {
            println!(
                "{}: {} — fetched {}, booked {}, parked {}, rejected {}, skipped {}, cancelled {}, errors {}",
                r.store,
                if r.ok { "ok" } else { "FAILED" },
                r.fetched,
                r.booked,
                r.parked,
                r.rejected,
                r.skipped,
                r.cancelled,
                r.errors
            );
        }
    }
    if let Some(v) = status {
        println!("{v}");
    }
    if failed.is_empty() {
        Ok(0)
    } else {
        Err(Failure::new("sync_failed", failed.join("; ")))
    }
}

/// While the service holds the store: ask it for a run of every store now; with `--once`,
/// wait until each configured store has finished a run begun after the request and report
/// those runs as a run here would.
async fn through_service(cfg: &Config, desk: Desk, args: SyncArgs) -> Result<i32, Failure> {
    let asked = chrono::Utc::now();
    desk.execute("sync", Command::SyncNow { store: None })
        .await?;
    if !args.once {
        eprintln!("orderdesk: the service syncs every store; a run of each was asked for now");
        return Ok(0);
    }
    let runs = loop {
        let newest = desk.sync_runs(64 + 4 * cfg.stores.len()).await?;
        let done: Vec<SyncRun> = (cfg.stores.iter())
            .filter_map(|s| {
                (newest.iter())
                    .find(|r| r.store == s.id && r.started_at >= asked && r.finished_at.is_some())
                    .cloned()
            })
            .collect();
        if done.len() == cfg.stores.len() {
            break done;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    let status = match args.json {
        true => Some(desk.status().await?),
        false => None,
    };
    report(&runs, status)
}
