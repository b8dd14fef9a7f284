//! A console attached to the service: when the service goes, the console says so plainly and
//! connects again once it answers; it then asks everything again.

use super::app::Msg;
use crate::service::{Client, Desk};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// Watches the connection of a remote desk (nothing to watch for a local one): a new desk
/// goes to `desks` each time the service is back.
pub fn watch(
    desk: &Desk,
    tx: UnboundedSender<Msg>,
    desks: UnboundedSender<Desk>,
) -> Option<JoinHandle<()>> {
    let Desk::Remote(client) = desk else {
        return None;
    };
    let mut client = client.clone();
    let socket = client.socket()?.to_path_buf();
    Some(tokio::spawn(async move {
        loop {
            client.closed().await;
            tracing::warn!(pid = client.pid(), "the service went away");
            let _ = tx.send(Msg::Failed(format!(
                "the service (pid {}) stopped: nothing can change until it is back; \
                 this console connects again by itself",
                client.pid()
            )));
            client = loop {
                tokio::time::sleep(Duration::from_millis(250)).await;
                if let Ok(Some(c)) = Client::connect(&socket).await {
                    break c;
                }
            };
            tracing::info!(pid = client.pid(), "connected to the service again");
            if desks.send(Desk::Remote(client.clone())).is_err() {
                return;
            }
            let _ = tx.send(Msg::Failed(format!(
                "connected to the service again (pid {})",
                client.pid()
            )));
        }
    }))
}
