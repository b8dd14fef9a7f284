//! A client of the service: one connection, requests answered by id, events as they come.

use super::frame::{self, MAX_REPLY};
use super::protocol::{ClientFrame, PROTOCOL_VERSION, Reply, Request, ServiceFrame, mismatch};
use crate::engine::EngineEvent;
use crate::engine::command::Operator;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::UnixStream;
use tokio::sync::{broadcast, mpsc, oneshot};

/// Why the service could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The service refused the hello (another protocol, named in the message).
    #[error("the service refused this client: {0}")]
    Refused(String),
    #[error("the service closed the connection (it stopped or restarts); try again")]
    Gone,
    #[error("the service's socket: {0}")]
    Socket(String),
}

/// The requests waiting for their replies; `None` once the connection ended.
type Waiting = Arc<Mutex<Option<HashMap<u64, oneshot::Sender<Reply>>>>>;

/// Cheap to clone; every clone shares the one connection.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    frames: mpsc::UnboundedSender<Vec<u8>>,
    waiting: Waiting,
    next: AtomicU64,
    events: broadcast::Sender<EngineEvent>,
    operator: Operator,
    pid: u32,
    /// Where it connected (to connect again).
    socket: Option<PathBuf>,
    reader: tokio::task::JoinHandle<()>,
    writer: tokio::task::JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.reader.abort();
        self.writer.abort();
    }
}

impl Client {
    /// Connects to the service listening at `socket`: `None` when nothing answers there.
    pub async fn connect(socket: &Path) -> Result<Option<Client>, ClientError> {
        let stream = match UnixStream::connect(socket).await {
            Ok(s) => s,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(ClientError::Socket(format!("{}: {e}", socket.display()))),
        };
        let socket = Some(socket.to_path_buf());
        Self::handshake(stream, PROTOCOL_VERSION, socket)
            .await
            .map(Some)
    }

    /// Opens the conversation speaking `protocol` (tests speak another one).
    pub async fn hello(stream: UnixStream, protocol: u32) -> Result<Client, ClientError> {
        Self::handshake(stream, protocol, None).await
    }

    async fn handshake(
        stream: UnixStream,
        protocol: u32,
        socket: Option<PathBuf>,
    ) -> Result<Client, ClientError> {
        let (mut rd, mut wr) = stream.into_split();
        let hello = ClientFrame::Hello {
            protocol,
            version: env!("CARGO_PKG_VERSION").into(),
        };
        frame::write(&mut wr, &hello)
            .await
            .map_err(|_| ClientError::Gone)?;
        let (operator, pid) = match frame::read::<ServiceFrame>(&mut rd, MAX_REPLY).await {
            Ok(ServiceFrame::Welcome {
                protocol: p,
                operator,
                pid,
                ..
            }) if p == protocol => (operator, pid),
            Ok(ServiceFrame::Welcome { protocol: p, .. }) => {
                return Err(ClientError::Refused(mismatch(p, protocol)));
            }
            Ok(ServiceFrame::Refused { message }) => return Err(ClientError::Refused(message)),
            Ok(_) => return Err(ClientError::Socket("no welcome from the service".into())),
            Err(_) => return Err(ClientError::Gone),
        };
        let waiting: Waiting = Arc::new(Mutex::new(Some(HashMap::new())));
        let (events, _) = broadcast::channel(256);
        let (frames, mut to_write) = mpsc::unbounded_channel::<Vec<u8>>();
        let writer = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            while let Some(bytes) = to_write.recv().await {
                if wr.write_all(&bytes).await.is_err() {
                    return;
                }
            }
        });
        let reader = tokio::spawn(read_frames(rd, waiting.clone(), events.clone()));
        Ok(Client {
            inner: Arc::new(Inner {
                frames,
                waiting,
                next: AtomicU64::new(1),
                events,
                operator,
                pid,
                socket,
                reader,
                writer,
            }),
        })
    }

    /// Who the service takes this client for.
    pub fn operator(&self) -> &Operator {
        &self.inner.operator
    }

    /// The service's process id.
    pub fn pid(&self) -> u32 {
        self.inner.pid
    }

    /// The socket it connected to.
    pub fn socket(&self) -> Option<&Path> {
        self.inner.socket.as_deref()
    }

    /// Completes when the connection has ended (the service stopped or was killed).
    pub async fn closed(&self) {
        while self.is_open() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// The engine's events as the service pushes them.
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.inner.events.subscribe()
    }

    /// Whether the connection still stands.
    pub fn is_open(&self) -> bool {
        lock(&self.inner.waiting).is_some()
    }

    /// Sends one request and waits for its reply.
    pub async fn request(&self, request: Request) -> Result<Reply, ClientError> {
        let id = self.inner.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        let bytes = frame::encode(&ClientFrame::Request { id, request })
            .map_err(|e| ClientError::Socket(e.to_string()))?;
        match lock(&self.inner.waiting).as_mut() {
            Some(w) => w.insert(id, tx),
            None => return Err(ClientError::Gone),
        };
        if self.inner.frames.send(bytes).is_err() {
            return Err(ClientError::Gone);
        }
        rx.await.map_err(|_| ClientError::Gone)
    }
}

fn lock(w: &Waiting) -> std::sync::MutexGuard<'_, Option<HashMap<u64, oneshot::Sender<Reply>>>> {
    w.lock().unwrap_or_else(|p| p.into_inner())
}

/// Hands each reply to its request and each event to the subscribers; at the end (the
/// service gone, a bad frame) every request still waiting hears that the service is gone.
async fn read_frames(
    mut rd: tokio::net::unix::OwnedReadHalf,
    waiting: Waiting,
    events: broadcast::Sender<EngineEvent>,
) {
    loop {
        match frame::read::<ServiceFrame>(&mut rd, MAX_REPLY).await {
            Ok(ServiceFrame::Reply { id, reply }) => {
                if let Some(tx) = lock(&waiting).as_mut().and_then(|w| w.remove(&id)) {
                    let _ = tx.send(reply);
                }
            }
            Ok(ServiceFrame::Event { event }) => {
                let _ = events.send(event);
            }
            Ok(_) => {}
            Err(e) => {
                tracing::info!("the service's connection ended: {e}");
                break;
            }
        }
    }
    lock(&waiting).take();
}
