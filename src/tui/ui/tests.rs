//! Screens as a person sees them, at 80x24 and 120x40 (fixed zone and dates).

use super::draw;
use crate::tui::app::{App, Msg, Pane};
use crate::tui::fixtures;
use crate::tui::keymap::Chord;
use crossterm::event::KeyEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

pub(crate) fn render(app: &App) -> TestBackend {
    let mut term = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    term.draw(|f| draw(f, app)).unwrap();
    term.backend().clone()
}

pub(crate) fn key(app: &mut App, k: &str) {
    let c = Chord::parse(k).unwrap();
    app.update(Msg::Key(KeyEvent::new(c.code, c.mods)));
}

fn screen_text(b: &TestBackend) -> String {
    b.to_string()
}

/// No cell of `buf` has a colour of its own (NO_COLOR).
pub(crate) fn assert_no_colour(buf: &ratatui::buffer::Buffer) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            assert!(
                matches!(c.fg, Color::Reset) && matches!(c.bg, Color::Reset),
                "colour at {x},{y}"
            );
        }
    }
}

fn row_of(b: &TestBackend, needle: &str) -> Option<u16> {
    let buf = b.buffer();
    (0..buf.area.height).find(|y| {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, *y)].symbol().to_string())
            .collect();
        line.contains(needle)
    })
}

#[test]
fn main_screen_80x24() {
    let app = fixtures::app(80, 24);
    insta::assert_snapshot!("main_80x24", render(&app));
}

#[test]
fn main_screen_120x40() {
    let app = fixtures::app(120, 40);
    insta::assert_snapshot!("main_120x40", render(&app));
}

#[test]
fn main_screen_shows_counts_and_marks() {
    let app = fixtures::app(120, 40);
    let b = render(&app);
    let text = screen_text(&b);
    assert!(
        text.contains("Pending orders — 21 need action / 240 open"),
        "{text}"
    );
    assert!(text.contains("1234.50 EUR"));
    assert!(text.contains("Tündér Ilona"));
    assert!(text.contains("#1044 test"));
    assert!(text.contains("line 2: no product with SKU"));
    assert!(text.contains("FAILED: 401 Unauthorized"));
    // The failed run stands out: red and bold.
    let y = row_of(&b, "FAILED: 401").unwrap();
    let x = (0..b.buffer().area.width)
        .find(|x| b.buffer()[(*x, y)].symbol() == "F")
        .unwrap();
    let cell = &b.buffer()[(x, y)];
    assert_eq!(cell.fg, Color::Red);
    assert!(cell.modifier.contains(Modifier::BOLD));
    // The focused selection is reversed.
    let y = row_of(&b, "#1042").unwrap();
    assert!(b.buffer()[(2, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn selection_still_shows_without_colour() {
    let mut app = fixtures::app(80, 24);
    app.settings.theme.mono = true;
    let b = render(&app);
    assert_no_colour(b.buffer());
    let y = row_of(&b, "#1042").unwrap();
    assert!(b.buffer()[(2, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn focus_moves_the_selection_highlight() {
    let mut app = fixtures::app(120, 40);
    key(&mut app, "tab");
    assert_eq!(app.focus, Pane::SyncLog);
    let b = render(&app);
    let y = row_of(&b, "#1042").unwrap();
    assert!(!b.buffer()[(2, y)].modifier.contains(Modifier::REVERSED));
    insta::assert_snapshot!("main_120x40_sync_focused", b);
}

/// The console at `w`x`h` with the second order's detail open.
fn with_detail(w: u16, h: u16) -> App {
    let mut app = fixtures::app(w, h);
    key(&mut app, "j");
    key(&mut app, "enter");
    app.update(Msg::Detail(2, Some(Box::new(fixtures::detail()))));
    app
}

#[test]
fn order_detail_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let app = with_detail(w, h);
        insta::assert_snapshot!(format!("order_detail_{w}x{h}"), render(&app));
    }
}

#[test]
fn order_detail_scrolls_to_the_timeline() {
    let mut app = with_detail(80, 24);
    key(&mut app, "end");
    let text = screen_text(&render(&app));
    assert!(text.contains("VISA 50.00 EUR recorded"), "{text}");
    insta::assert_snapshot!("order_detail_80x24_end", text);
}

#[test]
fn failed_run_detail() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "tab");
    key(&mut app, "enter");
    insta::assert_snapshot!("run_detail_failed_80x24", render(&app));
}

#[test]
fn help_overlay() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "?");
    insta::assert_snapshot!("help_80x24", render(&app));
    let mut app = fixtures::app(120, 40);
    key(&mut app, "?");
    insta::assert_snapshot!("help_120x40", render(&app));
}

/// Every line of the help as the operator scrolls through it, box borders taken off.
fn help_text(app: &mut App) -> String {
    let mut seen = Vec::new();
    loop {
        let b = render(app);
        seen.push(screen_text(&b));
        let at = app.help;
        key(app, "pagedown");
        if app.help == at {
            return seen.join("\n");
        }
    }
}

#[test]
fn help_shows_each_description_whole() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = with_detail(w, h);
        key(&mut app, "?");
        let text = help_text(&mut app);
        for b in app.keymap.bindings(crate::tui::keymap::Context::Detail) {
            assert!(text.contains(&b.desc), "{w}x{h}: {:?} cut:\n{text}", b.desc);
        }
    }
}

#[test]
fn help_scrolled_to_the_end_keeps_the_box_full() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "?");
    key(&mut app, "end");
    let end = app.help.unwrap();
    assert!(end > 0, "the help is longer than 80x24 shows");
    key(&mut app, "pagedown");
    assert_eq!(app.help, Some(end), "no further than the end");
    let b = render(&app);
    let text = screen_text(&b);
    // The last line at the bottom of the box, the one above it just over.
    let log = row_of(&b, "Log file:").unwrap();
    assert_eq!(log, 24 - 2 - 2, "{text}");
    assert!(
        row_of(&b, "Your own keys").is_some_and(|y| y + 1 == log),
        "{text}"
    );
}

#[test]
fn too_small() {
    let app = fixtures::app(60, 15);
    let text = screen_text(&render(&app));
    assert!(
        text.contains("at least 80x20 (this one is 60x15)"),
        "{text}"
    );
    insta::assert_snapshot!("too_small", text);
}

#[test]
fn no_store_configured_says_how_to_add_one() {
    let mut settings = fixtures::settings();
    settings.configured_stores = 0;
    let app = App::new(
        settings,
        crate::tui::keymap::load_keymap("default", None).unwrap(),
        (80, 24),
    );
    let text = screen_text(&render(&app));
    assert!(text.contains("[[store]]"), "{text}");
    insta::assert_snapshot!("no_store_80x24", text);
}

#[test]
fn spinner_only_while_syncing() {
    let mut app = fixtures::app(80, 24);
    assert!(!screen_text(&render(&app)).contains("syncing"));
    app.update(Msg::Engine(crate::engine::EngineEvent::SyncRun {
        store: "web".into(),
        running: true,
    }));
    let text = screen_text(&render(&app));
    assert!(text.contains("⠋ syncing"), "{text}");
    app.update(Msg::Tick);
    assert!(screen_text(&render(&app)).contains("⠙ syncing"));
}

#[test]
fn read_only_store_is_marked() {
    let mut app = fixtures::app(80, 24);
    let mut stores = fixtures::stores();
    stores[0].read_only = true;
    app.update(Msg::Stores(stores));
    assert!(screen_text(&render(&app)).contains("web shopify read-only"));
}

#[test]
fn the_header_says_less_of_each_store_when_many_share_a_narrow_screen() {
    let stores = |ids: &[&str]| {
        let mut out = Vec::new();
        for id in ids {
            let mut s = fixtures::stores()[0].clone();
            s.id = id.to_string();
            s.platform = format!("{id}-platform");
            if let Some(run) = s.last_sync.as_mut() {
                run.ok = true;
            }
            out.push(s);
        }
        out
    };
    let header = |w: u16, ids: &[&str]| {
        let mut app = fixtures::app(w, 24);
        app.update(Msg::Stores(stores(ids)));
        let text = screen_text(&render(&app));
        text.lines().next().unwrap_or_default().to_string()
    };
    let four = ["web", "woo", "ps", "mag"];
    let wide = header(160, &four);
    assert!(
        wide.contains("│ woo woo-platform ✓ ") && wide.contains("anna"),
        "{wide}"
    );
    let narrow = header(80, &four);
    assert!(
        narrow.contains("│ woo ✓ ") && !narrow.contains("platform"),
        "{narrow}"
    );
    assert!(
        narrow.contains("mag ✓") && narrow.contains("anna"),
        "{narrow}"
    );
    let eight = ["web", "woo", "ps", "mag", "tray", "sr", "web2", "woo2"];
    let crowded = header(80, &eight);
    for id in eight {
        assert!(crowded.contains(&format!("│ {id} ✓ ")), "{id}: {crowded}");
    }
}

#[test]
fn with_several_stores_the_errors_name_each_order_s_store() {
    let mut app = fixtures::app(120, 40);
    assert!(
        screen_text(&render(&app)).contains(" #1043 "),
        "one store: names alone"
    );
    let mut stores = fixtures::stores();
    let mut woo = stores[0].clone();
    woo.id = "woo".into();
    stores.push(woo);
    app.update(Msg::Stores(stores));
    let text = screen_text(&render(&app));
    assert!(text.contains("web #1043 "), "{text}");
    assert!(text.contains("store      web last sync failed"), "{text}");
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let k = if c == ' ' {
            "space".to_string()
        } else {
            c.to_string()
        };
        key(app, &k);
    }
}

#[test]
fn filter_line_80x24() {
    use crate::engine::filter::FilterPage;
    let mut app = fixtures::app(80, 24);
    key(&mut app, "/");
    type_text(&mut app, "state:booked kovacs");
    let req = app
        .pending
        .set_filter(app.pending.filter.clone(), app.pending_view());
    use crate::domain::OrderState::Booked;
    let rows = vec![
        fixtures::row(3, "#1043", "Kovács Péter", "89.90", Booked, false),
        fixtures::row(9, "#1051", "Kovács Anna", "24.50", Booked, false),
        fixtures::row(12, "#1066", "Kovács Péter", "130.00", Booked, false),
    ];
    app.update(Msg::Filtered(
        req,
        FilterPage {
            rows,
            more: true,
            resume: None,
            below: None,
        },
    ));
    let b = render(&app);
    let text = screen_text(&b);
    assert!(text.contains("Pending orders — filter: state:booked kovacs — 3+ match"));
    insta::assert_snapshot!("filter_line_80x24", b);

    // A bad term: the error under the line.
    type_text(&mut app, " colour:red");
    let b = render(&app);
    assert!(screen_text(&b).contains("unknown filter term \"colour:\""));
    insta::assert_snapshot!("filter_line_error_80x24", b);
}

#[test]
fn command_line_80x24() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, ":");
    type_text(&mut app, "sync");
    let b = render(&app);
    let text = screen_text(&b);
    assert!(text.contains("▸sync"), "{text}");
    insta::assert_snapshot!("command_line_80x24", b);
}

#[test]
fn a_running_run_shows_its_counts_so_far() {
    let mut app = fixtures::app(120, 40);
    let mut running = fixtures::run(15, true, fixtures::at(22, 6, 5), 0);
    running.finished_at = None;
    (running.fetched, running.booked, running.parked) = (250, 241, 7);
    let mut runs = fixtures::runs();
    runs.insert(0, running);
    app.update(Msg::SyncRuns(runs));
    let b = render(&app);
    let y = row_of(&b, "11-22 06:05").unwrap_or_else(|| panic!("{}", screen_text(&b)));
    let row: String = (0..b.buffer().area.width)
        .map(|x| b.buffer()[(x, y)].symbol().to_string())
        .collect();
    let counts: Vec<&str> = row.split_whitespace().collect();
    for n in ["250", "241", "7"] {
        assert!(counts.contains(&n), "{n} missing from {row:?}");
    }
}

#[test]
fn a_bulk_read_shows_its_progress_in_the_sync_log_without_colour() {
    let mut app = fixtures::app(120, 40);
    app.settings.theme.mono = true;
    let mut run = app.runs[0].clone();
    run.finished_at = None;
    run.ok = false;
    run.message = Some(crate::sync::bulk_progress(
        40_000,
        Some(100_000),
        std::time::Duration::from_secs(60),
    ));
    app.runs[0] = run;
    let b = render(&app);
    let text = screen_text(&b);
    assert!(
        text.contains("web      [####------] 90 s left, 40,00"),
        "{text}"
    );
    assert_no_colour(b.buffer());
    insta::assert_snapshot!("main_120x40_bulk_progress", b);
}
