//! `orderdesk import products|customers FILE.csv`.

use super::common::{Context, Failure};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: Kind,
    /// A CSV file (columns in README.md).
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Kind {
    Products,
    Customers,
}

pub fn import(ctx: Context, args: ImportArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let name = args.file.display().to_string();
    let data = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure::new("import", format!("{name}: {e}")))?;
    let engine = ctx.engine(&cfg)?;
    let n = match args.kind {
        Kind::Products => engine.import_products(&name, &data)?,
        Kind::Customers => engine.import_customers(&name, &data, cfg.phone_region.as_deref())?,
    };
    let what = match args.kind {
        Kind::Products => "products",
        Kind::Customers => "customers",
    };
    if args.json {
        println!("{}", serde_json::json!({"imported": n, "kind": what}));
    } else {
        println!("imported {n} {what} from {name}");
    }
    Ok(0)
}
