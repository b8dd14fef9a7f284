//! `orderdesk sync [--once]`: headless syncing of every configured store.

use super::common::{Context, Failure, init_logging};
use crate::config::Config;
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
    let engine = ctx.engine_or_create(&cfg)?;
    init_logging(&cfg, &ctx.data_dir());
    let stores = scheduled(&cfg)?;
    if args.once {
        let runs = crate::sync::run_all_once(&engine, &stores).await;
        let mut failed = Vec::new();
        for r in &runs {
            if !r.ok {
                // The run's message names the store already.
                failed.push(
                    r.message
                        .clone()
                        .unwrap_or_else(|| format!("store {}: the run failed", r.store)),
                );
            }
            if !args.json {
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
        if args.json {
            println!("{}", engine.status_json()?);
        }
        return if failed.is_empty() {
            Ok(0)
        } else {
            Err(Failure::new("sync_failed", failed.join("; ")))
        };
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
