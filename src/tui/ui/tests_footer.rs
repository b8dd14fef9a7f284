//! The footer's hints: generated from the active context's bindings (so a remap shows),
//! only keys that work there, fitted to the width.

use super::tests::{key, render};
use crate::tui::app::App;
use crate::tui::fixtures;
use crate::tui::keymap::load_keymap;

fn footer(app: &App) -> String {
    let b = render(app);
    let buf = b.buffer();
    let y = buf.area.height - 1;
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, &c.to_string());
    }
}

/// The default keymap with `user` as the user's keymap file.
fn remapped(user: &str) -> App {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keymap.toml");
    std::fs::write(&file, user).unwrap();
    let mut app = App::new(
        fixtures::settings(),
        load_keymap("default", Some(&file)).unwrap(),
        (80, 24),
    );
    fixtures::feed(&mut app);
    app
}

#[test]
fn the_list_offers_filter_and_command_line_at_80_columns() {
    let line = footer(&fixtures::app(80, 24));
    for hint in ["enter open", "/ filter", ": command", "? help", "q quit"] {
        assert!(line.contains(hint), "{hint:?} missing from {line:?}");
    }
    // Nothing cut off: the line ends with the gap after a whole hint.
    assert!(line.ends_with("  "), "{line:?}");
    let wide = footer(&fixtures::app(120, 40));
    assert!(
        wide.contains("/ filter") && wide.contains("↓/j down"),
        "{wide:?}"
    );
}

#[test]
fn a_remap_shows_in_the_footer_and_on_the_prompt_line() {
    let mut app = remapped(
        "[list]\n\"/\" = \"none\"\n\"f\" = \"filter\"\n[global]\n\":\" = \"none\"\n\";\" = \"command_line\"\n[prompt]\n\"esc\" = \"none\"\n\"ctrl-g\" = \"cancel\"\n",
    );
    let line = footer(&app);
    assert!(line.contains("f filter"), "{line:?}");
    assert!(line.contains("; command line"), "{line:?}");
    assert!(!line.contains("/ ") && !line.contains(": "), "{line:?}");
    key(&mut app, ";");
    let prompt = footer(&app);
    assert!(prompt.contains("ctrl-g: close"), "{prompt:?}");
    assert!(!prompt.contains("esc"), "{prompt:?}");
}

#[test]
fn over_help_only_the_keys_that_work_there_are_offered() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "?");
    let line = footer(&app);
    assert!(line.contains("esc/? close help"), "{line:?}");
    // ? and q close help here; r does nothing.
    for gone in ["? help", "q quit", "sync"] {
        assert!(!line.contains(gone), "{gone:?} offered over help: {line:?}");
    }
}

#[test]
fn a_kept_filter_offers_esc_to_clear_it() {
    let mut app = fixtures::app(80, 24);
    assert!(!footer(&app).contains("esc"));
    key(&mut app, "/");
    typed(&mut app, "kovacs");
    key(&mut app, "enter");
    let line = footer(&app);
    assert!(line.contains("esc clear the filter"), "{line:?}");
    assert!(line.contains("/ filter"), "{line:?}");
    key(&mut app, "esc");
    assert!(app.filter_text.is_empty());
    assert!(!footer(&app).contains("esc"));
}
