//! The service's side of the socket: one task per connection. A connection's hello, its
//! requests and its events; a bad frame ends that connection only.

use super::frame::{self, FrameError, MAX_REQUEST};
use super::protocol::{ClientFrame, PROTOCOL_VERSION, Reply, Request, ServiceFrame, mismatch};
use crate::config::Operators;
use crate::engine::command::Command;
use crate::engine::command::Operator;
use crate::engine::{Engine, EngineEvent};
use std::path::Path;
use std::sync::Arc;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{RwLock, Semaphore, broadcast, mpsc, watch};

/// Held (shared) by each request while it runs; shutting down takes it whole, so it waits
/// for the transactions in flight and lets no new one start.
pub type Gate = Arc<RwLock<()>>;

/// Requests worked on at once, over every connection; the others wait their turn. Many
/// consoles loading at once on two cores otherwise crowd out the sync and each other (and
/// every worker thread keeps its own memory).
const AT_ONCE: usize = 4;

/// How long a new connection has to say hello.
const HELLO_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Binds `path` (a stale socket left by a killed service is replaced: whoever calls this
/// holds the store's lock), mode 0660, of group `group` when given.
pub fn bind(path: &Path, group: Option<&str>) -> std::io::Result<UnixListener> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let listener = UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))?;
    set_group(path, group)?;
    Ok(listener)
}

/// Gives the socket to `group` (config `socket_group`); no group: it stays the service's.
pub fn set_group(path: &Path, group: Option<&str>) -> std::io::Result<()> {
    let Some(g) = group else { return Ok(()) };
    let gid = super::peer::group_id(g).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("socket_group \"{g}\" is not a group on this system"),
        )
    })?;
    super::peer::set_group(path, gid)
}

/// What the service's config says to its clients' requests; read again at each request, so a
/// reloaded config applies to clients already connected.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub operators: Operators,
    /// The service's own `receipt_command`: a client's print request uses it, never a
    /// command the client names (that would be a shell command run as the service's user).
    pub receipt_command: Option<String>,
}

/// Takes connections until the task is dropped.
pub async fn accept(
    engine: Engine,
    listener: UnixListener,
    roles: watch::Receiver<Rules>,
    gate: Gate,
) {
    let working = Arc::new(Semaphore::new(AT_ONCE));
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let (engine, roles, gate) = (engine.clone(), roles.clone(), gate.clone());
                let working = working.clone();
                tokio::spawn(connection(engine, stream, roles, gate, working));
            }
            Err(e) => {
                tracing::warn!("socket: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

async fn connection(
    engine: Engine,
    stream: UnixStream,
    roles: watch::Receiver<Rules>,
    gate: Gate,
    working: Arc<Semaphore>,
) {
    let user = match stream.peer_cred() {
        Ok(c) => super::peer::user_name(c.uid()),
        Err(e) => {
            tracing::warn!("socket: the peer's credentials cannot be read: {e}");
            return;
        }
    };
    let (mut rd, mut wr) = stream.into_split();
    // A peer that never says hello does not hold its task for ever.
    let hello = tokio::time::timeout(
        HELLO_WITHIN,
        frame::read::<ClientFrame>(&mut rd, MAX_REQUEST),
    )
    .await
    .unwrap_or(Err(FrameError::Malformed("no hello within 10 s".into())));
    let refusal = match hello {
        Ok(ClientFrame::Hello { protocol, .. }) if protocol == PROTOCOL_VERSION => None,
        Ok(ClientFrame::Hello { protocol, .. }) => Some(mismatch(PROTOCOL_VERSION, protocol)),
        Ok(ClientFrame::Request { .. }) => Some("a connection opens with a hello".into()),
        Err(e) => {
            tracing::info!(%user, "connection closed before its hello: {e}");
            return;
        }
    };
    if let Some(message) = refusal {
        tracing::info!(%user, "connection refused: {message}");
        let _ = frame::write(&mut wr, &ServiceFrame::Refused { message }).await;
        return;
    }
    let operator = Operator::new(&user, roles.borrow().operators.role_of(&user));
    tracing::info!(%user, role = %operator.role, "client connected");
    let welcome = ServiceFrame::Welcome {
        protocol: PROTOCOL_VERSION,
        version: env!("CARGO_PKG_VERSION").into(),
        operator,
        pid: std::process::id(),
    };
    let (tx, rx) = mpsc::unbounded_channel();
    let _ = tx.send(welcome);
    let writer = tokio::spawn(write_frames(wr, rx, engine.subscribe()));
    let why = loop {
        match frame::read::<ClientFrame>(&mut rd, MAX_REQUEST).await {
            Ok(ClientFrame::Request { id, request }) => {
                let operator = Operator::new(&user, roles.borrow().operators.role_of(&user));
                let request = own_printer(request, &roles.borrow());
                let (engine, tx, gate) = (engine.clone(), tx.clone(), gate.clone());
                let working = working.clone();
                tokio::spawn(async move {
                    let _held = gate.read_owned().await;
                    let Ok(_turn) = working.acquire_owned().await else {
                        return;
                    };
                    let reply =
                        tokio::task::spawn_blocking(move || answer(&engine, &operator, request))
                            .await
                            .unwrap_or_else(|e| {
                                tracing::error!("a request failed: {e}");
                                Reply::Failed(crate::engine::command::CommandError::Other(
                                    "internal error; see the service's log".into(),
                                ))
                            });
                    let _ = tx.send(ServiceFrame::Reply { id, reply });
                });
            }
            Ok(ClientFrame::Hello { .. }) => break "a second hello".to_string(),
            Err(FrameError::Closed) => break "closed by the client".to_string(),
            Err(e) => break e.to_string(),
        }
    };
    tracing::info!(%user, "connection ended: {why}");
    writer.abort();
}

/// A print request with the service's print command in place of the client's.
fn own_printer(request: Request, rules: &Rules) -> Request {
    match request {
        Request::Command {
            label,
            command: Command::PrintReceipt { order_id, .. },
        } => Request::Command {
            label,
            command: Command::PrintReceipt {
                order_id,
                command: rules.receipt_command.clone(),
            },
        },
        other => other,
    }
}

/// Runs one request for `operator`; with `ORDERDESK_LOG=orderdesk::service=debug`, how long
/// each took.
fn answer(engine: &Engine, operator: &Operator, request: Request) -> Reply {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return run(engine, operator, request);
    }
    let what = format!("{request:?}");
    let started = std::time::Instant::now();
    let reply = run(engine, operator, request);
    let us = started.elapsed().as_micros() as u64;
    tracing::debug!(us, "{}", what.chars().take(100).collect::<String>());
    reply
}

fn run(engine: &Engine, operator: &Operator, request: Request) -> Reply {
    match request {
        Request::Command { label, command } => match engine.execute(operator, &label, command) {
            Ok(a) => Reply::Answer(Box::new(a)),
            Err(e) => Reply::Failed(e),
        },
        Request::Query(q) => match engine.ask(q) {
            Ok(a) => Reply::Query(Box::new(a)),
            Err(e) => Reply::Failed(e.into()),
        },
    }
}

/// Events go out at most once in this long, gathered, the same one once: a sync's intake
/// announces every batch, and each announcement makes every console load again. An event after
/// a quiet spell (an operator's change) goes out at once.
const GATHER: std::time::Duration = std::time::Duration::from_millis(40);

/// Sends replies at once and the engine's events gathered (see [`GATHER`]), until the client
/// goes.
async fn write_frames(
    mut wr: tokio::net::unix::OwnedWriteHalf,
    mut replies: mpsc::UnboundedReceiver<ServiceFrame>,
    mut events: broadcast::Receiver<EngineEvent>,
) {
    let mut gathered: Vec<EngineEvent> = Vec::new();
    let mut send_at: Option<tokio::time::Instant> = None;
    // When events last went out.
    let mut sent_at: Option<tokio::time::Instant> = None;
    loop {
        let frames = tokio::select! {
            r = replies.recv() => match r {
                Some(f) => vec![f],
                None => return,
            },
            e = events.recv() => {
                let event = match e {
                    Ok(event) => event,
                    // Too slow to hear every event: everything may have changed.
                    Err(broadcast::error::RecvError::Lagged(_)) => EngineEvent::OrdersChanged,
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                gather(&mut gathered, event);
                send_at.get_or_insert_with(|| next_send(sent_at, tokio::time::Instant::now()));
                continue;
            }
            _ = tokio::time::sleep_until(send_at.unwrap_or_else(tokio::time::Instant::now)), if send_at.is_some() => {
                send_at = None;
                sent_at = Some(tokio::time::Instant::now());
                gathered.drain(..).map(|event| ServiceFrame::Event { event }).collect()
            }
        };
        for frame in frames {
            if let Err(e) = frame::write(&mut wr, &frame).await {
                tracing::info!("a client stopped reading: {e}");
                return;
            }
        }
    }
}

/// When events heard `now` go out: at once after a quiet spell, else [`GATHER`] after the last
/// ones went out.
fn next_send(
    sent_at: Option<tokio::time::Instant>,
    now: tokio::time::Instant,
) -> tokio::time::Instant {
    sent_at.map_or(now, |at| (at + GATHER).max(now))
}

/// Adds `event` to those waiting to go out, once and last (so a run that started, ended and
/// started again ends as running); a bulk action's progress keeps its latest figure.
fn gather(gathered: &mut Vec<EngineEvent>, event: EngineEvent) {
    let bulk = matches!(event, EngineEvent::BulkProgress { .. });
    gathered.retain(|e| *e != event && !(bulk && matches!(e, EngineEvent::BulkProgress { .. })));
    gathered.push(event);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_never_names_the_command_the_service_prints_with() {
        let rules = Rules {
            receipt_command: Some("lp -d receipt".into()),
            ..Rules::default()
        };
        let asked = Request::Command {
            label: "#1".into(),
            command: Command::PrintReceipt {
                order_id: 7,
                command: Some("rm -rf ~".into()),
            },
        };
        let Request::Command { command, .. } = own_printer(asked, &rules) else {
            panic!("still a command");
        };
        assert_eq!(
            command,
            Command::PrintReceipt {
                order_id: 7,
                command: Some("lp -d receipt".into())
            }
        );
    }

    #[test]
    fn an_event_after_a_quiet_spell_goes_out_at_once_and_the_next_waits_its_turn() {
        let t0 = tokio::time::Instant::now();
        assert_eq!(next_send(None, t0), t0);
        // Events went out 10 ms ago: these wait 30 ms more.
        let now = t0 + std::time::Duration::from_millis(10);
        assert_eq!(next_send(Some(t0), now), t0 + GATHER);
        // Long after: at once.
        let later = t0 + GATHER * 3;
        assert_eq!(next_send(Some(t0), later), later);
    }

    #[test]
    fn events_gathered_go_out_once_each_in_their_last_order() {
        let mut g = Vec::new();
        let run = |running| EngineEvent::SyncRun {
            store: "web".into(),
            running,
        };
        for e in [
            EngineEvent::OrdersChanged,
            run(true),
            EngineEvent::BulkProgress { done: 1, total: 9 },
            EngineEvent::OrdersChanged,
            run(false),
            run(true),
            EngineEvent::BulkProgress { done: 2, total: 9 },
        ] {
            gather(&mut g, e);
        }
        assert_eq!(
            g,
            vec![
                EngineEvent::OrdersChanged,
                run(false),
                run(true),
                EngineEvent::BulkProgress { done: 2, total: 9 },
            ]
        );
    }
}
