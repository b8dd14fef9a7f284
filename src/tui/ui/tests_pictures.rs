//! The Sync log's pictures (orders fetched per hour, the outbox gauge, each store's sync
//! durations) and a long run's progress bar, at 80x24 and 120x40, with and without colour.

use super::pictures::spark;
use super::tests::{assert_no_colour, render};
use crate::engine::pictures::SyncPictures;
use crate::tui::app::{App, Msg};
use crate::tui::fixtures;

fn fetched() -> Vec<u64> {
    (0..24u64).map(|h| (h * 7) % 30).collect()
}

fn pictured(w: u16, h: u16) -> App {
    let mut app = fixtures::app(w, h);
    app.settings.theme.mono = true;
    // The backlog was 40 when it peaked; 12 wait and 2 failed now.
    for (waiting, failed) in [(40, 0), (12, 2)] {
        app.update(Msg::Pictures(SyncPictures {
            at: Some(fixtures::at(22, 6, 5)),
            fetched_per_hour: fetched(),
            durations: vec![
                (
                    "web".into(),
                    vec![2_000, 3_000, 2_500, 64_000, 11_000, 2_000],
                ),
                ("woo".into(), vec![900, 1_100]),
            ],
            outbox_waiting: waiting,
            outbox_failed: failed,
        }));
    }
    app
}

fn text(app: &App) -> String {
    render(app).to_string()
}

#[test]
fn the_sync_log_draws_the_days_orders_and_the_outbox_at_80x24() {
    let app = pictured(80, 24);
    let b = render(&app);
    let screen = b.to_string();
    let day = format!("fetched 24 h: 342 {} ┐", spark(&fetched()));
    assert!(screen.contains(&day), "{screen}");
    assert!(
        screen.contains("outbox ██████░░░░ 12 waiting, 2 failed (26 of 40 sent)"),
        "{screen}"
    );
    // A short pane keeps its rows for runs: no durations.
    assert!(!screen.contains("took "), "{screen}");
    assert_no_colour(b.buffer());
    insta::assert_snapshot!("sync_pictures_80x24", b);
}

#[test]
fn a_tall_sync_log_shows_each_stores_durations_at_its_foot_at_120x40() {
    let app = pictured(120, 40);
    let b = render(&app);
    let screen = b.to_string();
    assert!(
        screen.contains("took web      ▂▂▂█▃▂ last 2.0 s, max 64 s"),
        "{screen}"
    );
    let day = format!("Sync log ──── fetched 24 h: 342 {} ┐", spark(&fetched()));
    assert!(screen.contains(&day), "{screen}");
    assert!(
        screen.contains("took woo      ▇█ last 1.1 s, max 1.1 s"),
        "{screen}"
    );
    assert!(screen.contains("(26 of 40 sent)"), "{screen}");
    assert_no_colour(b.buffer());
    insta::assert_snapshot!("sync_pictures_120x40", b);
}

#[test]
fn the_outbox_gauge_goes_when_the_backlog_is_sent() {
    let mut app = pictured(120, 40);
    app.update(Msg::Pictures(SyncPictures {
        at: Some(fixtures::at(22, 7, 0)),
        fetched_per_hour: vec![0; 24],
        ..Default::default()
    }));
    assert_eq!(
        app.outbox_peak, 0,
        "an empty outbox starts the next peak afresh"
    );
    let screen = text(&app);
    assert!(screen.contains("outbox: nothing waiting"), "{screen}");
    assert!(screen.contains("fetched 24 h: 0 ▁▁▁"), "{screen}");
}

#[test]
fn a_long_runs_progress_bar_fits_80x24() {
    let mut app = fixtures::app(80, 24);
    app.settings.theme.mono = true;
    let mut run = app.runs[0].clone();
    run.finished_at = None;
    run.ok = false;
    run.message = Some(crate::sync::bulk_progress(
        80_000,
        Some(100_000),
        std::time::Duration::from_secs(240),
    ));
    app.runs[0] = run;
    let b = render(&app);
    let screen = b.to_string();
    assert!(screen.contains("[########--] 60 s left"), "{screen}");
    assert_no_colour(b.buffer());
    insta::assert_snapshot!("main_80x24_bulk_progress", b);
}
