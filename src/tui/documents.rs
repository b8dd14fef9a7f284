//! Documents the console writes or prints: a manifest's driver's sheet, an invoice's export,
//! an order's receipt.

use super::command::CommandError;
use crate::engine::Engine;

/// The driver's sheet as `manifest-ID.txt` in the data directory; what was done, in a line.
pub fn print_manifest(engine: &Engine, id: u64) -> Result<String, CommandError> {
    let m = engine
        .manifest_detail(id)?
        .ok_or_else(|| CommandError::Other(format!("manifest {id} not found")))?
        .manifest;
    let path = engine.data_dir().join(format!("manifest-{id}.txt"));
    let zone = crate::tui::format::Zone::Local;
    std::fs::write(&path, m.driver_sheet(|t| zone.datetime(t))).map_err(|e| {
        CommandError::Other(format!(
            "manifest {id} not written to {}: {e}",
            path.display()
        ))
    })?;
    Ok(format!("manifest {id} written to {}", path.display()))
}

/// The invoice as `invoice-NUMBER.txt` and `.json` in the data directory.
pub fn export_invoice(engine: &Engine, id: u64) -> Result<String, CommandError> {
    let v = engine
        .invoice(id)?
        .ok_or_else(|| CommandError::Other(format!("invoice {id} not found")))?;
    let number = v.invoice.number();
    let dir = engine.data_dir();
    let date = crate::tui::format::Zone::Local.format(v.invoice.created_at, "%Y-%m-%d");
    let text = dir.join(format!("invoice-{number}.txt"));
    let json = dir.join(format!("invoice-{number}.json"));
    let written = std::fs::write(&text, v.invoice.text(&date))
        .and_then(|_| std::fs::write(&json, format!("{:#}\n", v.to_json())));
    written.map_err(|e| {
        CommandError::Other(format!(
            "invoice {number} not written to {}: {e}",
            dir.display()
        ))
    })?;
    Ok(format!(
        "invoice {number} written to {} and {}",
        text.display(),
        json.display()
    ))
}

/// The order's receipt through `command`, or as a file in the data directory.
pub fn print_receipt(
    engine: &Engine,
    label: &str,
    order_id: u64,
    command: Option<String>,
) -> Result<String, CommandError> {
    let o = engine
        .order_detail(order_id)?
        .ok_or_else(|| CommandError::Other(format!("order {order_id} not found")))?
        .order;
    let zone = crate::tui::format::Zone::Local;
    let text = crate::domain::receipt::receipt_text(&o, |t| zone.datetime(t));
    match command {
        Some(c) => {
            crate::printer::pipe_to(&c, &text).map_err(CommandError::Other)?;
            Ok(format!("{label}: receipt sent to {c}"))
        }
        None => {
            let path =
                engine
                    .data_dir()
                    .join(format!("receipt-{}-{}.txt", o.store, file_safe(&o.name)));
            std::fs::write(&path, text).map_err(|e| {
                CommandError::Other(format!("receipt not written to {}: {e}", path.display()))
            })?;
            Ok(format!("{label}: receipt written to {}", path.display()))
        }
    }
}

/// A name as a file name: anything but letters, digits, `-` and `_` becomes `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
