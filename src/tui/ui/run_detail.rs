//! One sync run: its counts, its message, the orders it touched and its errors.

use crate::engine::SyncRun;
use crate::tui::app::Settings;
use crate::tui::format::{duration, pad};
use ratatui::text::{Line, Span};

pub fn lines(r: &SyncRun, s: &Settings) -> Vec<Line<'static>> {
    let t = &s.theme;
    let mut out = Vec::new();
    let status = match (r.finished_at, r.ok) {
        (None, _) => Span::styled("running", t.running()),
        (Some(_), true) => Span::styled("ok", t.ok()),
        (Some(_), false) => Span::styled("FAILED", t.failed()),
    };
    out.push(Line::from(vec![
        Span::styled(format!("{}  ", r.store), t.header()),
        status,
        Span::raw(format!(
            "  started {}  took {}",
            s.zone.format(r.started_at, "%Y-%m-%d %H:%M:%S"),
            duration(r.started_at, r.finished_at)
        )),
    ]));
    out.push(Line::from(format!(
        "fetched {}  booked {}  parked {}  rejected {}  skipped {}  cancelled {}  errors {}",
        r.fetched, r.booked, r.parked, r.rejected, r.skipped, r.cancelled, r.errors
    )));
    if let Some(m) = &r.message {
        let style = if r.ok { t.base() } else { t.failed() };
        out.push(Line::styled(m.clone(), style));
    }
    out.push(Line::from(""));
    out.push(Line::styled(
        format!("Errors ({})", r.error_lines.len()),
        t.header(),
    ));
    if r.error_lines.is_empty() {
        out.push(Line::from("  none"));
    }
    for e in &r.error_lines {
        out.push(Line::styled(format!("  {e}"), t.failed()));
    }
    out.push(Line::from(""));
    out.push(Line::styled(
        format!("Orders touched ({})", r.touched.len()),
        t.header(),
    ));
    if r.touched.is_empty() {
        out.push(Line::from("  none"));
    }
    for (_, name, what) in &r.touched {
        out.push(Line::from(format!("  {} {what}", pad(name, 14))));
    }
    out
}
