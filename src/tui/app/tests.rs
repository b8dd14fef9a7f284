use super::*;
use crate::engine::EngineEvent;
use crate::engine::{OrderRow, PageFrom, RowKey};
use crate::tui::fixtures::{self, rows};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(app: &mut App, k: &str) -> Vec<Effect> {
    let chord = crate::tui::keymap::Chord::parse(k).unwrap();
    app.update(Msg::Key(KeyEvent::new(chord.code, chord.mods)))
}

fn loads(effects: &[Effect]) -> Vec<&PageRequest> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadPending(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn selected_id(app: &App) -> Option<u64> {
    app.pending.selected().map(|r| r.id)
}

/// An app at 80x24 whose Pending pane holds a first page of `n` rows out of many.
fn paged_app(first_page: usize) -> App {
    let mut app = App::new(
        fixtures::settings(),
        crate::tui::keymap::load_keymap("default", None).unwrap(),
        (80, 24),
    );
    let req = PendingWindow::start(app.pending_view());
    assert_eq!(req.limit, app.pending_view() + pending::MARGIN);
    let page = rows(1, first_page.min(req.limit));
    app.update(Msg::Pending(req, page));
    app
}

#[test]
fn init_asks_only_for_a_page_of_pending_rows() {
    let app = App::new(
        fixtures::settings(),
        crate::tui::keymap::load_keymap("default", None).unwrap(),
        (80, 24),
    );
    let effects = app.init();
    assert!(effects.contains(&Effect::LoadCounts));
    assert!(effects.contains(&Effect::LoadRuns));
    // The Errors pane's rows and a margin, not every open problem.
    let errors = Effect::LoadProblems(0, app.problems_view() + 20);
    assert!(effects.contains(&errors), "{effects:?}");
    let pages = loads(&effects);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].from, PageFrom::Start);
    // 80x24: 7 rows visible in Pending, plus the margin.
    assert_eq!(app.pending_view(), 7);
    assert_eq!(pages[0].limit, 7 + pending::MARGIN);
}

#[test]
fn moving_selection_with_keys() {
    let mut app = fixtures::app(80, 24);
    assert_eq!(selected_id(&app), Some(1));
    key(&mut app, "j");
    key(&mut app, "down");
    assert_eq!(selected_id(&app), Some(3));
    key(&mut app, "k");
    assert_eq!(selected_id(&app), Some(2));
    key(&mut app, "end");
    assert_eq!(
        selected_id(&app),
        Some(7),
        "all rows loaded: end stays local"
    );
    key(&mut app, "up");
    key(&mut app, "home");
    assert_eq!(selected_id(&app), Some(1));
    key(&mut app, "up");
    assert_eq!(selected_id(&app), Some(1), "no moving above the first row");
}

#[test]
fn switching_panes() {
    let mut app = fixtures::app(80, 24);
    assert_eq!(app.focus, Pane::Pending);
    key(&mut app, "tab");
    assert_eq!(app.focus, Pane::SyncLog);
    key(&mut app, "tab");
    assert_eq!(app.focus, Pane::Errors);
    key(&mut app, "tab");
    assert_eq!(app.focus, Pane::Pending);
    key(&mut app, "shift-tab");
    assert_eq!(app.focus, Pane::Errors);
    key(&mut app, "2");
    assert_eq!(app.focus, Pane::SyncLog);
    // Moving in the Sync log moves its own cursor only.
    key(&mut app, "j");
    assert_eq!(app.runs_cursor.sel, 1);
    assert_eq!(selected_id(&app), Some(1));
}

#[test]
fn enter_opens_the_order_and_esc_goes_back() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "j");
    let effects = key(&mut app, "enter");
    assert_eq!(effects, vec![Effect::LoadDetail(2)]);
    assert!(matches!(
        app.view,
        View::Order {
            id: 2,
            detail: None,
            ..
        }
    ));
    app.update(Msg::Detail(2, Some(Box::new(fixtures::detail()))));
    assert!(matches!(
        &app.view,
        View::Order {
            detail: Some(_),
            ..
        }
    ));
    // An answer for another order is not shown.
    app.update(Msg::Detail(9, None));
    assert!(matches!(
        &app.view,
        View::Order {
            id: 2,
            detail: Some(_),
            ..
        }
    ));
    key(&mut app, "j");
    assert!(matches!(&app.view, View::Order { scroll: 1, .. }));
    key(&mut app, "esc");
    assert_eq!(app.view, View::Main);
    assert_eq!(selected_id(&app), Some(2));
}

#[test]
fn enter_in_sync_log_opens_the_run_and_errors_open_their_order() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "tab");
    let effects = key(&mut app, "enter");
    assert_eq!(effects, vec![Effect::LoadRunDetail(14)]);
    assert!(matches!(
        &app.view,
        View::Run {
            id: 14,
            run: Some(_),
            ..
        }
    ));
    key(&mut app, "esc");
    key(&mut app, "tab");
    assert_eq!(app.focus, Pane::Errors);
    // The first problem is about the store: nothing to open.
    assert!(key(&mut app, "enter").is_empty());
    key(&mut app, "j");
    assert_eq!(key(&mut app, "enter"), vec![Effect::LoadDetail(2)]);
}

#[test]
fn sync_asks_for_the_selected_store_in_the_sync_log_else_all() {
    let mut app = fixtures::app(80, 24);
    assert_eq!(key(&mut app, "r"), vec![Effect::Sync(None)]);
    key(&mut app, "tab");
    assert_eq!(key(&mut app, "r"), vec![Effect::Sync(Some("web".into()))]);
    assert_eq!(app.notice.as_deref(), Some("sync requested for web"));
    assert_eq!(key(&mut app, "R"), vec![Effect::Sync(None)]);
}

#[test]
fn q_quits_and_help_takes_q_to_close() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "?");
    assert_eq!(app.help, Some(0));
    assert_eq!(app.contexts()[0], crate::tui::keymap::Context::Help);
    // While help is open tab does not move the panes under it.
    key(&mut app, "tab");
    assert_eq!(app.focus, Pane::Pending);
    assert!(key(&mut app, "q").is_empty());
    assert_eq!(app.help, None);
    assert!(!app.quit);
    assert_eq!(key(&mut app, "q"), vec![Effect::Quit]);
    assert!(app.quit);
}

#[test]
fn ctrl_r_redraws_and_ctrl_l_is_left_to_tmux() {
    let mut app = fixtures::app(80, 24);
    let ev = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(app.update(Msg::Key(ev)), vec![Effect::Redraw]);
    let ev = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL);
    assert!(app.update(Msg::Key(ev)).is_empty());
}

#[test]
fn scrolling_past_the_window_loads_the_next_page() {
    let mut app = paged_app(100);
    let limit = PendingWindow::limit(app.pending_view());
    assert_eq!(app.pending.rows.len(), limit);
    assert!(!app.pending.at_end);
    let mut asked = Vec::new();
    for _ in 0..limit {
        asked.extend(key(&mut app, "down"));
    }
    let pages = loads(&asked);
    assert_eq!(
        pages.len(),
        1,
        "one page asked for, not one per key: {pages:?}"
    );
    let last_key = app.pending.rows.last().unwrap().key.clone();
    assert_eq!(pages[0].from, PageFrom::After(last_key));
    assert_eq!(pages[0].kind, PageKind::Next);
    // The selection waits at the last loaded row; the keys beyond are kept.
    assert_eq!(selected_id(&app), Some(limit as u64));
    let req = pages[0].clone();
    app.update(Msg::Pending(req, rows(limit as u64 + 1, limit)));
    assert_eq!(
        selected_id(&app),
        Some(limit as u64 + 1),
        "the deferred move lands"
    );
    assert_eq!(app.pending.rows.len(), 2 * limit);
}

#[test]
fn page_down_and_end_use_keyset_paging() {
    let mut app = paged_app(100);
    let view = app.pending_view();
    let effects = key(&mut app, "pagedown");
    assert_eq!(selected_id(&app), Some(view as u64 + 1));
    assert_eq!(loads(&effects).len(), 1, "close to the edge: prefetch");
    let effects = key(&mut app, "end");
    let pages = loads(&effects);
    assert_eq!(pages[0].from, PageFrom::End);
    let req = pages[0].clone();
    // The engine answers the last rows (one extra: the anchor for later refreshes).
    app.update(Msg::Pending(
        req.clone(),
        rows(1000 - req.limit as u64 + 1, req.limit),
    ));
    assert_eq!(selected_id(&app), Some(1000));
    assert!(app.pending.at_end && !app.pending.at_start);
    // Up from the window's top asks for the rows before it.
    let mut asked = Vec::new();
    for _ in 0..req.limit {
        asked.extend(key(&mut app, "up"));
    }
    let prev = loads(&asked);
    assert_eq!(prev.len(), 1);
    assert_eq!(
        prev[0].from,
        PageFrom::Before(app.pending.rows[0].key.clone())
    );
    // Home goes back to the start with a fresh first page.
    let home = key(&mut app, "home");
    assert_eq!(loads(&home)[0].from, PageFrom::Start);
}

#[test]
fn stale_pages_are_dropped() {
    let mut app = paged_app(100);
    let req = PageRequest {
        kind: PageKind::Next,
        from: PageFrom::After(RowKey(vec![9, 9])),
        limit: 5,
        filter: None,
    };
    let before: Vec<OrderRow> = app.pending.rows.clone();
    app.update(Msg::Pending(req, rows(500, 5)));
    assert_eq!(app.pending.rows, before);
}

#[test]
fn orders_changed_refreshes_counts_and_the_window_keeping_the_selection() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "j");
    key(&mut app, "j");
    let effects = app.update(Msg::Engine(EngineEvent::OrdersChanged));
    assert!(effects.contains(&Effect::LoadCounts));
    let req = loads(&effects)[0].clone();
    assert_eq!(req.kind, PageKind::Refresh);
    assert_eq!(req.from, PageFrom::Start);
    // #1042 was dealt with: it leaves the list; the selection stays on #1047.
    let rows: Vec<_> = fixtures::sample_rows().into_iter().skip(1).collect();
    app.update(Msg::Pending(req, rows));
    assert_eq!(selected_id(&app), Some(3));
}

#[test]
fn sync_events_drive_the_spinner_state() {
    let mut app = fixtures::app(80, 24);
    assert!(!app.syncing());
    let e = app.update(Msg::Engine(EngineEvent::SyncRun {
        store: "web".into(),
        running: true,
    }));
    assert!(app.syncing());
    assert!(e.contains(&Effect::LoadRuns));
    let e = app.update(Msg::Engine(EngineEvent::SyncRun {
        store: "web".into(),
        running: false,
    }));
    assert!(!app.syncing());
    // A run's end changes the day's counts and durations.
    assert!(e.contains(&Effect::LoadPictures), "{e:?}");
    // A problem may be an outbox item that failed: the outbox gauge again.
    assert_eq!(
        app.update(Msg::Engine(EngineEvent::ProblemsChanged)),
        vec![app.load_problems(), Effect::LoadOutboxCounts]
    );
}

/// An intake page or an action (OrdersChanged) asks only for the outbox's counts, not for the
/// pictures that read up to a day of runs; the counts move the gauge and its peak.
#[test]
fn an_order_change_reloads_the_outbox_gauge_alone() {
    let mut app = fixtures::app(80, 24);
    let e = app.update(Msg::Engine(EngineEvent::OrdersChanged));
    assert!(e.contains(&Effect::LoadOutboxCounts), "{e:?}");
    assert!(!e.contains(&Effect::LoadPictures), "{e:?}");
    app.update(Msg::OutboxCounts(7, 2));
    assert_eq!(
        (app.pictures.outbox_waiting, app.pictures.outbox_failed),
        (7, 2)
    );
    assert_eq!(app.outbox_peak, 9);
    app.update(Msg::OutboxCounts(3, 0));
    assert_eq!(app.outbox_peak, 9, "the peak holds while items wait");
    app.update(Msg::OutboxCounts(0, 0));
    assert_eq!(app.outbox_peak, 0, "an empty outbox starts the peak again");
}

#[test]
fn a_running_run_s_counts_so_far_reload_the_sync_log() {
    let mut app = fixtures::app(80, 24);
    let progress = EngineEvent::SyncProgress {
        store: "web".into(),
    };
    assert_eq!(
        app.update(Msg::Engine(progress.clone())),
        vec![Effect::LoadRuns]
    );
    // With a run open, that run too.
    app.view = View::Run {
        id: 14,
        run: None,
        scroll: 0,
    };
    let e = app.update(Msg::Engine(progress));
    assert!(e.contains(&Effect::LoadRunDetail(14)), "{e:?}");
}
