//! The operator forms as a person sees them, at 80x24 and 120x40.

use super::draw;
use crate::domain::OrderState;
use crate::domain::forms::CustomerDraft;
use crate::engine::command::{Answer, Command};
use crate::tui::app::tests_forms::with_detail;
use crate::tui::app::{App, Effect, Msg};
use crate::tui::fixtures::{self, order_in};
use crate::tui::keymap::Chord;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

fn render(app: &App) -> String {
    let mut term = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    term.draw(|f| draw(f, app)).unwrap();
    term.backend().to_string()
}

fn key(app: &mut App, k: &str) -> Vec<Effect> {
    let c = Chord::parse(k).unwrap();
    app.update(Msg::Key(KeyEvent::new(c.code, c.mods)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

/// Answers the one command in `effects` with `answer`.
fn reply(app: &mut App, effects: Vec<Effect>, answer: Answer) -> Vec<Effect> {
    let Some(Effect::Command {
        modal,
        seq,
        command,
        ..
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::Command { .. }))
    else {
        panic!("no command");
    };
    app.update(Msg::Answer {
        modal,
        seq,
        command,
        result: Ok(answer),
    })
}

fn sizes() -> [(u16, u16); 2] {
    [(80, 24), (120, 40)]
}

#[test]
fn identify_with_results() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, order_in(OrderState::CustomerIdNeeded));
        let e = key(&mut app, "i");
        reply(&mut app, e, Answer::Customers(fixtures::customers()));
        key(&mut app, "down");
        let text = render(&app);
        assert!(
            text.contains("Tündérné Kiss") && text.contains("Żółć"),
            "{text}"
        );
        insta::assert_snapshot!(format!("form_identify_{w}x{h}"), text);
    }
}

/// The text drawn reversed, row by row.
fn reversed(app: &App) -> Vec<String> {
    let mut term = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    term.draw(|f| draw(f, app)).unwrap();
    let buf = term.backend().buffer();
    let w = buf.area.width as usize;
    buf.content()
        .chunks(w)
        .map(|row| {
            row.iter()
                .filter(|c| c.modifier.contains(Modifier::REVERSED))
                .map(|c| c.symbol())
                .collect::<String>()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

#[test]
fn a_prefilled_search_shows_selected_until_a_key_drops_it() {
    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    key(&mut app, "i");
    assert_eq!(reversed(&app), vec!["Ilona Tündér"]);
    key(&mut app, "end");
    assert!(reversed(&app).is_empty(), "{:?}", reversed(&app));
    let mut app = with_detail(80, 24, fixtures::detail());
    key(&mut app, "m");
    assert_eq!(reversed(&app), vec!["TSH-RED-XL"]);
    typed(&mut app, "T");
    assert!(reversed(&app).is_empty(), "{:?}", reversed(&app));
}

#[test]
fn create_customer_with_a_field_error() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, order_in(OrderState::CustomerIdNeeded));
        key(&mut app, "i");
        let e = key(&mut app, "ctrl-n");
        let d = CustomerDraft {
            first_name: "Ilona".into(),
            last_name: "Tündér".into(),
            email: "tunder.ilona@example".into(),
            phone: "06 30 123 4567".into(),
            address: "Fő utca 12.".into(),
            city: "Budapest".into(),
            postal_code: "1011".into(),
            country: "HU".into(),
        };
        reply(&mut app, e, Answer::Draft(d));
        key(&mut app, "enter");
        let text = render(&app);
        assert!(text.contains("is not an email address"), "{text}");
        insta::assert_snapshot!(format!("form_create_customer_{w}x{h}"), text);
    }
}

#[test]
fn fix_product_match() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, fixtures::detail());
        let e = key(&mut app, "m");
        reply(&mut app, e, Answer::Products(fixtures::products()));
        let text = render(&app);
        assert!(text.contains("Line 2 (1 of 3 to fix)"), "{text}");
        insta::assert_snapshot!(format!("form_fix_match_{w}x{h}"), text);
    }
}

#[test]
fn edit_and_create_product_from_the_match_picker() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, fixtures::detail());
        let e = key(&mut app, "m");
        reply(&mut app, e, Answer::Products(fixtures::products()));
        key(&mut app, "ctrl-e");
        // Clear the SKU: the form refuses it and says why under the field.
        for _ in 0..20 {
            key(&mut app, "backspace");
        }
        key(&mut app, "enter");
        let text = render(&app);
        assert!(text.contains("SKU") && text.contains("needed"), "{text}");
        insta::assert_snapshot!(format!("form_edit_product_{w}x{h}"), text);

        key(&mut app, "esc");
        key(&mut app, "y");
        key(&mut app, "ctrl-n");
        let text = render(&app);
        assert!(
            text.contains("TSH-RED-XL") || text.contains("SKU"),
            "{text}"
        );
        insta::assert_snapshot!(format!("form_create_product_{w}x{h}"), text);
    }
}

#[test]
fn payment() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, fixtures::detail());
        key(&mut app, "p");
        key(&mut app, "tab");
        key(&mut app, "ctrl-u");
        typed(&mut app, "12,505");
        key(&mut app, "enter");
        let text = render(&app);
        assert!(text.contains("at most two decimals"), "{text}");
        insta::assert_snapshot!(format!("form_payment_{w}x{h}"), text);
    }
}

#[test]
fn status_picker() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, fixtures::pickup(order_in(OrderState::Booked)));
        key(&mut app, "s");
        insta::assert_snapshot!(format!("form_status_{w}x{h}"), render(&app));
    }
}

#[test]
fn shipped_form() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, order_in(OrderState::ReadyToShip));
        key(&mut app, "s");
        key(&mut app, "enter");
        key(&mut app, "tab");
        typed(&mut app, "JD014600003828");
        insta::assert_snapshot!(format!("form_shipped_{w}x{h}"), render(&app));
    }
}

#[test]
fn refuse_confirm() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, order_in(OrderState::Booked));
        key(&mut app, "s");
        key(&mut app, "up");
        key(&mut app, "pagedown");
        key(&mut app, "enter");
        typed(&mut app, "customer asked to cancel");
        key(&mut app, "enter");
        let text = render(&app);
        assert!(text.contains("cancelled in the shop (web)"), "{text}");
        insta::assert_snapshot!(format!("form_refuse_confirm_{w}x{h}"), text);
    }
}

#[test]
fn note() {
    for (w, h) in sizes() {
        let mut app = with_detail(w, h, fixtures::detail());
        key(&mut app, "n");
        app.update(Msg::Paste("Called Péter: he collects it on Friday".into()));
        insta::assert_snapshot!(format!("form_note_{w}x{h}"), render(&app));
    }
}

#[test]
fn help_in_a_form_lists_the_form_keys() {
    let mut app = with_detail(80, 24, fixtures::detail());
    key(&mut app, "p");
    key(&mut app, "f1");
    let text = render(&app);
    assert!(
        text.contains("In this form") && text.contains("next field"),
        "{text}"
    );
}

#[test]
fn a_late_answer_for_a_closed_form_only_leaves_a_notice() {
    let mut app = with_detail(80, 24, fixtures::detail());
    key(&mut app, "n");
    typed(&mut app, "x");
    let e = key(&mut app, "enter");
    key(&mut app, "esc");
    key(&mut app, "y");
    reply(&mut app, e, Answer::Done("#1043: note added".into()));
    assert!(app.modals.is_empty());
    assert!(render(&app).contains("#1043: note added"));
    let _ = Command::IntakeAgain { order_id: 0 };
}

/// Under NO_COLOR a form's focused field and a picker's selected row still show: no colour
/// anywhere, the ▸ mark, bold for the focused field, reverse for the chosen row.
#[test]
fn focus_and_selection_show_without_colour() {
    use ratatui::style::Modifier;
    let buffer = |app: &App| {
        let mut term = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
        term.draw(|f| draw(f, app)).unwrap();
        term.backend().buffer().clone()
    };
    let row_of = |buf: &ratatui::buffer::Buffer, needle: &str| -> Option<(u16, u16)> {
        (0..buf.area.height).find_map(|y| {
            let line: Vec<String> = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            let text = line.concat();
            text.find(needle).map(|byte| {
                let col = text[..byte].chars().count() as u16;
                (col, y)
            })
        })
    };
    let no_colour = super::tests::assert_no_colour;

    // A picker: the second customer chosen.
    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    app.settings.theme.mono = true;
    let e = key(&mut app, "i");
    reply(&mut app, e, Answer::Customers(fixtures::customers()));
    key(&mut app, "down");
    let buf = buffer(&app);
    no_colour(&buf);
    let name = &fixtures::customers()[1].last_name;
    let (x, y) = row_of(&buf, name).expect("second customer shown");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "the chosen row is reversed"
    );
    // The first customer's row (by its email: the search field above holds the name).
    let first = fixtures::customers()[0].email.clone().unwrap();
    let (x0, y0) = row_of(&buf, &first).unwrap();
    assert!(!buf[(x0, y0)].modifier.contains(Modifier::REVERSED));

    // A form: the focused field is marked and bold.
    let mut app = with_detail(80, 24, fixtures::detail());
    app.settings.theme.mono = true;
    key(&mut app, "p");
    key(&mut app, "tab");
    let buf = buffer(&app);
    no_colour(&buf);
    let (x, y) = row_of(&buf, "▸ Amount").expect("the focus mark on the focused field");
    assert!(buf[(x + 2, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = row_of(&buf, "  Comment").expect("an unfocused field");
    assert!(!buf[(x + 2, y)].modifier.contains(Modifier::BOLD));
}

#[test]
fn help_over_a_list_offers_only_what_works_in_that_list() {
    let mut app = with_detail(80, 24, order_in(OrderState::CustomerIdNeeded));
    let e = key(&mut app, "i");
    reply(&mut app, e, Answer::Customers(fixtures::customers()));
    key(&mut app, "f1");
    let customers = render(&app);
    assert!(customers.contains("In this list"), "{customers}");
    assert!(customers.contains("create new"), "{customers}");
    assert!(
        !customers.contains("edit the selected product"),
        "{customers}"
    );

    let mut app = with_detail(80, 24, fixtures::detail());
    let e = key(&mut app, "m");
    reply(&mut app, e, Answer::Products(fixtures::products()));
    key(&mut app, "f1");
    let products = render(&app);
    assert!(products.contains("edit the selected product"), "{products}");
}
