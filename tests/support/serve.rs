//! `orderdesk serve` as its own process on a synced store, for the service's tests: started
//! and waited for until its socket answers, killed when dropped.

#![allow(dead_code)]

use super::pty::orderdesk;
use super::shop::SyncedStore;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

pub struct Serving {
    child: Child,
}

impl Serving {
    pub fn start(home: &Path, store: &SyncedStore) -> Serving {
        let child = orderdesk(home)
            .env("SHOP_TOKEN", "t")
            .arg("--config")
            .arg(&store.cfg)
            .arg("--data")
            .arg(&store.data)
            .arg("serve")
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let serving = Serving { child };
        let socket = orderdesk::service::socket_path(&store.data);
        for _ in 0..200 {
            if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
                return serving;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the service did not listen on {}", socket.display());
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: a signal to our own child process.
        unsafe { libc::kill(self.child.id() as i32, sig) };
    }

    /// Waits for the process to end; its exit code (`None`: ended by a signal).
    pub fn wait(&mut self) -> Option<i32> {
        self.child.wait().expect("wait").code()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
