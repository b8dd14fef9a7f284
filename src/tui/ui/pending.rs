//! The Pending orders pane: the open orders, needing-action ones first.

use crate::tui::app::App;
use crate::tui::format::{amount, pad, pad_left};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(f: &mut Frame, area: Rect, app: &App, focused: bool) {
    let t = &app.settings.theme;
    let c = &app.counts;
    let mut title = if app.filter_text.is_empty() {
        format!(
            " Pending orders — {} need action / {} open ",
            c.needs_action(),
            c.pending()
        )
    } else {
        format!(
            " Pending orders — filter: {} — {} ",
            app.filter_text,
            matches(app)
        )
    };
    if !app.selected.is_empty() {
        title.push_str(&format!("— {} selected ", app.selected.len()));
    }
    let inner = super::pane(f, area, title, t, focused);

    let sel_row = p_sel_row(app);
    let inner = super::gutter(f, inner, 1, sel_row, focused);
    let w = inner.width as usize;
    let multi = app.stores.len() > 1;
    let order_w = if multi { 18 } else { 12 };
    let (date_w, total_w, state_w) = (16, 15, 20);
    let cust_w = w
        .saturating_sub(order_w + date_w + total_w + state_w + 4)
        .max(4);
    let mut lines = vec![Line::styled(
        format!(
            "{} {} {} {} {}",
            pad("Order", order_w),
            pad("Date", date_w),
            pad("Customer", cust_w),
            pad_left("Total", total_w),
            pad("State", state_w)
        ),
        t.dim(),
    )];

    let p = &app.pending;
    if p.rows.is_empty() {
        let text: Vec<&str> = if app.settings.configured_stores == 0 {
            vec![
                "No store is connected yet.",
                "Add a [[store]] table to orderdesk.toml (see README, \"Config\"),",
                "then start orderdesk again: orders arrive with the first sync.",
            ]
        } else if !p.loaded || (p.filter.is_some() && !p.at_end) {
            vec!["Loading…"]
        } else if p.filter.is_some() {
            vec!["No order matches the filter (esc on / clears it)."]
        } else {
            vec!["No open orders: nothing needs action."]
        };
        lines.extend(text.into_iter().map(|s| Line::from(format!(" {s}"))));
        f.render_widget(Paragraph::new(lines), inner);
        return;
    }

    let view = inner.height.saturating_sub(1) as usize;
    for (i, row) in p.rows.iter().enumerate().skip(p.offset).take(view) {
        let name = if multi {
            format!("{} {}", row.store, row.name)
        } else {
            row.name.clone()
        };
        // A selected order is marked `*` (readable without colour).
        let name = if app.selected.contains_key(&row.id) {
            format!("*{name}")
        } else {
            name
        };
        let order_cell = if row.test {
            let n = crate::tui::format::truncate(&name, order_w.saturating_sub(5));
            let fill = order_w.saturating_sub(crate::tui::format::width(&n) + 5);
            vec![
                Span::raw(n),
                Span::styled(" test", t.test_order()),
                Span::raw(" ".repeat(fill)),
            ]
        } else {
            vec![Span::raw(pad(&name, order_w))]
        };
        let state_style = if row.state.needs_action() {
            t.needs_action()
        } else {
            t.base()
        };
        let mut spans = order_cell;
        spans.push(Span::raw(format!(
            " {} {} {} ",
            pad(&app.settings.zone.datetime(row.created_at), date_w),
            pad(&row.customer, cust_w),
            pad_left(&amount(row.total, &row.currency), total_w),
        )));
        spans.push(Span::styled(pad(row.state.label(), state_w), state_style));
        let mut line = Line::from(spans);
        if i == p.sel {
            line = line.style(t.selected(focused));
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// How many rows pass the filter: exact once every one is loaded, else "N+".
fn matches(app: &App) -> String {
    let p = &app.pending;
    if !p.loaded || (p.rows.is_empty() && !p.at_end) {
        "searching…".to_string()
    } else if p.at_start && p.at_end {
        format!("{} match", p.rows.len())
    } else {
        format!("{}+ match", p.rows.len())
    }
}

/// The selected row's index on screen, when it is.
fn p_sel_row(app: &App) -> Option<usize> {
    let p = &app.pending;
    (!p.rows.is_empty() && p.sel >= p.offset).then(|| p.sel - p.offset)
}
