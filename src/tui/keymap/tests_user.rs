//! The user's keymap file: what it may change, how a refusal reads, and that no text makes
//! the loader panic (property tests).

use super::*;
use proptest::prelude::*;

const FILE: &str = "keymap.toml";

fn user(preset: &str, text: &str) -> Result<Keymap, KeymapError> {
    apply_user_keymap(preset, FILE, text)
}

/// The refusal of `text` over the default preset, as the person reads it.
fn refusal(text: &str) -> String {
    match user("default", text) {
        Err(e @ KeymapError::Invalid { .. }) => e.to_string(),
        other => panic!("expected a refusal naming a line, got {other:?}"),
    }
}

fn action(map: &Keymap, ctx: Context, key: &str) -> Option<Action> {
    let keys = keys::parse_sequence(key)?;
    map.lookup(&[ctx, Context::Global], &keys).map(|b| b.action)
}

#[test]
fn a_key_written_twice_in_the_user_file_names_the_key_and_both_lines() {
    let err = refusal("[list]\n\"j\" = \"down\"\n\"j\" = \"up\"\n");
    assert_eq!(
        err,
        "keymap.toml:3: key \"j\" is bound twice in [list] (first on line 2)"
    );
    // Bare and quoted, it is still the same key.
    let err = refusal("[global]\nx = \"sync\"\n\n\"x\" = \"help\"\n");
    assert_eq!(
        err,
        "keymap.toml:4: key \"x\" is bound twice in [global] (first on line 2)"
    );
    // Spelled two ways.
    let err = refusal("[list]\n\"G\" = \"bottom\"\n\"shift-g\" = \"top\"\n");
    assert!(err.starts_with("keymap.toml:3: key \"shift-g\""), "{err}");
    // A table written twice.
    let err = refusal("[list]\n\"x\" = \"open\"\n[list]\n\"y\" = \"open\"\n");
    assert_eq!(
        err,
        "keymap.toml:3: table [list] is written twice (first on line 1)"
    );
}

#[test]
fn the_user_file_wins_over_the_preset_for_the_same_key() {
    // The preset binds G (bottom) in [list]; the user's shift-g is the same key.
    let map = user("vim", "[list]\n\"shift-g\" = \"top\"\n").unwrap();
    assert_eq!(action(&map, Context::List, "G"), Some(Action::Top));
    let g = keys::parse_sequence("G").unwrap();
    let bound = map.bindings(Context::List).iter().filter(|b| b.keys == g);
    assert_eq!(bound.count(), 1, "one binding of G, the user's");
    // In [global] too.
    let map = user("default", "[global]\n\"r\" = \"help\"\n").unwrap();
    assert_eq!(action(&map, Context::Detail, "r"), Some(Action::Help));
}

#[test]
fn extends_naming_no_preset_names_the_file_and_line() {
    let err = refusal("# my keys\nextends = \"nope\"\n\n[list]\n\"x\" = \"open\"\n");
    assert_eq!(
        err,
        "keymap.toml:2: extends names no preset \"nope\" (one of: default, vim)"
    );
    // Through load_keymap the path of the file is named.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(&path, "extends = \"emacs\"\n").unwrap();
    let err = load_keymap("default", Some(&path)).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}:1: ", path.display())), "{err}");
    assert!(err.contains("\"emacs\""), "{err}");
}

#[test]
fn a_user_file_that_leaves_no_way_to_quit_is_refused() {
    let err = refusal("[global]\n\"q\" = \"none\"\n\":\" = \"none\"\n");
    assert!(err.starts_with("keymap.toml:3: "), "{err}");
    assert!(err.contains("no key that quits"), "{err}");
    assert!(
        err.contains("\"q\" = \"quit\""),
        "says how to fix it: {err}"
    );
    // A [list] key hiding the global quit counts as taking it away.
    let err = refusal("[global]\n\":\" = \"none\"\n[list]\n\"q\" = \"open\"\n");
    assert!(err.starts_with("keymap.toml:4: "), "{err}");
    // The command line without a key to run what is typed is no way out either.
    let err = refusal("[global]\n\"q\" = \"none\"\n[prompt]\n\"enter\" = \"none\"\n");
    assert!(err.starts_with("keymap.toml:4: "), "{err}");
}

#[test]
fn quit_may_move_or_go_through_the_command_line() {
    let map = user(
        "default",
        "[global]\n\"q\" = \"none\"\n\"ctrl-x\" = \"quit\"\n",
    )
    .unwrap();
    assert_eq!(action(&map, Context::List, "ctrl-x"), Some(Action::Quit));
    assert_eq!(action(&map, Context::List, "q"), None);
    // Without a quit key, `:` then `quit` still closes the console.
    let map = user("default", "[global]\n\"q\" = \"none\"\n").unwrap();
    assert_eq!(action(&map, Context::List, ":"), Some(Action::CommandLine));
}

/// A keymap file as people write them: maybe an `extends`, then tables of keys bound to
/// actions (most of them real, some not), with now and then a broken line or any text at all.
fn keymap_text() -> impl Strategy<Value = String> {
    let pick = |from: &[&'static str]| prop::sample::select(from.to_vec()).prop_map(String::from);
    let extends = prop::option::of(pick(&[
        "extends = \"vim\"",
        "extends = \"default\"",
        "extends = \"nope\"",
        "extends = 3",
    ]));
    let key = prop_oneof![
        pick(&[
            "q", ":", "j", "g", "g g", "G", "shift-g", "enter", "esc", "ctrl-x", "f5", "?"
        ]),
        "[a-z]{1,3}",
    ];
    let binding = (
        key,
        pick(&[
            "quit",
            "none",
            "command_line",
            "submit",
            "down",
            "top",
            "nope",
        ]),
    )
        .prop_map(|(k, a)| format!("\"{k}\" = \"{a}\""));
    let broken = pick(&[
        "[list",
        "x = ",
        "\"q\" = { desc = \"d\" }",
        "\"q\" = { action = \"quit\", size = 2 }",
        "list.x = \"open\"",
        "# a comment",
    ]);
    let line = prop_oneof![8 => binding, 1 => broken, 1 => any::<String>()];
    let table = pick(&["[global]", "[list]", "[detail]", "[prompt]", "[lsit]"]);
    let tables = prop::collection::vec((table, prop::collection::vec(line, 0..5)), 0..4);
    (extends, tables).prop_map(|(extends, tables)| {
        let mut lines: Vec<String> = extends.into_iter().collect();
        for (table, entries) in tables {
            lines.push(table);
            lines.extend(entries);
        }
        lines.join("\n")
    })
}

fn refusal_names_a_line(text: &str, result: Result<Keymap, KeymapError>) {
    let lines = text.lines().count().max(1);
    match result {
        Ok(map) => assert!(user::can_quit(&map), "loaded without a way to quit"),
        Err(KeymapError::Invalid {
            file,
            line,
            message,
        }) => {
            assert_eq!(file, FILE);
            assert!(
                (1..=lines).contains(&line),
                "line {line} of {lines}: {message}"
            );
            assert!(
                !message.trim().is_empty() && !message.contains('\n'),
                "{message:?}"
            );
        }
        Err(e) => panic!("refused without a line: {e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_loads_or_is_refused_naming_one_of_its_lines(text in any::<String>()) {
        for preset in ["default", "vim"] {
            refusal_names_a_line(&text, user(preset, &text));
        }
    }

    #[test]
    fn any_keymap_file_loads_or_is_refused_naming_one_of_its_lines(text in keymap_text()) {
        for preset in ["default", "vim"] {
            refusal_names_a_line(&text, user(preset, &text));
        }
    }
}
