//! The console (`orderdesk` with no subcommand) and `orderdesk demo`.

use super::common::{Context, Failure, init_logging};
use crate::config::Config;
use crate::engine::Engine;
use crate::tui::TuiOptions;

/// The user's keymap file, when there is one.
fn user_keymap() -> Option<std::path::PathBuf> {
    Some(Context::config_dir().join("keymap.toml")).filter(|p| p.exists())
}

/// Checks the keymap files before the terminal is touched.
pub(super) fn keymap_preset(ctx: &Context, cfg: &Config) -> Result<String, Failure> {
    let preset = ctx.keymap.clone().unwrap_or_else(|| cfg.keymap.clone());
    crate::tui::load_keymap(&preset, user_keymap().as_deref())
        .map_err(|e| Failure::new("keymap", e.to_string()))?;
    Ok(preset)
}

pub(super) async fn open_console(
    ctx: &Context,
    cfg: &Config,
    engine: Engine,
) -> Result<i32, Failure> {
    let keymap = keymap_preset(ctx, cfg)?;
    let log_file = init_logging(cfg, &ctx.data_dir());
    let stores = super::sync::scheduled(cfg)?;
    let handles = crate::sync::spawn(engine.clone(), stores);
    let opts = TuiOptions {
        keymap,
        mouse: cfg.mouse,
        timezone: cfg.timezone,
        configured_stores: cfg.stores.len(),
        log_file,
        user_keymap: user_keymap(),
        payment_methods: cfg.payment_methods.clone(),
        carriers: (cfg.stores.iter())
            .map(|s| (s.id.clone(), s.carriers.keys().cloned().collect()))
            .collect(),
        phone_region: cfg.phone_region.clone(),
        terminal_title: cfg.terminal_title,
        bell: cfg.bell,
        receipt_command: cfg.receipt_command.clone(),
        role: cfg.role_of(engine.operator()),
    };
    let result = crate::tui::run(engine.clone(), opts).await;
    for h in handles {
        h.abort();
    }
    let _ = engine.flush();
    result.map_err(|e| Failure::new("terminal", e.to_string()))?;
    Ok(0)
}

pub async fn console(ctx: Context) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    keymap_preset(&ctx, &cfg)?;
    init_logging(&cfg, &ctx.data_dir());
    let t = std::time::Instant::now();
    let engine = ctx.engine_or_create(&cfg)?;
    tracing::info!(
        ms = t.elapsed().as_millis() as u64,
        orders = engine.counts().total,
        "store opened"
    );
    open_console(&ctx, &cfg, engine).await
}
