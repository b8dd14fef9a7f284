//! The one loop: terminal events, engine events and effect answers, selected together. Draws
//! only when something changed, at most once per frame interval (an answer to the operator's
//! own request at once); no fixed tick.

use super::TuiError;
use super::action::Action;
use super::app::{App, Effect, Msg};
use super::latency::KeyClock;
use super::loads::{InFlight, Turn};
use super::screen::Screen;
use super::terminal::{self, EndingSignals, TerminalGuard};
use super::ui;
use crate::engine::command::Command;
use crate::service::Desk;
use crossterm::event::{Event, EventStream, MouseEventKind};
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio::time::{Instant, MissedTickBehavior, interval, sleep_until};

const FRAME: Duration = Duration::from_millis(10);
const SPINNER_STEP: Duration = Duration::from_millis(120);

pub async fn run(mut app: App, mut desk: Desk, mouse: bool) -> Result<(), TuiError> {
    let mut ending = EndingSignals::listen()?;
    let guard = TerminalGuard::enter(mouse, &app.settings.log_file)?;
    let (width, height) = crossterm::terminal::size()?;
    let mut screen = Screen::new(width, height)?;
    app.size = (width, height);

    let mut events = EventStream::new();
    let mut engine_rx = desk.subscribe();
    // Attached to a service: told when it goes and comes back (a new connection).
    let (desks, mut new_desk) = mpsc::unbounded_channel::<Desk>();
    let mut engine_open = true;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let watcher = super::attach::watch(&desk, tx.clone(), desks);
    let in_flight = InFlight::default();
    let mut spinner = interval(SPINNER_STEP);
    spinner.set_missed_tick_behavior(MissedTickBehavior::Skip);

    let mut clock = KeyClock::default();
    for e in app.init() {
        execute(e, &desk, &in_flight, &tx, &mut clock);
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
    let mut answered = false;
    let mut last_draw = Instant::now() - FRAME;
    let result = loop {
        if terminal::panicked() {
            break Err(TuiError::Panicked);
        }
        // An answer while a key waits to be shown (a detail, a form's data) is drawn at once:
        // one frame after the key already showed that it was taken, and the frame interval
        // would hold the answer back up to 10 ms more. Only the answers to a key jump the
        // interval (a few per key); what a sync brings in waits its turn as before.
        if dirty && (answered || last_draw.elapsed() >= FRAME) {
            answered = false;
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
            Some(d) = new_desk.recv() => {
                desk = d;
                engine_rx = desk.subscribe();
                engine_open = true;
                Msg::Resync
            }
            Some(msg) = rx.recv() => {
                clock.answered();
                answered = clock.awaiting_key();
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
                e => execute(e, &desk, &in_flight, &tx, &mut clock),
            }
        }
        if app.quit {
            break Ok(());
        }
    };
    if let Some(w) = watcher {
        w.abort();
    }
    drop(screen);
    drop(guard);
    result
}

/// Runs one effect as a task; its answer comes back as a message.
fn execute(
    effect: Effect,
    desk: &Desk,
    in_flight: &InFlight,
    tx: &mpsc::UnboundedSender<Msg>,
    clock: &mut KeyClock,
) {
    if let Effect::Sync(store) = &effect {
        // Answered by the sync loop's own events; only a refusal is worth a line.
        let command = Command::SyncNow {
            store: store.clone(),
        };
        let (desk, tx) = (desk.clone(), tx.clone());
        tokio::spawn(async move {
            if let Err(e) = desk.execute("sync", command).await {
                let _ = tx.send(Msg::Failed(e.to_string()));
            }
        });
        return;
    }
    if matches!(
        effect,
        Effect::Redraw | Effect::Quit | Effect::Title(_) | Effect::Bell
    ) {
        return;
    }
    match in_flight.ask(&effect) {
        Turn::Now => clock.asked(),
        Turn::Waits(true) => return clock.asked(),
        Turn::Waits(false) => return,
    }
    let (desk, tx, in_flight) = (desk.clone(), tx.clone(), in_flight.clone());
    tokio::spawn(async move {
        let mut effect = effect;
        loop {
            // A load or command that panicked answers as an internal error, not silence.
            let what = format!("{effect:?}");
            let (asked, desk2) = (effect.clone(), desk.clone());
            let answer = tokio::spawn(async move { super::loads::load(asked, &desk2).await }).await;
            let msg = match answer {
                Ok(Some(msg)) => Some(msg),
                Ok(None) => None,
                Err(e) => {
                    tracing::error!("{what} failed: {e}");
                    Some(Msg::Failed(format!(
                        "internal error while loading; see the log ({what})"
                    )))
                }
            };
            if let Some(msg) = msg {
                let _ = tx.send(msg);
            }
            match in_flight.next(&effect) {
                Some(next) => effect = next,
                None => return,
            }
        }
    });
}
