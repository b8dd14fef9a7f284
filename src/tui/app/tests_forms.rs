//! Operator forms: key sequences in, effects and state out.

use super::modal::{FieldKind, FormKind, ModalBody, OnYes, PickerKind};
use super::*;
use crate::domain::OrderState;
use crate::domain::forms::FieldError;
use crate::domain::lifecycle::StatusChange;
use crate::engine::ProblemRef;
use crate::tui::command::{Answer, Command, CommandError};
use crate::tui::fixtures::{self, dec, order_in};
use crossterm::event::{KeyCode, KeyModifiers};

fn key(app: &mut App, k: &str) -> Vec<Effect> {
    let chord = crate::tui::keymap::Chord::parse(k).unwrap();
    app.update(Msg::Key(KeyEvent::new(chord.code, chord.mods)))
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
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
fn retype(app: &mut App, text: &str) -> Vec<Effect> {
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

fn commands(effects: &[Effect]) -> Vec<(Option<u64>, u64, Command)> {
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

fn one_command(effects: &[Effect]) -> (Option<u64>, u64, Command) {
    let c = commands(effects);
    assert_eq!(c.len(), 1, "{effects:?}");
    c[0].clone()
}

fn form(app: &App) -> &super::modal::Form {
    match app.modals.last().map(|m| &m.body) {
        Some(ModalBody::Form(f)) => f,
        other => panic!("no form on top: {other:?}"),
    }
}

fn picker(app: &App) -> &super::modal::Picker {
    match app.modals.last().map(|m| &m.body) {
        Some(ModalBody::Picker(p)) => p,
        other => panic!("no picker on top: {other:?}"),
    }
}

fn answer(
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
    // Letters go to the search field, even those bound elsewhere (q quits, j moves).
    let second = one_command(&typed(&mut app, "q"));
    assert!(!app.quit);
    assert_eq!(
        second.2,
        Command::SearchCustomers {
            query: "Ilona Tündérq".into()
        }
    );
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
            field: "phone",
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
fn status_picker_lists_only_allowed_targets() {
    let mut app = with_detail(80, 24, order_in(OrderState::Booked));
    key(&mut app, "s");
    let PickerKind::Status { targets, .. } = &picker(&app).kind else {
        panic!()
    };
    assert_eq!(
        targets,
        &vec![
            OrderState::ReadyForPickup,
            OrderState::ReadyToShip,
            OrderState::Refused
        ]
    );
    key(&mut app, "down");
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::ChangeStatus {
            order_id: 2,
            change: StatusChange::ReadyToShip
        }
    );
    // Completed with a balance: refused before the engine is asked, with the reason.
    let mut app = with_detail(80, 24, order_in(OrderState::ReadyForPickup));
    key(&mut app, "s");
    assert!(commands(&key(&mut app, "enter")).is_empty());
    let err = picker(&app).error.clone().unwrap();
    assert!(err.contains("not paid in full: balance 39.90 EUR"), "{err}");
    let mut d = order_in(OrderState::ReadyForPickup);
    d.order = fixtures::paid_in_full(d.order);
    let mut app = with_detail(80, 24, d);
    key(&mut app, "s");
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::ChangeStatus {
            order_id: 2,
            change: StatusChange::Completed
        }
    );
}

#[test]
fn shipped_asks_for_a_carrier_of_the_store_and_a_tracking_number() {
    let mut app = with_detail(80, 24, order_in(OrderState::ReadyToShip));
    key(&mut app, "s");
    assert!(key(&mut app, "enter").is_empty());
    let f = form(&app);
    let FieldKind::Choice { options, .. } = &f.field("carrier").unwrap().kind else {
        panic!()
    };
    assert_eq!(options, &vec!["GLS".to_string(), "DHL".to_string()]);
    assert_eq!(f.value("carrier"), "GLS", "the order's own carrier first");
    key(&mut app, "enter");
    assert_eq!(
        form(&app).field("tracking").unwrap().error.as_deref(),
        Some("shipping needs a carrier and a tracking number")
    );
    // The refusal took the focus to the tracking field.
    typed(&mut app, "JD0001");
    key(&mut app, "shift-tab");
    key(&mut app, "right");
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::ChangeStatus {
            order_id: 2,
            change: StatusChange::Shipped {
                carrier: "DHL".into(),
                tracking: "JD0001".into()
            }
        }
    );
    answer(&mut app, c, Ok(Answer::Done("#1043: now shipped".into())));
    assert!(app.modals.is_empty(), "picker and form close together");
}

#[test]
fn refusing_needs_a_reason_then_a_confirmation_that_says_what_happens() {
    let mut app = with_detail(80, 24, order_in(OrderState::Booked));
    key(&mut app, "s");
    key(&mut app, "end");
    key(&mut app, "down");
    key(&mut app, "down");
    key(&mut app, "enter");
    assert!(matches!(form(&app).kind, FormKind::Refuse { .. }));
    key(&mut app, "enter");
    assert_eq!(
        form(&app).field("reason").unwrap().error.as_deref(),
        Some("refusing needs a reason")
    );
    typed(&mut app, "out of stock");
    assert!(key(&mut app, "enter").is_empty());
    let Some(ModalBody::Confirm(q)) = app.modals.last().map(|m| &m.body) else {
        panic!("no question");
    };
    let text = q.lines.join("\n");
    for words in [
        "cancelled in the shop",
        "refunded",
        "notified",
        "stock comes back",
    ] {
        assert!(text.contains(words), "{text}");
    }
    let c = one_command(&key(&mut app, "y"));
    assert_eq!(
        c.2,
        Command::ChangeStatus {
            order_id: 2,
            change: StatusChange::Refused {
                reason: "out of stock".into()
            }
        }
    );
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

#[test]
fn fix_product_match_walks_the_failing_lines() {
    let mut app = with_detail(80, 24, fixtures::detail());
    let s = one_command(&key(&mut app, "m"));
    assert_eq!(
        s.2,
        Command::SearchProducts {
            query: "TSH-RED-XL".into()
        }
    );
    answer(&mut app, s, Ok(Answer::Products(fixtures::products())));
    // Edit the selected product; create one prefilled from the line.
    key(&mut app, "ctrl-e");
    assert_eq!(form(&app).value("sku"), "TSH-RED-L");
    key(&mut app, "esc");
    key(&mut app, "ctrl-n");
    let f = form(&app);
    assert_eq!(
        (f.value("sku"), f.value("name"), f.value("price")),
        ("TSH-RED-XL".into(), "T-shirt red XL".into(), "30.00".into())
    );
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::CreateProduct {
            sku: "TSH-RED-XL".into(),
            name: "T-shirt red XL".into(),
            price: dec("30.00"),
            stock: 0
        }
    );
    let again = one_command(&answer(
        &mut app,
        c,
        Ok(Answer::Done("product P90 created".into())),
    ));
    assert_eq!(
        again.2,
        Command::SearchProducts {
            query: "TSH-RED-XL".into()
        }
    );
    answer(&mut app, again, Ok(Answer::Products(fixtures::products())));
    let map = one_command(&key(&mut app, "enter"));
    assert_eq!(
        map.2,
        Command::MapLine {
            order_id: 2,
            line: 2,
            product_id: "P88".into()
        }
    );
    let next = one_command(&answer(&mut app, map, Ok(Answer::Done("mapped".into()))));
    assert_eq!(
        next.2,
        Command::SearchProducts {
            query: "CAP-BLK".into()
        }
    );
    let PickerKind::Products { lines, at, .. } = &picker(&app).kind else {
        panic!()
    };
    assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), vec![3, 4]);
    assert_eq!(*at, 0);
}

#[test]
fn errors_pane_acknowledges_dismisses_and_retries_by_kind() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "3");
    key(&mut app, "end");
    let c = one_command(&key(&mut app, "A"));
    assert_eq!(c.2, Command::Acknowledge(ProblemRef::Product("P17".into())));
    key(&mut app, "up");
    assert!(key(&mut app, "A").is_empty());
    assert!(
        app.notice
            .as_deref()
            .unwrap()
            .contains("only oversold products and conflicts")
    );
    let c = one_command(&key(&mut app, "D"));
    assert_eq!(c.2, Command::Dismiss(ProblemRef::Order(9)));
    answer(&mut app, c, Ok(Answer::Done("#1039: dismissed".into())));
    assert_eq!(app.notice.as_deref(), Some("#1039: dismissed"));
    let mut problems = fixtures::problems();
    problems[0].kind = crate::engine::ProblemKind::OutboxFailed;
    problems[0].order_id = Some(4);
    app.update(Msg::Problems(problems));
    key(&mut app, "home");
    let c = one_command(&key(&mut app, "R"));
    assert_eq!(
        c.2,
        Command::FailedSends {
            order_id: 4,
            retry: true
        }
    );
    let c = one_command(&key(&mut app, "D"));
    assert_eq!(
        c.2,
        Command::FailedSends {
            order_id: 4,
            retry: false
        }
    );
    // Elsewhere R keeps its global meaning.
    key(&mut app, "1");
    assert_eq!(key(&mut app, "R"), vec![Effect::Sync(None)]);
}

#[test]
fn edit_customer_only_with_a_customer_and_fills_from_the_record() {
    let mut app = with_detail(80, 24, fixtures::detail());
    assert!(key(&mut app, "e").is_empty());
    assert!(
        app.notice
            .as_deref()
            .unwrap()
            .contains("has no customer yet")
    );
    let mut app = with_detail(80, 24, order_in(OrderState::Booked));
    let s = one_command(&key(&mut app, "e"));
    assert_eq!(
        s.2,
        Command::SearchCustomers {
            query: "peter.kovacs@example.hu".into()
        }
    );
    answer(&mut app, s, Ok(Answer::Customers(fixtures::customers())));
    assert_eq!(form(&app).value("email"), "tunder.ilona@example.hu");
    assert_eq!(form(&app).value("city"), "Budapest");
    key(&mut app, "tab");
    key(&mut app, "tab");
    retype(&mut app, "bad");
    assert!(commands(&key(&mut app, "enter")).is_empty());
    retype(&mut app, "");
    let c = one_command(&key(&mut app, "enter"));
    assert!(matches!(&c.2, Command::UpdateCustomer { customer_id, .. } if customer_id == "C12"));
}
