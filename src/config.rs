//! `orderdesk.toml`, read and checked before the terminal is touched; errors name the file
//! and line (DESIGN.md §4 "Config").

use crate::domain::intake::{IntakeOptions, NoContact, UnknownCustomer};
use crate::domain::matching::ProductKey;
use crate::engine::StoreSettings;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod checks;
use checks::Place;

pub const PLATFORMS: [&str; 6] = [
    "shopify",
    "woocommerce",
    "prestashop",
    "magento",
    "tray",
    "shoprenter",
];
/// Platforms whose connector this version has.
pub const CONNECTED: [&str; 1] = ["shopify"];

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

/// A credential: never printed, not even by `{:?}`. A configured one is read only by
/// [`Secret::resolve`], when something connects to the shop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Source);

#[derive(Clone, PartialEq, Eq)]
enum Source {
    Given(String),
    /// `token_env`: the variable's value as it was at load, if set; `at` is the config's
    /// file and line.
    Env {
        name: String,
        value: Option<String>,
        store: String,
        at: (String, usize),
    },
    /// `token_file`, read when the token is needed.
    File {
        path: PathBuf,
        store: String,
        at: (String, usize),
    },
}

impl Secret {
    /// A token given as is.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(Source::Given(s.into()))
    }

    /// The token, read now from where the config says; an error names the config's line.
    pub fn resolve(&self) -> Result<String, ConfigError> {
        let refused = |(file, line): &(String, usize), message: String| ConfigError::At {
            file: file.clone(),
            line: *line,
            message,
        };
        match &self.0 {
            Source::Given(t) => Ok(t.clone()),
            Source::Env {
                name,
                value,
                store,
                at,
            } => value
                .as_ref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| t.trim().to_string())
                .ok_or_else(|| {
                    refused(
                        at,
                        format!(
                            "environment variable {name} (token_env of store {store}) is not set"
                        ),
                    )
                }),
            Source::File { path, store, at } => {
                let shown = path.display();
                match std::fs::read_to_string(path) {
                    Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
                    Ok(_) => Err(refused(
                        at,
                        format!("token_file {shown} of store {store} is empty"),
                    )),
                    Err(e) => Err(refused(
                        at,
                        format!("token_file {shown} of store {store}: {e}"),
                    )),
                }
            }
        }
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    pub operator: String,
    pub keymap: String,
    pub mouse: bool,
    pub timezone: Option<chrono_tz::Tz>,
    pub phone_region: Option<String>,
    pub log_file: Option<PathBuf>,
    pub payment_methods: Vec<String>,
    pub stores: Vec<StoreConfig>,
    /// Warnings to show (e.g. a token file others can read).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub id: String,
    pub platform: String,
    pub url: String,
    pub token: Secret,
    pub currency: String,
    pub poll_seconds: u64,
    pub initial_days: u32,
    pub overlap_seconds: i64,
    pub product_key: ProductKey,
    pub unknown_customer: UnknownCustomer,
    pub no_contact: NoContact,
    pub read_only: bool,
    pub carriers: BTreeMap<String, String>,
}

impl StoreConfig {
    /// A store with every option at its default (as an empty `[[store]]` table gives).
    pub fn new(id: &str, platform: &str, url: &str, token: Secret) -> StoreConfig {
        StoreConfig {
            id: id.to_string(),
            platform: platform.to_string(),
            url: url.to_string(),
            token,
            currency: "EUR".into(),
            poll_seconds: 60,
            initial_days: 60,
            overlap_seconds: 60,
            product_key: ProductKey::default(),
            unknown_customer: UnknownCustomer::default(),
            no_contact: if platform == "shopify" {
                NoContact::Unspecified
            } else {
                NoContact::Reject
            },
            read_only: false,
            carriers: BTreeMap::new(),
        }
    }

    pub fn settings(&self, phone_region: Option<&str>) -> StoreSettings {
        StoreSettings {
            id: self.id.clone(),
            platform: self.platform.clone(),
            read_only: self.read_only,
            initial_days: self.initial_days,
            carriers: self.carriers.clone(),
            intake: IntakeOptions {
                product_key: self.product_key,
                unknown_customer: self.unknown_customer,
                no_contact: self.no_contact,
                currency: self.currency.clone(),
                phone_region: phone_region.map(str::to_string),
            },
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    operator: Option<String>,
    keymap: Option<Spanned<String>>,
    mouse: Option<bool>,
    timezone: Option<Spanned<String>>,
    phone_region: Option<Spanned<String>>,
    log_file: Option<PathBuf>,
    payment_methods: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    store: Vec<Spanned<RawStore>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    id: Spanned<String>,
    platform: Spanned<String>,
    url: Spanned<String>,
    token_env: Option<Spanned<String>>,
    token_file: Option<Spanned<PathBuf>>,
    currency: Option<Spanned<String>>,
    poll_seconds: Option<Spanned<i64>>,
    initial_days: Option<Spanned<i64>>,
    overlap_seconds: Option<Spanned<i64>>,
    product_key: Option<ProductKey>,
    unknown_customer: Option<UnknownCustomer>,
    no_contact: Option<NoContact>,
    read_only: Option<bool>,
    #[serde(default)]
    carriers: BTreeMap<String, String>,
}

impl Config {
    /// No config file: no stores.
    pub fn empty() -> Config {
        Config {
            path: None,
            operator: default_operator(),
            keymap: "default".into(),
            mouse: false,
            timezone: None,
            phone_region: None,
            log_file: None,
            payment_methods: default_payment_methods(),
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
        let mut ids = checks::StoreIds::default();
        for s in raw.store {
            let span = s.span();
            let s = s.into_inner();
            let id = ids.add(&place, &s.id)?;
            let platform = s.platform.get_ref().trim().to_lowercase();
            if !PLATFORMS.contains(&platform.as_str()) {
                return Err(place.error(
                    s.platform.span(),
                    format!(
                        "unknown platform \"{platform}\" (one of: {})",
                        PLATFORMS.join(", ")
                    ),
                ));
            }
            if !CONNECTED.contains(&platform.as_str()) {
                return Err(place.error(
                    s.platform.span(),
                    format!(
                        "platform \"{platform}\" has no connector in this version yet (supported: {})",
                        CONNECTED.join(", ")
                    ),
                ));
            }
            let url = s.url.get_ref().trim().trim_end_matches('/').to_string();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(place.error(
                    s.url.span(),
                    format!(
                        "url \"{url}\" must start with https:// (or http:// for a local simulator)"
                    ),
                ));
            }
            let token = checks::token(
                &place,
                &id,
                span,
                s.token_env.as_ref(),
                s.token_file.as_ref(),
                &env,
            )?;
            if let Some(path) = &s.token_file
                && let Some(w) = loose_permissions(path.get_ref())
            {
                cfg.warnings
                    .push(format!("{}: {w}", path.get_ref().display()));
            }
            let mut store = StoreConfig::new(&id, &platform, &url, token);
            store.currency = checks::currency(&place, s.currency.as_ref())?;
            store.poll_seconds =
                checks::POLL_SECONDS.check(&place, s.poll_seconds.as_ref(), store.poll_seconds)?;
            store.initial_days =
                checks::INITIAL_DAYS.check(&place, s.initial_days.as_ref(), store.initial_days)?;
            store.overlap_seconds = checks::OVERLAP_SECONDS.check(
                &place,
                s.overlap_seconds.as_ref(),
                store.overlap_seconds,
            )?;
            store.product_key = s.product_key.unwrap_or_default();
            store.unknown_customer = s.unknown_customer.unwrap_or_default();
            if let Some(n) = s.no_contact {
                store.no_contact = n;
            }
            store.read_only = s.read_only.unwrap_or(false);
            store.carriers = s.carriers;
            cfg.stores.push(store);
        }
        Ok(cfg)
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
fn loose_permissions(path: &Path) -> Option<String> {
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

    fn env(name: &str) -> Option<String> {
        (name == "SHOPIFY_TOKEN").then(|| "shpat_secret".to_string())
    }

    const GOOD: &str = r#"
operator = "anna"
timezone = "Europe/Budapest"
phone_region = "HU"

[[store]]
id = "web"
platform = "shopify"
url = "https://example.myshopify.com/"
token_env = "SHOPIFY_TOKEN"

[store.carriers]
DHL = "DHL Express"
"#;

    #[test]
    fn reads_a_good_config_with_defaults() {
        let c = Config::parse("o.toml", GOOD, env).expect("parses");
        assert_eq!(c.operator, "anna");
        assert_eq!(c.phone_region.as_deref(), Some("HU"));
        let s = &c.stores[0];
        assert_eq!(
            (s.url.as_str(), s.currency.as_str(), s.poll_seconds),
            ("https://example.myshopify.com", "EUR", 60)
        );
        assert_eq!(s.no_contact, NoContact::Unspecified);
        assert_eq!(s.token.resolve().ok().as_deref(), Some("shpat_secret"));
        assert!(!format!("{c:?}").contains("shpat_secret"));
        assert_eq!(
            s.carriers.get("DHL").map(String::as_str),
            Some("DHL Express")
        );
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let text = GOOD.replace("token_env", "tokn_env");
        let e = Config::parse("o.toml", &text, env).unwrap_err().to_string();
        assert!(e.starts_with("o.toml:10:"), "{e}");
        assert!(e.contains("tokn_env"), "{e}");
    }

    #[test]
    fn bad_values_name_their_line() {
        let e = Config::parse("o.toml", &GOOD.replace("Europe/Budapest", "Mars/Base"), env)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("o.toml:3:") && e.contains("Mars/Base"), "{e}");
        let c =
            Config::parse("o.toml", &GOOD.replace("SHOPIFY_TOKEN", "NOPE"), env).expect("parses");
        let e = c.stores[0].token.resolve().unwrap_err().to_string();
        assert!(e.starts_with("o.toml:10:") && e.contains("NOPE"), "{e}");
        let e = Config::parse("o.toml", &GOOD.replace("\"shopify\"", "\"ebay\""), env)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("o.toml:8:") && e.contains("ebay"), "{e}");
    }
}
