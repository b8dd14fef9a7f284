//! The selection in Pending orders, the Manifests view and a bulk report, at 80x24 and 120x40.

use super::tests::{assert_no_colour, key, render};
use crate::domain::manifest::ManifestState;
use crate::domain::outbox::{OutboxItem, OutboxStatus, ShopChange};
use crate::engine::ManifestDetail;
use crate::tui::app::tests_bulk::manifest;
use crate::tui::app::{App, Msg};
use crate::tui::fixtures;

fn with_selection(w: u16, h: u16) -> App {
    let mut app = fixtures::app(w, h);
    for k in ["down", "down", "down", " ", " ", " "] {
        key(&mut app, k);
    }
    app
}

fn sent(id: u64, order_id: u64, status: OutboxStatus, error: Option<&str>) -> OutboxItem {
    OutboxItem {
        id,
        store: "web".into(),
        order_id,
        order_name: format!("#{}", 1040 + order_id),
        remote_order_id: order_id.to_string(),
        change: ShopChange::Fulfil {
            company: Some("DHL Express".into()),
            number: Some("JD1".into()),
            notify_customer: true,
        },
        key: "k".into(),
        status,
        attempts: 1,
        last_error: error.map(str::to_string),
        answer: None,
        created_at: fixtures::at(22, 8, 0),
        updated_at: fixtures::at(22, 8, 1),
    }
}

fn manifests_app(w: u16, h: u16, open_detail: bool) -> App {
    let mut app = fixtures::app(w, h);
    key(&mut app, "M");
    let shipped = manifest(1, ManifestState::Shipped, 3);
    app.update(Msg::Manifests(vec![
        manifest(2, ManifestState::InPreparation, 1),
        shipped.clone(),
    ]));
    if open_detail {
        key(&mut app, "down");
        key(&mut app, "enter");
        let detail = ManifestDetail {
            manifest: shipped,
            sent: vec![
                Some(sent(11, 4, OutboxStatus::Sent, None)),
                Some(sent(
                    12,
                    5,
                    OutboxStatus::Failed,
                    Some("422 tracking number is invalid"),
                )),
                Some(sent(13, 6, OutboxStatus::Pending, None)),
            ],
        };
        app.update(Msg::ManifestDetail(1, Some(Box::new(detail))));
    }
    app
}

#[test]
fn selected_orders_are_marked_and_counted_80x24() {
    let app = with_selection(80, 24);
    let screen = render(&app);
    insta::assert_snapshot!("selection_80x24", screen);
}

#[test]
fn selected_orders_are_marked_and_counted_120x40() {
    insta::assert_snapshot!("selection_120x40", render(&with_selection(120, 40)));
}

#[test]
fn manifests_list_80x24() {
    insta::assert_snapshot!("manifests_80x24", render(&manifests_app(80, 24, false)));
}

#[test]
fn manifest_detail_120x40() {
    insta::assert_snapshot!(
        "manifest_detail_120x40",
        render(&manifests_app(120, 40, true))
    );
}

#[test]
fn manifest_detail_80x24() {
    insta::assert_snapshot!(
        "manifest_detail_80x24",
        render(&manifests_app(80, 24, true))
    );
}

#[test]
fn a_bulk_report_80x24() {
    let mut app = with_selection(80, 24);
    key(&mut app, "s");
    key(&mut app, "enter");
    let seq = 1;
    app.update(Msg::Answer {
        modal: app.modals.last().map(|m| m.id),
        seq,
        command: crate::engine::command::Command::BulkStatus {
            order_ids: vec![4, 5, 6],
            change: crate::domain::lifecycle::StatusChange::ReadyToShip,
        },
        result: Ok(crate::engine::command::Answer::Report {
            title: "selected orders → ready to ship".into(),
            lines: vec![
                "2 of 3 done.".into(),
                "#1044: now ready to ship".into(),
                "#1045: now ready to ship".into(),
                "#1046: NOT DONE: #1046 is ready to ship: it can move to shipped, refused".into(),
            ],
        }),
    });
    insta::assert_snapshot!("bulk_report_80x24", render(&app));
}

#[test]
fn the_selection_and_manifests_read_without_colour() {
    let mut app = with_selection(80, 24);
    app.settings.theme = crate::tui::theme::Theme::from_vars(Some("1"), None);
    let screen = render(&app);
    assert_no_colour(screen.buffer());
    assert!(screen.to_string().contains("*#1044"));
    let mut app = manifests_app(80, 24, true);
    app.settings.theme = crate::tui::theme::Theme::from_vars(Some("1"), None);
    assert_no_colour(render(&app).buffer());
}

fn invoices_app(w: u16, h: u16) -> App {
    let mut app = fixtures::app(w, h);
    key(&mut app, "I");
    app.update(Msg::Invoices(crate::tui::app::tests_bulk::invoices()));
    key(&mut app, "down");
    app
}

#[test]
fn invoices_80x24() {
    insta::assert_snapshot!("invoices_80x24", render(&invoices_app(80, 24)));
}

#[test]
fn invoices_120x40() {
    insta::assert_snapshot!("invoices_120x40", render(&invoices_app(120, 40)));
}

#[test]
fn the_order_detail_shows_what_was_sent_to_the_shop_120x40() {
    let mut d = fixtures::order_in(crate::domain::OrderState::Shipped);
    let mut sent_ok = sent(11, d.order.id, OutboxStatus::Sent, None);
    sent_ok.answer = Some("fulfillment gid://shopify/Fulfillment/77".into());
    let mut retrying = sent(
        12,
        d.order.id,
        OutboxStatus::Pending,
        Some("502 Bad Gateway"),
    );
    retrying.change = ShopChange::SetStatus {
        change: crate::domain::platform::LocalChange::Invoiced,
        status: "invoiced".into(),
    };
    d.outbox = vec![
        sent_ok,
        retrying,
        sent(
            13,
            d.order.id,
            OutboxStatus::Failed,
            Some("the order is archived"),
        ),
    ];
    let mut app = crate::tui::app::tests_forms::with_detail(120, 40, d);
    key(&mut app, "end");
    let screen = render(&app);
    let text = screen.to_string();
    assert!(text.contains("Sent to the shop"), "{text}");
    insta::assert_snapshot!("order_detail_outbox_120x40", screen);
}

fn bulk_under_way(w: u16, h: u16) -> App {
    let mut app = with_selection(w, h);
    app.update(Msg::Engine(crate::engine::EngineEvent::BulkProgress {
        done: 120,
        total: 300,
    }));
    app
}

#[test]
fn a_bulk_action_shows_its_progress_80x24() {
    let app = bulk_under_way(80, 24);
    let screen = render(&app);
    assert!(screen.to_string().contains("120 of 300 orders"));
    insta::assert_snapshot!("bulk_progress_80x24", screen);
}

#[test]
fn a_bulk_action_shows_its_progress_120x40() {
    let mut app = bulk_under_way(120, 40);
    insta::assert_snapshot!("bulk_progress_120x40", render(&app));
    // The last order done, the bar goes.
    app.update(Msg::Engine(crate::engine::EngineEvent::BulkProgress {
        done: 300,
        total: 300,
    }));
    assert_eq!(app.bulk, None);
}
