//! `orderdesk export products|customers [--out FILE]`: the store's records as CSV in the
//! columns `import` reads (README.md), so a file exported from one store imports into another
//! as the same records.

use super::common::{Context, Failure};
use super::import::Kind;
use crate::engine::{CUSTOMER_COLUMNS, PRODUCT_COLUMNS};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    pub kind: Kind,
    /// Write here instead of to stdout (replaced whole once written).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn failed(e: impl std::fmt::Display) -> Failure {
    Failure::new("export", e.to_string())
}

pub fn export(ctx: Context, args: ExportArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let engine = ctx.engine(&cfg)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let n = match args.kind {
        Kind::Products => {
            w.write_record(PRODUCT_COLUMNS).map_err(failed)?;
            let list = engine.records_for_export()?;
            for p in &list {
                let parts: Vec<String> = (p.components.iter())
                    .map(|(id, n)| format!("{id}*{n}"))
                    .collect();
                w.write_record([
                    p.id.as_str(),
                    &p.sku,
                    &p.name,
                    &p.description,
                    &p.price.to_string(),
                    &p.stock.to_string(),
                    &p.category,
                    &p.unit,
                    &parts.join(";"),
                ])
                .map_err(failed)?;
            }
            list.len()
        }
        Kind::Customers => {
            w.write_record(CUSTOMER_COLUMNS).map_err(failed)?;
            let list = engine.customers(None)?;
            for c in &list {
                w.write_record([
                    c.id.as_str(),
                    &c.first_name,
                    &c.last_name,
                    c.email.as_deref().unwrap_or_default(),
                    c.phone.as_deref().unwrap_or_default(),
                    &c.address,
                    &c.city,
                    &c.postal_code,
                    &c.country,
                    &c.remote_ids.join(";"),
                ])
                .map_err(failed)?;
            }
            list.len()
        }
    };
    let bytes = w.into_inner().map_err(failed)?;
    match &args.out {
        Some(path) => {
            let shown = path.display().to_string();
            let tmp = path.with_extension("csv.partial");
            std::fs::write(&tmp, &bytes)
                .and_then(|()| std::fs::rename(&tmp, path))
                .map_err(|e| failed(format!("{shown}: {e}")))?;
            eprintln!("exported {n} records to {shown}");
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes).map_err(failed)?;
        }
    }
    Ok(0)
}
