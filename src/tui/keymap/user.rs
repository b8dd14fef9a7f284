//! The user's keymap file (`$XDG_CONFIG_HOME/orderdesk/keymap.toml`) over a preset: it changes
//! only the keys it names, a key it binds replaces the preset's binding of the same key, and it
//! may not leave the console without a way to quit.

use super::{Binding, Chord, Context, KeyLines, Keymap, KeymapError, parse, preset_keymap};
use crate::tui::action::Action;
use std::path::Path;

/// Where quitting must stay possible: the main screen.
const MAIN: [Context; 2] = [Context::List, Context::Global];

/// Loads a preset (`default`, `vim`) and applies the user's file over it.
pub fn load_keymap(preset: &str, user_file: Option<&Path>) -> Result<Keymap, KeymapError> {
    let Some(path) = user_file else {
        return preset_keymap(preset);
    };
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| KeymapError::Read {
        file: file.clone(),
        source,
    })?;
    apply_user_keymap(preset, &file, &text)
}

/// A preset with a user's keymap text (read from `file`, named in errors) applied over it:
/// what [`load_keymap`] does once the file is read.
pub fn apply_user_keymap(preset: &str, file: &str, text: &str) -> Result<Keymap, KeymapError> {
    let chosen = preset_keymap(preset)?; // an unknown preset is refused either way
    let (extends, user) = parse(file, text, false)?;
    let lines = KeyLines::scan(text);
    let base = match extends {
        Some(name) => preset_keymap(&name).map_err(|e| match e {
            KeymapError::UnknownPreset(name) => KeymapError::invalid(
                file,
                lines.find(None, "extends"),
                &format!("extends names no preset \"{name}\" (one of: default, vim)"),
            ),
            other => other,
        })?,
        None => chosen,
    };
    let named: Vec<(Context, Vec<Chord>)> = user
        .contexts
        .iter()
        .flat_map(|(c, bs)| bs.iter().map(|b| (*c, b.keys.clone())))
        .collect();
    let mut map = base.clone();
    map.overlay(user);
    let line_of = |ctx: Context, keys: &[Chord]| lines.of_keys(ctx, keys).unwrap_or(1);
    // A user key that starts a preset's sequence (or the reverse) would hide one of them.
    for (ctx, keys) in &named {
        let list = map.bindings(*ctx);
        // Unbound ("none"): nothing to hide.
        let Some(written) = list.iter().find(|b| b.keys == *keys).map(Binding::key_text) else {
            continue;
        };
        if let Some(other) = list
            .iter()
            .find(|b| b.keys != *keys && (b.keys.starts_with(keys) || keys.starts_with(&b.keys)))
        {
            return Err(KeymapError::invalid(
                file,
                line_of(*ctx, keys),
                &format!(
                    "key \"{written}\" overlaps \"{}\" in [{}]",
                    other.key_text(),
                    ctx.name()
                ),
            ));
        }
    }
    if !can_quit(&map) {
        // The last of the user's lines that took a way to quit away.
        let line = named
            .iter()
            .filter(|(ctx, keys)| took_a_way_to_quit(&base, *ctx, keys))
            .map(|(ctx, keys)| line_of(*ctx, keys))
            .max()
            .unwrap_or(1);
        return Err(KeymapError::invalid(
            file,
            line,
            "this leaves no key that quits (nor one that opens the command line, where \
             quit can be typed): bind one in [global], e.g. \"q\" = \"quit\"",
        ));
    }
    Ok(map)
}

/// What `keys` do on the main screen.
fn main_action(map: &Keymap, keys: &[Chord]) -> Option<Action> {
    map.lookup(&MAIN, keys).map(|b| b.action)
}

/// Whether some key quits from the main screen, or opens the command line there while the
/// command line keeps a key that runs what is typed (`quit`).
pub(super) fn can_quit(map: &Keymap) -> bool {
    let on_main = |action: Action| {
        MAIN.iter()
            .flat_map(|c| map.bindings(*c))
            .any(|b| b.action == action && main_action(map, &b.keys) == Some(action))
    };
    let runs_typed = (map.bindings(Context::Prompt).iter()).any(|b| b.action == Action::Submit);
    on_main(Action::Quit) || (on_main(Action::CommandLine) && runs_typed)
}

/// Whether the user's binding of `keys` in `ctx` replaced one of the preset's ways to quit.
fn took_a_way_to_quit(base: &Keymap, ctx: Context, keys: &[Chord]) -> bool {
    match ctx {
        Context::List | Context::Global => matches!(
            main_action(base, keys),
            Some(Action::Quit | Action::CommandLine)
        ),
        Context::Prompt => {
            (base.bindings(ctx).iter()).any(|b| b.keys == keys && b.action == Action::Submit)
        }
        _ => false,
    }
}
