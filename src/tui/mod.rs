//! The console: ratatui + crossterm on tokio.

use crate::engine::Engine;
use crate::sync::SyncControl;

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
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// Opens the console and runs it until the operator quits.
pub async fn run(_engine: Engine, _sync: SyncControl, _opts: TuiOptions) -> Result<(), TuiError> {
    todo!()
}
