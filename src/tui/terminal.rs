//! The terminal guard: raw mode, alternate screen and cursor are given back on every exit path
//! (Drop, a panic, SIGTERM/SIGHUP/SIGINT/SIGQUIT), exactly once.

use crossterm::{cursor, event, execute, terminal};
use std::io::{self, Write};
use std::panic::PanicHookInfo;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;
use tokio::signal::unix::{Signal, SignalKind, signal};

static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
/// A title was set (and the one before saved on the terminal's title stack).
static TITLED: AtomicBool = AtomicBool::new(false);
static PANICKED: AtomicBool = AtomicBool::new(false);
static PANIC_NOTICE: tokio::sync::Notify = tokio::sync::Notify::const_new();

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Holds the terminal in raw mode on the alternate screen until dropped.
pub struct TerminalGuard {
    previous_hook: Arc<Mutex<Option<Hook>>>,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen; installs the panic hook.
    /// A panic is logged (message and backtrace) with `tracing`, never drawn; after the
    /// terminal is restored one line on stderr says where the details are.
    pub fn enter(mouse: bool, log_file: &Path) -> io::Result<TerminalGuard> {
        let previous_hook: Arc<Mutex<Option<Hook>>> =
            Arc::new(Mutex::new(Some(std::panic::take_hook())));
        let log_file = log_file.display().to_string();
        std::panic::set_hook(Box::new(move |info| {
            let backtrace = std::backtrace::Backtrace::force_capture();
            tracing::error!("panic: {info}\n{backtrace}");
            PANICKED.store(true, Ordering::SeqCst);
            PANIC_NOTICE.notify_one();
            if ACTIVE.load(Ordering::SeqCst) {
                restore();
                let _ = writeln!(
                    io::stderr(),
                    "orderdesk: internal error; details in {log_file}"
                );
            }
        }));
        terminal::enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        execute!(
            out,
            terminal::EnterAlternateScreen,
            cursor::Hide,
            event::EnableBracketedPaste
        )?;
        if mouse {
            execute!(out, event::EnableMouseCapture)?;
            MOUSE.store(true, Ordering::SeqCst);
        }
        Ok(TerminalGuard { previous_hook })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        // Give the program its own panic hook back.
        if !std::thread::panicking() {
            let _ = std::panic::take_hook();
            if let Some(prev) = self.previous_hook.lock().ok().and_then(|mut h| h.take()) {
                std::panic::set_hook(prev);
            }
        }
    }
}

/// The signals that end the console. Each one closes it as `q` does (so the terminal is given
/// back and the store flushed) instead of killing the process with the terminal still raw.
pub struct EndingSignals(Vec<(&'static str, Signal)>);

impl EndingSignals {
    /// Listens from now on (before the terminal is touched).
    pub fn listen() -> io::Result<EndingSignals> {
        let kinds = [
            ("SIGTERM", SignalKind::terminate()),
            ("SIGHUP", SignalKind::hangup()),
            ("SIGINT", SignalKind::interrupt()),
            ("SIGQUIT", SignalKind::quit()),
        ];
        let mut out = Vec::with_capacity(kinds.len());
        for (name, kind) in kinds {
            out.push((name, signal(kind)?));
        }
        Ok(EndingSignals(out))
    }

    /// Completes with the name of the first of these signals to arrive.
    pub async fn recv(&mut self) -> &'static str {
        std::future::poll_fn(|cx| {
            for (name, s) in &mut self.0 {
                if s.poll_recv(cx).is_ready() {
                    return Poll::Ready(*name);
                }
            }
            Poll::Pending
        })
        .await
    }
}

/// Whether a panic happened anywhere since the console started (the loop then ends).
pub fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

/// Completes when a panic happened anywhere (so the loop ends at once, not at the next key).
pub async fn panic_notice() {
    PANIC_NOTICE.notified().await
}

/// Sets the terminal's title (tmux shows it as the pane's title). The first time, the title
/// the terminal had is saved (xterm's title stack), and [`restore`] puts it back.
pub fn set_title(title: &str) -> io::Result<()> {
    let mut out = io::stdout();
    if !TITLED.swap(true, Ordering::SeqCst) {
        out.write_all(b"\x1b[22;0t")?;
    }
    execute!(out, terminal::SetTitle(title))
}

/// Rings the terminal's bell once (tmux marks the window).
pub fn bell() -> io::Result<()> {
    let mut out = io::stdout();
    out.write_all(b"\x07")?;
    out.flush()
}

/// Gives the terminal back. Safe to call any number of times, from anywhere.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if TITLED.swap(false, Ordering::SeqCst) {
        let _ = out.write_all(b"\x1b[23;0t");
    }
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, event::DisableMouseCapture);
    }
    let _ = execute!(
        out,
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_without_a_terminal_does_nothing_and_is_idempotent() {
        // Nothing entered: restoring writes nothing (it would fail on a test's stdout anyway).
        restore();
        restore();
        assert!(!ACTIVE.load(Ordering::SeqCst));
        assert!(!panicked());
    }
}
