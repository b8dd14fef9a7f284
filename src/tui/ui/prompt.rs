//! The filter line (`/`) and the command line (`:`) at the bottom of the screen: the text on
//! the line above the footer, an error or a hint under it, suggestions above it.

use super::chrome::first_key;
use crate::tui::action::Action;
use crate::tui::app::prompt::SHOWN;
use crate::tui::app::{App, PromptKind};
use crate::tui::format::{pad, truncate};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let Some(p) = &app.prompt else {
        return;
    };
    if area.height < 4 {
        return;
    }
    let t = &app.settings.theme;
    let input_row = Rect::new(area.x, area.y + area.height - 2, area.width, 1);
    let under = Rect::new(area.x, area.y + area.height - 1, area.width, 1);

    if p.kind == PromptKind::Command && !p.suggestions.is_empty() {
        let n = p.suggestions.len().min(SHOWN);
        let h = n as u16 + 1;
        let top = input_row.y.saturating_sub(h);
        let list_area = Rect::new(area.x, top, area.width, h);
        f.render_widget(Clear, list_area);
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(t.border(true))
            .title(Span::styled(" Commands ", t.title(true)));
        let inner = block.inner(list_area);
        f.render_widget(block, list_area);
        // Keep the selection in view.
        let first = p.sel.saturating_sub(n - 1);
        let w = inner.width as usize;
        let lines: Vec<Line> = p
            .suggestions
            .iter()
            .enumerate()
            .skip(first)
            .take(n)
            .map(|(i, s)| {
                let mark = if i == p.sel { "▸" } else { " " };
                let text = format!("{mark}{} {} {}", pad(&s.name, 18), pad(&s.keys, 12), s.desc);
                let line = Line::from(truncate(&text, w));
                if i == p.sel {
                    line.style(t.selected(true))
                } else {
                    line
                }
            })
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }

    f.render_widget(Clear, input_row);
    f.render_widget(Clear, under);
    let lead = match p.kind {
        PromptKind::Filter => "/",
        PromptKind::Command => ":",
    };
    let room = (area.width as usize).saturating_sub(2);
    let cursor = p.input.visual_cursor();
    let scroll = cursor.saturating_sub(room);
    let text: String = p.input.value().chars().skip(scroll).collect();
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(lead, t.key()),
            Span::raw(text),
        ])),
        input_row,
    );
    let x = input_row.x + 1 + (cursor - scroll) as u16;
    f.set_cursor_position(Position::new(
        x.min(input_row.x + input_row.width - 1),
        input_row.y,
    ));
    let line = match (&p.error, &p.hint) {
        (Some(e), _) => Span::styled(format!(" {e}"), t.failed()),
        (None, Some(h)) => Span::styled(format!(" {h}"), t.dim()),
        (None, None) => Span::styled(keys_line(app, p.kind), t.dim()),
    };
    f.render_widget(Paragraph::new(line), under);
}

/// What the prompt's keys do, with the keys the keymap gives them.
fn keys_line(app: &App, kind: PromptKind) -> String {
    let says: &[(&[Action], &str)] = match kind {
        PromptKind::Filter => &[
            (&[Action::Submit], "keep the filter"),
            (&[Action::Cancel], "clear it"),
            (&[Action::Up, Action::Down], "move in the list"),
        ],
        PromptKind::Command => &[
            (&[Action::Submit], "run"),
            (&[Action::Up, Action::Down], "choose"),
            (&[Action::Cancel], "close"),
        ],
    };
    let mut line = String::new();
    for (actions, what) in says {
        let keys: Vec<String> = actions.iter().filter_map(|a| first_key(app, *a)).collect();
        if !keys.is_empty() {
            line.push_str(&format!(" {}: {what}  ", keys.join("/")));
        }
    }
    line.trim_end().to_string()
}
