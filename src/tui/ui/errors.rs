//! The Errors pane: the open problems (not history), newest first.

use crate::engine::ProblemKind;
use crate::tui::app::App;
use crate::tui::format::pad;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn kind_label(k: ProblemKind) -> &'static str {
    match k {
        ProblemKind::StoreFailed => "store",
        ProblemKind::Unreadable => "unreadable",
        ProblemKind::Parked => "parked",
        ProblemKind::Rejected => "rejected",
        ProblemKind::Oversold => "oversold",
        ProblemKind::Conflict => "conflict",
        ProblemKind::OutboxFailed => "not sent",
    }
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, focused: bool) {
    let t = &app.settings.theme;
    let w = &app.problems;
    let title = if w.total() == 0 {
        " Errors ".to_string()
    } else {
        format!(" Errors — {} open ", w.total())
    };
    let inner = super::pane(f, area, title, t, focused);

    let mut lines = Vec::new();
    if w.total() == 0 {
        lines.push(Line::from(" No open problems."));
    }
    let c = &w.cursor;
    let sel_row = (w.total() > 0 && c.sel >= c.offset).then(|| c.sel - c.offset);
    let inner = super::gutter(f, inner, 0, sel_row, focused);
    // With several stores an order's name alone is ambiguous (#1004 at two shops).
    let multi = app.stores.len() > 1;
    let shown = c.offset..(c.offset + inner.height as usize).min(w.total());
    for i in shown {
        // A row not loaded yet (its page is on the way).
        let Some(p) = w.get(i) else {
            lines.push(Line::from(Span::styled(" …", t.dim())));
            continue;
        };
        let kind_style: Style = match p.kind {
            ProblemKind::StoreFailed | ProblemKind::Unreadable | ProblemKind::OutboxFailed => {
                t.failed()
            }
            ProblemKind::Parked | ProblemKind::Conflict | ProblemKind::Oversold => t.needs_action(),
            ProblemKind::Rejected => t.dim(),
        };
        let mut line = Line::from(vec![
            Span::styled(pad(kind_label(p.kind), 10), kind_style),
            Span::raw(" "),
            Span::styled(
                match (multi, p.order_id) {
                    (true, Some(_)) => format!("{} {}", p.store, p.subject),
                    _ => p.subject.clone(),
                },
                t.title(true),
            ),
            Span::raw(format!(" {}", p.text)),
        ]);
        if i == c.sel {
            line = line.patch_style(t.selected(focused));
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
}
