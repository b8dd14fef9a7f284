//! The filter line (`/`) and the command line (`:`), driven by keys.

use super::*;
use crate::engine::filter::{FilterPage, OrderFilter};
use crate::engine::{PageFrom, RowKey};
use crate::tui::action::Action;
use crate::tui::fixtures::{self, rows};
use crossterm::event::KeyEvent;

fn key(app: &mut App, k: &str) -> Vec<Effect> {
    let chord = crate::tui::keymap::Chord::parse(k).unwrap();
    app.update(Msg::Key(KeyEvent::new(chord.code, chord.mods)))
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        let k = if c == ' ' {
            "space".to_string()
        } else {
            c.to_string()
        };
        out = key(app, &k);
    }
    out
}

fn page_req(effects: &[Effect]) -> Option<PageRequest> {
    effects.iter().rev().find_map(|e| match e {
        Effect::LoadPending(r) => Some(r.clone()),
        _ => None,
    })
}

#[test]
fn slash_filters_as_typed_and_enter_keeps_it() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "tab");
    assert!(key(&mut app, "/").is_empty());
    assert_eq!(app.focus, Pane::Pending, "/ goes to the Pending pane");
    assert_eq!(app.contexts(), vec![crate::tui::keymap::Context::Prompt]);
    // q is text here, not quit.
    let eff = typed(&mut app, "state:booked q");
    assert!(!app.quit);
    let req = page_req(&eff).expect("each change asks for one page");
    assert_eq!(req.kind, PageKind::Start);
    let want = OrderFilter::parse("state:booked q").unwrap();
    assert_eq!(req.filter.as_ref(), Some(&want));
    assert_eq!(app.filter_text, "state:booked q");

    // The page arrives: rows shown, more beyond.
    let page = FilterPage {
        rows: rows(1, 20),
        more: true,
        resume: Some(RowKey(vec![7])),
        below: None,
    };
    let more = app.update(Msg::Filtered(req.clone(), page));
    assert!(more.is_empty(), "a full screen asks for nothing more");
    assert_eq!(app.pending.rows.len(), 20);
    assert!(!app.pending.at_end);

    // Scrolling on goes on from where the scan stopped, not from the last row.
    let mut next = None;
    for _ in 0..20 {
        if let Some(r) = page_req(&key(&mut app, "down")) {
            next = Some(r);
            break;
        }
    }
    let next = next.expect("scrolling asks for more");
    assert_eq!(next.from, PageFrom::After(RowKey(vec![7])));
    assert_eq!(next.filter.as_ref(), Some(&want));

    key(&mut app, "enter");
    assert!(app.prompt.is_none());
    assert_eq!(app.filter_text, "state:booked q", "enter keeps the filter");
    assert_eq!(app.contexts()[0], crate::tui::keymap::Context::List);
}

#[test]
fn a_page_for_another_filter_is_dropped_and_a_short_one_reads_on() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "/");
    let first = page_req(&typed(&mut app, "ko")).unwrap();
    let second = page_req(&key(&mut app, "v")).unwrap();
    assert_ne!(first.filter, second.filter);
    let stale = FilterPage {
        rows: rows(1, 3),
        more: false,
        resume: None,
        below: None,
    };
    app.update(Msg::Filtered(first, stale));
    assert!(app.pending.rows.is_empty(), "a stale page is dropped");

    // Nothing matched in the first bounded page: it reads on by itself.
    let empty = FilterPage {
        rows: vec![],
        more: true,
        resume: Some(RowKey(vec![1, 2])),
        below: None,
    };
    let eff = app.update(Msg::Filtered(second.clone(), empty));
    let on = page_req(&eff).expect("reads the next bounded page");
    assert_eq!(on.from, PageFrom::After(RowKey(vec![1, 2])));
    let done = FilterPage {
        rows: rows(40, 2),
        more: false,
        resume: None,
        below: None,
    };
    assert!(app.update(Msg::Filtered(on, done)).is_empty());
    assert_eq!(app.pending.rows.len(), 2);
    assert!(app.pending.at_start && app.pending.at_end);
}

#[test]
fn a_bad_term_shows_an_error_and_esc_clears_the_filter() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "/");
    let eff = typed(&mut app, "colour:red");
    assert!(page_req(&eff).is_none(), "a bad filter asks for nothing");
    let err = app.prompt.as_ref().unwrap().error.clone().unwrap();
    assert!(err.contains("unknown filter term"), "{err}");
    key(&mut app, "enter");
    assert!(app.prompt.is_some(), "enter does not keep a bad filter");
    for _ in 0..10 {
        key(&mut app, "backspace");
    }
    typed(&mut app, "kovacs");
    assert!(app.prompt.as_ref().unwrap().error.is_none());
    key(&mut app, "enter");
    assert_eq!(app.filter_text, "kovacs");

    key(&mut app, "/");
    assert_eq!(
        app.prompt.as_ref().unwrap().text(),
        "kovacs",
        "/ shows the filter"
    );
    let eff = key(&mut app, "esc");
    assert!(app.prompt.is_none());
    assert_eq!(app.filter_text, "");
    let req = page_req(&eff).expect("the unfiltered rows again");
    assert_eq!(req.filter, None);
}

#[test]
fn esc_on_the_list_clears_a_kept_filter_and_does_nothing_without_one() {
    let mut app = fixtures::app(80, 24);
    assert!(
        page_req(&key(&mut app, "esc")).is_none(),
        "no filter, nothing to do"
    );
    key(&mut app, "/");
    typed(&mut app, "state:booked");
    key(&mut app, "enter");
    assert_eq!(app.filter_text, "state:booked");
    let eff = key(&mut app, "esc");
    assert_eq!(app.filter_text, "");
    let req = page_req(&eff).expect("the unfiltered rows again");
    assert_eq!(req.filter, None);
    assert!(!app.quit);
}

#[test]
fn colon_matches_actions_fuzzily_and_runs_them() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, ":");
    let p = app.prompt.as_ref().unwrap();
    assert_eq!(p.kind, PromptKind::Command);
    assert!(p.suggestions.len() > 30, "every action");
    assert!(
        p.suggestions
            .iter()
            .any(|s| s.name == "sync_all" && s.keys == "R" && s.desc == "sync every store")
    );
    typed(&mut app, "syal");
    assert_eq!(app.prompt.as_ref().unwrap().suggestions[0].name, "sync_all");
    let eff = key(&mut app, "enter");
    assert!(app.prompt.is_none());
    assert_eq!(eff, vec![Effect::Sync(None)]);

    // By description too: "errors" finds the pane.
    key(&mut app, ":");
    typed(&mut app, "focus err");
    key(&mut app, "enter");
    assert_eq!(app.focus, Pane::Errors);

    key(&mut app, ":");
    typed(&mut app, "zzzz");
    key(&mut app, "enter");
    let err = app.prompt.as_ref().unwrap().error.clone().unwrap();
    assert_eq!(err, "unknown command \"zzzz\"");
    key(&mut app, "esc");
    assert!(app.prompt.is_none());
}

#[test]
fn colon_order_opens_one_and_offers_a_choice_among_stores() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, ":");
    let eff = typed(&mut app, "order 1042");
    assert!(eff.is_empty());
    let eff = key(&mut app, "enter");
    let Some(Effect::FindOrder { seq, name }) = eff.first().cloned() else {
        panic!("{eff:?}");
    };
    assert_eq!(name, "1042");
    let eff = app.update(Msg::OrdersNamed {
        seq,
        name: name.clone(),
        found: Ok(vec![("web:1042".into(), 7), ("shop2:1042".into(), 9)]),
    });
    assert!(eff.is_empty());
    let p = app.prompt.as_ref().unwrap();
    let names: Vec<&str> = p.suggestions.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["web:1042", "shop2:1042"]);
    key(&mut app, "down");
    let eff = key(&mut app, "enter");
    assert_eq!(eff, vec![Effect::LoadDetail(9)]);
    assert!(matches!(app.view, View::Order { id: 9, .. }));

    // One found: opened at once; none: said so.
    app.update(Msg::Action(Action::Back));
    key(&mut app, ":");
    typed(&mut app, "order web:1001");
    let Some(Effect::FindOrder { seq, .. }) = key(&mut app, "enter").first().cloned() else {
        panic!()
    };
    let eff = app.update(Msg::OrdersNamed {
        seq,
        name: "web:1001".into(),
        found: Ok(vec![("web:1001".into(), 3)]),
    });
    assert_eq!(eff, vec![Effect::LoadDetail(3)]);
    key(&mut app, "esc");
    key(&mut app, ":");
    typed(&mut app, "order 5");
    let Some(Effect::FindOrder { seq, .. }) = key(&mut app, "enter").first().cloned() else {
        panic!()
    };
    app.update(Msg::OrdersNamed {
        seq,
        name: "5".into(),
        found: Ok(vec![]),
    });
    assert_eq!(
        app.prompt.as_ref().unwrap().error.as_deref(),
        Some("no order named 5")
    );
}

/// The fixture's store `web` and an older one.
fn two_stores() -> Vec<crate::engine::StoreInfo> {
    let mut stores = fixtures::stores();
    let mut old = stores[0].clone();
    old.id = "old".into();
    stores.push(old);
    stores
}

#[test]
fn colon_store_filters_to_that_store() {
    let mut app = fixtures::app(80, 24);
    app.update(Msg::Stores(two_stores()));
    key(&mut app, "/");
    typed(&mut app, "store:old kovacs");
    key(&mut app, "enter");
    key(&mut app, ":");
    typed(&mut app, "store web");
    let eff = key(&mut app, "enter");
    assert!(app.prompt.is_none());
    assert_eq!(app.filter_text, "store:web kovacs");
    let req = page_req(&eff).unwrap();
    assert_eq!(req.filter.unwrap().store.as_deref(), Some("web"));
}

#[test]
fn colon_store_naming_no_store_says_so_and_keeps_the_filter() {
    let mut app = fixtures::app(80, 24);
    app.update(Msg::Stores(two_stores()));
    key(&mut app, "/");
    typed(&mut app, "kovacs");
    key(&mut app, "enter");
    key(&mut app, ":");
    typed(&mut app, "store nope");
    let eff = key(&mut app, "enter");
    assert!(page_req(&eff).is_none(), "nothing is asked for: {eff:?}");
    let p = app.prompt.as_ref().expect("the command line stays open");
    assert_eq!(
        p.error.as_deref(),
        Some("unknown store \"nope\" (stores: web, old)")
    );
    assert_eq!(app.filter_text, "kovacs", "the filter in force is kept");
    // Corrected on the line, it runs; a store id is matched whatever its case.
    for _ in 0.."nope".len() {
        key(&mut app, "backspace");
    }
    typed(&mut app, "WEB");
    let eff = key(&mut app, "enter");
    assert!(app.prompt.is_none());
    assert_eq!(app.filter_text, "store:WEB kovacs");
    assert!(page_req(&eff).is_some());
}

#[test]
fn slash_store_naming_no_store_says_so_under_the_line() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "/");
    let eff = typed(&mut app, "store:nope");
    assert!(page_req(&eff).is_none(), "no empty list for a typo");
    let p = app.prompt.as_ref().expect("open");
    assert_eq!(
        p.error.as_deref(),
        Some("unknown store \"nope\" (stores: web)")
    );
    key(&mut app, "enter");
    assert!(
        app.prompt.is_some(),
        "enter does not keep a filter it refused"
    );
    // Before any store is known (none configured, none synced).
    app.update(Msg::Stores(Vec::new()));
    key(&mut app, "backspace");
    let p = app.prompt.as_ref().expect("open");
    assert_eq!(
        p.error.as_deref(),
        Some("unknown store \"nop\" (no store is configured yet)")
    );
}

#[test]
fn vim_keys_reach_the_same_prompts_and_sequences() {
    let mut app = App::new(
        fixtures::settings(),
        crate::tui::keymap::load_keymap("vim", None).unwrap(),
        (80, 24),
    );
    fixtures::feed(&mut app);
    let eff = key(&mut app, "G");
    assert!(
        page_req(&eff).is_some_and(|r| r.kind == PageKind::End) || app.pending.at_end,
        "G goes to the last row"
    );
    assert!(key(&mut app, "g").is_empty());
    key(&mut app, "g");
    assert_eq!(app.pending.sel, 0, "g g goes to the first row");
    key(&mut app, "/");
    assert_eq!(
        app.prompt.as_ref().map(|p| p.kind),
        Some(PromptKind::Filter)
    );
    key(&mut app, "esc");
    key(&mut app, ":");
    assert_eq!(
        app.prompt.as_ref().map(|p| p.kind),
        Some(PromptKind::Command)
    );
    // In the command line, j and k are text.
    typed(&mut app, "jk");
    assert_eq!(app.prompt.as_ref().unwrap().text(), "jk");
}

#[test]
fn fuzzy_prefers_starts_and_runs() {
    use super::prompt::fuzzy;
    assert!(fuzzy("syal", "sync all").is_some());
    assert!(fuzzy("xyz", "sync all").is_none());
    assert!(fuzzy("sync", "sync all") > fuzzy("sync", "focus sync log"));
    assert!(fuzzy("pay", "record payment") > fuzzy("pay", "prev_pane any"));
}
