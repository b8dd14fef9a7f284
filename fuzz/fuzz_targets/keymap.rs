//! A user keymap file applied over each preset, as `load_keymap` does once the file is read:
//! TOML, contexts, key sequences, actions, overlaps. An error must name a line of the file;
//! every binding of a loaded keymap must be found again by its keys.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderdesk::tui::keymap::{Context, KeymapError, apply_user_keymap, keys};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for preset in ["default", "vim"] {
        match apply_user_keymap(preset, "keymap.toml", text) {
            Ok(map) => {
                for ctx in Context::ALL {
                    for b in map.bindings(ctx) {
                        assert!(map.lookup(&[ctx], &b.keys).is_some(), "{}", b.key_text());
                        let _ = keys::parse_sequence(&b.key_text());
                    }
                }
            }
            Err(KeymapError::Invalid { line, .. }) => {
                let lines = text.split('\n').count();
                assert!(line >= 1 && line <= lines, "line {line} of {lines}");
            }
            Err(_) => {}
        }
    }
});
