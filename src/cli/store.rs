//! `orderdesk store info`, `orderdesk store compact` and `orderdesk store migrate --to
//! redb|sled`: which storage engine holds the store, giving its free pages back to the disk,
//! and moving it to the other engine.

use super::common::{Context, Failure};
use crate::engine::EngineError;
use crate::store::{Engine, Open, Store};

#[derive(clap::Args, Debug)]
pub struct StoreArgs {
    #[command(subcommand)]
    pub what: StoreCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum StoreCommand {
    /// The store's engine, layout and size on disk.
    Info {
        /// `{"dir", "engine", "layout", "bytes"}`, with redb `stored_bytes`, `metadata_bytes`,
        /// `free_bytes`, and with `--tables` a `tables` list.
        #[arg(long)]
        json: bool,
        /// Count each table's entries and the bytes of their keys and values (reads the whole
        /// store).
        #[arg(long)]
        tables: bool,
    },
    /// Give the store file's free pages back to the disk (redb; sled cleans up on its own).
    /// Takes the store: stop the console and the syncs first.
    Compact {
        /// `{"dir", "engine", "bytes_before", "bytes_after"}`.
        #[arg(long)]
        json: bool,
    },
    /// Copy the store into another storage engine, verify the copy (every table, and
    /// `check`), put it in place and keep the original beside it.
    Migrate {
        /// The engine to move to: redb (the default of new stores) or sled.
        #[arg(long, value_parser = parse_engine)]
        to: Engine,
    },
}

fn parse_engine(s: &str) -> Result<Engine, String> {
    Engine::parse(s).ok_or_else(|| format!("\"{s}\": the storage engines are redb and sled"))
}

impl StoreArgs {
    pub fn json(&self) -> bool {
        matches!(
            self.what,
            StoreCommand::Info { json: true, .. } | StoreCommand::Compact { json: true }
        )
    }
}

pub fn store(ctx: Context, args: StoreArgs) -> Result<i32, Failure> {
    let dir = ctx.data_dir();
    match args.what {
        StoreCommand::Info { json, tables } => {
            let store = Store::open_as(&dir, Open::Existing).map_err(EngineError::Store)?;
            let layout = store.layout().map_err(EngineError::Store)?.unwrap_or(0);
            let bytes = store.size_on_disk();
            let usage = store.usage().map_err(EngineError::Store)?;
            // The other engine's files beside it: a migration cut short after its copy was
            // put in place (the store opens redb's file).
            let other = Engine::ALL
                .into_iter()
                .find(|e| *e != store.engine() && e.path_in(&dir).exists());
            let sizes = if tables {
                store.table_sizes().map_err(EngineError::Store)?
            } else {
                vec![]
            };
            if json {
                let mut v = serde_json::json!({
                    "dir": dir.display().to_string(),
                    "engine": store.engine().name(),
                    "layout": layout,
                    "bytes": bytes,
                });
                if let Some(e) = other {
                    v["also"] = e.path_in(&dir).display().to_string().into();
                }
                if let Some(u) = usage {
                    v["stored_bytes"] = u.stored.into();
                    v["metadata_bytes"] = u.metadata.into();
                    v["free_bytes"] = u.free.into();
                }
                if tables {
                    v["tables"] = sizes
                        .iter()
                        .map(|t| {
                            serde_json::json!({
                                "name": t.name,
                                "entries": t.entries,
                                "key_bytes": t.key_bytes,
                                "value_bytes": t.value_bytes,
                            })
                        })
                        .collect();
                }
                println!("{v:#}");
            } else {
                println!(
                    "store in {}: engine {}, layout {layout}, {} on disk",
                    dir.display(),
                    store.engine(),
                    human_bytes(bytes)
                );
                if let Some(u) = usage {
                    println!(
                        "  entries {}, the trees' own pages {}, free for reuse {}",
                        human_bytes(u.stored),
                        human_bytes(u.metadata),
                        human_bytes(u.free)
                    );
                }
                if let Some(e) = other {
                    println!(
                        "  also here: {} ({e}), left by a migration cut short after its copy \
                         was put in place; this store is the one in use: move it away",
                        e.path_in(&dir).display()
                    );
                }
                for t in &sizes {
                    println!(
                        "  {:<22} {:>10} entries  keys {:>9}  values {:>9}",
                        t.name,
                        t.entries,
                        human_bytes(t.key_bytes),
                        human_bytes(t.value_bytes)
                    );
                }
            }
            Ok(0)
        }
        StoreCommand::Compact { json } => {
            let mut store = Store::open_as(&dir, Open::Existing).map_err(EngineError::Store)?;
            let before = store.size_on_disk();
            store.compact().map_err(EngineError::Store)?;
            let after = store.size_on_disk();
            if json {
                let v = serde_json::json!({
                    "dir": dir.display().to_string(),
                    "engine": store.engine().name(),
                    "bytes_before": before,
                    "bytes_after": after,
                });
                println!("{v:#}");
            } else {
                println!(
                    "compacted the store in {} ({}): {} on disk (was {})",
                    dir.display(),
                    store.engine(),
                    human_bytes(after),
                    human_bytes(before)
                );
            }
            Ok(0)
        }
        StoreCommand::Migrate { to } => {
            let done = crate::store::migrate::migrate(&dir, to, |table, n| {
                eprintln!("copied {n} entries of {table}");
            })
            .map_err(EngineError::Store)?;
            println!(
                "migrated the store in {} from {} to {}: {} entries copied and verified, {} on disk (was {})",
                dir.display(),
                done.from,
                done.to,
                done.entries,
                human_bytes(done.bytes_after),
                human_bytes(done.bytes_before),
            );
            if !done.differences.is_empty() {
                println!(
                    "check finds {} difference(s), in the original as in the copy: run `orderdesk check`",
                    done.differences.len()
                );
            }
            println!(
                "the {} store is kept in {}: remove it once you are satisfied",
                done.from,
                done.kept.display()
            );
            Ok(0)
        }
    }
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n => format!("{:.0} KB", n as f64 / 1024.0),
    }
}
