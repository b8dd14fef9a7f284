//! `orderdesk order REF receipt`: the order's receipt (lines, payments, balance) on stdout,
//! into a file (`--out`), or through the configured `receipt_command` (`--print`).

use super::common::Failure;
use crate::config::Config;
use crate::domain::Order;
use crate::domain::receipt::receipt_text;
use crate::tui::format::Zone;
use std::path::PathBuf;

/// Where the receipt goes.
#[derive(clap::Args, Debug, Clone)]
pub struct ReceiptArgs {
    /// Write it to this file instead of stdout.
    #[arg(long, conflicts_with = "print")]
    pub out: Option<PathBuf>,
    /// Pipe it to the config's receipt_command (e.g. "lp -d receipt").
    #[arg(long)]
    pub print: bool,
}

pub fn receipt(
    cfg: &Config,
    order: &Order,
    args: &ReceiptArgs,
    json: bool,
) -> Result<i32, Failure> {
    let zone = Zone::from_option(cfg.timezone);
    let text = receipt_text(order, |t| zone.datetime(t));
    let mut went = None;
    if let Some(path) = &args.out {
        std::fs::write(path, &text).map_err(|e| {
            Failure::new(
                "io",
                format!("the receipt was not written to {}: {e}", path.display()),
            )
        })?;
        went = Some(path.display().to_string());
    } else if args.print {
        let Some(command) = &cfg.receipt_command else {
            let file = cfg
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "orderdesk.toml".into());
            return Err(Failure::new(
                "config",
                format!(
                    "no receipt_command is configured: add e.g. receipt_command = \"lp -d receipt\" to {file}, or use --out FILE"
                ),
            ));
        };
        crate::printer::pipe_to(command, &text).map_err(|e| Failure::new("print", e))?;
        went = Some(command.clone());
    }
    if json {
        println!(
            "{}",
            serde_json::json!({
                "ref": order.reference(),
                "text": text,
                "written_to": args.out.as_ref().map(|p| p.display().to_string()),
                "printed_with": args.print.then(|| went.clone()).flatten(),
            })
        );
    } else if let Some(to) = went {
        println!("receipt of {} sent to {to}", order.reference());
    } else {
        print!("{text}");
    }
    Ok(0)
}
