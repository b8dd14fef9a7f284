//! `orderdesk order REF receipt`: the order's receipt (lines, payments, balance) on stdout,
//! into a file (`--out`), or through the configured `receipt_command` (`--print`).

use super::common::Failure;
use crate::config::Config;
use crate::domain::Order;
use crate::domain::receipt::receipt_text;
use crate::tui::format::Zone;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

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
        print_through(command, &text)?;
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

/// Runs `command` through `sh -c` with the receipt on its stdin; its failure names it.
fn print_through(command: &str, text: &str) -> Result<(), Failure> {
    let fail = |why: String| Failure::new("print", format!("receipt_command \"{command}\" {why}"));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("did not start: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that ends without reading all of it closes the pipe: this process takes
        // SIGPIPE's default (it ends `| head` quietly), so it is ignored for this one write,
        // and the command's own exit says what happened.
        // SAFETY: changing a signal's disposition and putting the old one back.
        let before = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
        let written = stdin.write_all(text.as_bytes());
        drop(stdin);
        unsafe { libc::signal(libc::SIGPIPE, before) };
        match written {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(fail(format!("did not take the receipt: {e}")));
            }
            _ => {}
        }
    }
    let out = child
        .wait_with_output()
        .map_err(|e| fail(format!("did not finish: {e}")))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(fail(format!(
            "failed ({}){}",
            out.status,
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        )));
    }
    Ok(())
}
