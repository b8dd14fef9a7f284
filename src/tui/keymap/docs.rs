//! `keymaps/README.md`, generated from the preset files (a test keeps it current).

use super::{Context, Keymap, VIM, parse, preset_keymap};
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn tables(out: &mut String, map: &Keymap) {
    for ctx in Context::ALL {
        let list = map.bindings(ctx);
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### [{}]\n", ctx.name());
        out.push_str("| Key | Action | Description |\n|---|---|---|\n");
        for b in list {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                cell(&b.key_text()),
                b.action.name(),
                cell(&b.desc)
            );
        }
        out.push('\n');
    }
}

/// The whole README, as the presets say it.
pub fn keymap_docs() -> String {
    let mut out = String::from(
        "# Keymaps\n\n\
         <!-- Generated from default.toml and vim.toml: do not edit by hand. After changing a \
         preset, run `UPDATE_KEYMAP_DOCS=1 cargo test keymap_docs`. -->\n\n\
         `default.toml` and `vim.toml` are built into orderdesk; `keymap = \"vim\"` in \
         orderdesk.toml picks the second. Your own `$XDG_CONFIG_HOME/orderdesk/keymap.toml` has \
         the same shape and changes only the keys it names (`action = \"none\"` unbinds one). \
         A file that leaves the main screen no key to quit (nor one to the command line, where \
         `quit` can be typed) is refused.\n\n\
         Contexts: the active one is tried first, then `[global]` (a form, picker, question or \
         the filter/command line takes only its own). In `[form]`, `[picker]` and `[prompt]`, a \
         key bound nowhere goes to the text field.\n\n\
         The presets leave alone ctrl-a, ctrl-b, ctrl-h/j/k/l, ctrl-s, ctrl-q and ctrl-i, ctrl-m, \
         ctrl-[ (tmux, screen, pane navigation, flow control; terminals send the last three as \
         tab, enter and esc).\n\n## default\n\n",
    );
    match preset_keymap("default") {
        Ok(map) => tables(&mut out, &map),
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
        }
    }
    out.push_str("## vim\n\n`extends = \"default\"`: every default key, plus these.\n\n");
    match parse("keymaps/vim.toml", VIM, true) {
        Ok((_, own)) => tables(&mut out, &own),
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
        }
    }
    out.trim_end().to_string() + "\n"
}
