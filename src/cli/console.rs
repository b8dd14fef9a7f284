//! The console (`orderdesk` with no subcommand) and `orderdesk demo`.

use super::common::{Context, Failure, init_logging};
use crate::config::Config;
use crate::engine::Engine;
use crate::engine::command::Operator;
use crate::service::{Client, Desk};
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

/// The console's options from the config.
fn options(
    ctx: &Context,
    cfg: &Config,
    log_file: std::path::PathBuf,
) -> Result<TuiOptions, Failure> {
    Ok(TuiOptions {
        keymap: keymap_preset(ctx, cfg)?,
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
    })
}

/// The console with the engine in this process (the embedded default): it runs the sync
/// loops itself; the operator is the config's, with the role the config gives them.
pub(super) async fn open_console(
    ctx: &Context,
    cfg: &Config,
    engine: Engine,
) -> Result<i32, Failure> {
    let log_file = init_logging(cfg, &ctx.data_dir());
    let opts = options(ctx, cfg, log_file)?;
    let stores = super::sync::scheduled(cfg)?;
    let handles = crate::sync::spawn(engine.clone(), stores);
    let operator = Operator::new(engine.operator(), cfg.role_of(engine.operator()));
    let desk = Desk::Local {
        engine: engine.clone(),
        operator,
    };
    let result = crate::tui::run(desk, opts).await;
    for h in handles {
        h.abort();
    }
    let _ = engine.flush();
    result.map_err(|e| Failure::new("terminal", e.to_string()))?;
    Ok(0)
}

/// The console attached to the service that holds the store: reads, actions and events go
/// over its socket; the service syncs.
async fn attached_console(ctx: &Context, cfg: &Config, service: Client) -> Result<i32, Failure> {
    let log_file = init_logging(cfg, &ctx.data_dir());
    let opts = options(ctx, cfg, log_file)?;
    tracing::info!(pid = service.pid(), operator = %service.operator().name, "console attached to the service");
    let result = crate::tui::run(Desk::Remote(service), opts).await;
    result.map_err(|e| Failure::new("terminal", e.to_string()))?;
    Ok(0)
}

pub async fn console(ctx: Context) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    keymap_preset(&ctx, &cfg)?;
    init_logging(&cfg, &ctx.data_dir());
    let t = std::time::Instant::now();
    let engine = match ctx.engine_or_create(&cfg) {
        Ok(e) => e,
        Err(f) if f.exit == 3 => {
            return match ctx.service().await? {
                Some(service) => attached_console(&ctx, &cfg, service).await,
                None => Err(f),
            };
        }
        Err(f) => return Err(f),
    };
    tracing::info!(
        ms = t.elapsed().as_millis() as u64,
        orders = engine.counts().total,
        "store opened"
    );
    open_console(&ctx, &cfg, engine).await
}
