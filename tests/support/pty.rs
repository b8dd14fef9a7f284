//! Drives the real binary in a pseudo-terminal and reads its screen through a terminal
//! emulator (vt100), as a person at a terminal would see it.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    pub child: Child,
    master: std::fs::File,
    /// Kept open so the terminal's modes can be read after the child exits.
    slave: OwnedFd,
    screen: Arc<Mutex<Screen>>,
}

/// The emulator and every byte the program wrote, fed together so a resize falls between two
/// reads.
struct Screen {
    parser: vt100::Parser,
    output: Vec<u8>,
}

fn non_zero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).expect("at least 1")
}

fn winsize(cols: u16, rows: u16) -> libc::winsize {
    libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

impl Pty {
    /// Starts `cmd` on a new pseudo-terminal of `cols` x `rows`.
    pub fn spawn(mut cmd: Command, cols: u16, rows: u16) -> Pty {
        let (mut master, mut slave) = (0, 0);
        let ws = winsize(cols, rows);
        // SAFETY: openpty writes two descriptors into the given ints; the winsize is valid.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &ws,
            )
        };
        assert_eq!(rc, 0, "openpty failed");
        // SAFETY: both descriptors were just opened by openpty and are owned here.
        let (master, slave) = unsafe {
            (
                std::fs::File::from_raw_fd(master),
                OwnedFd::from_raw_fd(slave),
            )
        };
        let fd = slave.as_raw_fd();
        let io = || {
            // SAFETY: dup of a valid open descriptor.
            Stdio::from(unsafe { OwnedFd::from_raw_fd(libc::dup(fd)) })
        };
        cmd.stdin(io()).stdout(io()).stderr(io());
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY as _, 0);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn the binary");
        let screen = Arc::new(Mutex::new(Screen {
            parser: vt100::Parser::new(non_zero(rows), non_zero(cols), 0),
            output: Vec::new(),
        }));
        let reader_screen = screen.clone();
        let mut reader = master.try_clone().expect("clone master");
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut s) = reader_screen.lock() {
                    s.parser.process(&buf[..n]);
                    s.output.extend_from_slice(&buf[..n]);
                }
            }
        });
        Pty {
            child,
            master,
            slave,
            screen,
        }
    }

    pub fn contents(&self) -> String {
        self.screen
            .lock()
            .map(|s| s.parser.screen().contents())
            .unwrap_or_default()
    }

    /// The screen's rows with their trailing blanks (a wide character counts once).
    pub fn rows(&self) -> Vec<String> {
        self.screen
            .lock()
            .map(|s| {
                let screen = s.parser.screen();
                let (rows, cols) = screen.size();
                (0..rows.get())
                    .map(|r| {
                        (0..cols.get())
                            .filter_map(|c| screen.cell(r, c))
                            .filter(|cell| !cell.is_wide_continuation())
                            .map(|cell| match cell.contents() {
                                "" => " ",
                                text => text,
                            })
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Resizes the terminal as a window manager would: the kernel sends the program SIGWINCH,
    /// and the emulator takes the new size. Returns a mark for [`Pty::output_since`].
    pub fn resize(&self, cols: u16, rows: u16) -> usize {
        let mut s = self.screen.lock().expect("screen");
        let ws = winsize(cols, rows);
        // SAFETY: TIOCSWINSZ reads a valid winsize through a pointer to it.
        let rc = unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ as _, &ws) };
        assert_eq!(rc, 0, "TIOCSWINSZ failed");
        s.parser.set_size(non_zero(rows), non_zero(cols));
        s.output.len()
    }

    /// What the program wrote since `mark` (from [`Pty::resize`]).
    pub fn output_since(&self, mark: usize) -> Vec<u8> {
        self.screen
            .lock()
            .map(|s| s.output.get(mark..).unwrap_or_default().to_vec())
            .unwrap_or_default()
    }

    /// Waits until `ok` holds for the screen's rows; panics with the screen after `timeout`.
    pub fn wait_rows(&self, what: &str, timeout: Duration, ok: impl Fn(&[String]) -> bool) {
        let start = Instant::now();
        loop {
            let rows = self.rows();
            if ok(&rows) {
                return;
            }
            if start.elapsed() > timeout {
                panic!(
                    "waited {timeout:?} for {what}; the screen shows:\n{}",
                    rows.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until every needle is on screen; panics with the screen after `timeout`.
    pub fn wait_for(&self, needles: &[&str], timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let text = self.contents();
            if needles.iter().all(|n| text.contains(n)) {
                return text;
            }
            if start.elapsed() > timeout {
                panic!("waited {timeout:?} for {needles:?}; the screen shows:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.master.write_all(bytes).expect("write to the terminal");
        self.master.flush().expect("flush");
    }

    /// Waits for the child to exit; its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                panic!(
                    "the program did not exit within {timeout:?}; screen:\n{}",
                    self.contents()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the terminal is back in cooked mode with echo (as the shell expects it).
    pub fn cooked_with_echo(&self) -> bool {
        // SAFETY: termios is plain data; tcgetattr fills it from a valid descriptor.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut t) };
        rc == 0 && t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: sending a signal to our own child by pid.
        unsafe {
            libc::kill(self.child.id() as i32, sig);
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A command for the real binary with its own HOME, config and data directories.
pub fn orderdesk(home: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orderdesk"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm-256color")
        .env("USER", "anna");
    // The engine of new stores, when the suite runs on sled (see README's Tests).
    if let Some(engine) = std::env::var_os("ORDERDESK_NEW_STORE_ENGINE") {
        cmd.env("ORDERDESK_NEW_STORE_ENGINE", engine);
    }
    cmd
}

/// `orderdesk sim` on a free port with 30 orders and `args`: the process (ended when dropped)
/// and its address.
pub fn sim_process(home: &std::path::Path, args: &[&str]) -> (super::shop::ShopProcess, String) {
    let shop = super::shop::ShopProcess::start_with(home, 30, args);
    let url = shop.url.clone();
    (shop, url)
}

/// Waits for the first sync to finish (the header's ✓), then selects the first row: the
/// selection follows its order while pages arrive, so it may not be on the first row before.
pub fn first_row_once_synced(pty: &Pty) {
    pty.wait_for(&["✓"], std::time::Duration::from_secs(60));
    pty.send_home();
}

impl Pty {
    /// The Home key, as xterm sends it.
    pub fn send_home(&self) {
        let mut m = &self.master;
        std::io::Write::write_all(&mut m, b"\x1b[H").expect("write to the terminal");
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
}

/// Runs a command to its end: (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run the binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `orderdesk --config CFG --data DATA ARGS…` with the test token in `$SHOP_TOKEN`.
pub fn od(
    home: &std::path::Path,
    cfg: &std::path::Path,
    data: &std::path::Path,
    args: &[&str],
) -> (i32, String, String) {
    let mut c = orderdesk(home);
    c.env("SHOP_TOKEN", "t")
        .arg("--config")
        .arg(cfg)
        .arg("--data")
        .arg(data)
        .args(args);
    run(&mut c)
}
