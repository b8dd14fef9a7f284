//! The Sync log's pictures: orders fetched per hour over the last day in its top border, the
//! outbox backlog as a gauge in its bottom border, and each store's recent sync durations in
//! rows at its foot. Drawn in block characters, so they read without colour (NO_COLOR).

use crate::tui::app::App;
use crate::tui::format::pad;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One character per value, its height scaled to the largest; a zero is the lowest bar and
/// anything above zero at least the second, so "none" and "a few" differ.
pub fn spark(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if v == 0 || max == 0 {
                BARS[0]
            } else {
                let step = (v as u128 * 7).div_ceil(max as u128) as usize;
                BARS[step.clamp(1, 7)]
            }
        })
        .collect()
}

/// A bar `width` wide, `done` of `total` filled.
pub fn gauge(done: u64, total: u64, width: usize) -> String {
    let filled = if total == 0 {
        width
    } else {
        (done.min(total) as u128 * width as u128 / total as u128) as usize
    };
    "█".repeat(filled) + &"░".repeat(width - filled)
}

/// Writes `text` on row `y` from `x`, no wider than `max`.
fn put(f: &mut Frame, x: u16, y: u16, max: u16, spans: Vec<Span<'static>>) {
    let width = spans.iter().map(|s| s.width() as u16).sum::<u16>().min(max);
    if width > 0 {
        f.render_widget(Paragraph::new(Line::from(spans)), Rect::new(x, y, width, 1));
    }
}

/// The pictures in the borders of the Sync log pane `area` whose title is `title_width` wide.
pub fn draw_borders(f: &mut Frame, area: Rect, app: &App, title_width: u16) {
    let t = &app.settings.theme;
    let p = &app.pictures;
    if area.width < 20 || area.height < 3 || p.at.is_none() {
        return;
    }
    // Top border, on the right: the last day's orders fetched, hour by hour.
    let total: u64 = p.fetched_per_hour.iter().sum();
    let label = format!(" fetched 24 h: {total} ");
    let line = spark(&p.fetched_per_hour);
    let room = area.width.saturating_sub(title_width + 4);
    let wide = (label.chars().count() + line.chars().count() + 1) as u16;
    let short = (line.chars().count() + 2) as u16;
    let spans = if wide <= room {
        vec![
            Span::styled(label, t.dim()),
            Span::raw(line),
            Span::raw(" "),
        ]
    } else if short <= room {
        vec![Span::raw(" "), Span::raw(line), Span::raw(" ")]
    } else {
        vec![]
    };
    let w = spans.iter().map(|s| s.width() as u16).sum::<u16>();
    put(f, area.x + area.width - 1 - w, area.y, w, spans);

    // Bottom border, on the left: the outbox backlog, drained against its peak.
    let backlog = p.outbox_waiting + p.outbox_failed;
    let y = area.y + area.height - 1;
    let spans = if backlog == 0 {
        vec![Span::styled(
            " outbox: nothing waiting ".to_string(),
            t.dim(),
        )]
    } else {
        let peak = app.outbox_peak.max(backlog);
        let sent = peak - backlog;
        let mut spans = vec![
            Span::raw(" outbox "),
            Span::raw(gauge(sent, peak, 10)),
            Span::raw(format!(" {} waiting", p.outbox_waiting)),
        ];
        if p.outbox_failed > 0 {
            spans.push(Span::styled(
                format!(", {} failed", p.outbox_failed),
                t.failed(),
            ));
        }
        spans.push(Span::raw(format!(" ({sent} of {peak} sent) ")));
        spans
    };
    put(f, area.x + 1, y, area.width.saturating_sub(2), spans);
}

/// One row a store at the foot of the Sync log: how long its recent runs took.
pub fn duration_lines(app: &App, rows: usize, width: u16) -> Vec<Line<'static>> {
    let t = &app.settings.theme;
    app.pictures
        .durations
        .iter()
        .take(rows)
        .map(|(store, took)| {
            let last = took.last().copied().unwrap_or(0);
            let max = took.iter().copied().max().unwrap_or(0);
            let figures = format!(" last {}, max {}", seconds(last), seconds(max));
            // "took " + store + " " + sparkline + figures, the sparkline the newest that fit.
            let fixed = 5 + 8 + 1 + figures.chars().count();
            let room = (width as usize).saturating_sub(fixed);
            let shown = &took[took.len().saturating_sub(room)..];
            Line::from(vec![
                Span::styled("took ".to_string(), t.dim()),
                Span::raw(pad(store, 8)),
                Span::raw(" "),
                Span::raw(spark(shown)),
                Span::styled(figures, Style::default()),
            ])
        })
        .collect()
}

fn seconds(ms: u64) -> String {
    if ms < 10_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else if ms < 600_000 {
        format!("{} s", ms / 1000)
    } else {
        format!("{} min", ms / 60_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparkline_scales_to_its_largest_and_keeps_zero_apart() {
        assert_eq!(spark(&[0, 1, 50, 100]), "▁▂▅█");
        assert_eq!(spark(&[0, 0]), "▁▁");
        assert_eq!(spark(&[]), "");
        assert_eq!(spark(&[u64::MAX, 1]), "█▂");
    }

    #[test]
    fn a_gauge_fills_its_share_and_never_overflows() {
        assert_eq!(gauge(0, 10, 10), "░░░░░░░░░░");
        assert_eq!(gauge(7, 10, 10), "███████░░░");
        assert_eq!(gauge(12, 10, 4), "████");
        assert_eq!(gauge(0, 0, 3), "███");
    }
}
