//! Two consoles in pseudo-terminals attached to one `orderdesk serve`: what one does shows in
//! the other; killing a console leaves the service serving; when the service is killed
//! (kill -9) the console says so, and connects again once the service is back.

mod support;

use std::path::Path;
use std::time::Duration;
use support::pty::{Pty, orderdesk};
use support::serve::Serving;
use support::shop::SyncedStore;

const WAIT: Duration = Duration::from_secs(30);

fn console(home: &Path, store: &SyncedStore) -> Pty {
    let mut cmd = orderdesk(home);
    cmd.env("SHOP_TOKEN", "t")
        .arg("--config")
        .arg(&store.cfg)
        .arg("--data")
        .arg(&store.data);
    let pty = Pty::spawn(cmd, 120, 30);
    pty.wait_for(&["Pending orders", "need action"], WAIT);
    pty
}

/// `N` of the header's "N need action".
fn need_action(pty: &Pty) -> u64 {
    let text = pty.contents();
    let head = text.split(" need action").next().unwrap_or_default();
    let n = head.rsplit(' ').next().unwrap_or_default();
    n.parse()
        .unwrap_or_else(|_| panic!("no count on screen:\n{text}"))
}

#[test]
fn two_consoles_on_one_service_see_each_other_and_outlive_its_restart() {
    let home = tempfile::tempdir().expect("tempdir");
    let store = SyncedStore::start(home.path(), 30);
    let mut service = Serving::start(home.path(), &store);
    let mut first = console(home.path(), &store);
    let mut second = console(home.path(), &store);
    let before = need_action(&second);
    assert_eq!(need_action(&first), before);

    // The first identifies its top order's customer (a new record): the second shows it.
    first.send_home();
    first.send(b"i");
    first.wait_for(&["Identify the customer"], WAIT);
    first.send(b"\x0e");
    first.wait_for(&["enter save"], WAIT);
    first.send(b"\r");
    first.wait_for(&["created; now"], WAIT);
    second.wait_rows("one fewer to act on", WAIT, |_| {
        need_action(&second) == before - 1
    });

    // A console killed outright: the service serves on, the other console too.
    first.signal(libc::SIGKILL);
    first.wait_exit(WAIT);
    let (code, _, err) = store.od(home.path(), &["status", "--json"]);
    assert_eq!(code, 0, "{err}");
    second.send(b"j");

    // The service killed: said plainly; back: connected again, the change still there.
    service.signal(libc::SIGKILL);
    assert_eq!(service.wait(), None, "killed");
    second.wait_for(&["the service (pid", "stopped"], WAIT);
    let _again = Serving::start(home.path(), &store);
    second.wait_for(&["connected to the service again"], WAIT);
    assert_eq!(need_action(&second), before - 1);
    second.send(b"q");
    assert_eq!(second.wait_exit(WAIT), Some(0));
    assert!(second.cooked_with_echo(), "the terminal is restored");
}
