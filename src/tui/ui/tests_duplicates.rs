//! `U` opens the Duplicate SKUs view; `m` keeps the product under the cursor and, after a
//! question, merges another product of its SKU into it (the same command as
//! `orderdesk product ID merge INTO`).

use super::tests::render;
use crate::engine::command::{Answer, Command};
use crate::tui::app::modal::{ModalBody, OnYes};
use crate::tui::app::tests_forms::{answer, key, one_command};
use crate::tui::app::{App, Effect, Msg, View};
use crate::tui::fixtures;
use crate::tui::fixtures::product;

fn groups() -> Vec<(String, Vec<crate::domain::Product>)> {
    let mut kept = product("P12", "MUG-RED", "Mug, red", "9.90", 4);
    kept.remote_codes.insert("web".into(), "4410".into());
    vec![
        (
            "MUG-RED".into(),
            vec![kept, product("P31", "MUG-RED", "Red mug (old)", "9.90", 2)],
        ),
        (
            "TEA-001".into(),
            vec![
                product("P7", "TEA-001", "Green tea 100 g", "7.00", 10),
                product("P40", "TEA-001", "Green tea", "7.00", 0),
                product("P41", "TEA-001", "Tea, green", "7.00", 1),
            ],
        ),
    ]
}

fn duplicates_app(w: u16, h: u16) -> App {
    let mut app = fixtures::app(w, h);
    assert_eq!(key(&mut app, "U"), vec![Effect::LoadDuplicates]);
    app.update(Msg::Duplicates(groups()));
    app
}

#[test]
fn m_asks_then_merges_another_product_of_the_sku_into_the_one_under_the_cursor() {
    let mut app = duplicates_app(80, 24);
    // The third row: P7, the first of the tea's three.
    key(&mut app, "down");
    key(&mut app, "down");
    assert!(
        key(&mut app, "m").is_empty(),
        "nothing runs before the answer"
    );
    let Some(ModalBody::Confirm(c)) = app.modals.last().map(|m| m.body.clone()) else {
        panic!("a confirmation");
    };
    let text = c.lines.join(" ");
    assert!(
        text.contains("Keep P7") && text.contains("merge P40"),
        "{text}"
    );
    assert!(text.contains("1 more of SKU TEA-001"), "{text}");
    let merge = Command::MergeProducts {
        from: "P40".into(),
        into: "P7".into(),
    };
    assert!(matches!(&c.on_yes, OnYes::Command { command, .. } if *command == merge));
    let effects = key(&mut app, "y");
    let sent = one_command(&effects);
    assert_eq!(sent.2, merge);
    // The outcome in the footer.
    let merged = crate::engine::Merged {
        product: product("P7", "TEA-001", "Green tea 100 g", "7.00", 10),
        orders: vec!["web:1042".into(), "web:1047".into()],
        mappings: 1,
        matched_again: vec![],
    };
    answer(&mut app, sent, Ok(Answer::Merged(Box::new(merged))));
    assert_eq!(
        app.notice.as_deref(),
        Some("merged into P7 (Green tea 100 g): 2 order(s) now name it, 0 matched again")
    );
    // The merge changes orders: the view loads the groups again.
    let again = app.update(Msg::Engine(crate::engine::EngineEvent::OrdersChanged));
    assert!(again.contains(&Effect::LoadDuplicates), "{again:?}");
    // Past the last row the cursor stays; esc goes back.
    for _ in 0..10 {
        key(&mut app, "down");
    }
    assert_eq!(app.view, View::Duplicates { sel: 4 });
    key(&mut app, "esc");
    assert_eq!(app.view, View::Main);
}

#[test]
fn with_no_duplicates_the_view_says_so_and_m_merges_nothing() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "U");
    app.update(Msg::Duplicates(Vec::new()));
    assert!(key(&mut app, "m").is_empty());
    assert!(app.modals.is_empty());
    let b = render(&app);
    let text: String = b.buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("No two products share a SKU"), "{text}");
}

#[test]
fn duplicates_80x24() {
    insta::assert_snapshot!("duplicates_80x24", render(&duplicates_app(80, 24)));
}

#[test]
fn duplicates_120x40() {
    insta::assert_snapshot!("duplicates_120x40", render(&duplicates_app(120, 40)));
}
