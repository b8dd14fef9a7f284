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
    let data = read_csv(&args.file).map_err(|e| Failure::new("import", format!("{name}: {e}")))?;
    let engine = ctx.engine_or_create(&cfg)?;
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

/// The largest file an import reads (a million products are about 200 MB).
const MAX_CSV_BYTES: u64 = 1 << 30;

/// A CSV file's text: refused when it is not UTF-8 or larger than [`MAX_CSV_BYTES`] (a device
/// such as /dev/zero never ends).
fn read_csv(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_CSV_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(format!(
            "larger than {} MiB: split it into smaller files",
            MAX_CSV_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (a byte at offset {} is not): save the file as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}
