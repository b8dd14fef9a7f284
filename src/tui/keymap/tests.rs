use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn chord(s: &str) -> Chord {
    Chord::parse(s).unwrap()
}

fn line_err(text: &str) -> (usize, String) {
    match parse("test.toml", text, true) {
        Err(KeymapError::Invalid {
            file,
            line,
            message,
        }) => {
            assert_eq!(file, "test.toml");
            (line, message)
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn presets_load_and_every_binding_has_a_desc() {
    for preset in ["default", "vim"] {
        let map = load_keymap(preset, None).unwrap();
        for ctx in [
            Context::Global,
            Context::List,
            Context::Detail,
            Context::Help,
        ] {
            assert!(!map.bindings(ctx).is_empty(), "{preset} [{}]", ctx.name());
            for b in map.bindings(ctx) {
                assert!(!b.desc.trim().is_empty(), "{preset}: {}", b.key_text());
            }
        }
    }
}

#[test]
fn presets_leave_terminal_and_tmux_keys_alone() {
    // tmux/screen prefixes, pane navigation, flow control, and the keys terminals send as
    // tab, enter and esc.
    let taken = [
        "ctrl-a", "ctrl-b", "ctrl-h", "ctrl-j", "ctrl-k", "ctrl-l", "ctrl-s", "ctrl-q", "ctrl-i",
        "ctrl-m", "ctrl-[",
    ];
    let chords: Vec<Option<Chord>> = taken.iter().map(|k| Chord::parse(k)).collect();
    for preset in ["default", "vim"] {
        let map = load_keymap(preset, None).unwrap();
        for ctx in Context::ALL {
            for b in map.bindings(ctx) {
                let k = b.key_text();
                assert!(!taken.contains(&k.as_str()), "{preset} binds {k}");
                for c in chords.iter().flatten() {
                    assert!(!b.keys.contains(c), "{preset} [{}] binds {k}", ctx.name());
                }
            }
        }
    }
}

#[test]
fn vim_has_its_keys_and_every_binding_a_desc() {
    let map = load_keymap("vim", None).unwrap();
    let act = |ctx: Context, k: &str| {
        let keys: Vec<Chord> = k.split(' ').map(chord).collect();
        map.lookup(&[ctx, Context::Global], &keys).map(|b| b.action)
    };
    for (k, a) in [
        ("h", Action::PrevPane),
        ("j", Action::Down),
        ("k", Action::Up),
        ("l", Action::Open),
        ("g g", Action::Top),
        ("G", Action::Bottom),
        ("ctrl-d", Action::PageDown),
        ("ctrl-u", Action::PageUp),
        ("/", Action::Filter),
        (":", Action::CommandLine),
    ] {
        assert_eq!(act(Context::List, k), Some(a), "[list] {k}");
    }
    for (k, a) in [
        ("h", Action::Back),
        ("j", Action::Down),
        ("k", Action::Up),
        ("g g", Action::Top),
        ("G", Action::Bottom),
        ("ctrl-d", Action::PageDown),
        ("ctrl-u", Action::PageUp),
        (":", Action::CommandLine),
    ] {
        assert_eq!(act(Context::Detail, k), Some(a), "[detail] {k}");
    }
    for k in ["g g", "G", "ctrl-d", "ctrl-u", "j", "k"] {
        assert!(act(Context::Help, k).is_some(), "[help] {k}");
    }
    let default = load_keymap("default", None).unwrap();
    for m in [&map, &default] {
        for ctx in Context::ALL {
            for b in m.bindings(ctx) {
                assert!(!b.desc.trim().is_empty(), "{}", b.key_text());
            }
        }
    }
    assert_eq!(
        default
            .lookup(&[Context::List, Context::Global], &[chord("/")])
            .map(|b| b.action),
        Some(Action::Filter)
    );
    assert_eq!(
        default
            .lookup(&[Context::Detail, Context::Global], &[chord(":")])
            .map(|b| b.action),
        Some(Action::CommandLine)
    );
}

#[test]
fn a_key_that_starts_a_sequence_names_the_line() {
    let (line, msg) = line_err(
        "[list]\n\"g g\" = { action = \"top\", desc = \"t\" }\n\"g\" = { action = \"bottom\", desc = \"b\" }\n",
    );
    assert_eq!(line, 3);
    assert!(msg.contains("overlaps \"g g\" (line 2)"), "{msg}");
    // The other way round too.
    let (line, _) = line_err(
        "[list]\n\"g\" = { action = \"bottom\", desc = \"b\" }\n\n\"g g\" = { action = \"top\", desc = \"t\" }\n",
    );
    assert_eq!(line, 4);
}

#[test]
fn a_user_key_that_starts_a_preset_sequence_names_the_user_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(&path, "extends = \"vim\"\n\n[list]\n\"g\" = \"bottom\"\n").unwrap();
    let err = load_keymap("default", Some(&path)).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}:4:", path.display())), "{err}");
    assert!(err.contains("\"g g\""), "{err}");
}

#[test]
fn default_has_the_essential_keys() {
    let map = load_keymap("default", None).unwrap();
    let list = [Context::List, Context::Global];
    let act = |k: &str| map.lookup(&list, &[chord(k)]).map(|b| b.action);
    assert_eq!(act("j"), Some(Action::Down));
    assert_eq!(act("down"), Some(Action::Down));
    assert_eq!(act("k"), Some(Action::Up));
    assert_eq!(act("enter"), Some(Action::Open));
    assert_eq!(act("tab"), Some(Action::NextPane));
    assert_eq!(act("shift-tab"), Some(Action::PrevPane));
    assert_eq!(act("q"), Some(Action::Quit));
    assert_eq!(act("?"), Some(Action::Help));
    assert_eq!(act("r"), Some(Action::Sync));
    assert_eq!(act("ctrl-r"), Some(Action::Redraw));
    assert_eq!(act("pagedown"), Some(Action::PageDown));
    assert_eq!(act("end"), Some(Action::Bottom));
    let detail = [Context::Detail, Context::Global];
    assert_eq!(
        map.lookup(&detail, &[chord("esc")]).map(|b| b.action),
        Some(Action::Back)
    );
}

#[test]
fn vim_extends_default() {
    let map = load_keymap("vim", None).unwrap();
    let list = [Context::List, Context::Global];
    assert_eq!(
        map.lookup(&list, &[chord("G")]).map(|b| b.action),
        Some(Action::Bottom)
    );
    assert_eq!(
        map.lookup(&list, &[chord("g"), chord("g")])
            .map(|b| b.action),
        Some(Action::Top)
    );
    // Still has default's keys.
    assert_eq!(
        map.lookup(&list, &[chord("down")]).map(|b| b.action),
        Some(Action::Down)
    );
}

#[test]
fn sequences_work_through_the_key_handler() {
    let map = load_keymap("vim", None).unwrap();
    let ctx = [Context::List, Context::Global];
    let mut h = KeyHandler::default();
    let g = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE);
    let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let big_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(h.feed(&map, &ctx, &g), None);
    assert_eq!(h.pending().len(), 1);
    assert_eq!(h.feed(&map, &ctx, &g), Some(Action::Top));
    assert!(h.pending().is_empty());
    // A broken sequence falls back to the key alone.
    assert_eq!(h.feed(&map, &ctx, &g), None);
    assert_eq!(h.feed(&map, &ctx, &j), Some(Action::Down));
    assert_eq!(h.feed(&map, &ctx, &big_g), Some(Action::Bottom));
    // Unbound keys do nothing.
    let z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE);
    assert_eq!(h.feed(&map, &ctx, &z), None);
    assert!(h.pending().is_empty());
}

#[test]
fn bad_action_names_the_line() {
    let (line, msg) = line_err(
        "[global]\n\"q\" = { action = \"quit\", desc = \"quit\" }\n\"x\" = { action = \"frobnicate\", desc = \"?\" }\n",
    );
    assert_eq!(line, 3);
    assert!(msg.contains("frobnicate") && msg.contains("\"x\""), "{msg}");
}

#[test]
fn bad_key_names_the_line() {
    let (line, msg) = line_err("[list]\n\n\"ctrl-nope\" = { action = \"up\", desc = \"up\" }\n");
    assert_eq!(line, 3);
    assert!(msg.contains("ctrl-nope"), "{msg}");
}

#[test]
fn duplicate_key_names_the_line() {
    // The same key written twice in different spellings.
    let (line, msg) = line_err(
        "[list]\n\"G\" = { action = \"bottom\", desc = \"b\" }\n\"shift-g\" = { action = \"top\", desc = \"t\" }\n",
    );
    assert_eq!(line, 3);
    assert!(msg.contains("shift-g") && msg.contains("line 2"), "{msg}");
    // Written identically: TOML itself refuses it, still with the line.
    let (line, _) = line_err("[list]\n\"j\" = \"down\"\n\"j\" = \"up\"\n");
    assert_eq!(line, 3);
}

#[test]
fn unknown_context_and_missing_desc_are_refused() {
    let (line, msg) = line_err("\n[lsit]\n\"j\" = { action = \"down\", desc = \"d\" }\n");
    assert_eq!(line, 2);
    assert!(msg.contains("lsit"), "{msg}");
    let (line, msg) = line_err("[list]\n\"j\" = \"down\"\n");
    assert_eq!(line, 2);
    assert!(msg.contains("desc"), "{msg}");
}

#[test]
fn unknown_preset_is_refused() {
    assert!(matches!(
        load_keymap("emacs", None),
        Err(KeymapError::UnknownPreset(_))
    ));
}

#[test]
fn user_file_changes_only_the_keys_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(
        &path,
        "[list]\n\"j\" = \"page_down\"\n\"x\" = \"open\"\n\n[global]\n\"f5\" = \"none\"\n",
    )
    .unwrap();
    let base = load_keymap("default", None).unwrap();
    let user = load_keymap("default", Some(&path)).unwrap();
    let list = [Context::List, Context::Global];
    let act = |m: &Keymap, k: &str| m.lookup(&list, &[chord(k)]).map(|b| b.action);
    assert_eq!(act(&user, "j"), Some(Action::PageDown));
    assert_eq!(act(&user, "x"), Some(Action::Open));
    assert_eq!(act(&user, "f5"), None);
    assert_eq!(act(&base, "f5"), Some(Action::Sync));
    // In the lists R retries a failed send (the Errors pane) before its global sync_all.
    assert_eq!(act(&base, "R"), Some(Action::Retry));
    // Everything else is the preset's.
    for k in ["k", "down", "up", "enter", "q", "?", "tab", "pagedown"] {
        assert_eq!(act(&user, k), act(&base, k), "{k}");
    }
    // A user error names the user's file.
    std::fs::write(&path, "[list]\n\"j\" = \"dwon\"\n").unwrap();
    let err = load_keymap("default", Some(&path)).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}:2:", path.display())), "{err}");
    assert!(err.contains("dwon"), "{err}");
}

#[test]
fn keymap_docs_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/keymaps/README.md");
    let want = keymap_docs();
    if std::env::var_os("UPDATE_KEYMAP_DOCS").is_some() {
        std::fs::write(path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "keymaps/README.md is out of date: run `UPDATE_KEYMAP_DOCS=1 cargo test keymap_docs`"
    );
    assert!(want.contains("| `/` | filter | filter (words, state:, store:, dates) |"));
    assert!(want.contains("| `g g` | top | first row |"));
}
