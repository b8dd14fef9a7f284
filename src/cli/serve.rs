//! `orderdesk serve`: the engine as a service. Owns the store (its lock: a second holder
//! exits 3), runs the sync loops and the outbox worker, keeps `status.json` current, logs to
//! its file and answers consoles and subcommands on `orderdesk.sock` in the data directory.
//! SIGHUP reads the config again (a bad one is logged and the old one kept); SIGTERM or
//! SIGINT finish the transactions in flight, remove the socket and exit 0.

use super::common::{Context, Failure, init_logging};
use crate::config::Config;
use crate::service::server::{self, Gate, Rules};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {}

pub async fn serve(ctx: Context, _args: ServeArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let data = ctx.data_dir();
    let log_file = init_logging(&cfg, &data);
    // Before anyone can connect: a SIGHUP sent once the socket answers must not end us.
    let signals = (
        signal(SignalKind::hangup()),
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    );
    let (Ok(mut hup), Ok(mut term), Ok(mut int)) = signals else {
        return Err(Failure::new("signal", "cannot listen for signals"));
    };
    let engine = ctx.engine_or_create(&cfg)?;
    let socket = crate::service::socket_path(&data);
    let listener = server::bind(&socket, cfg.socket_group.as_deref()).map_err(|e| {
        Failure::new(
            "socket",
            format!("cannot listen on {}: {e}", socket.display()),
        )
    })?;
    let (roles, roles_rx) = watch::channel(rules(&cfg));
    let gate = Gate::default();
    let accept = tokio::spawn(server::accept(
        engine.clone(),
        listener,
        roles_rx,
        gate.clone(),
    ));
    let loops = crate::sync::spawn(engine.clone(), super::sync::scheduled(&cfg)?);
    tracing::info!(pid = std::process::id(), socket = %socket.display(), stores = cfg.stores.len(), "service started");
    eprintln!(
        "orderdesk: serving {} on {} (pid {}); logs in {}",
        data.display(),
        socket.display(),
        std::process::id(),
        log_file.display()
    );
    let mut cfg = cfg;
    let why = loop {
        tokio::select! {
            _ = hup.recv() => reload(&ctx, &mut cfg, &roles, &socket),
            _ = term.recv() => break "SIGTERM",
            _ = int.recv() => break "SIGINT",
        }
    };
    tracing::info!("{why}: stopping");
    accept.abort();
    for h in loops {
        h.abort();
    }
    // Every request in flight ends and none starts; then the engine's own transaction (a
    // sync run's batch) ends under its lock, and the store is flushed.
    let _all = gate.write().await;
    let finished = engine.clone();
    let flushed = tokio::task::spawn_blocking(move || finished.finish()).await;
    let _ = std::fs::remove_file(&socket);
    match flushed {
        Ok(Ok(())) => {
            tracing::info!("service stopped");
            Ok(0)
        }
        Ok(Err(e)) => Err(e.into()),
        Err(e) => Err(Failure::new("stop", format!("stopping: {e}"))),
    }
}

/// SIGHUP: the config read again. Roles and the socket's group change at once; a change to
/// the stores is logged and waits for a restart (the engine holds each store's settings).
fn reload(ctx: &Context, cfg: &mut Config, roles: &watch::Sender<Rules>, socket: &std::path::Path) {
    let new = match ctx.config() {
        Ok(c) => c,
        Err(f) => {
            tracing::error!(
                "SIGHUP: the config was not reloaded, the old one stays: {}",
                f.message
            );
            return;
        }
    };
    if new.socket_group != cfg.socket_group
        && let Err(e) = server::set_group(socket, new.socket_group.as_deref())
    {
        tracing::error!("SIGHUP: the socket's group stays: {e}");
    }
    let stores = |c: &Config| format!("{:?}", c.settings());
    if stores(&new) != stores(cfg) {
        tracing::warn!(
            "SIGHUP: the stores changed in the config; they take effect when the service restarts"
        );
    }
    roles.send_replace(rules(&new));
    tracing::info!("SIGHUP: config reloaded");
    *cfg = new;
}

/// What the config says to the clients' requests.
fn rules(cfg: &Config) -> Rules {
    Rules {
        operators: cfg.operators.clone(),
        receipt_command: cfg.receipt_command.clone(),
    }
}
