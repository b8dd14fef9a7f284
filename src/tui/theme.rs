//! Colours: the 16 named ANSI colours, or monochrome under NO_COLOR (selection and focus still
//! show, through reverse and bold).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub mono: bool,
}

impl Theme {
    /// Monochrome when `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Theme {
        let mono = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { mono }
    }
    fn fg(&self, c: Color) -> Style {
        if self.mono {
            Style::default()
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
