//! The console: ratatui + crossterm on tokio (DESIGN.md §2 "tui").
//!
//! Keys become [`action::Action`]s through the keymap; [`app::App::update`] turns messages into
//! state and [`app::Effect`]s; the event loop runs effects against the engine as tasks and feeds
//! the answers back; [`ui::draw`] draws the state.

pub mod action;
pub mod app;
mod attach;
mod event_loop;
#[cfg(test)]
mod fixtures;
pub mod format;
pub mod keymap;
pub mod latency;
mod loads;
mod screen;
pub mod terminal;
pub mod theme;
pub mod ui;

pub use keymap::{Keymap, KeymapError, load_keymap};

use crate::service::Desk;
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
    /// The payment methods the payment form offers (config `payment_methods`; empty: VISA, MC,
    /// AMEX).
    pub payment_methods: Vec<String>,
    /// Per store id, its local carrier names (the keys of the store's `[store.carriers]`).
    pub carriers: Vec<(String, Vec<String>)>,
    /// The default country for phone numbers written without one (config `phone_region`).
    pub phone_region: Option<String>,
    /// Config `terminal_title` and `bell`.
    pub terminal_title: bool,
    pub bell: bool,
    /// Config `receipt_command`: what prints a receipt (none: a file in the data directory).
    pub receipt_command: Option<String>,
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

/// Opens the console and runs it until the operator quits (or SIGTERM, SIGHUP, SIGINT, SIGQUIT).
pub async fn run(desk: Desk, opts: TuiOptions) -> Result<(), TuiError> {
    // Checked before the terminal is touched, so an error prints as a plain line.
    let keymap = load_keymap(&opts.keymap, opts.user_keymap.as_deref())?;
    let settings = app::Settings {
        zone: format::Zone::from_option(opts.timezone),
        theme: theme::Theme::from_env(),
        configured_stores: opts.configured_stores,
        log_file: opts.log_file.clone(),
        operator: desk.operator().name.clone(),
        payment_methods: opts.payment_methods.clone(),
        carriers: opts.carriers.clone(),
        phone_region: opts.phone_region.clone(),
        terminal_title: opts.terminal_title,
        bell: opts.bell,
        receipt_command: opts.receipt_command.clone(),
    };
    let app = app::App::new(settings, keymap, (80, 24));
    event_loop::run(app, desk, opts.mouse).await
}
