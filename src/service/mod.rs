//! The engine as a service (`orderdesk serve`): a Unix socket in the data directory
//! (`orderdesk.sock`) carrying the engine's commands, queries and events as length-prefixed
//! JSON frames (see `protocol.rs`). Above engine and sync, below the console and the command
//! line, which reach the engine through a [`Desk`]: in this process, or over the socket.

pub mod client;
mod desk;
pub mod frame;
pub mod peer;
pub mod protocol;
pub mod server;

pub use client::{Client, ClientError};
pub use desk::Desk;

use std::path::{Path, PathBuf};

/// The socket's name in the data directory.
pub const SOCKET: &str = "orderdesk.sock";

/// Where the service of the store in `data_dir` listens.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}
