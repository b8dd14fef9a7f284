//! The Sync log pane: one line per run per store, newest first; failed runs stand out. Its
//! pictures (`pictures.rs`) sit in its borders and at its foot.

use crate::engine::SyncRun;
use crate::tui::app::App;
use crate::tui::format::{duration, pad, pad_left};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(f: &mut Frame, area: Rect, app: &App, focused: bool) {
    let t = &app.settings.theme;
    let mut title = " Sync log ".to_string();
    if app.syncing() {
        let names: Vec<&str> = app.running.iter().map(String::as_str).collect();
        title = format!(" Sync log — syncing {} ", names.join(", "));
    }
    let title_width = title.chars().count() as u16 + 1;
    let inner = super::pane(f, area, title, t, focused);
    super::pictures::draw_borders(f, area, app, title_width);
    let durations = super::layout::duration_rows(area.height, app.pictures.durations.len());
    let (inner, foot) = (
        Rect {
            height: inner.height - durations as u16,
            ..inner
        },
        Rect {
            y: inner.y + inner.height - durations as u16,
            height: durations as u16,
            ..inner
        },
    );
    if durations > 0 {
        let foot = Rect {
            x: foot.x + 1,
            width: foot.width.saturating_sub(1),
            ..foot
        };
        let lines = super::pictures::duration_lines(app, durations, foot.width);
        f.render_widget(Paragraph::new(lines), foot);
    }

    let c = &app.runs_cursor;
    let sel_row = (!app.runs.is_empty() && c.sel >= c.offset).then(|| c.sel - c.offset);
    let inner = super::gutter(f, inner, 1, sel_row, focused);
    let mut lines = vec![Line::styled(
        row_text(
            "Started",
            "Took",
            "Store",
            &COLS.map(String::from),
            "",
            inner.width,
        ),
        t.dim(),
    )];
    if app.runs.is_empty() {
        lines.push(Line::from(" No sync runs yet; r syncs now."));
    }
    let view = inner.height.saturating_sub(1) as usize;
    for (i, run) in app.runs.iter().enumerate().skip(c.offset).take(view) {
        let mut line = Line::from(run_line(run, app, inner.width));
        if !run.ok && run.finished_at.is_some() {
            line = line.style(t.failed());
        } else if run.finished_at.is_none() {
            line = line.style(t.running());
        }
        if i == c.sel {
            line = line.patch_style(t.selected(focused));
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
}

const COLS: [&str; 6] = ["Got", "Book", "Park", "Rej", "Canc", "Err"];

fn row_text(
    start: &str,
    took: &str,
    store: &str,
    counts: &[String; 6],
    note: &str,
    width: u16,
) -> String {
    let start_w = if width >= 57 { 11 } else { 5 };
    let mut s = format!(
        "{} {} {}",
        pad(start, start_w),
        pad_left(took, 6),
        pad(store, 8)
    );
    for c in counts {
        s.push_str(&pad_left(c, 5));
    }
    s.push_str("  ");
    s.push_str(note);
    s
}

fn run_line(run: &SyncRun, app: &App, width: u16) -> Vec<Span<'static>> {
    let fmt = if width >= 57 { "%m-%d %H:%M" } else { "%H:%M" };
    let start = app.settings.zone.format(run.started_at, fmt);
    let took = duration(run.started_at, run.finished_at);
    if run.finished_at.is_some() && !run.ok {
        // A failed run read nothing: its message says more than its zeros.
        let start_w = if width >= 57 { 11 } else { 5 };
        let msg = run
            .message
            .as_deref()
            .unwrap_or("the shop could not be read");
        return vec![Span::raw(format!(
            "{} {} {} ✗ FAILED: {msg}",
            pad(&start, start_w),
            pad_left(&took, 6),
            pad(&run.store, 8)
        ))];
    }
    if let (None, Some(progress)) = (&run.finished_at, &run.message) {
        // A bulk read's progress while it runs (its counts are still zeros): in their place.
        let start_w = if width >= 57 { 11 } else { 5 };
        return vec![Span::raw(format!(
            "{} {} {} {progress}",
            pad(&start, start_w),
            pad_left(&took, 6),
            pad(&run.store, 8)
        ))];
    }
    let counts = [
        run.fetched,
        run.booked,
        run.parked,
        run.rejected,
        run.cancelled,
        run.errors,
    ]
    .map(|n| n.to_string());
    let note = match (&run.finished_at, &run.message) {
        (None, _) => "running…".to_string(),
        (Some(_), Some(m)) => m.clone(),
        (Some(_), None) => String::new(),
    };
    vec![Span::raw(row_text(
        &start, &took, &run.store, &counts, &note, width,
    ))]
}
