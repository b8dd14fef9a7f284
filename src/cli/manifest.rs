//! `orderdesk manifest …`: shipping manifests for scripts, through the same engine commands
//! as the console's Manifests view (DESIGN.md §4).

use super::common::{Context, Failure};
use super::order::send_now;
use crate::domain::manifest::Manifest;
use crate::engine::{Engine, ManifestDetail};
use crate::tui::format::Zone;

#[derive(clap::Args, Debug)]
pub struct ManifestArgs {
    #[command(subcommand)]
    pub action: ManifestAction,
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum ManifestAction {
    /// A new manifest for a carrier (a local carrier name of [store.carriers]).
    Create {
        #[arg(long)]
        carrier: String,
    },
    /// Add a ready-to-ship order (STORE:NAME) with its tracking number.
    Add {
        id: String,
        reference: String,
        #[arg(long)]
        tracking: String,
    },
    /// Take an order off a manifest in preparation.
    Remove { id: String, reference: String },
    /// Hand the manifest to the carrier: its orders shipped, their shops told.
    Ship {
        id: String,
        /// Confirm (the console asks).
        #[arg(long)]
        yes: bool,
    },
    /// The manifest: as the driver's sheet, or with --json its orders and the shops' answers.
    Show { id: String },
    /// Every manifest, newest first.
    List,
}

fn manifest_id(s: &str) -> Result<u64, Failure> {
    s.trim().parse().map_err(|_| {
        Failure::new(
            "invalid",
            format!("\"{s}\" is not a manifest id (a number, as `manifest list` shows)"),
        )
    })
}

fn order_id(engine: &Engine, reference: &str) -> Result<u64, Failure> {
    engine
        .order_by_ref(reference)?
        .ok_or_else(|| Failure::new("not_found", format!("no order {reference}")))
}

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> serde_json::Value {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).into())
        .unwrap_or(serde_json::Value::Null)
}

/// A manifest in `--json`: its fields and, per order, what its shop answered.
pub fn manifest_json(d: &ManifestDetail) -> serde_json::Value {
    let m = &d.manifest;
    let orders: Vec<_> = m
        .orders
        .iter()
        .zip(&d.sent)
        .map(|(o, sent)| {
            let shop = match sent {
                Some(item) => serde_json::json!({
                    "outbox_id": item.id.to_string(),
                    "status": serde_json::to_value(item.status).unwrap_or_default(),
                    "attempts": item.attempts,
                    "answer": item.last_error,
                    "at": time(Some(item.updated_at)),
                }),
                None => serde_json::Value::Null,
            };
            serde_json::json!({
                "ref": format!("{}:{}", o.store, o.name),
                "store": o.store,
                "order_id": o.order_id.to_string(),
                "name": o.name,
                "tracking_number": o.tracking,
                "recipient": o.recipient,
                "address": o.address,
                "added_at": time(Some(o.added_at)),
                "shop": shop,
            })
        })
        .collect();
    serde_json::json!({
        "id": m.id.to_string(),
        "carrier": m.carrier,
        "state": m.state.as_str(),
        "created_at": time(Some(m.created_at)),
        "created_by": m.created_by,
        "shipped_at": time(m.shipped_at),
        "shipped_by": m.shipped_by,
        "orders": orders,
    })
}

fn summary(m: &Manifest) -> String {
    format!(
        "manifest {} {} {} ({} order{})",
        m.id,
        m.carrier,
        m.state.as_str(),
        m.orders.len(),
        if m.orders.len() == 1 { "" } else { "s" }
    )
}

pub async fn manifest(ctx: Context, args: ManifestArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let engine = ctx.engine(&cfg)?;
    let zone = Zone::from_option(cfg.timezone);
    let mut shop = Vec::new();
    let m = match &args.action {
        ManifestAction::Create { carrier } => {
            let m = engine.create_manifest(carrier)?;
            if args.json {
                println!("{}", serde_json::json!({"id": m.id.to_string()}));
            } else {
                println!("{}", summary(&m));
            }
            return Ok(0);
        }
        ManifestAction::List => {
            let all = engine.manifests()?;
            if args.json {
                let list: Vec<_> = all
                    .iter()
                    .map(|m| {
                        serde_json::json!({
                            "id": m.id.to_string(), "carrier": m.carrier,
                            "state": m.state.as_str(), "orders": m.orders.len(),
                            "created_at": time(Some(m.created_at)),
                            "shipped_at": time(m.shipped_at),
                        })
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                for m in &all {
                    println!("{}", summary(m));
                }
            }
            return Ok(0);
        }
        ManifestAction::Add {
            id,
            reference,
            tracking,
        } => engine.add_to_manifest(manifest_id(id)?, order_id(&engine, reference)?, tracking)?,
        ManifestAction::Remove { id, reference } => {
            engine.remove_from_manifest(manifest_id(id)?, order_id(&engine, reference)?)?
        }
        ManifestAction::Ship { id, yes } => {
            let id = manifest_id(id)?;
            if !yes {
                return Err(Failure::new(
                    "confirm",
                    format!(
                        "shipping manifest {id} marks each of its orders shipped and tells each shop, with its tracking number; add --yes to confirm"
                    ),
                ));
            }
            let m = engine.ship_manifest(id)?;
            let mut stores: Vec<&str> = m.orders.iter().map(|o| o.store.as_str()).collect();
            stores.sort_unstable();
            stores.dedup();
            for store in stores {
                shop.extend(send_now(&cfg, &engine, store).await);
            }
            m
        }
        ManifestAction::Show { id } => {
            let id = manifest_id(id)?;
            engine
                .manifest_detail(id)?
                .ok_or_else(|| Failure::new("not_found", format!("no manifest {id}")))?
                .manifest
        }
    };
    let detail = engine
        .manifest_detail(m.id)?
        .ok_or_else(|| Failure::new("not_found", format!("no manifest {}", m.id)))?;
    if args.json {
        let mut v = manifest_json(&detail);
        if matches!(args.action, ManifestAction::Ship { .. }) {
            v["shop"] = serde_json::json!(shop);
        }
        println!("{v}");
        return Ok(0);
    }
    match args.action {
        ManifestAction::Show { .. } => {
            print!("{}", detail.manifest.driver_sheet(|t| zone.datetime(t)));
            let answers: Vec<String> = detail
                .manifest
                .orders
                .iter()
                .zip(&detail.sent)
                .filter(|(_, s)| s.is_some())
                .map(|(o, s)| format!("{}:{} {}", o.store, o.name, crate::engine::shop_answer(s)))
                .collect();
            if !answers.is_empty() {
                println!("\nThe shops answered:");
                for a in answers {
                    println!("  {a}");
                }
            }
        }
        _ => {
            println!("{}", summary(&detail.manifest));
            for l in shop {
                println!("shop: {l}");
            }
        }
    }
    Ok(0)
}
