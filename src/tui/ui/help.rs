//! The help overlay, generated from the keymap: the keys of what is under it, then the
//! keys that work everywhere.

use super::chrome::key_label;
use super::layout::centered;
use crate::tui::app::App;
use crate::tui::format::pad;
use crate::tui::keymap::{Binding, Context};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

fn section(app: &App, title: &str, bindings: &[Binding], out: &mut Vec<Line<'static>>) {
    let t = &app.settings.theme;
    out.push(Line::styled(title.to_string(), t.header()));
    // One line per (action, description), its keys together.
    let mut rows: Vec<(Vec<String>, String)> = Vec::new();
    for b in bindings {
        match rows.iter_mut().find(|(_, d)| *d == b.desc) {
            Some((keys, _)) => keys.push(key_label(b)),
            None => rows.push((vec![key_label(b)], b.desc.clone())),
        }
    }
    for (keys, desc) in rows {
        out.push(Line::from(format!("  {} {desc}", pad(&keys.join(" "), 22))));
    }
    out.push(Line::from(""));
}

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for ctx in app.modal_contexts() {
        let title = match ctx {
            Context::Picker => "In this list",
            Context::Confirm => "In this question",
            _ if app.modal_contexts().len() > 1 => "In its search field",
            _ => "In this form",
        };
        section(app, title, app.keymap.bindings(ctx), &mut out);
    }
    if !app.modals.is_empty() {
        out.push(Line::from(
            "A text field takes every other key: letters, ←/→, backspace, home/end, ctrl-w, ctrl-u.",
        ));
        out.push(Line::from(""));
    }
    let under = app.body_context();
    let title = match under {
        Context::List => "In the lists",
        Context::Manifests => "In the Manifests view",
        Context::Invoices => "In the Invoices view",
        Context::Duplicates => "In the Duplicates view",
        _ => "In a detail view",
    };
    section(app, title, app.keymap.bindings(under), &mut out);
    section(
        app,
        "Everywhere",
        app.keymap.bindings(Context::Global),
        &mut out,
    );
    section(
        app,
        "In this help",
        app.keymap.bindings(Context::Help),
        &mut out,
    );
    out.push(Line::from(
        "Your own keys: $XDG_CONFIG_HOME/orderdesk/keymap.toml",
    ));
    out.push(Line::from(format!(
        "Log file: {}",
        app.settings.log_file.display()
    )));
    out
}

/// The box on a screen of `area`: 64 wide, two rows clear above and below.
fn box_area(area: Rect) -> Rect {
    centered(area, 64, area.height.saturating_sub(4))
}

/// How far the help scrolls: to where its last line is at the bottom of the box.
pub fn max_scroll(app: &App) -> usize {
    let (w, h) = app.size;
    let inside = box_area(Rect::new(0, 0, w, h)).height.saturating_sub(2);
    lines(app).len().saturating_sub(inside.max(1) as usize)
}

pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let box_area = box_area(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.settings.theme.border(true))
        .title(" Help — keys ");
    // Clamped here too: a taller screen shows more of it.
    let scroll = app
        .help
        .unwrap_or(0)
        .min(max_scroll(app))
        .min(u16::MAX as usize) as u16;
    f.render_widget(Clear, box_area);
    f.render_widget(
        Paragraph::new(lines(app)).block(block).scroll((scroll, 0)),
        box_area,
    );
}
