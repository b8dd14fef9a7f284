//! The console: ratatui + crossterm on tokio (DESIGN.md §2 "tui").
//!
//! Keys become [`action::Action`]s through the keymap; [`app::App::update`] turns messages into
//! state and [`app::Effect`]s; the event loop runs effects against the engine as tasks and feeds
//! the answers back; [`ui::draw`] draws the state.

pub mod action;
pub mod app;
mod event_loop;
#[cfg(test)]
mod fixtures;
pub mod format;
pub mod keymap;
pub mod terminal;
pub mod theme;
pub mod ui;

pub use keymap::{Keymap, KeymapError, load_keymap};

use crate::engine::Engine;
use crate::sync::SyncControl;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// "default" or "vim".
    pub keymap: String,
    pub mouse: bool,
    /// Display time zone; `None` = the machine's local time.
    pub timezone: Option<chrono_tz::Tz>,
    /// How many stores the config names (0: the console says how to add one).
    pub configured_stores: usize,
    /// Where logs go (shown in help so the operator can find them).
    pub log_file: std::path::PathBuf,
    /// The user's keymap file, applied over the preset (`$XDG_CONFIG_HOME/orderdesk/keymap.toml`
    /// when it exists); check it first with [`load_keymap`].
    pub user_keymap: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("{0}")]
    Keymap(#[from] KeymapError),
    #[error("the console stopped after an internal error (details in the log file)")]
    Panicked,
}

/// Opens the console and runs it until the operator quits (or SIGTERM/SIGHUP).
pub async fn run(engine: Engine, sync: SyncControl, opts: TuiOptions) -> Result<(), TuiError> {
    // Checked before the terminal is touched, so an error prints as a plain line.
    let keymap = load_keymap(&opts.keymap, opts.user_keymap.as_deref())?;
    let settings = app::Settings {
        zone: format::Zone::from_option(opts.timezone),
        theme: theme::Theme::from_env(),
        configured_stores: opts.configured_stores,
        log_file: opts.log_file.clone(),
        operator: engine.operator().to_string(),
    };
    let app = app::App::new(settings, keymap, (80, 24));
    event_loop::run(app, engine, sync, opts.mouse).await
}
