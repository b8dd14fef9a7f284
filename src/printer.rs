//! Printing a document through the operator's print command (config `receipt_command`, such
//! as `lp -d receipt`): the text on the command's stdin, run by `sh -c`.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `command` with `text` on its stdin; an error names the command and what it said.
pub fn pipe_to(command: &str, text: &str) -> Result<(), String> {
    let fail = |why: String| format!("receipt_command \"{command}\" {why}");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("did not start: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that ends without reading all of it closes the pipe: the command line
        // takes SIGPIPE's default (it ends `| head` quietly), so it is ignored for this one
        // write, and the command's own exit says what happened.
        // SAFETY: changing a signal's disposition and putting the old one back.
        let before = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
        let written = stdin.write_all(text.as_bytes());
        drop(stdin);
        unsafe { libc::signal(libc::SIGPIPE, before) };
        match written {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(fail(format!("did not take the text: {e}")));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_reaches_the_command_and_its_failure_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("printed");
        pipe_to(&format!("cat > '{}'", out.display()), "RECEIPT\n").expect("printed");
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "RECEIPT\n");
        let e = pipe_to("echo jammed >&2; exit 3", "RECEIPT\n").unwrap_err();
        assert!(
            e.contains("\"echo jammed >&2; exit 3\" failed") && e.contains("jammed"),
            "{e}"
        );
    }
}
