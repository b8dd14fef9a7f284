//! `orderdesk.toml`, read and checked before the terminal is touched; errors name the file
//! and line (DESIGN.md §4 "Config").

use crate::engine::StoreSettings;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod checks;
mod operators;
mod secret;
mod store;
use checks::Place;
pub use operators::Operators;
pub use secret::Secret;
pub use store::StoreConfig;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}:{line}: {message}")]
    At {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    pub operator: String,
    pub keymap: String,
    pub mouse: bool,
    /// The console sets the terminal's title to `orderdesk: N need action`.
    pub terminal_title: bool,
    /// The console rings the terminal's bell once when a new order needs action.
    pub bell: bool,
    pub timezone: Option<chrono_tz::Tz>,
    pub phone_region: Option<String>,
    pub log_file: Option<PathBuf>,
    pub payment_methods: Vec<String>,
    /// The command a receipt is piped to (`sh -c`, e.g. `lp -d receipt`); none: no printing.
    pub receipt_command: Option<String>,
    /// The group of the service's socket (`orderdesk.sock`, mode 0660).
    pub socket_group: Option<String>,
    /// `[operators]`: each login user's role.
    pub operators: Operators,
    pub stores: Vec<StoreConfig>,
    /// Warnings to show (e.g. a token file others can read).
    pub warnings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    operator: Option<String>,
    keymap: Option<Spanned<String>>,
    mouse: Option<bool>,
    terminal_title: Option<bool>,
    bell: Option<bool>,
    timezone: Option<Spanned<String>>,
    phone_region: Option<Spanned<String>>,
    log_file: Option<PathBuf>,
    payment_methods: Option<Spanned<Vec<Spanned<String>>>>,
    receipt_command: Option<Spanned<String>>,
    socket_group: Option<Spanned<String>>,
    operators: Option<operators::RawOperators>,
    #[serde(default)]
    store: Vec<Spanned<store::RawStore>>,
}

impl Config {
    /// No config file: no stores.
    pub fn empty() -> Config {
        Config {
            path: None,
            operator: default_operator(),
            keymap: "default".into(),
            mouse: false,
            terminal_title: true,
            bell: false,
            timezone: None,
            phone_region: None,
            log_file: None,
            payment_methods: default_payment_methods(),
            receipt_command: None,
            socket_group: None,
            operators: Operators::default(),
            stores: vec![],
            warnings: vec![],
        }
    }

    /// Reads `path`; a missing file at the default location means no stores.
    pub fn load(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return Ok(Config::empty());
            }
            Err(e) => {
                return Err(ConfigError::File {
                    file,
                    message: e.to_string(),
                });
            }
        };
        let mut cfg = Config::parse(&file, &text, |name| std::env::var(name).ok())?;
        cfg.path = Some(path.to_path_buf());
        if let Some(w) = loose_permissions(path) {
            cfg.warnings.push(format!("{file}: {w}"));
        }
        Ok(cfg)
    }

    /// Parses config text; `env` looks up the environment variables that `token_env` names
    /// (an unset one is an error only when the token is needed, see [`Secret::resolve`]).
    pub fn parse(
        file: &str,
        text: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let place = Place::new(file, text);
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| place.error(e.span().unwrap_or(0..0), e.message().trim().to_string()))?;
        let mut cfg = Config::empty();
        if let Some(op) = raw.operator.filter(|o| !o.trim().is_empty()) {
            cfg.operator = op;
        }
        if let Some(k) = raw.keymap {
            cfg.keymap = k.get_ref().clone();
        }
        cfg.mouse = raw.mouse.unwrap_or(false);
        cfg.terminal_title = raw.terminal_title.unwrap_or(true);
        cfg.bell = raw.bell.unwrap_or(false);
        if let Some(tz) = raw.timezone {
            cfg.timezone = Some(tz.get_ref().parse().map_err(|_| {
                place.error(
                    tz.span(),
                    format!(
                        "unknown time zone \"{}\" (an IANA name like Europe/Budapest)",
                        tz.get_ref()
                    ),
                )
            })?);
        }
        if let Some(r) = raw.phone_region {
            if !crate::domain::phone::known_region(r.get_ref()) {
                return Err(place.error(
                    r.span(),
                    format!(
                        "unknown phone region \"{}\" (a country code like HU)",
                        r.get_ref()
                    ),
                ));
            }
            cfg.phone_region = Some(r.get_ref().to_ascii_uppercase());
        }
        cfg.log_file = raw.log_file;
        if let Some(m) = &raw.payment_methods {
            cfg.payment_methods = checks::payment_methods(&place, m)?;
        }
        if let Some(c) = raw.receipt_command {
            if c.get_ref().trim().is_empty() || c.get_ref().contains(['\n', '\r', '\0']) {
                return Err(place.error(
                    c.span(),
                    "receipt_command is one command line, e.g. \"lp -d receipt\" (leave it out for no printing)"
                        .to_string(),
                ));
            }
            cfg.receipt_command = Some(c.get_ref().trim().to_string());
        }
        if let Some(g) = raw.socket_group {
            cfg.socket_group = Some(operators::socket_group(&place, g)?);
        }
        if let Some(o) = raw.operators {
            cfg.operators = operators::parse(&place, o)?;
        }
        let mut ids = checks::StoreIds::default();
        for s in raw.store {
            let store = store::parse(&place, &mut ids, s, &env)?;
            cfg.warnings.extend(store.1);
            cfg.stores.push(store.0);
        }
        Ok(cfg)
    }

    /// The role the config gives this login user.
    pub fn role_of(&self, user: &str) -> crate::engine::command::Role {
        self.operators.role_of(user)
    }

    pub fn settings(&self) -> Vec<StoreSettings> {
        self.stores
            .iter()
            .map(|s| s.settings(self.phone_region.as_deref()))
            .collect()
    }
}

pub fn default_payment_methods() -> Vec<String> {
    vec!["VISA".into(), "MC".into(), "AMEX".into()]
}

fn default_operator() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "operator".into())
}

/// A warning when a file holding secrets can be read by group or others.
pub(crate) fn loose_permissions(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "readable by group or others (mode {:o}); run chmod 600 on it",
            mode & 0o777
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::intake::NoContact;

    fn env(name: &str) -> Option<String> {
        (name == "SHOPIFY_TOKEN").then(|| "shpat_secret".to_string())
    }

    /// A good config file, of a store on Shopify (its `PLATFORM` is the registry's name).
    const GOOD_FILE: &str = r#"
operator = "anna"
timezone = "Europe/Budapest"
phone_region = "HU"

[[store]]
id = "web"
platform = "PLATFORM"
url = "https://example.myshopify.com/"
token_env = "SHOPIFY_TOKEN"

[store.carriers]
DHL = "DHL Express"
"#;

    fn good() -> String {
        GOOD_FILE.replace("PLATFORM", crate::channels::shopify::PLATFORM)
    }

    #[test]
    fn reads_a_good_config_with_defaults() {
        let c = Config::parse("o.toml", &good(), env).expect("parses");
        assert_eq!(c.operator, "anna");
        assert_eq!(c.phone_region.as_deref(), Some("HU"));
        let s = &c.stores[0];
        assert_eq!(
            (s.url.as_str(), s.currency.as_str(), s.poll_seconds),
            ("https://example.myshopify.com", "EUR", 60)
        );
        assert_eq!(s.no_contact, NoContact::Unspecified);
        assert_eq!(
            s.credential("token")
                .and_then(|t| t.resolve().ok())
                .as_deref(),
            Some("shpat_secret")
        );
        assert!(!format!("{c:?}").contains("shpat_secret"));
        assert_eq!(
            s.carriers.get("DHL").map(String::as_str),
            Some("DHL Express")
        );
    }

    #[test]
    fn a_receipt_command_is_one_command_line() {
        let text = good().replace(
            "phone_region = \"HU\"",
            "phone_region = \"HU\"\nreceipt_command = \" lp -d receipt \"",
        );
        let c = Config::parse("o.toml", &text, env).expect("parses");
        assert_eq!(c.receipt_command.as_deref(), Some("lp -d receipt"));
        let text = good().replace(
            "phone_region = \"HU\"",
            "phone_region = \"HU\"\nreceipt_command = \"  \"",
        );
        let e = Config::parse("o.toml", &text, env).unwrap_err().to_string();
        assert!(
            e.starts_with("o.toml:5:") && e.contains("receipt_command"),
            "{e}"
        );
        let text = good().replace("phone_region", "receipt_printer = \"x\"\nphone_region");
        let e = Config::parse("o.toml", &text, env).unwrap_err().to_string();
        assert!(
            e.starts_with("o.toml:4:") && e.contains("receipt_printer"),
            "{e}"
        );
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let text = good().replace("token_env", "tokn_env");
        let e = Config::parse("o.toml", &text, env).unwrap_err().to_string();
        assert!(e.starts_with("o.toml:10:"), "{e}");
        assert!(e.contains("tokn_env"), "{e}");
    }

    #[test]
    fn bad_values_name_their_line() {
        let e = Config::parse(
            "o.toml",
            &good().replace("Europe/Budapest", "Mars/Base"),
            env,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("o.toml:3:") && e.contains("Mars/Base"), "{e}");
        let c =
            Config::parse("o.toml", &good().replace("SHOPIFY_TOKEN", "NOPE"), env).expect("parses");
        let token = c.stores[0].credential("token").expect("a token");
        let e = token.resolve().unwrap_err().to_string();
        assert!(e.starts_with("o.toml:10:") && e.contains("NOPE"), "{e}");
        let e = Config::parse(
            "o.toml",
            &good().replace(
                &format!("\"{}\"", crate::channels::shopify::PLATFORM),
                "\"ebay\"",
            ),
            env,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("o.toml:8:") && e.contains("ebay"), "{e}");
    }
}
