//! The one loop: terminal events, engine events and effect answers, selected together. Draws
//! only when something changed, at most once per frame interval; no fixed tick.

use super::TuiError;
use super::action::Action;
use super::app::{App, Effect, Msg};
use super::latency::KeyClock;
use super::screen::Screen;
use super::terminal::{self, EndingSignals, TerminalGuard};
use super::ui;
use crate::engine::Engine;
use crate::engine::command::{Command, Operator};
use crossterm::event::{Event, EventStream, MouseEventKind};
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio::time::{Instant, MissedTickBehavior, interval, sleep_until};

const FRAME: Duration = Duration::from_millis(10);
const SPINNER_STEP: Duration = Duration::from_millis(120);

pub async fn run(
    mut app: App,
    engine: Engine,
    operator: Operator,
    mouse: bool,
) -> Result<(), TuiError> {
    let mut ending = EndingSignals::listen()?;
    let guard = TerminalGuard::enter(mouse, &app.settings.log_file)?;
    let (width, height) = crossterm::terminal::size()?;
    let mut screen = Screen::new(width, height)?;
    app.size = (width, height);

    let mut events = EventStream::new();
    let mut engine_rx = engine.subscribe();
    let mut engine_open = true;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut spinner = interval(SPINNER_STEP);
    spinner.set_missed_tick_behavior(MissedTickBehavior::Skip);

    let mut clock = KeyClock::default();
    for e in app.init() {
        execute(e, &engine, &operator, &tx, &mut clock);
    }
    // Debug builds only: a panic on demand, so a test can show the terminal comes back and the
    // panic reaches the log file.
    #[cfg(debug_assertions)]
    if std::env::var_os("ORDERDESK_TEST_PANIC").is_some() {
        tokio::spawn(async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            panic!("test panic (ORDERDESK_TEST_PANIC is set)");
        });
    }
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let result = loop {
        if terminal::panicked() {
            break Err(TuiError::Panicked);
        }
        if dirty && last_draw.elapsed() >= FRAME {
            let t = std::time::Instant::now();
            screen.draw(|f| ui::draw(f, &app))?;
            clock.drawn(t.elapsed(), !app.pending.rows.is_empty());
            dirty = false;
            last_draw = Instant::now();
        }
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) => {
                    clock.key();
                    Msg::Key(k)
                }
                Some(Ok(Event::Resize(w, h))) => {
                    screen.resize(w, h)?;
                    Msg::Resize(w, h)
                }
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(Event::Mouse(m))) => match m.kind {
                    MouseEventKind::ScrollDown => Msg::Action(Action::Down),
                    MouseEventKind::ScrollUp => Msg::Action(Action::Up),
                    _ => continue,
                },
                Some(Ok(_)) => continue,
                Some(Err(e)) => break Err(e.into()),
                None => break Ok(()),
            },
            ev = engine_rx.recv(), if engine_open => match ev {
                Ok(ev) => Msg::Engine(ev),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!("console missed {n} engine events; asking again");
                    Msg::Resync
                }
                Err(broadcast::error::RecvError::Closed) => {
                    engine_open = false;
                    continue;
                }
            },
            Some(msg) = rx.recv() => {
                clock.answered();
                msg
            }
            _ = sleep_until(last_draw + FRAME), if dirty => continue,
            _ = spinner.tick(), if app.syncing() => Msg::Tick,
            _ = terminal::panic_notice() => continue,
            name = ending.recv() => {
                tracing::info!("{name}: closing the console");
                break Ok(());
            }
        };
        dirty = true;
        for e in app.update(msg) {
            match e {
                Effect::Quit => {}
                Effect::Redraw => screen.clear()?,
                Effect::Title(title) => terminal::set_title(&title)?,
                Effect::Bell => terminal::bell()?,
                e => execute(e, &engine, &operator, &tx, &mut clock),
            }
        }
        if app.quit {
            break Ok(());
        }
    };
    drop(screen);
    drop(guard);
    result
}

/// Runs one effect as a task; its answer comes back as a message.
fn execute(
    effect: Effect,
    engine: &Engine,
    operator: &Operator,
    tx: &mpsc::UnboundedSender<Msg>,
    clock: &mut KeyClock,
) {
    if let Effect::Sync(store) = &effect {
        // Answered by the sync loop's own events; only a refusal is worth a line.
        let command = Command::SyncNow {
            store: store.clone(),
        };
        if let Err(e) = engine.execute(operator, "sync", command) {
            let _ = tx.send(Msg::Failed(e.to_string()));
        }
        return;
    }
    if matches!(
        effect,
        Effect::Redraw | Effect::Quit | Effect::Title(_) | Effect::Bell
    ) {
        return;
    }
    clock.asked();
    let engine = engine.clone();
    let operator = operator.clone();
    let tx = tx.clone();
    tokio::spawn(async move {
        let what = format!("{effect:?}");
        let answer = tokio::task::spawn_blocking(move || query(effect, &engine, &operator)).await;
        let msg = match answer {
            Ok(Some(msg)) => msg,
            Ok(None) => return,
            Err(e) => {
                tracing::error!("{what} failed: {e}");
                Msg::Failed(format!(
                    "internal error while loading; see the log ({what})"
                ))
            }
        };
        let _ = tx.send(msg);
    });
}

fn query(effect: Effect, engine: &Engine, operator: &Operator) -> Option<Msg> {
    let failed = |what: &str, e: crate::engine::EngineError| {
        tracing::warn!("{what}: {e}");
        Msg::Failed(format!("{what}: {e}"))
    };
    Some(match effect {
        Effect::LoadCounts => Msg::Counts(engine.counts()),
        Effect::LoadPending(req) => match &req.filter {
            Some(f) => match engine.filter_page(f, req.from.clone(), req.limit) {
                Ok(page) => Msg::Filtered(req, page),
                Err(e) => failed("filtering orders", e),
            },
            None => match engine.pending_page(req.from.clone(), req.limit) {
                Ok(rows) => Msg::Pending(req, rows),
                Err(e) => failed("loading orders", e),
            },
        },
        Effect::FindOrder { seq, name } => Msg::OrdersNamed {
            found: engine.find_order(&name).map_err(|e| e.to_string()),
            seq,
            name,
        },
        Effect::LoadDetail(id) => match engine.order_detail(id) {
            Ok(d) => Msg::Detail(id, d.map(Box::new)),
            Err(e) => failed("loading the order", e),
        },
        Effect::LoadRuns => match engine.sync_runs(super::app::RUNS_SHOWN) {
            Ok(runs) => Msg::SyncRuns(runs),
            Err(e) => failed("loading the sync log", e),
        },
        Effect::LoadPictures => match engine.sync_pictures() {
            Ok(p) => Msg::Pictures(p),
            Err(e) => failed("loading the sync log's pictures", e),
        },
        Effect::LoadRunDetail(id) => match engine.sync_run(id) {
            Ok(r) => Msg::RunDetail(id, r),
            Err(e) => failed("loading the sync run", e),
        },
        Effect::LoadProblems => match engine.problems() {
            Ok(p) => Msg::Problems(p),
            Err(e) => failed("loading the errors", e),
        },
        Effect::LoadStores => match engine.stores() {
            Ok(s) => Msg::Stores(s),
            Err(e) => failed("loading the stores", e),
        },
        Effect::LoadManifests => match engine.manifests() {
            Ok(list) => Msg::Manifests(list),
            Err(e) => failed("loading the manifests", e),
        },
        Effect::LoadManifest(id) => match engine.manifest_detail(id) {
            Ok(d) => Msg::ManifestDetail(id, d.map(Box::new)),
            Err(e) => failed("loading the manifest", e),
        },
        Effect::LoadInvoices => match engine.invoices() {
            Ok(list) => Msg::Invoices(list),
            Err(e) => failed("loading the invoices", e),
        },
        Effect::SelectAll(filter) => Msg::SelectedAll(
            engine
                .matching_orders(filter.as_ref(), super::app::SELECT_MAX + 1)
                .map_err(|e| e.to_string()),
        ),
        Effect::LoadOrderFor(id, intent) => match engine.order_detail(id) {
            Ok(d) => Msg::OrderFor(intent, id, d.map(Box::new)),
            Err(e) => failed("loading the order", e),
        },
        Effect::Command {
            modal,
            seq,
            label,
            command,
        } => {
            let result = engine.execute(operator, &label, command.clone());
            if let Err(e) = &result {
                tracing::info!("{command:?}: {e:?}");
            }
            Msg::Answer {
                modal,
                seq,
                command,
                result,
            }
        }
        Effect::Sync(_) | Effect::Redraw | Effect::Quit | Effect::Title(_) | Effect::Bell => {
            return None;
        }
    })
}
