//! `c` on a store in the Sync log: a confirmation, then the catalog sync goes to the sync
//! layer; its progress sits on the footer's right while the operator works elsewhere, and
//! its end is said there.

use super::tests::render;
use crate::engine::EngineEvent;
use crate::engine::command::Command;
use crate::tui::app::modal::{ModalBody, OnYes};
use crate::tui::app::tests_forms::key;
use crate::tui::app::{App, Effect, Msg};
use crate::tui::fixtures;

fn footer(app: &App) -> String {
    let b = render(app);
    let buf = b.buffer();
    let y = buf.area.height - 1;
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}

#[test]
fn c_asks_first_then_hands_the_stores_catalog_sync_on() {
    let mut app = fixtures::app(120, 40);
    // Not on a store: it says where to press it.
    assert!(key(&mut app, "c").is_empty());
    assert!(
        app.notice.as_deref().unwrap_or("").contains("Sync log"),
        "{:?}",
        app.notice
    );
    key(&mut app, "2");
    assert!(
        key(&mut app, "c").is_empty(),
        "nothing runs before the answer"
    );
    let store = app.runs[0].store.clone();
    let Some(ModalBody::Confirm(c)) = app.modals.last().map(|m| m.body.clone()) else {
        panic!("a confirmation");
    };
    assert!(
        c.lines.join(" ").contains("rewrites product names"),
        "{:?}",
        c.lines
    );
    assert!(
        matches!(&c.on_yes, OnYes::Command { command: Command::CatalogSync { store: s }, .. } if *s == store)
    );
    let effects = key(&mut app, "y");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Command { command: Command::CatalogSync { store: s }, .. } if *s == store)),
        "{effects:?}"
    );
    // No: nothing asked.
    key(&mut app, "c");
    assert!(key(&mut app, "n").is_empty());
}

#[test]
fn the_progress_shows_on_the_footer_beside_the_hints_and_the_end_is_said() {
    let mut app = fixtures::app(120, 40);
    app.update(Msg::Engine(EngineEvent::CatalogProgress {
        store: "web".into(),
        done: 1200,
        total: Some(50_000),
        per_second: 150,
        seconds_left: Some(326),
    }));
    let line = footer(&app);
    assert!(
        line.contains("web catalog 1200/50000 150/s 5m26s left"),
        "{line}"
    );
    assert!(line.contains("? help"), "the hints stay: {line}");
    // The operator works elsewhere meanwhile.
    key(&mut app, "down");
    assert!(footer(&app).contains("1200/50000"));
    let effects = app.update(Msg::Engine(EngineEvent::CatalogDone {
        store: "web".into(),
        message: "catalog: 50000 products read".into(),
    }));
    assert!(
        effects.contains(&Effect::LoadRuns),
        "the sync log again: {effects:?}"
    );
    assert_eq!(app.catalog, None);
    assert!(footer(&app).contains("web: catalog: 50000 products read"));
}
