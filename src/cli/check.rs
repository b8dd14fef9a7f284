//! `orderdesk check [--json]`: recounts what the store keeps counted or indexed and stock
//! against the bookings; exit 0 when everything agrees, 1 with one line per difference.

use super::common::{Context, Failure};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The report as JSON: `{"ok", "orders", "products", "customers", "outbox_items",
    /// "index_entries", "differences": [{"area", "message"}]}`.
    #[arg(long)]
    pub json: bool,
}

pub fn check(ctx: Context, args: CheckArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let engine = ctx.engine(&cfg)?;
    let report = engine.check()?;
    let ok = report.is_clean();
    if args.json {
        let mut v = serde_json::to_value(&report)
            .map_err(|e| Failure::new("check", format!("cannot write the report: {e}")))?;
        v["ok"] = serde_json::Value::Bool(ok);
        println!("{v:#}");
    } else {
        println!(
            "checked {} orders, {} products, {} customers, {} outbox items, {} index entries",
            report.orders,
            report.products,
            report.customers,
            report.outbox_items,
            report.index_entries
        );
        for d in &report.differences {
            println!("DIFFERENCE {}: {}", d.area, d.message);
        }
        if ok {
            println!("ok: no differences");
        } else {
            println!("{} difference(s) found", report.differences.len());
        }
    }
    Ok(if ok { 0 } else { 1 })
}
