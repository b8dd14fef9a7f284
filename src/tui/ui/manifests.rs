//! The Manifests view: the list (newest first, the cursor marked ▸) and one manifest with its
//! orders, tracking numbers and what each shop answered.

use crate::domain::manifest::Manifest;
use crate::engine::{ManifestDetail, shop_answer};
use crate::tui::app::App;
use crate::tui::format::{pad, truncate};
use ratatui::text::Line;

/// The list view: title and lines.
pub fn list(app: &App, sel: usize) -> (String, Vec<Line<'static>>) {
    let t = &app.settings.theme;
    let title = format!(" Manifests — {} ", app.manifests.len());
    let mut out = vec![Line::styled(
        format!(
            "  {} {} {} {} {}",
            pad("Id", 6),
            pad("Carrier", 14),
            pad("State", 15),
            pad("Orders", 7),
            "Created"
        ),
        t.dim(),
    )];
    if app.manifests.is_empty() {
        out.push(Line::from(
            "  No manifest yet: n makes one; t in Pending orders adds the selected orders.",
        ));
    }
    for (i, m) in app.manifests.iter().enumerate() {
        out.push(cursor_row(
            app,
            i == sel,
            format!(
                "{} {} {} {} {}",
                pad(&m.id.to_string(), 6),
                pad(&truncate(&m.carrier, 14), 14),
                pad(m.state.label(), 15),
                pad(&m.orders.len().to_string(), 7),
                app.settings.zone.datetime(m.created_at)
            ),
            None,
        ));
    }
    out.push(Line::from(""));
    out.push(Line::styled(
        "  enter opens · n new · S marks shipped · p prints for the driver · esc back",
        t.dim(),
    ));
    (title, out)
}

/// One manifest: title and lines.
pub fn detail(app: &App, d: &ManifestDetail) -> (String, Vec<Line<'static>>) {
    let t = &app.settings.theme;
    let m: &Manifest = &d.manifest;
    let z = &app.settings.zone;
    let title = format!(" Manifest {} — {} ", m.id, m.carrier);
    let mut out = vec![
        Line::styled(
            format!("Manifest {} · {}", m.id, m.state.label()),
            t.header(),
        ),
        Line::from(format!(
            "carrier {}  ·  created {} by {}",
            m.carrier,
            z.datetime(m.created_at),
            m.created_by
        )),
    ];
    if let (Some(at), Some(by)) = (m.shipped_at, &m.shipped_by) {
        out.push(Line::from(format!("shipped {} by {by}", z.datetime(at))));
    }
    out.push(Line::from(""));
    out.push(Line::styled(
        format!("Orders ({})", m.orders.len()),
        t.header(),
    ));
    out.push(Line::styled(
        format!(
            "  {} {} {} {}",
            pad("Order", 16),
            pad("Tracking", 18),
            pad("Recipient", 22),
            "Shop"
        ),
        t.dim(),
    ));
    if m.orders.is_empty() {
        out.push(Line::from(
            "  No orders yet: select ready-to-ship orders in Pending orders, then t.",
        ));
    }
    for (o, sent) in m.orders.iter().zip(&d.sent) {
        let answer = if m.is_open() {
            "not yet shipped".to_string()
        } else {
            shop_answer(sent)
        };
        let style = match sent {
            Some(i) if i.status == crate::domain::outbox::OutboxStatus::Failed => t.failed(),
            _ => t.base(),
        };
        out.push(Line::styled(
            format!(
                "  {} {} {} {answer}",
                pad(&truncate(&format!("{}:{}", o.store, o.name), 16), 16),
                pad(&truncate(&o.tracking, 18), 18),
                pad(&truncate(&o.recipient, 22), 22),
            ),
            style,
        ));
    }
    out.push(Line::from(""));
    out.push(Line::styled(
        if m.is_open() {
            "  S marks it shipped (asks first) · x takes an order off · p prints it · esc back"
        } else {
            "  p prints it for the driver · esc back"
        },
        t.dim(),
    ));
    (title, out)
}

/// A list row with the cursor's `▸` (readable without colour) and the selection's style over
/// `style`.
pub(super) fn cursor_row(
    app: &App,
    selected: bool,
    text: String,
    style: Option<ratatui::style::Style>,
) -> Line<'static> {
    let mark = if selected { "▸ " } else { "  " };
    let mut line = Line::from(format!("{mark}{text}"));
    if let Some(s) = style {
        line = line.style(s);
    }
    if selected {
        line = line.style(app.settings.theme.selected(true));
    }
    line
}
