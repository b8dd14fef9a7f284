//! `orderdesk status`: answers even while another process holds the store, from the
//! `status.json` that holder keeps current.

use super::common::{Context, Failure};
use crate::service::Desk;

#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// JSON as DESIGN.md §4 gives it (the same as `--format json`).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// text (the default), json, or prometheus (metrics for node_exporter's textfile
    /// collector).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Prometheus,
}

impl StatusArgs {
    /// Whether errors go out as JSON too.
    pub fn json(&self) -> bool {
        self.json || self.format == Some(Format::Json)
    }
}

pub async fn status(ctx: Context, args: StatusArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let value = match ctx.engine(&cfg) {
        Ok(engine) => engine.status_json()?,
        Err(f)
            if f.exit == 3
                && let Some(service) = ctx.service().await.ok().flatten() =>
        {
            Desk::Remote(service).status().await?
        }
        Err(f) if f.exit == 3 => {
            let text = crate::store::read_status_file(&ctx.data_dir()).map_err(|e| Failure {
                exit: 3,
                ..Failure::new(
                    "locked",
                    format!("{}; and its status.json cannot be read: {e}", f.message),
                )
            })?;
            serde_json::from_str(&text).map_err(|e| {
                Failure::new("status", format!("status.json is not valid JSON: {e}"))
            })?
        }
        Err(f) => return Err(f),
    };
    match (args.json(), args.format) {
        (true, _) => println!("{value:#}"),
        (false, Some(Format::Prometheus)) => {
            print!("{}", super::metrics::prometheus(&value, chrono::Utc::now()))
        }
        _ => print!("{}", human(&value)),
    }
    Ok(0)
}

/// A short readable summary of the status JSON.
fn human(v: &serde_json::Value) -> String {
    let mut out = String::new();
    let orders = &v["orders"];
    out.push_str(&format!(
        "orders: {} ({} need action)\n",
        orders["total"], v["needs_action"]
    ));
    if let Some(by) = orders["by_state"].as_object() {
        for (k, n) in by {
            if n.as_u64().unwrap_or(0) > 0 {
                out.push_str(&format!("  {k:<22} {n}\n"));
            }
        }
    }
    out.push_str(&format!(
        "problems: rejected {}, oversold {}, conflicts {}, unreadable {}\n",
        v["problems"]["rejected"],
        v["problems"]["oversold"],
        v["problems"]["conflicts"],
        v["problems"]["unreadable"]
    ));
    for s in v["stores"].as_array().into_iter().flatten() {
        let last = &s["last_sync"];
        let line = if last.is_null() {
            "never synced".to_string()
        } else {
            format!(
                "last sync {} {}: fetched {}, booked {}, parked {}, rejected {}, skipped {}{}",
                last["finished_at"].as_str().unwrap_or("(running)"),
                if last["ok"].as_bool() == Some(true) {
                    "ok"
                } else {
                    "FAILED"
                },
                last["fetched"],
                last["booked"],
                last["parked"],
                last["rejected"],
                last["skipped"],
                last["message"]
                    .as_str()
                    .map(|m| format!(" — {m}"))
                    .unwrap_or_default()
            )
        };
        out.push_str(&format!(
            "store {} ({}): {line}\n",
            s["id"].as_str().unwrap_or("?"),
            s["platform"].as_str().unwrap_or("?")
        ));
    }
    out
}
