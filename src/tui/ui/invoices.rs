//! The Invoices view: every invoice by store and number, its order, total and state (with
//! the shop's words on a failure); the cursor marked ▸.

use crate::domain::invoice::InvoiceState;
use crate::tui::app::App;
use crate::tui::format::{amount, pad, pad_left, truncate};
use ratatui::text::Line;

pub fn list(app: &App, sel: usize, width: u16) -> (String, Vec<Line<'static>>) {
    let t = &app.settings.theme;
    let title = format!(" Invoices — {} ", app.invoices.len());
    let mut out = vec![Line::styled(
        format!(
            "  {} {} {} {} {}",
            pad("Number", 12),
            pad("Order", 14),
            pad_left("Total", 15),
            pad("Date", 16),
            "State"
        ),
        t.dim(),
    )];
    if app.invoices.is_empty() {
        out.push(Line::from(
            "  No invoice yet: v in Pending orders invoices the selected booked orders.",
        ));
    }
    let state_w = (width as usize)
        .saturating_sub(2 + 13 + 15 + 16 + 17 + 2)
        .max(8);
    for (i, v) in app.invoices.iter().enumerate() {
        let inv = &v.invoice;
        let state = match (v.state, v.queued, &v.answer) {
            (InvoiceState::Failed, _, Some(why)) => format!("failed: {why}"),
            (InvoiceState::Generated, true, _) => "generated, queued for the shop".into(),
            (s, ..) => s.as_str().to_string(),
        };
        let failed = (v.state == InvoiceState::Failed).then(|| t.failed());
        out.push(super::manifests::cursor_row(
            app,
            i == sel,
            format!(
                "{} {} {} {} {}",
                pad(&inv.number(), 12),
                pad(
                    &truncate(&format!("{}:{}", inv.store, inv.order_name), 14),
                    14
                ),
                pad_left(&amount(inv.total, &inv.currency), 15),
                pad(&app.settings.zone.datetime(inv.created_at), 16),
                truncate(&state, state_w)
            ),
            failed,
        ));
    }
    out.push(Line::from(""));
    out.push(Line::styled(
        "  s sends (again, once failed) · e exports as text and JSON · esc back",
        t.dim(),
    ));
    (title, out)
}
