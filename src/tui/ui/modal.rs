//! Drawing the modal stack over the panes: forms, pickers and confirmations. Every modal is
//! drawn (bottom first), so a confirmation shows what it stands before.

use super::chrome::key_label;
use super::layout::centered;
use crate::domain::lifecycle::refusal;
use crate::tui::action::Action;
use crate::tui::app::modal::{Confirm, Field, FieldKind, Form, Picker, PickerKind};
use crate::tui::app::{App, ModalBody};
use crate::tui::format::{money, pad, pad_left, truncate};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

const LABEL: usize = 16;

pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let n = app.modals.len();
    for (i, m) in app.modals.iter().enumerate() {
        let top = i + 1 == n && app.help.is_none();
        match &m.body {
            ModalBody::Form(form) => draw_form(f, area, app, form, top),
            ModalBody::Picker(p) => draw_picker(f, area, app, p, top),
            ModalBody::Confirm(c) => draw_confirm(f, area, app, c),
        }
    }
}

fn frame(f: &mut Frame, t: &Theme, area: Rect, title: &str) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(true))
        .title(Span::styled(title.to_string(), t.title(true)));
    let inner = block.inner(area);
    f.render_widget(Clear, area);
    f.render_widget(block, area);
    inner
}

/// One field's row: the focus mark, its label and its value; the cursor when it has focus.
fn field_row(f: &mut Frame, t: &Theme, row: Rect, field: &Field, focused: bool, cursor: bool) {
    let mark = if focused { "▸ " } else { "  " };
    let label = format!("{mark}{}", pad(&field.label, LABEL));
    let lw = (label.chars().count() as u16).min(row.width);
    f.render_widget(
        Paragraph::new(Span::styled(label, t.title(focused))),
        Rect::new(row.x, row.y, lw, 1),
    );
    let value = Rect::new(row.x + lw, row.y, row.width.saturating_sub(lw + 1), 1);
    let style = if focused { t.key() } else { t.base() };
    match &field.kind {
        FieldKind::Text(input) => {
            // Selected text (a prefilled search) shows reversed: typing replaces it.
            let style = if field.selected() {
                style.patch(t.selected(true))
            } else {
                style
            };
            let w = value.width as usize;
            let scroll = input.visual_scroll(w.max(1));
            f.render_widget(
                Paragraph::new(Span::styled(input.value().to_string(), style))
                    .scroll((0, scroll as u16)),
                value,
            );
            if cursor {
                let x = value.x + (input.visual_cursor().saturating_sub(scroll)) as u16;
                f.set_cursor_position(Position::new(x.min(value.x + value.width), value.y));
            }
        }
        FieldKind::Choice { options, sel } => {
            let text = format!(
                "◂ {} ▸  ({} of {})",
                options.get(*sel).map(String::as_str).unwrap_or("—"),
                sel + 1,
                options.len()
            );
            f.render_widget(Paragraph::new(Span::styled(text, style)), value);
        }
    }
}

fn error_line(t: &Theme, text: &str) -> Line<'static> {
    Line::from(vec![
        Span::raw(" ".repeat(LABEL + 2)),
        Span::styled(format!("✗ {text}"), t.failed()),
    ])
}

fn form_height(form: &Form) -> u16 {
    let errors = form.fields.iter().filter(|f| f.error.is_some()).count();
    let extra = usize::from(form.error.is_some()) + usize::from(form.busy);
    (form.intro.len() + 1 + form.fields.len() + errors + 1 + extra + 2) as u16
}

fn draw_form(f: &mut Frame, area: Rect, app: &App, form: &Form, top: bool) {
    let t = &app.settings.theme;
    let width = area.width.saturating_sub(4).min(76);
    let area = centered(area, width, form_height(form));
    let inner = frame(f, t, area, &form.title);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    let line = |f: &mut Frame, l: Line<'static>, y: &mut u16| {
        if *y < bottom {
            f.render_widget(Paragraph::new(l), Rect::new(inner.x, *y, inner.width, 1));
            *y += 1;
        }
    };
    for text in &form.intro {
        line(f, Line::styled(format!(" {text}"), t.dim()), &mut y);
    }
    y += 1;
    for (i, field) in form.fields.iter().enumerate() {
        if y >= bottom {
            break;
        }
        let focused = i == form.focus;
        let row = Rect::new(inner.x, y, inner.width, 1);
        field_row(f, t, row, field, focused, top && focused && !form.busy);
        y += 1;
        if let Some(e) = &field.error {
            line(f, error_line(t, e), &mut y);
        }
    }
    y += 1;
    if let Some(e) = &form.error {
        line(f, Line::styled(format!(" ✗ {e}"), t.failed()), &mut y);
    }
    if form.busy {
        line(f, Line::styled(" saving…", t.running()), &mut y);
    }
}

fn draw_picker(f: &mut Frame, area: Rect, app: &App, p: &Picker, top: bool) {
    let t = &app.settings.theme;
    let (width, height) = match &p.kind {
        // Border 2, intro and gap 2, the status line and its gap 2.
        PickerKind::Status { targets, .. } => (60, targets.len() as u16 + 6),
        _ => (
            area.width.saturating_sub(4).min(110),
            area.height.saturating_sub(4).min(24),
        ),
    };
    let area = centered(area, width, height);
    let inner = frame(f, t, area, &p.title);
    let w = inner.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    match &p.kind {
        PickerKind::Products { lines: ls, at, .. } => {
            let l = &ls[*at];
            let sku = if l.sku.is_empty() { "no SKU" } else { &l.sku };
            lines.push(Line::styled(
                truncate(
                    &format!(
                        " Line {} ({} of {} to fix): {sku} · {} · {}",
                        l.line,
                        at + 1,
                        ls.len(),
                        l.name,
                        money(l.price)
                    ),
                    w,
                ),
                t.header(),
            ));
            lines.push(Line::styled(
                truncate(&format!(" {}", l.why), w),
                t.needs_action(),
            ));
        }
        PickerKind::Status { order, .. } => {
            lines.push(Line::styled(
                format!(
                    " {} is {} · move it to:",
                    order.display_name(),
                    order.state.label()
                ),
                t.dim(),
            ));
        }
        PickerKind::Customers { .. } => {}
    }
    let search_y = inner.y + lines.len() as u16;
    if p.query.is_some() {
        lines.push(Line::from("")); // the search field's row, drawn below
    }
    lines.push(Line::from(""));
    let (header, rows) = picker_rows(p, w.saturating_sub(2));
    if let Some(h) = header {
        lines.push(Line::styled(format!("  {h}"), t.dim()));
    }
    let list_top = lines.len();
    let room = (inner.height as usize).saturating_sub(list_top + 2).max(1);
    let offset = p.sel.saturating_sub(room - 1);
    for (i, r) in rows.iter().enumerate().skip(offset).take(room) {
        let sel = i == p.sel;
        let mark = if sel { "▸ " } else { "  " };
        let style = if sel { t.selected(true) } else { t.base() };
        lines.push(Line::from(vec![
            Span::raw(mark),
            Span::styled(r.clone(), style),
        ]));
    }
    let status = if p.busy {
        Some(Line::styled(" saving…".to_string(), t.running()))
    } else if let Some(e) = &p.error {
        Some(Line::styled(format!(" ✗ {e}"), t.failed()))
    } else if p.query.is_some() && p.searching {
        Some(Line::styled(" searching…".to_string(), t.running()))
    } else if p.query.is_some() && rows.is_empty() {
        Some(Line::styled(" nothing found".to_string(), t.needs_action()))
    } else if p.query.is_some() {
        Some(Line::styled(format!(" {} found", rows.len()), t.dim()))
    } else {
        None
    };
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if let Some(s) = status {
        let y = inner.y + inner.height.saturating_sub(1);
        f.render_widget(Paragraph::new(s), Rect::new(inner.x, y, inner.width, 1));
    }
    if let Some(q) = &p.query {
        let row = Rect::new(inner.x, search_y, inner.width, 1);
        field_row(f, t, row, q, true, top && !p.busy);
    }
}

/// The picker's column header and one text per row.
fn picker_rows(p: &Picker, w: usize) -> (Option<String>, Vec<String>) {
    match &p.kind {
        PickerKind::Customers { results, .. } => {
            let (nw, ew, pw) = if w >= 100 { (28, 32, 17) } else { (22, 26, 13) };
            let cw = w.saturating_sub(nw + ew + pw + 3);
            let header = format!(
                "{} {} {} {}",
                pad("Name", nw),
                pad("Email", ew),
                pad("Phone", pw),
                pad("City", cw)
            );
            let rows = results
                .iter()
                .map(|c| {
                    let name = format!("{} {}", c.first_name, c.last_name);
                    let row = format!(
                        "{} {} {} {}",
                        pad(name.trim(), nw),
                        pad(c.email.as_deref().unwrap_or("—"), ew),
                        pad(c.phone.as_deref().unwrap_or("—"), pw),
                        pad(&c.city, cw)
                    );
                    truncate(&row, w)
                })
                .collect();
            (Some(truncate(&header, w)), rows)
        }
        PickerKind::Products { results, .. } => {
            let name_w = w.saturating_sub(18 + 11 + 7 + 3).max(10);
            let header = format!(
                "{} {} {} {}",
                pad("SKU", 18),
                pad("Name", name_w),
                pad_left("Price", 11),
                pad_left("Stock", 7)
            );
            let rows = results
                .iter()
                .map(|p| {
                    format!(
                        "{} {} {} {}",
                        pad(&p.sku, 18),
                        pad(&p.name, name_w),
                        pad_left(&money(p.price), 11),
                        pad_left(&p.stock.to_string(), 7)
                    )
                })
                .map(|r| truncate(&r, w))
                .collect();
            (Some(truncate(&header, w)), rows)
        }
        PickerKind::Status { order, targets } => {
            let rows = targets
                .iter()
                .map(|s| {
                    let change = match s {
                        crate::domain::OrderState::Completed => {
                            refusal(order, &crate::domain::lifecycle::StatusChange::Completed)
                        }
                        _ => None,
                    };
                    match change {
                        Some(_) => format!("{}  (not paid in full)", s.label()),
                        None => s.label().to_string(),
                    }
                })
                .collect();
            (None, rows)
        }
    }
}

fn draw_confirm(f: &mut Frame, area: Rect, app: &App, c: &Confirm) {
    let t = &app.settings.theme;
    let width = area.width.saturating_sub(8).min(66);
    // Each line may wrap: room for all of it, and for the keys below.
    let text_w = width.saturating_sub(3).max(1) as usize;
    let rows: usize = c
        .lines
        .iter()
        .map(|l| crate::tui::format::width(l).div_ceil(text_w).max(1))
        .sum();
    let area = centered(area, width, rows as u16 + 4);
    let inner = frame(f, t, area, &c.title);
    let mut lines: Vec<Line<'static>> = c
        .lines
        .iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    lines.push(Line::from(""));
    let mut keys = vec![Span::raw(" ")];
    let report = matches!(c.on_yes, crate::tui::app::modal::OnYes::Close);
    for (action, fallback) in [(Action::Confirm, "yes"), (Action::Cancel, "no")] {
        let bound: Vec<String> = app
            .keymap
            .bindings(Context::Confirm)
            .iter()
            .filter(|b| b.action == action)
            .map(key_label)
            .collect();
        let desc = app
            .keymap
            .bindings(Context::Confirm)
            .iter()
            .find(|b| b.action == action)
            .map(|b| b.desc.clone())
            .unwrap_or_else(|| fallback.into());
        // A report has nothing to decide: either key closes it.
        let desc = if report { "close".to_string() } else { desc };
        keys.push(Span::styled(bound.join("/"), t.key()));
        keys.push(Span::raw(format!(" {desc}   ")));
    }
    lines.push(Line::from(keys));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
