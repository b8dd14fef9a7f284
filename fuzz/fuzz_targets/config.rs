//! `orderdesk.toml` as `Config::load` reads it (after reading the file as UTF-8): TOML, unknown
//! keys, every store option; an error must name a line of the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderdesk::config::{Config, ConfigError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Any variable is set except `UNSET`, whose value is the variable's name.
    let env = |name: &str| (name != "UNSET").then(|| name.to_string());
    match Config::parse("orderdesk.toml", text, env) {
        Ok(cfg) => {
            let _ = cfg.settings();
        }
        Err(ConfigError::At { line, .. }) => {
            let lines = text.split('\n').count();
            assert!(line >= 1 && line <= lines, "line {line} of {lines}");
        }
        Err(ConfigError::File { .. }) => {}
    }
});
