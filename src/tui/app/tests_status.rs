//! Status changes (picker, shipped, refused), product matches, customer edits and the
//! Errors pane's keys.

use super::modal::{FieldKind, FormKind, ModalBody, PickerKind};
use super::tests_forms::{
    answer, commands, form, key, one_command, picker, retype, typed, with_detail,
};
use super::*;
use crate::domain::OrderState;
use crate::domain::lifecycle::StatusChange;
use crate::engine::ProblemRef;
use crate::engine::command::{Answer, Command};
use crate::tui::fixtures::{self, dec, order_in};

#[test]
fn status_picker_lists_only_allowed_targets() {
    // Ready for pickup only for an order the customer collects.
    let mut app = with_detail(80, 24, order_in(OrderState::Booked));
    key(&mut app, "s");
    let PickerKind::Status { targets, .. } = &picker(&app).kind else {
        panic!()
    };
    assert_eq!(targets, &vec![OrderState::ReadyToShip, OrderState::Refused]);
    let mut app = with_detail(80, 24, fixtures::pickup(order_in(OrderState::Booked)));
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
    app.update(Msg::Problems(fixtures::page(problems)));
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
