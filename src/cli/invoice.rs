//! `orderdesk invoice …`: invoices for scripts, through the same engine commands as the
//! console (DESIGN.md §4).

use super::common::{Context, Failure, money};
use super::order::send_now;
use crate::engine::{Engine, InvoiceView};
use crate::tui::format::Zone;

#[derive(clap::Args, Debug)]
pub struct InvoiceArgs {
    #[command(subcommand)]
    pub action: InvoiceAction,
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum InvoiceAction {
    /// Generate the invoice of each booked order (STORE:NAME…), each on its own.
    Generate {
        #[arg(required = true)]
        references: Vec<String>,
    },
    /// Tell the shop (the store's "invoiced" status); sends a failed one again.
    Send { id: String },
    /// Every invoice, by store and number.
    List,
    /// One invoice as text (the export), or with --json as JSON.
    Show { id: String },
}

/// The invoice named by its id or its number (`WEB-000001`, case-insensitive).
fn find(engine: &Engine, id: &str) -> Result<InvoiceView, Failure> {
    let id = id.trim();
    engine
        .invoices()?
        .into_iter()
        .find(|v| v.invoice.id.to_string() == id || v.invoice.number().eq_ignore_ascii_case(id))
        .ok_or_else(|| Failure::new("not_found", format!("no invoice {id}")))
}

fn line(v: &InvoiceView) -> String {
    let i = &v.invoice;
    format!(
        "{} {}:{} {} {} {}{}",
        i.number(),
        i.store,
        i.order_name,
        money(i.total),
        i.currency,
        v.state.as_str(),
        match (&v.answer, v.queued) {
            (Some(a), _) => format!(" ({a})"),
            (None, true) => " (queued)".into(),
            _ => String::new(),
        }
    )
}

pub async fn invoice(ctx: Context, args: InvoiceArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let engine = ctx.engine(&cfg)?;
    let zone = Zone::from_option(cfg.timezone);
    match args.action {
        InvoiceAction::Generate { references } => {
            let mut results = Vec::new();
            let mut failed = false;
            for r in &references {
                let outcome: Result<InvoiceView, String> = match engine.order_by_ref(r) {
                    Ok(Some(id)) => engine
                        .generate_invoice(id)
                        .and_then(|inv| engine.invoice(inv.id))
                        .map_err(|e| e.to_string())
                        .and_then(|v| v.ok_or_else(|| "the invoice is not stored".to_string())),
                    Ok(None) => Err(format!("no order {r}")),
                    Err(e) => Err(e.to_string()),
                };
                failed |= outcome.is_err();
                results.push((r.clone(), outcome));
            }
            if args.json {
                let list: Vec<_> = results
                    .iter()
                    .map(|(r, outcome)| {
                        serde_json::json!({
                            "ref": r,
                            "ok": outcome.is_ok(),
                            "invoice": outcome.as_ref().ok().map(InvoiceView::to_json),
                            "error": outcome.as_ref().err(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                for (r, outcome) in &results {
                    match outcome {
                        Ok(v) => println!("{r}: invoice {} generated", v.invoice.number()),
                        Err(why) => println!("{r}: NOT DONE: {why}"),
                    }
                }
            }
            Ok(if failed { 1 } else { 0 })
        }
        InvoiceAction::Send { id } => {
            let id = find(&engine, &id)?.invoice.id;
            let sent = engine.send_invoice(id)?;
            let shop = send_now(&cfg, &engine, &sent.invoice.store).await;
            let now = engine
                .invoice(id)?
                .ok_or_else(|| Failure::new("not_found", format!("no invoice {id}")))?;
            if args.json {
                let mut v = now.to_json();
                v["shop"] = serde_json::json!(shop);
                println!("{v}");
            } else {
                println!("{}", line(&now));
                for l in shop {
                    println!("shop: {l}");
                }
            }
            Ok(
                if now.state == crate::domain::invoice::InvoiceState::Failed {
                    1
                } else {
                    0
                },
            )
        }
        InvoiceAction::List => {
            let all = engine.invoices()?;
            if args.json {
                let list: Vec<_> = all.iter().map(InvoiceView::to_json).collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                for v in &all {
                    println!("{}", line(v));
                }
            }
            Ok(0)
        }
        InvoiceAction::Show { id } => {
            let v = find(&engine, &id)?;
            if args.json {
                println!("{}", v.to_json());
            } else {
                print!(
                    "{}",
                    v.invoice
                        .text(&zone.format(v.invoice.created_at, "%Y-%m-%d"))
                );
                println!("\nState: {}", line(&v));
            }
            Ok(0)
        }
    }
}
