//! The pickers' prefilled search (identify, fix match): selected, so the first character typed
//! or pasted replaces it; a key that moves or deletes first only drops the selection.

use super::tests_forms::{answer, key, one_command, picker, typed, with_detail};
use super::*;
use crate::domain::OrderState;
use crate::engine::command::{Answer, Command};
use crate::tui::fixtures::{self, order_in};

fn searched(effects: &[Effect]) -> String {
    match one_command(effects).2 {
        Command::SearchCustomers { query } | Command::SearchProducts { query } => query,
        other => panic!("not a search: {other:?}"),
    }
}

fn selected(app: &App) -> bool {
    picker(app).query.as_ref().is_some_and(|q| q.selected())
}

#[test]
fn typing_replaces_the_prefilled_name_in_identify() {
    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    assert_eq!(searched(&key(&mut app, "i")), "Ilona Tündér");
    assert!(selected(&app));
    assert_eq!(searched(&typed(&mut app, "H")), "H");
    assert!(!selected(&app));
    assert_eq!(searched(&typed(&mut app, "edda")), "Hedda");
    assert_eq!(picker(&app).query_text(), "Hedda");
}

#[test]
fn backspace_or_an_arrow_first_keeps_the_text_then_edits_go_on_normally() {
    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    key(&mut app, "i");
    assert!(key(&mut app, "backspace").is_empty(), "nothing to search");
    assert!(!selected(&app));
    assert_eq!(picker(&app).query_text(), "Ilona Tündér");
    assert_eq!(searched(&key(&mut app, "backspace")), "Ilona Tündé");

    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    key(&mut app, "i");
    assert!(key(&mut app, "left").is_empty());
    assert!(!selected(&app));
    assert_eq!(searched(&typed(&mut app, "x")), "Ilona Tündéxr");

    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    key(&mut app, "i");
    assert_eq!(
        searched(&key(&mut app, "ctrl-u")),
        "",
        "ctrl-u still clears the line"
    );

    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    key(&mut app, "i");
    assert_eq!(searched(&app.paste("Hedda Gabler")), "Hedda Gabler");
    assert_eq!(searched(&typed(&mut app, "!")), "Hedda Gabler!");
}

#[test]
fn each_failing_line_of_fix_match_starts_selected() {
    let mut app = with_detail(80, 24, fixtures::detail());
    let s = one_command(&key(&mut app, "m"));
    assert!(selected(&app));
    answer(&mut app, s, Ok(Answer::Products(fixtures::products())));
    assert_eq!(searched(&typed(&mut app, "T")), "T");
    let s = one_command(&typed(&mut app, "SH-RED"));
    answer(&mut app, s, Ok(Answer::Products(fixtures::products())));
    let map = one_command(&key(&mut app, "enter"));
    let next = one_command(&answer(&mut app, map, Ok(Answer::Done("mapped".into()))));
    assert_eq!(
        next.2,
        Command::SearchProducts {
            query: "CAP-BLK".into()
        }
    );
    assert!(selected(&app), "the next line's SKU is selected too");
    assert_eq!(searched(&typed(&mut app, "c")), "c");
}
