//! Colours: the 16 named ANSI colours; 24-bit ones only where `COLORTERM` says the terminal
//! takes them (`truecolor`, `24bit`); monochrome under NO_COLOR (selection and focus still
//! show, through reverse, bold and the ▸ marks).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub mono: bool,
    /// 24-bit colours (only when `COLORTERM` is `truecolor` or `24bit`).
    pub truecolor: bool,
}

impl Theme {
    /// The 16 named colours.
    pub const fn named() -> Theme {
        Theme {
            mono: false,
            truecolor: false,
        }
    }

    /// Monochrome when `NO_COLOR` is set to anything non-empty; 24-bit colours when
    /// `COLORTERM` says so; else the 16 named colours.
    pub fn from_env() -> Theme {
        Theme::from_vars(
            std::env::var("NO_COLOR").ok().as_deref(),
            std::env::var("COLORTERM").ok().as_deref(),
        )
    }

    pub fn from_vars(no_color: Option<&str>, colorterm: Option<&str>) -> Theme {
        let mono = no_color.is_some_and(|v| !v.is_empty());
        let truecolor = !mono
            && colorterm.is_some_and(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "truecolor" || v == "24bit"
            });
        Theme { mono, truecolor }
    }

    fn fg(&self, c: Color) -> Style {
        if self.mono {
            Style::default()
        } else if self.truecolor {
            Style::default().fg(rgb(c))
        } else {
            Style::default().fg(c)
        }
    }
    pub fn base(&self) -> Style {
        Style::default()
    }
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().add_modifier(Modifier::UNDERLINED)
        }
    }
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }
    pub fn title(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        }
    }
    pub fn header(&self) -> Style {
        self.fg(Color::White).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::DIM)
        } else {
            self.fg(Color::DarkGray)
        }
    }
    pub fn failed(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn needs_action(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn test_order(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::ITALIC)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn running(&self) -> Style {
        self.fg(Color::Yellow)
    }
}

/// The 24-bit shade used for a named colour (softer than most terminals' defaults).
fn rgb(c: Color) -> Color {
    match c {
        Color::Cyan => Color::Rgb(0x5f, 0xaf, 0xd7),
        Color::DarkGray => Color::Rgb(0x80, 0x80, 0x80),
        Color::White => Color::Rgb(0xee, 0xee, 0xee),
        Color::Red => Color::Rgb(0xe0, 0x5a, 0x4f),
        Color::Yellow => Color::Rgb(0xe8, 0xb0, 0x3a),
        Color::Green => Color::Rgb(0x6a, 0xb8, 0x5a),
        Color::Magenta => Color::Rgb(0xc0, 0x7a, 0xd0),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truecolor_only_when_colorterm_says_so() {
        for (no_color, colorterm, mono, truecolor) in [
            (None, None, false, false),
            (None, Some("truecolor"), false, true),
            (None, Some("24bit"), false, true),
            (None, Some("TrueColor"), false, true),
            (None, Some("256color"), false, false),
            (None, Some(""), false, false),
            (Some("1"), Some("truecolor"), true, false),
            (Some(""), None, false, false),
        ] {
            let t = Theme::from_vars(no_color, colorterm);
            assert_eq!(
                (t.mono, t.truecolor),
                (mono, truecolor),
                "{no_color:?} {colorterm:?}"
            );
        }
        let named = Theme::named();
        let named_colour = |s: Style| !matches!(s.fg, Some(Color::Rgb(..)));
        for s in [named.border(true), named.dim(), named.failed(), named.key()] {
            assert!(named_colour(s), "{s:?}");
            assert!(s.fg.is_some());
        }
        let tc = Theme::from_vars(None, Some("truecolor"));
        assert!(matches!(tc.border(true).fg, Some(Color::Rgb(..))));
        let mono = Theme::from_vars(Some("1"), Some("truecolor"));
        assert_eq!(mono.failed().fg, None);
        assert!(
            mono.selected(true)
                .add_modifier
                .contains(Modifier::REVERSED)
        );
    }
}
