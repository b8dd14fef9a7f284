//! The Pending pane's selection and what acts on it; the Manifests view's keys.

use super::modal::{FormKind, ModalBody, OnYes};
use super::tests_forms::{answer, commands, form, key, one_command, typed};
use super::*;
use crate::domain::lifecycle::StatusChange;
use crate::domain::manifest::{Manifest, ManifestState};
use crate::engine::command::{Answer, Command, ManifestTarget};
use crate::tui::fixtures;

pub(crate) fn manifest(id: u64, state: ManifestState, orders: usize) -> Manifest {
    let at = fixtures::at(22, 8, 0);
    Manifest {
        id,
        carrier: "DHL".into(),
        state,
        created_at: at,
        created_by: "anna".into(),
        shipped_at: (state == ManifestState::Shipped).then_some(at),
        shipped_by: (state == ManifestState::Shipped).then(|| "anna".into()),
        orders: (0..orders)
            .map(|i| crate::domain::manifest::ManifestOrder {
                order_id: 4 + i as u64,
                store: "web".into(),
                name: format!("{}", 1044 + i),
                tracking: format!("JD0146000{i}"),
                recipient: "Jane Doe".into(),
                address: "Main St 1, 1011 Budapest, HU".into(),
                added_at: at,
                outbox_id: None,
            })
            .collect(),
    }
}

#[test]
fn space_selects_and_moves_on_the_title_counts_and_esc_clears_the_selection_first() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, " ");
    key(&mut app, " ");
    assert_eq!(app.selected.keys().copied().collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(app.pending.sel, 2, "the cursor moves on");
    // Space again on a selected order unselects it.
    key(&mut app, "up");
    key(&mut app, " ");
    assert_eq!(app.selected.keys().copied().collect::<Vec<_>>(), vec![1]);
    key(&mut app, "esc");
    assert!(app.selected.is_empty());
    assert_eq!(app.notice.as_deref(), Some("1 unselected"));
    // Outside Pending orders space selects nothing.
    key(&mut app, "2");
    key(&mut app, " ");
    assert!(app.selected.is_empty());
}

#[test]
fn select_all_asks_for_every_order_the_filter_shows() {
    let mut app = fixtures::app(80, 24);
    let effects = key(&mut app, "*");
    assert_eq!(effects, vec![Effect::SelectAll(None)]);
    app.update(Msg::SelectedAll(Ok(fixtures::rows(100, 5))));
    assert_eq!(app.selected.len(), 5);
    assert_eq!(app.notice.as_deref(), Some("5 selected"));
    app.update(Msg::SelectedAll(Ok(fixtures::rows(200, SELECT_MAX + 1))));
    assert_eq!(app.selected.len(), 5 + SELECT_MAX);
    assert!(app.notice.as_deref().unwrap_or("").contains("at most"));
}

#[test]
fn a_bulk_status_change_runs_for_each_selected_order_and_reports_each() {
    let mut app = fixtures::app(80, 24);
    for _ in 0..3 {
        key(&mut app, " ");
    }
    assert!(
        key(&mut app, "s").is_empty(),
        "no order is loaded for a bulk change"
    );
    let FormKind::BulkStatus { orders } = &form(&app).kind else {
        panic!("{:?}", form(&app).kind)
    };
    assert_eq!(orders.len(), 3);
    key(&mut app, "right");
    assert_eq!(form(&app).value("to"), "ready for pickup");
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::BulkStatus {
            order_ids: vec![1, 2, 3],
            change: StatusChange::ReadyForPickup
        }
    );
    let lines = vec![
        "1 of 3 done.".to_string(),
        "#1042: NOT DONE: customer ID needed".into(),
        "#1043: NOT DONE: product match failed".into(),
        "#1047: now ready for pickup".into(),
    ];
    answer(
        &mut app,
        c,
        Ok(Answer::Report {
            title: "selected orders → ready for pickup".into(),
            lines: lines.clone(),
        }),
    );
    let Some(ModalBody::Confirm(report)) = app.modals.last().map(|m| &m.body) else {
        panic!("a report is shown")
    };
    assert_eq!(report.lines, lines);
    assert!(matches!(report.on_yes, OnYes::Close));
    assert!(app.selected.is_empty());
    key(&mut app, "enter");
    assert!(app.modals.is_empty());
}

#[test]
fn add_to_manifest_offers_open_manifests_and_new_ones_and_needs_each_tracking() {
    let mut app = fixtures::app(80, 24);
    app.update(Msg::Manifests(vec![
        manifest(2, ManifestState::InPreparation, 1),
        manifest(1, ManifestState::Shipped, 2),
    ]));
    // Without a selection, the order under the cursor.
    key(&mut app, "down");
    key(&mut app, "down");
    key(&mut app, "down");
    key(&mut app, "t");
    let f = form(&app);
    let FormKind::AddToManifest { orders, targets } = &f.kind else {
        panic!()
    };
    assert_eq!(orders, &vec![(4, "web:1044".to_string())]);
    assert_eq!(
        targets,
        &vec![
            ManifestTarget::Open {
                id: 2,
                carrier: "DHL".into(),
                orders: 1
            },
            ManifestTarget::New {
                carrier: "DHL".into()
            },
            ManifestTarget::New {
                carrier: "GLS".into()
            },
        ]
    );
    assert_eq!(f.fields[1].label, "web:1044");
    assert!(commands(&key(&mut app, "enter")).is_empty());
    assert_eq!(
        form(&app).fields[1].error.as_deref(),
        Some("a tracking number is needed")
    );
    typed(&mut app, "JD1");
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::AddToManifest {
            target: ManifestTarget::Open {
                id: 2,
                carrier: "DHL".into(),
                orders: 1
            },
            orders: vec![(4, "JD1".into())]
        }
    );
}

#[test]
fn the_manifests_view_opens_ships_after_a_question_and_goes_back() {
    let mut app = fixtures::app(80, 24);
    assert_eq!(key(&mut app, "M"), vec![Effect::LoadManifests]);
    assert_eq!(app.body_context(), crate::tui::keymap::Context::Manifests);
    app.update(Msg::Manifests(vec![
        manifest(2, ManifestState::InPreparation, 2),
        manifest(1, ManifestState::Shipped, 1),
    ]));
    key(&mut app, "down");
    key(&mut app, "S");
    assert_eq!(app.notice.as_deref(), Some("manifest 1 is already shipped"));
    key(&mut app, "up");
    assert_eq!(key(&mut app, "enter"), vec![Effect::LoadManifest(2)]);
    key(&mut app, "S");
    let Some(ModalBody::Confirm(q)) = app.modals.last().map(|m| &m.body) else {
        panic!("shipping asks first")
    };
    assert!(
        q.lines[0].contains("Hand manifest 2 (DHL, 2 orders)"),
        "{:?}",
        q.lines
    );
    let c = one_command(&key(&mut app, "y"));
    assert_eq!(c.2, Command::ShipManifest(2));
    assert_eq!(c.0, None);
    let p = one_command(&key(&mut app, "p"));
    assert_eq!(p.2, Command::PrintManifest(2));
    key(&mut app, "esc");
    assert_eq!(app.view, View::Manifests { sel: 0 });
    key(&mut app, "n");
    assert!(matches!(form(&app).kind, FormKind::NewManifest));
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::NewManifest {
            carrier: "DHL".into()
        }
    );
    key(&mut app, "esc");
    key(&mut app, "esc");
    assert_eq!(app.view, View::Main);
}

pub(crate) fn invoices() -> Vec<crate::engine::InvoiceView> {
    use crate::domain::invoice::{Invoice, InvoiceState};
    let mut d = fixtures::order_in(crate::domain::OrderState::Booked);
    d.order.name = "1044".into();
    let inv = |seq: u64| Invoice::of(&d.order, seq, seq, "anna", fixtures::at(22, 9, 0));
    vec![
        crate::engine::InvoiceView {
            invoice: inv(1),
            state: InvoiceState::Sent,
            queued: false,
            answer: None,
        },
        crate::engine::InvoiceView {
            invoice: inv(2),
            state: InvoiceState::Failed,
            queued: false,
            answer: Some("store web maps no status for invoiced".into()),
        },
        crate::engine::InvoiceView {
            invoice: inv(3),
            state: InvoiceState::Generated,
            queued: true,
            answer: None,
        },
    ]
}

#[test]
fn v_invoices_the_selection_and_the_invoices_view_sends_and_exports() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "down");
    key(&mut app, "down");
    key(&mut app, "down");
    let c = one_command(&key(&mut app, "v"));
    assert_eq!(c.2, Command::GenerateInvoices { order_ids: vec![4] });
    key(&mut app, " ");
    key(&mut app, " ");
    let c = one_command(&key(&mut app, "v"));
    assert_eq!(
        c.2,
        Command::GenerateInvoices {
            order_ids: vec![4, 5]
        }
    );
    answer(
        &mut app,
        c,
        Ok(Answer::Report {
            title: "invoices for 2 order(s)".into(),
            lines: vec!["2 of 2 done.".into()],
        }),
    );
    assert!(app.selected.is_empty());
    key(&mut app, "enter");
    assert_eq!(key(&mut app, "I"), vec![Effect::LoadInvoices]);
    app.update(Msg::Invoices(invoices()));
    key(&mut app, "down");
    assert_eq!(one_command(&key(&mut app, "s")).2, Command::SendInvoice(2));
    assert_eq!(
        one_command(&key(&mut app, "e")).2,
        Command::ExportInvoice(2)
    );
    key(&mut app, "esc");
    assert_eq!(app.view, View::Main);
}

#[test]
fn x_takes_the_chosen_order_off_an_open_manifest() {
    let mut app = fixtures::app(80, 24);
    key(&mut app, "M");
    app.update(Msg::Manifests(vec![
        manifest(2, ManifestState::InPreparation, 2),
        manifest(1, ManifestState::Shipped, 1),
    ]));
    key(&mut app, "x");
    let FormKind::RemoveFromManifest {
        manifest_id,
        orders,
    } = &form(&app).kind
    else {
        panic!()
    };
    assert_eq!(*manifest_id, 2);
    assert_eq!(orders.len(), 2);
    key(&mut app, "right");
    let c = one_command(&key(&mut app, "enter"));
    assert_eq!(
        c.2,
        Command::RemoveFromManifest {
            manifest_id: 2,
            order_id: 5
        }
    );
    answer(
        &mut app,
        c,
        Ok(Answer::Done("web:1045 taken off manifest 2".into())),
    );
    assert!(app.modals.is_empty());
    key(&mut app, "down");
    key(&mut app, "x");
    assert_eq!(app.notice.as_deref(), Some("manifest 1 is already shipped"));
}

#[test]
fn p_in_an_order_prints_its_receipt_through_the_configured_command() {
    let mut app = crate::tui::app::tests_forms::with_detail(
        80,
        24,
        fixtures::order_in(crate::domain::OrderState::Completed),
    );
    app.settings.receipt_command = Some("lp -d receipt".into());
    let c = one_command(&key(&mut app, "P"));
    assert_eq!(
        c.2,
        Command::PrintReceipt {
            order_id: 2,
            command: Some("lp -d receipt".into())
        }
    );
    let mut app = fixtures::app(80, 24);
    assert!(key(&mut app, "P").is_empty(), "not on the main screen");
}
