//! Operator forms: key sequences in, effects and state out.

use super::modal::{ModalBody, OnYes};
use super::*;
use crate::domain::OrderState;
use crate::domain::forms::FieldError;
use crate::engine::command::{Answer, Command, CommandError};
use crate::tui::fixtures::{self, dec, order_in};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(crate) fn key(app: &mut App, k: &str) -> Vec<Effect> {
    let chord = crate::tui::keymap::Chord::parse(k).unwrap();
    app.update(Msg::Key(KeyEvent::new(chord.code, chord.mods)))
}

pub(crate) fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        out = app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    out
}

/// Replaces the focused field's text.
pub(crate) fn retype(app: &mut App, text: &str) -> Vec<Effect> {
    key(app, "ctrl-u");
    typed(app, text)
}

pub(crate) fn with_detail(w: u16, h: u16, d: crate::engine::OrderDetail) -> App {
    let mut app = fixtures::app(w, h);
    app.view = View::Order {
        id: d.order.id,
        detail: Some(Box::new(d)),
        scroll: 0,
    };
    app
}

pub(crate) fn commands(effects: &[Effect]) -> Vec<(Option<u64>, u64, Command)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Command {
                modal,
                seq,
                command,
                ..
            } => Some((*modal, *seq, command.clone())),
            _ => None,
        })
        .collect()
}

pub(crate) fn one_command(effects: &[Effect]) -> (Option<u64>, u64, Command) {
    let c = commands(effects);
    assert_eq!(c.len(), 1, "{effects:?}");
    c[0].clone()
}

pub(crate) fn form(app: &App) -> &super::modal::Form {
    match app.modals.last().map(|m| &m.body) {
        Some(ModalBody::Form(f)) => f,
        other => panic!("no form on top: {other:?}"),
    }
}

pub(crate) fn picker(app: &App) -> &super::modal::Picker {
    match app.modals.last().map(|m| &m.body) {
        Some(ModalBody::Picker(p)) => p,
        other => panic!("no picker on top: {other:?}"),
    }
}

pub(crate) fn answer(
    app: &mut App,
    c: (Option<u64>, u64, Command),
    r: Result<Answer, CommandError>,
) -> Vec<Effect> {
    app.update(Msg::Answer {
        modal: c.0,
        seq: c.1,
        command: c.2,
        result: r,
    })
}

#[test]
fn identify_searches_as_you_type_and_drops_stale_answers() {
    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    let first = one_command(&key(&mut app, "i"));
    assert_eq!(
        first.2,
        Command::SearchCustomers {
            query: "Ilona Tündér".into()
        }
    );
    assert_eq!(picker(&app).query_text(), "Ilona Tündér");
    // Letters go to the search field, even those bound elsewhere (q quits, j moves); the
    // first replaces the prefilled name.
    let second = one_command(&typed(&mut app, "q"));
    assert!(!app.quit);
    assert_eq!(second.2, Command::SearchCustomers { query: "q".into() });
    assert!(second.1 > first.1);
    let third = one_command(&key(&mut app, "backspace"));
    // The first answer arrives late: dropped.
    answer(
        &mut app,
        first,
        Ok(Answer::Customers(fixtures::customers()[2..].to_vec())),
    );
    assert_eq!(picker(&app).len(), 0);
    answer(
        &mut app,
        third,
        Ok(Answer::Customers(fixtures::customers())),
    );
    assert_eq!(picker(&app).len(), 3);
    answer(&mut app, second, Ok(Answer::Customers(Vec::new())));
    assert_eq!(
        picker(&app).len(),
        3,
        "an older search never replaces a newer one"
    );
    key(&mut app, "down");
    let pick = one_command(&key(&mut app, "enter"));
    assert_eq!(
        pick.2,
        Command::Identify {
            order_id: 1,
            customer_id: "C31".into()
        }
    );
    answer(
        &mut app,
        pick,
        Ok(Answer::Done(
            "#1042: customer C31 identified; now booked".into(),
        )),
    );
    assert!(app.modals.is_empty());
    assert_eq!(
        app.notice.as_deref(),
        Some("#1042: customer C31 identified; now booked")
    );
}

#[test]
fn order_keys_in_pending_load_the_order_first_and_check_its_state() {
    let mut app = fixtures::app(80, 24);
    assert_eq!(
        key(&mut app, "i"),
        vec![Effect::LoadOrderFor(1, Intent::Identify)]
    );
    let d = order_in(OrderState::CustomerIdNeeded);
    let effects = app.update(Msg::OrderFor(Intent::Identify, 1, Some(Box::new(d))));
    assert_eq!(
        one_command(&effects).2,
        Command::SearchCustomers {
            query: "Ilona Tündér".into()
        }
    );
    key(&mut app, "esc");
    assert!(app.modals.is_empty(), "nothing typed: esc closes at once");
    key(&mut app, "j");
    assert!(key(&mut app, "i").is_empty());
    assert_eq!(
        app.notice.as_deref(),
        Some("#1043 does not need a customer ID (product match failed)")
    );
    assert_eq!(
        key(&mut app, "m"),
        vec![Effect::LoadOrderFor(2, Intent::FixMatch)]
    );
    let a = one_command(&key(&mut app, "a"));
    assert_eq!(a.2, Command::IntakeAgain { order_id: 2 });
    assert_eq!(a.0, None);
}

#[test]
fn create_customer_is_prefilled_and_refuses_a_bad_email_under_its_field() {
    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    key(&mut app, "i");
    let draft = one_command(&key(&mut app, "ctrl-n"));
    assert_eq!(draft.2, Command::CustomerDraft { order_id: 1 });
    let d = crate::domain::forms::CustomerDraft {
        first_name: "Ilona".into(),
        last_name: "Tündér".into(),
        email: "tunder.ilona@example".into(),
        phone: "06 30 123 4567".into(),
        city: "Budapest".into(),
        ..Default::default()
    };
    answer(&mut app, draft, Ok(Answer::Draft(d)));
    assert_eq!(form(&app).value("last_name"), "Tündér");
    assert_eq!(form(&app).value("phone"), "06 30 123 4567");
    key(&mut app, "tab");
    key(&mut app, "tab");
    retype(&mut app, "ilona at example.hu");
    assert!(commands(&key(&mut app, "enter")).is_empty());
    let email = form(&app).field("email").unwrap();
    assert_eq!(
        email.error.as_deref(),
        Some("\"ilona at example.hu\" is not an email address")
    );
    retype(&mut app, "ilona@example.hu");
    assert_eq!(
        form(&app).field("email").unwrap().error,
        None,
        "typing clears the refusal"
    );
    let create = one_command(&key(&mut app, "enter"));
    let Command::CreateCustomer { order_id: 1, draft } = &create.2 else {
        panic!("{create:?}");
    };
    assert_eq!(draft.email, "ilona@example.hu");
    assert!(form(&app).busy);
    // The engine refuses a field too: shown under it.
    answer(
        &mut app,
        create,
        Err(CommandError::Fields(vec![FieldError {
            field: "phone".into(),
            message: "already used by C12".into(),
        }])),
    );
    assert_eq!(
        form(&app).field("phone").unwrap().error.as_deref(),
        Some("already used by C12")
    );
    assert!(!form(&app).busy);
}

#[test]
fn payment_is_prefilled_takes_a_comma_and_asks_before_more_than_the_balance() {
    let mut app = with_detail(80, 24, fixtures::detail());
    assert!(key(&mut app, "p").is_empty());
    let f = form(&app);
    assert_eq!(f.value("method"), "VISA");
    assert_eq!(f.value("amount"), "39.90");
    assert_eq!(f.value("comment"), "AUTH-123");
    key(&mut app, "right");
    assert_eq!(form(&app).value("method"), "MC");
    key(&mut app, "tab");
    retype(&mut app, "12.5.0");
    assert!(commands(&key(&mut app, "enter")).is_empty());
    assert!(
        form(&app)
            .field("amount")
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("not an amount")
    );
    retype(&mut app, "0");
    key(&mut app, "enter");
    assert_eq!(
        form(&app).field("amount").unwrap().error.as_deref(),
        Some("the amount must be more than zero")
    );
    retype(&mut app, "12,50");
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::RecordPayment {
            order_id: 2,
            method: "MC".into(),
            amount: dec("12.50"),
            comment: "AUTH-123".into(),
            over_balance_ok: false
        }
    );
    // More than the balance: a question first, then the command with the permission.
    let mut app = with_detail(80, 24, fixtures::detail());
    key(&mut app, "p");
    key(&mut app, "tab");
    retype(&mut app, "100");
    assert!(key(&mut app, "enter").is_empty());
    let Some(ModalBody::Confirm(q)) = app.modals.last().map(|m| &m.body) else {
        panic!("no question");
    };
    assert!(
        q.lines[0].contains("more than the balance due (39.90 EUR)"),
        "{:?}",
        q.lines
    );
    assert!(matches!(q.on_yes, OnYes::Run { .. }));
    key(&mut app, "n");
    assert!(matches!(
        app.modals.last().unwrap().body,
        ModalBody::Form(_)
    ));
    key(&mut app, "enter");
    let c = one_command(&key(&mut app, "y"));
    assert!(matches!(
        c.2,
        Command::RecordPayment {
            over_balance_ok: true,
            ..
        }
    ));
    assert!(form(&app).busy);
    answer(
        &mut app,
        c,
        Ok(Answer::Done(
            "#1043: payment of 100 by VISA recorded".into(),
        )),
    );
    assert!(app.modals.is_empty());
}

#[test]
fn esc_asks_first_when_something_was_typed_and_paste_arrives_whole() {
    let mut app = with_detail(80, 24, fixtures::detail());
    key(&mut app, "n");
    key(&mut app, "esc");
    assert!(app.modals.is_empty());
    key(&mut app, "n");
    app.update(Msg::Paste(
        "called the customer:\nwill pick up Friday".into(),
    ));
    assert_eq!(
        form(&app).value("text"),
        "called the customer: will pick up Friday"
    );
    key(&mut app, "esc");
    assert!(matches!(
        app.modals.last().unwrap().body,
        ModalBody::Confirm(_)
    ));
    key(&mut app, "esc");
    assert_eq!(
        form(&app).value("text"),
        "called the customer: will pick up Friday"
    );
    key(&mut app, "esc");
    key(&mut app, "y");
    assert!(app.modals.is_empty());
    key(&mut app, "n");
    typed(&mut app, "ok");
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::AddNote {
            order_id: 2,
            text: "ok".into()
        }
    );
}
