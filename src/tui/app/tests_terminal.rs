//! What the console tells the terminal besides the screen: its title (`orderdesk: N need
//! action`, config `terminal_title`) and one bell when a new order needs action (config
//! `bell`, off by default).

use super::*;
use crate::domain::OrderState;
use crate::tui::fixtures;

fn counts(needing: u64) -> Counts {
    let mut c = Counts::default();
    c.by_state[OrderState::CustomerIdNeeded.code() as usize] = needing;
    c.total = needing + 5;
    c
}

fn title(n: u64) -> Effect {
    Effect::Title(format!("orderdesk: {n} need action"))
}

#[test]
fn the_title_follows_the_orders_needing_action_and_the_bell_rings_when_they_grow() {
    let mut app = fixtures::app(80, 24);
    app.settings.bell = true;
    // The first counts are what was there before: a title, no bell.
    assert_eq!(app.update(Msg::Counts(counts(3))), vec![title(3)]);
    // Unchanged: nothing.
    assert_eq!(app.update(Msg::Counts(counts(3))), vec![]);
    // One more: the title and one bell.
    assert_eq!(
        app.update(Msg::Counts(counts(4))),
        vec![title(4), Effect::Bell]
    );
    // Fewer (the operator cleared one): the title only.
    assert_eq!(app.update(Msg::Counts(counts(2))), vec![title(2)]);
}

#[test]
fn title_and_bell_stay_off_when_the_config_says_so() {
    let mut app = fixtures::app(80, 24);
    assert!(!app.settings.bell, "the bell is off by default");
    app.settings.terminal_title = false;
    for n in [1, 5, 9] {
        assert_eq!(app.update(Msg::Counts(counts(n))), vec![]);
    }
}
