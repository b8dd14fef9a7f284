//! The Duplicates view: the products that share a SKU, grouped by SKU (the SKU on its
//! group's first row), each with its id, name, stock and the stores that know it; the cursor
//! marked ▸.

use crate::tui::app::App;
use crate::tui::format::{pad, pad_left, truncate};
use ratatui::text::Line;

pub fn list(app: &App, sel: usize, width: u16) -> (String, Vec<Line<'static>>) {
    let t = &app.settings.theme;
    let groups = app.duplicates.len();
    let title = format!(" Duplicate SKUs — {groups} ");
    let mut out = vec![Line::styled(
        format!(
            "  {} {} {} {} Stores",
            pad("SKU", 16),
            pad("Product", 10),
            pad("Name", 28),
            pad_left("Stock", 7),
        ),
        t.dim(),
    )];
    if groups == 0 {
        out.push(Line::from(
            "  No two products share a SKU: orders find their product by SKU.",
        ));
    }
    let stores_w = (width as usize).saturating_sub(2 + 17 + 11 + 29 + 8).max(6);
    let mut last = "";
    for (i, (sku, p)) in app.duplicate_rows().enumerate() {
        let shown = if sku == last { "" } else { sku };
        last = sku;
        let stores: Vec<&str> = p.remote_codes.keys().map(String::as_str).collect();
        out.push(super::manifests::cursor_row(
            app,
            i == sel,
            format!(
                "{} {} {} {} {}",
                pad(&truncate(shown, 16), 16),
                pad(&truncate(&p.id, 10), 10),
                pad(&truncate(&p.name, 28), 28),
                pad_left(&p.stock.to_string(), 7),
                truncate(&stores.join(", "), stores_w)
            ),
            None,
        ));
    }
    out.push(Line::from(""));
    out.push(Line::styled(
        "  m keeps this one and merges another of its SKU into it · esc back",
        t.dim(),
    ));
    (title, out)
}
