//! What every subcommand shares: paths, config, logging, opening the engine, failures.

use crate::config::{Config, ConfigError};
use crate::engine::command::{CommandError, Operator};
use crate::engine::{Engine, EngineError, ImportError};
use crate::service::{Client, Desk};
use crate::store::{Open, StoreError};
use std::path::PathBuf;

/// Why a subcommand stopped: printed on stderr (and as JSON with `--json`), with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: std::borrow::Cow<'static, str>,
    pub exit: i32,
}

impl Failure {
    pub fn new(code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: code.into(),
            exit: 1,
        }
    }

    pub fn report(&self, json: bool) -> i32 {
        eprintln!("orderdesk: {}", self.message);
        if json {
            println!(
                "{}",
                serde_json::json!({"error": self.message, "code": self.code})
            );
        }
        self.exit
    }
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Failure {
        let exit = if matches!(e, EngineError::Store(StoreError::Locked { .. })) {
            3
        } else {
            1
        };
        Failure {
            message: e.to_string(),
            code: e.code().into(),
            exit,
        }
    }
}

impl From<CommandError> for Failure {
    fn from(e: CommandError) -> Failure {
        Failure {
            message: e.message(),
            code: e.code().to_string().into(),
            exit: 1,
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        Failure::new("config", e.to_string())
    }
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Failure {
        match e {
            ImportError::Engine(e) => e.into(),
            e => Failure::new("import", e.to_string()),
        }
    }
}

pub struct Context {
    config_path: Option<PathBuf>,
    data: Option<PathBuf>,
    pub keymap: Option<String>,
}

fn xdg(var: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(v) => PathBuf::from(v),
        None => {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("."));
            home.join(fallback)
        }
    }
}

impl Context {
    pub fn new(config: Option<PathBuf>, data: Option<PathBuf>, keymap: Option<String>) -> Context {
        Context {
            config_path: config,
            data,
            keymap,
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data
            .clone()
            .unwrap_or_else(|| xdg("XDG_DATA_HOME", ".local/share").join("orderdesk"))
    }

    pub fn has_data_dir(&self) -> bool {
        self.data.is_some()
    }

    pub fn config_dir() -> PathBuf {
        xdg("XDG_CONFIG_HOME", ".config").join("orderdesk")
    }

    /// The config: the named file (which must exist), else the default one if present.
    pub fn config(&self) -> Result<Config, Failure> {
        let cfg = match &self.config_path {
            Some(p) => Config::load(p, true)?,
            None => Config::load(&Self::config_dir().join("orderdesk.toml"), false)?,
        };
        for w in &cfg.warnings {
            eprintln!("orderdesk: warning: {w}");
        }
        Ok(cfg)
    }

    /// Opens the store for this config (exit 3 when another process holds it); a data
    /// directory without a store is refused, not filled with a new empty one.
    pub fn engine(&self, cfg: &Config) -> Result<Engine, Failure> {
        self.engine_as(cfg, Open::Existing)
    }

    /// Opens the store for this config, making it when the data directory has none (the
    /// commands that bring data in: import, sync, the console, bench-data).
    pub fn engine_or_create(&self, cfg: &Config) -> Result<Engine, Failure> {
        self.engine_as(cfg, Open::OrCreate)
    }

    /// Where this command's actions go: the store opened here, or, while another process
    /// holds it, the service answering on its socket (still exit 3 when none answers).
    pub async fn desk(&self, cfg: &Config) -> Result<Desk, Failure> {
        match self.engine(cfg) {
            Ok(engine) => {
                let operator = Operator::new(engine.operator(), cfg.role_of(engine.operator()));
                Ok(Desk::Local { engine, operator })
            }
            Err(f) if f.exit == 3 => match self.service().await? {
                Some(c) => Ok(Desk::Remote(c)),
                None => Err(f),
            },
            Err(f) => Err(f),
        }
    }

    /// The service of this data directory, when one answers on its socket.
    pub async fn service(&self) -> Result<Option<Client>, Failure> {
        let socket = crate::service::socket_path(&self.data_dir());
        Client::connect(&socket)
            .await
            .map_err(|e| Failure::new("service", e.to_string()))
    }

    fn engine_as(&self, cfg: &Config, how: Open) -> Result<Engine, Failure> {
        Ok(Engine::open_as(
            &self.data_dir(),
            how,
            &cfg.operator,
            cfg.settings(),
        )?)
    }
}

/// Sends logs to a file, never to the terminal. Returns the file's path.
pub fn init_logging(cfg: &Config, data_dir: &std::path::Path) -> PathBuf {
    let path = cfg
        .log_file
        .clone()
        .unwrap_or_else(|| data_dir.join("orderdesk.log"));
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let filter = tracing_subscriber::EnvFilter::try_from_env("ORDERDESK_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .try_init();
    }
    path
}

/// Money as a decimal string with two places at least (`"12.50"`).
pub fn money(m: crate::domain::Money) -> String {
    crate::domain::limits::show_money(m)
}
