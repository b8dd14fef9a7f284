//! Key chords as keymap files write them (`ctrl-x`, `shift-tab`, `G`, `f5`) and as crossterm
//! reports them, normalised so both compare equal.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::fmt;

/// One key with its modifiers. Characters carry their case; SHIFT is dropped for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Chord {
        normalise(code, mods)
    }

    /// The chord of a key press; `None` for releases and repeats of non-press kinds.
    pub fn from_event(ev: &KeyEvent) -> Option<Chord> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        Some(normalise(ev.code, ev.modifiers))
    }

    /// Parses one chord: `ctrl-x`, `alt-x`, `shift-tab`, `enter`, `G`, `f5`, `?`, `-`.
    pub fn parse(text: &str) -> Option<Chord> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                break; // `ctrl-` alone is not a key; `-` after a modifier is handled below
            }
            mods |= m;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            (Some(_), Some(_)) => named(&rest.to_ascii_lowercase())?,
            (None, _) => return None,
        };
        if code == KeyCode::Tab && mods.contains(KeyModifiers::SHIFT) {
            return Some(Chord::new(KeyCode::BackTab, mods - KeyModifiers::SHIFT));
        }
        Some(Chord::new(code, mods))
    }
}

fn named(name: &str) -> Option<KeyCode> {
    Some(match name {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        "minus" => KeyCode::Char('-'),
        f if f.starts_with('f') => {
            let n: u8 = f[1..].parse().ok()?;
            if !(1..=24).contains(&n) {
                return None;
            }
            KeyCode::F(n)
        }
        _ => return None,
    })
}

fn normalise(code: KeyCode, mods: KeyModifiers) -> Chord {
    let keep = KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT;
    let mut mods = mods & keep;
    let code = match code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => {
            mods -= KeyModifiers::SHIFT;
            KeyCode::Char(if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c
            })
        }
        KeyCode::BackTab => {
            mods -= KeyModifiers::SHIFT;
            KeyCode::BackTab
        }
        other => other,
    };
    Chord { code, mods }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Parses a sequence: chords separated by spaces (`g g`).
pub fn parse_sequence(text: &str) -> Option<Vec<Chord>> {
    let seq: Option<Vec<Chord>> = text.split_whitespace().map(Chord::parse).collect();
    seq.filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> Chord {
        Chord::from_event(&KeyEvent::new(code, mods)).unwrap()
    }

    #[test]
    fn parsed_keys_equal_terminal_events() {
        assert_eq!(
            Chord::parse("G"),
            Some(ev(KeyCode::Char('G'), KeyModifiers::SHIFT))
        );
        assert_eq!(
            Chord::parse("shift-g"),
            Some(ev(KeyCode::Char('G'), KeyModifiers::SHIFT))
        );
        assert_eq!(
            Chord::parse("shift-tab"),
            Some(ev(KeyCode::BackTab, KeyModifiers::SHIFT))
        );
        assert_eq!(
            Chord::parse("?"),
            Some(ev(KeyCode::Char('?'), KeyModifiers::SHIFT))
        );
        assert_eq!(
            Chord::parse("ctrl-l"),
            Some(ev(KeyCode::Char('l'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            Chord::parse("f5"),
            Some(ev(KeyCode::F(5), KeyModifiers::NONE))
        );
        assert_eq!(
            Chord::parse("-"),
            Some(ev(KeyCode::Char('-'), KeyModifiers::NONE))
        );
        assert_eq!(
            Chord::parse("alt--"),
            Some(ev(KeyCode::Char('-'), KeyModifiers::ALT))
        );
        assert_ne!(Chord::parse("g"), Chord::parse("G"));
    }

    #[test]
    fn bad_keys_are_refused() {
        for bad in ["", "ctrl-", "enterr", "f99", "hyper-x", "ctrl-foo"] {
            assert_eq!(Chord::parse(bad), None, "{bad}");
        }
        assert_eq!(parse_sequence("g g").map(|s| s.len()), Some(2));
        assert_eq!(parse_sequence("g nope"), None);
    }

    #[test]
    fn display_round_trips() {
        for k in [
            "ctrl-x",
            "alt-x",
            "shift-tab",
            "enter",
            "esc",
            "f5",
            "G",
            "pagedown",
            "?",
        ] {
            assert_eq!(Chord::parse(k).unwrap().to_string(), k);
        }
    }
}
