//! Drawing: a pure function of the app state onto a frame.

mod chrome;
pub mod detail;
mod duplicates;
mod errors;
pub mod help;
mod invoices;
pub mod layout;
mod manifests;
pub mod modal;
mod pending;
mod pictures;
mod prompt;
mod run_detail;
mod sync_log;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_catalog;
#[cfg(test)]
mod tests_duplicates;
#[cfg(test)]
mod tests_footer;
#[cfg(test)]
mod tests_forms;
#[cfg(test)]
mod tests_manifests;
#[cfg(test)]
mod tests_pictures;

use super::app::{App, Pane, View};
use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if layout::too_small(area) {
        let text = format!(
            "orderdesk needs at least {}x{} (this one is {}x{})",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT,
            area.width,
            area.height
        );
        let y = area.height / 2;
        let line = ratatui::layout::Rect::new(area.x, area.y + y, area.width, 1.min(area.height));
        f.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            line,
        );
        return;
    }
    let areas = layout::main_areas(area);
    chrome::header(f, areas.header, app);
    match &app.view {
        View::Main => {
            pending::draw(f, areas.pending, app, app.focus == Pane::Pending);
            sync_log::draw(f, areas.sync, app, app.focus == Pane::SyncLog);
            errors::draw(f, areas.errors, app, app.focus == Pane::Errors);
        }
        _ => {
            let (title, lines, scroll) = detail_content(app);
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(app.settings.theme.border(true))
                .title(title);
            let p = Paragraph::new(lines)
                .block(block)
                .scroll((scroll.min(u16::MAX as usize) as u16, 0));
            f.render_widget(p, areas.body);
        }
    }
    chrome::footer(f, areas.footer, app);
    if !app.modals.is_empty() {
        let over = ratatui::layout::Rect::new(area.x, areas.body.y, area.width, areas.body.height);
        modal::draw(f, over, app);
    }
    prompt::draw(f, area, app);
    if app.help.is_some() {
        help::draw(f, area, app);
    }
}

fn detail_content(app: &App) -> (String, Vec<ratatui::text::Line<'static>>, usize) {
    match &app.view {
        View::Order { detail, scroll, .. } => match detail {
            Some(d) => (
                format!(
                    " Order {} — {} ",
                    d.order.display_name(),
                    d.order.reference()
                ),
                detail::order_lines(d, &app.settings, app.size.0.saturating_sub(2)),
                *scroll,
            ),
            None => (" Order ".to_string(), vec!["Loading…".into()], 0),
        },
        View::Run { id, run, scroll } => match run {
            Some(r) => (
                format!(" Sync run {} — {} ", r.id, r.store),
                run_detail::lines(r, &app.settings),
                *scroll,
            ),
            None => (format!(" Sync run {id} "), vec!["Loading…".into()], 0),
        },
        View::Manifests { sel } => {
            let (title, lines) = manifests::list(app, *sel);
            // The cursor stays on screen.
            let rows = app.size.1.saturating_sub(6) as usize;
            (title, lines, (sel + 2).saturating_sub(rows))
        }
        View::Manifest { id, detail, scroll } => match detail {
            Some(d) => {
                let (title, lines) = manifests::detail(app, d);
                (title, lines, *scroll)
            }
            None => (format!(" Manifest {id} "), vec!["Loading…".into()], 0),
        },
        View::Invoices { sel } => {
            let (title, lines) = invoices::list(app, *sel, app.size.0.saturating_sub(2));
            let rows = app.size.1.saturating_sub(6) as usize;
            (title, lines, (sel + 2).saturating_sub(rows))
        }
        View::Duplicates { sel } => {
            let (title, lines) = duplicates::list(app, *sel, app.size.0.saturating_sub(2));
            let rows = app.size.1.saturating_sub(6) as usize;
            (title, lines, (sel + 2).saturating_sub(rows))
        }
        View::Main => (String::new(), Vec::new(), 0),
    }
}

/// Lines of the open detail view (for scrolling limits).
pub fn detail_line_count(app: &App) -> usize {
    detail_content(app).1.len()
}

/// A one-column gutter left of a list with `▸` at the selected row (`▹` when the pane is not
/// focused), so the selection shows without colour and in plain-text captures. Returns the
/// area left for the list. `row` is the selected row's index on screen, below `header` rows.
pub(crate) fn gutter(
    f: &mut Frame,
    inner: ratatui::layout::Rect,
    header: u16,
    row: Option<usize>,
    focused: bool,
) -> ratatui::layout::Rect {
    if inner.width < 2 {
        return inner;
    }
    if let Some(r) = row {
        let y = inner.y + header + r as u16;
        if y < inner.y + inner.height {
            let mark = if focused { "▸" } else { "▹" };
            f.render_widget(
                Paragraph::new(mark),
                ratatui::layout::Rect::new(inner.x, y, 1, 1),
            );
        }
    }
    ratatui::layout::Rect::new(inner.x + 1, inner.y, inner.width - 1, inner.height)
}

/// A bordered pane with its title; the focused one stands out. Returns the inside.
pub(crate) fn pane(
    f: &mut Frame,
    area: ratatui::layout::Rect,
    title: String,
    t: &crate::tui::theme::Theme,
    focused: bool,
) -> ratatui::layout::Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(focused))
        .title(ratatui::text::Span::styled(title, t.title(focused)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    inner
}
