//! Keymaps (DESIGN.md §4 "Keymaps"): TOML files whose tables are contexts and whose entries
//! bind a key (or a sequence such as `"g g"`) to an action with a description.

mod docs;
mod handler;
pub mod keys;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_user;
mod user;

pub use docs::keymap_docs;
pub use handler::KeyHandler;
pub use keys::Chord;
pub use user::{apply_user_keymap, load_keymap};

use super::action::Action;
use std::collections::BTreeMap;

const DEFAULT: &str = include_str!("../../../keymaps/default.toml");
const VIM: &str = include_str!("../../../keymaps/vim.toml");

/// Where a binding applies. Lookups try the active context first, then `global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Detail,
    Help,
    Form,
    Picker,
    Confirm,
    /// The filter line (`/`) and the command line (`:`) at the bottom.
    Prompt,
    /// The Manifests view: the list and one manifest.
    Manifests,
    /// The Invoices view.
    Invoices,
    /// The Duplicates view.
    Duplicates,
}

impl Context {
    pub const ALL: [Context; 11] = [
        Context::Global,
        Context::List,
        Context::Detail,
        Context::Help,
        Context::Form,
        Context::Picker,
        Context::Confirm,
        Context::Prompt,
        Context::Manifests,
        Context::Invoices,
        Context::Duplicates,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Detail => "detail",
            Context::Help => "help",
            Context::Form => "form",
            Context::Picker => "picker",
            Context::Confirm => "confirm",
            Context::Prompt => "prompt",
            Context::Manifests => "manifests",
            Context::Invoices => "invoices",
            Context::Duplicates => "duplicates",
        }
    }
    fn from_name(s: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == s)
    }
}

/// One key (or sequence) bound to an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Chord>,
    pub action: Action,
    pub desc: String,
}

impl Binding {
    /// The keys as a person writes them: `g g`, `ctrl-l`.
    pub fn key_text(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Bindings per context, in file order (the footer and help list them in that order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    contexts: BTreeMap<Context, Vec<Binding>>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("{file}:{line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("unknown keymap preset \"{0}\" (one of: default, vim)")]
    UnknownPreset(String),
}

impl KeymapError {
    /// A refusal at `line` of `file`, on one line whatever the file held (a control character
    /// in a key is shown escaped).
    fn invalid(file: &str, line: usize, message: &str) -> KeymapError {
        let message = message
            .chars()
            .map(|c| match c {
                c if c.is_control() => c.escape_debug().to_string(),
                c => c.to_string(),
            })
            .collect();
        KeymapError::Invalid {
            file: file.to_string(),
            line,
            message,
        }
    }
}

impl Keymap {
    pub fn bindings(&self, ctx: Context) -> &[Binding] {
        self.contexts.get(&ctx).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first binding for a sequence in these contexts, in order.
    pub fn lookup(&self, contexts: &[Context], keys: &[Chord]) -> Option<&Binding> {
        contexts
            .iter()
            .flat_map(|c| self.bindings(*c))
            .find(|b| b.keys == keys && b.action != Action::None)
    }

    /// Whether some longer binding in these contexts starts with `keys`.
    pub fn is_prefix(&self, contexts: &[Context], keys: &[Chord]) -> bool {
        contexts
            .iter()
            .flat_map(|c| self.bindings(*c))
            .any(|b| b.keys.len() > keys.len() && b.keys.starts_with(keys))
    }

    /// Applies `other` over `self`: each key it names replaces the same key's binding (or is
    /// added); `action = "none"` unbinds.
    fn overlay(&mut self, other: Keymap) {
        for (ctx, bindings) in other.contexts {
            let list = self.contexts.entry(ctx).or_default();
            for b in bindings {
                match list.iter_mut().find(|x| x.keys == b.keys) {
                    Some(x) => *x = b,
                    None => list.push(b),
                }
            }
            list.retain(|b| b.action != Action::None);
        }
    }
}

/// A built-in preset, parsed once per process.
fn preset_keymap(name: &str) -> Result<Keymap, KeymapError> {
    static BUILT: [std::sync::OnceLock<Keymap>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let (slot, file, text) = match name {
        "default" => (&BUILT[0], "keymaps/default.toml", DEFAULT),
        "vim" => (&BUILT[1], "keymaps/vim.toml", VIM),
        other => return Err(KeymapError::UnknownPreset(other.to_string())),
    };
    if let Some(map) = slot.get() {
        return Ok(map.clone());
    }
    let (extends, own) = parse(file, text, true)?;
    let mut map = match extends.as_deref() {
        Some(base) if base != name => preset_keymap(base)?,
        _ => Keymap::default(),
    };
    map.overlay(own);
    Ok(slot.get_or_init(|| map).clone())
}

/// Parses one keymap file. Returns the preset it extends and its own bindings.
pub fn parse(
    file: &str,
    text: &str,
    preset: bool,
) -> Result<(Option<String>, Keymap), KeymapError> {
    let err = |line: usize, message: String| KeymapError::invalid(file, line, &message);
    let lines = KeyLines::scan(text);
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        err(line, lines.toml_message(text, &e, line))
    })?;
    let mut map = Keymap::default();
    let mut extends = None;
    for (name, value) in &table {
        let line = lines.find(None, name);
        if name == "extends" {
            match value.as_str() {
                Some(s) => extends = Some(s.to_string()),
                None => {
                    return Err(err(
                        line,
                        "extends must name a preset, e.g. \"default\"".into(),
                    ));
                }
            }
            continue;
        }
        let Some(ctx) = Context::from_name(name) else {
            return Err(err(
                line,
                format!(
                    "unknown context [{name}] (one of: global, list, detail, help, form, picker, confirm, prompt)"
                ),
            ));
        };
        let Some(entries) = value.as_table() else {
            return Err(err(line, format!("{name} must be a table of key = action")));
        };
        let mut list: Vec<(Binding, usize)> = Vec::new();
        // In file order, so a clash is reported on the later of the two lines.
        let mut ordered: Vec<(usize, &String, &toml::Value)> = entries
            .iter()
            .map(|(k, v)| (lines.find(Some(name), k), k, v))
            .collect();
        ordered.sort_by_key(|(line, _, _)| *line);
        for (line, key, entry) in ordered {
            let Some(keys) = keys::parse_sequence(key) else {
                return Err(err(line, format!("bad key \"{key}\" in [{name}]")));
            };
            let (action_name, desc) = match entry {
                toml::Value::String(a) => (a.as_str(), None),
                toml::Value::Table(t) => {
                    let a = t.get("action").and_then(|v| v.as_str());
                    let Some(a) = a else {
                        return Err(err(
                            line,
                            format!("key \"{key}\" in [{name}] has no action"),
                        ));
                    };
                    if let Some(k) = t.keys().find(|k| *k != "action" && *k != "desc") {
                        return Err(err(
                            line,
                            format!("unknown field \"{k}\" for key \"{key}\""),
                        ));
                    }
                    (a, t.get("desc").and_then(|v| v.as_str()))
                }
                _ => {
                    return Err(err(
                        line,
                        format!(
                            "key \"{key}\" in [{name}] must be an action name or {{ action, desc }}"
                        ),
                    ));
                }
            };
            let Some(action) = Action::from_name(action_name) else {
                return Err(err(
                    line,
                    format!("unknown action \"{action_name}\" for key \"{key}\" in [{name}]"),
                ));
            };
            let desc = match desc {
                Some(d) if !d.trim().is_empty() => d.to_string(),
                _ if preset => {
                    return Err(err(line, format!("key \"{key}\" in [{name}] needs a desc")));
                }
                _ => action_name.replace('_', " "),
            };
            if let Some((_, first)) = list.iter().find(|(b, _)| b.keys == keys) {
                return Err(err(
                    line,
                    format!("key \"{key}\" is bound twice in [{name}] (first on line {first})"),
                ));
            }
            if let Some((b, at)) = list
                .iter()
                .find(|(b, _)| b.keys.starts_with(&keys) || keys.starts_with(&b.keys))
            {
                return Err(err(
                    line,
                    format!(
                        "key \"{key}\" overlaps \"{}\" (line {at}) in [{name}]",
                        b.key_text()
                    ),
                ));
            }
            list.push((Binding { keys, action, desc }, line));
        }
        list.sort_by_key(|(_, line)| *line);
        map.contexts
            .insert(ctx, list.into_iter().map(|(b, _)| b).collect());
    }
    Ok((extends, map))
}

/// The line of byte `offset`, at most the file's last line (an error at its very end is on it).
fn line_of(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    line.min(text.lines().count().max(1))
}

/// Where each `(table, key)` is written, for error messages and file order.
struct KeyLines(Vec<(Option<String>, String, usize)>);

impl KeyLines {
    fn scan(text: &str) -> KeyLines {
        let mut out = Vec::new();
        let mut section: Option<String> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.starts_with('[') {
                let inside = line.trim_start_matches('[');
                let name = inside.split(']').next().unwrap_or(inside);
                let name = name
                    .trim()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string();
                out.push((None, name.clone(), i + 1));
                section = Some(name);
            } else if let Some(key) = leading_key(line) {
                out.push((section.clone(), key, i + 1));
            }
        }
        KeyLines(out)
    }
    fn find(&self, section: Option<&str>, key: &str) -> usize {
        self.0
            .iter()
            .find(|(s, k, _)| s.as_deref() == section && k == key)
            .map(|(_, _, l)| *l)
            .unwrap_or(1)
    }

    /// The line binding `keys` in `ctx`, however they are spelled (`G`, `shift-g`).
    fn of_keys(&self, ctx: Context, keys: &[Chord]) -> Option<usize> {
        self.0
            .iter()
            .find(|(s, k, _)| {
                s.as_deref() == Some(ctx.name()) && keys::parse_sequence(k).as_deref() == Some(keys)
            })
            .map(|(_, _, l)| *l)
    }

    /// TOML's own refusal, naming the key it is about when TOML does not (a key written twice).
    fn toml_message(&self, text: &str, e: &toml::de::Error, line: usize) -> String {
        let message = e.message().trim();
        let written = e.span().and_then(|s| text.get(s));
        let Some(written) = written.filter(|_| message == "duplicate key") else {
            return message.to_string();
        };
        let key = leading_key(written).unwrap_or_else(|| written.trim().to_string());
        let here = self.0.iter().find(|(_, k, l)| *l == line && *k == key);
        let first = here.and_then(|(section, _, _)| {
            self.0
                .iter()
                .find(|(s, k, l)| s == section && *k == key && *l < line)
        });
        match (here, first) {
            (Some((None, ..)), Some((.., at))) => {
                format!("table [{key}] is written twice (first on line {at})")
            }
            (Some((Some(section), ..)), Some((.., at))) => {
                format!("key \"{key}\" is bound twice in [{section}] (first on line {at})")
            }
            _ => format!("key \"{key}\" is written twice"),
        }
    }
}

fn leading_key(line: &str) -> Option<String> {
    let mut chars = line.chars();
    match chars.next()? {
        q @ ('"' | '\'') => {
            let rest = &line[1..];
            let mut key = String::new();
            let mut escaped = false;
            for c in rest.chars() {
                if escaped {
                    key.push(c);
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    return Some(key);
                } else {
                    key.push(c);
                }
            }
            None
        }
        '#' => None,
        _ => line.split_once('=').map(|(k, _)| k.trim().to_string()),
    }
}
