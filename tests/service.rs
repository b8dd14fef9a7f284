//! `orderdesk serve` as its clients meet it: the real binary owning a synced store, clients
//! on its socket seeing each other's changes, the subcommands going through it, bad frames
//! and another protocol refused without harm to the service, roles, SIGHUP, SIGTERM and
//! kill -9.

mod support;

use orderdesk::domain::OrderState;
use orderdesk::engine::EngineEvent;
use orderdesk::engine::command::{Command, CommandError, Role};
use orderdesk::service::protocol::{PROTOCOL_VERSION, Reply, Request};
use orderdesk::service::{Client, ClientError, Desk, socket_path};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;
use support::serve::Serving;
use support::shop::SyncedStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

/// The service on `store`, once a client can connect.
async fn start(home: &Path, store: &SyncedStore) -> Serving {
    let s = Serving::start(home, store);
    connect(&store.data).await;
    s
}

/// Writes the config and sends SIGHUP (the service reads it again at once).
async fn reload(service: &Serving, cfg: &Path, text: &str) {
    std::fs::write(cfg, text).expect("config");
    service.signal(libc::SIGHUP);
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// A client of the service of `data`, once it answers (a few seconds at most).
async fn connect(data: &Path) -> Client {
    for _ in 0..200 {
        if let Ok(Some(c)) = Client::connect(&socket_path(data)).await {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the service did not answer on {}", data.display());
}

/// The user name the service gives this test's process.
fn me() -> String {
    // SAFETY: getuid cannot fail.
    orderdesk::service::peer::user_name(unsafe { libc::getuid() })
}

/// The first order waiting for a customer, as `(reference, local id)`.
async fn an_order(desk: &Desk) -> (String, u64) {
    let orders = desk
        .orders(Some(OrderState::CustomerIdNeeded))
        .await
        .expect("orders");
    let o = orders.first().expect("an order waiting for its customer");
    (o.reference(), o.id)
}

fn note(order_id: u64, text: &str) -> Command {
    Command::AddNote {
        order_id,
        text: text.into(),
    }
}

/// Waits for an event of the kind `want` on `rx` (2 s at most).
async fn heard(rx: &mut tokio::sync::broadcast::Receiver<EngineEvent>, want: EngineEvent) {
    let until = tokio::time::Instant::now() + Duration::from_secs(2);
    loop {
        match tokio::time::timeout_at(until, rx.recv()).await {
            Ok(Ok(e)) if e == want => return,
            Ok(Ok(_)) => {}
            other => panic!("no {want:?} pushed: {other:?}"),
        }
    }
}

/// A raw connection that said hello, for frames no client would send.
async fn raw(data: &Path) -> UnixStream {
    let mut s = UnixStream::connect(socket_path(data))
        .await
        .expect("connect");
    let hello =
        serde_json::json!({"type": "hello", "protocol": PROTOCOL_VERSION, "version": "test"});
    let body = serde_json::to_vec(&hello).expect("json");
    s.write_all(&(body.len() as u32).to_be_bytes())
        .await
        .expect("write");
    s.write_all(&body).await.expect("write");
    s
}

/// Reads until the service closes the connection (5 s at most); true when it did.
async fn closed_by_service(s: &mut UnixStream) -> bool {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) => return false,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_share_one_service_and_bad_clients_do_not_harm_it() {
    let home = tempfile::tempdir().expect("tempdir");
    let store = SyncedStore::start(home.path(), 30);
    let mut service = start(home.path(), &store).await;

    // Two clients: what one does, the other hears pushed and reads back, by the user's name.
    let (a, b) = (
        Desk::Remote(connect(&store.data).await),
        Desk::Remote(connect(&store.data).await),
    );
    assert_eq!(a.operator().name, me());
    assert_eq!(
        a.operator().role,
        Role::Manager,
        "no [operators]: as before"
    );
    let (reference, id) = an_order(&a).await;
    let mut events = b.subscribe();
    a.execute(&reference, note(id, "from a"))
        .await
        .expect("a note");
    heard(&mut events, EngineEvent::OrdersChanged).await;
    let detail = b.order_detail(id).await.expect("detail").expect("order");
    let last = detail.timeline.last().expect("a timeline");
    assert_eq!((last.text.as_str(), last.by.clone()), ("from a", me()));

    // The subcommands go through the service instead of exiting 3; a second serve exits 3.
    let (code, out, err) = store.od(home.path(), &["orders", "--json"]);
    assert_eq!(code, 0, "{err}");
    let listed: Vec<Value> = serde_json::from_str(&out).expect("orders json");
    let all = a.orders(None).await.expect("orders");
    assert_eq!(listed.len(), all.len());
    let (code, out, err) = store.od(home.path(), &["order", &reference, "note", "from the cli"]);
    assert_eq!(
        (code, out.trim()),
        (
            0,
            format!("note added to {}", detail.order.display_name()).as_str()
        ),
        "{err}"
    );
    let (code, out, err) = store.od(home.path(), &["status", "--json"]);
    assert_eq!(code, 0, "{err}");
    let status: Value = serde_json::from_str(&out).expect("status json");
    assert_eq!(status["orders"]["total"].as_u64(), Some(all.len() as u64));
    // The catalog's lists and a product's edit too.
    let (code, out, err) = store.od(home.path(), &["products", "--json"]);
    assert_eq!(code, 0, "{err}");
    let products: Vec<Value> = serde_json::from_str(&out).expect("products json");
    let first = products.first().expect("a product")["id"]
        .as_str()
        .expect("id");
    let (code, out, err) = store.od(
        home.path(),
        &[
            "product",
            first,
            "edit",
            "--name",
            "Renamed by the cli",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let edited: Value = serde_json::from_str(&out).expect("product json");
    assert_eq!(
        (edited["id"].as_str(), edited["name"].as_str()),
        (Some(first), Some("Renamed by the cli"))
    );
    let (code, out, err) = store.od(home.path(), &["customers", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !serde_json::from_str::<Vec<Value>>(&out)
            .expect("customers json")
            .is_empty()
    );
    let (code, out, err) = store.od(home.path(), &["products", "--duplicates", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(serde_json::from_str::<Vec<Value>>(&out).is_ok(), "{out}");
    let (code, _, err) = store.od(home.path(), &["serve"]);
    assert_eq!(code, 3, "{err}");

    // A malformed frame, an oversized one, a cut one: that connection ends, not the service.
    let mut bad = raw(&store.data).await;
    bad.write_all(&5u32.to_be_bytes()).await.expect("write");
    bad.write_all(b"{oops").await.expect("write");
    assert!(
        closed_by_service(&mut bad).await,
        "a malformed frame closes"
    );
    let mut big = raw(&store.data).await;
    big.write_all(&u32::MAX.to_be_bytes()).await.expect("write");
    assert!(
        closed_by_service(&mut big).await,
        "an oversized frame closes"
    );
    let mut cut = raw(&store.data).await;
    cut.write_all(&100u32.to_be_bytes()).await.expect("write");
    cut.write_all(b"{\"type\"").await.expect("write");
    drop(cut);
    // Another protocol is told both versions.
    let stream = UnixStream::connect(socket_path(&store.data))
        .await
        .expect("connect");
    match Client::hello(stream, PROTOCOL_VERSION + 1).await {
        Err(ClientError::Refused(m)) => assert!(
            m.contains(&format!("protocol {PROTOCOL_VERSION}"))
                && m.contains(&format!("protocol {}", PROTOCOL_VERSION + 1)),
            "{m}"
        ),
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("another protocol was welcomed"),
    }
    a.execute(&reference, note(id, "still served"))
        .await
        .expect("the service still answers");

    // SIGHUP: roles from the reloaded config; an unnamed user is a viewer and cannot change
    // an order (a bad config first: logged, the old one kept).
    let text = std::fs::read_to_string(&store.cfg).expect("config");
    reload(
        &service,
        &store.cfg,
        &format!("{text}\n[operators]\nsomeone = \"boss\"\n"),
    )
    .await;
    a.execute(&reference, note(id, "old roles"))
        .await
        .expect("a bad config keeps the old roles");
    reload(
        &service,
        &store.cfg,
        &format!("{text}\n[operators]\nsomeone = \"manager\"\n"),
    )
    .await;
    let refused = a.execute(&reference, note(id, "viewer")).await;
    let want = format!("adding a note needs the clerk role; {} is a viewer", me());
    assert_eq!(
        refused.map(|_| ()),
        Err(CommandError::Forbidden(want.clone()))
    );
    let (code, out, _) = store.od(home.path(), &["order", &reference, "note", "x", "--json"]);
    let v: Value = serde_json::from_str(out.trim()).expect("json error");
    assert_eq!(
        (code, v["code"].as_str(), v["error"].as_str()),
        (1, Some("forbidden"), Some(want.as_str()))
    );
    let notes = (b
        .order_detail(id)
        .await
        .expect("detail")
        .expect("order")
        .timeline)
        .iter()
        .filter(|t| t.kind == "note")
        .count();
    assert_eq!(
        notes, 4,
        "from a, from the cli, still served, old roles: not the viewer's"
    );

    // SIGTERM: exit 0, the socket gone, the clients told.
    service.signal(libc::SIGTERM);
    assert_eq!(service.wait(), Some(0));
    assert!(!socket_path(&store.data).exists());
    let gone = b.execute("", note(id, "after")).await;
    assert!(
        matches!(gone, Err(CommandError::Failed { ref code, .. }) if code == "service"),
        "{gone:?}"
    );
}

/// `orderdesk catalog sync STORE` while the service holds the store: the service runs it, the
/// subcommand waits for its end and reports it as a run of its own would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_sync_asked_on_the_command_line_runs_in_the_service() {
    let home = tempfile::tempdir().expect("tempdir");
    let store = SyncedStore::start(home.path(), 5);
    let _service = start(home.path(), &store).await;
    let desk = Desk::Remote(connect(&store.data).await);
    let mut events = desk.subscribe();
    let (code, out, err) = store.od(home.path(), &["catalog", "sync", "web", "--yes", "--json"]);
    assert_eq!(code, 0, "{err}");
    let p: Value = serde_json::from_str(out.trim()).expect("one JSON document");
    assert_eq!(p["store"], "web");
    assert_eq!(p["complete"], true, "{p}");
    assert!(p["read"].as_u64().unwrap_or(0) > 0, "{p}");
    assert_eq!(p["read"], p["total"], "{p}");
    // The other clients heard it end.
    let done = loop {
        match tokio::time::timeout(Duration::from_secs(10), events.recv()).await {
            Ok(Ok(EngineEvent::CatalogDone { store, message })) => break (store, message),
            Ok(Ok(_)) => continue,
            other => panic!("no end of the catalog sync heard: {other:?}"),
        }
    };
    assert_eq!(done.0, "web");
    // An unknown store is refused before anything is asked of the service.
    let (code, _, err) = store.od(home.path(), &["catalog", "sync", "nope", "--yes"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("unknown store"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_of_the_service_loses_nothing_and_clients_reconnect() {
    let home = tempfile::tempdir().expect("tempdir");
    let store = SyncedStore::start(home.path(), 20);
    let mut service = start(home.path(), &store).await;
    let client = connect(&store.data).await;
    let desk = Desk::Remote(client.clone());
    let (reference, id) = an_order(&desk).await;
    // A client that goes away mid-conversation does not harm the service.
    let quitter = connect(&store.data).await;
    let asked = quitter.request(Request::Query(orderdesk::engine::command::Query::Status));
    drop(tokio::time::timeout(Duration::from_millis(1), asked).await);
    drop(quitter);
    let answered = desk.execute(&reference, note(id, "before the kill")).await;
    assert!(answered.is_ok(), "{answered:?}");

    service.signal(libc::SIGKILL);
    assert_eq!(service.wait(), None, "killed");
    let gone = client
        .request(Request::Query(orderdesk::engine::command::Query::Counts))
        .await;
    assert!(
        matches!(gone, Err(ClientError::Gone)),
        "{:?}",
        gone.map(|_| ())
    );
    assert!(!client.is_open());

    // Back again (the stale socket replaced): the note answered before the kill is there.
    let _again = start(home.path(), &store).await;
    let desk = Desk::Remote(connect(&store.data).await);
    let detail = desk.order_detail(id).await.expect("detail").expect("order");
    assert!(
        detail.timeline.iter().any(|t| t.text == "before the kill"),
        "{:?}",
        detail.timeline
    );
    let reply = connect(&store.data)
        .await
        .request(Request::Command {
            label: reference.clone(),
            command: note(id, "after"),
        })
        .await;
    assert!(
        matches!(reply, Ok(Reply::Answer(_))),
        "{:?}",
        reply.map(|_| ())
    );
}
