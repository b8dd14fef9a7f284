//! Documents the console writes or prints: a manifest's driver's sheet, an invoice's export,
//! an order's receipt.

use super::CommandError;
use crate::engine::Engine;

/// The driver's sheet as `manifest-ID.txt` in the data directory; what was done, in a line.
pub(super) fn print_manifest(engine: &Engine, id: u64) -> Result<String, CommandError> {
    let m = engine
        .manifest_detail(id)?
        .ok_or_else(|| CommandError::Other(format!("manifest {id} not found")))?
        .manifest;
    let path = engine.data_dir().join(format!("manifest-{id}.txt"));
    std::fs::write(&path, m.driver_sheet(local_time)).map_err(|e| {
        CommandError::Other(format!(
            "manifest {id} not written to {}: {e}",
            path.display()
        ))
    })?;
    Ok(format!("manifest {id} written to {}", path.display()))
}

/// The invoice as `invoice-NUMBER.txt` and `.json` in the data directory.
pub(super) fn export_invoice(engine: &Engine, id: u64) -> Result<String, CommandError> {
    let v = engine
        .invoice(id)?
        .ok_or_else(|| CommandError::Other(format!("invoice {id} not found")))?;
    let number = v.invoice.number();
    let dir = engine.data_dir();
    let date = (v.invoice.created_at.with_timezone(&chrono::Local))
        .format("%Y-%m-%d")
        .to_string();
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
pub(super) fn print_receipt(
    engine: &Engine,
    label: &str,
    order_id: u64,
    command: Option<String>,
) -> Result<String, CommandError> {
    let o = engine
        .order_detail(order_id)?
        .ok_or_else(|| CommandError::Other(format!("order {order_id} not found")))?
        .order;
    let text = crate::domain::receipt::receipt_text(&o, local_time);
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

/// `2026-11-21 14:03` in the machine's own zone (where the documents are written).
fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    (at.with_timezone(&chrono::Local))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
