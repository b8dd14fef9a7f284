//! A store's credentials (tokens, keys, secrets, passwords): where the config says each comes
//! from, read only when something connects to the shop, never printed.

use super::ConfigError;
use std::path::PathBuf;

/// A credential: never printed, not even by `{:?}`. A configured one is read only by
/// [`Secret::resolve`], when something connects to the shop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub(super) Source);

#[derive(Clone, PartialEq, Eq)]
pub(super) enum Source {
    Given(String),
    /// `{key}_env`: the variable's value as it was at load, if set; `at` is the config's
    /// file and line.
    Env {
        key: &'static str,
        name: String,
        value: Option<String>,
        store: String,
        at: (String, usize),
    },
    /// `{key}_file`, read when the credential is needed.
    File {
        key: &'static str,
        path: PathBuf,
        store: String,
        at: (String, usize),
    },
}

impl Secret {
    /// A credential given as is.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(Source::Given(s.into()))
    }

    /// The credential, read now from where the config says; an error names the config's line.
    pub fn resolve(&self) -> Result<String, ConfigError> {
        let refused = |(file, line): &(String, usize), message: String| ConfigError::At {
            file: file.clone(),
            line: *line,
            message,
        };
        match &self.0 {
            Source::Given(t) => Ok(t.clone()),
            Source::Env {
                key,
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
                            "environment variable {name} ({key}_env of store {store}) is not set"
                        ),
                    )
                }),
            Source::File {
                key,
                path,
                store,
                at,
            } => {
                let shown = path.display();
                match std::fs::read_to_string(path) {
                    Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
                    Ok(_) => Err(refused(
                        at,
                        format!("{key}_file {shown} of store {store} is empty"),
                    )),
                    Err(e) => Err(refused(
                        at,
                        format!("{key}_file {shown} of store {store}: {e}"),
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
