//! Invoices (issue 16): numbered in sequence per store, one per order, only for booked
//! orders, lines and totals as the shop sent them; sent through the store's "invoiced" status,
//! failed (saying why) where the store maps none, and sent again once failed.

mod engine_common;

use engine_common::*;
use orderdesk::domain::invoice::InvoiceState;
use orderdesk::domain::outbox::ShopChange;
use orderdesk::domain::platform::{LocalChange, StatusMap};
use orderdesk::engine::{Delivery, Engine};
use rust_decimal::Decimal;

fn with_statuses(dir: &std::path::Path, invoiced: Option<&str>) -> Engine {
    with_platform(dir, invoiced, false)
}

/// Store `web` mapping `invoiced` (or not), on a platform taking order notes (or not).
fn with_platform(dir: &std::path::Path, invoiced: Option<&str>, order_notes: bool) -> Engine {
    let mut st = settings("web", options());
    st.order_notes = order_notes;
    let mut on: Vec<(LocalChange, &str)> = vec![(LocalChange::Shipped, "shipped")];
    if let Some(s) = invoiced {
        on.push((LocalChange::Invoiced, s));
    }
    st.statuses = Some(StatusMap::from_parts(&["processing"], &on));
    let e = Engine::open(dir, "anna", vec![st]).expect("store opens");
    e.import_products("products.csv", PRODUCTS)
        .expect("products");
    e.import_customers("customers.csv", CUSTOMERS, None)
        .expect("customers");
    e
}

#[test]
fn invoices_are_numbered_in_sequence_one_per_booked_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = with_statuses(dir.path(), Some("invoiced"));
    let mut taxed = order("6001", &[("MUG", 2), ("TEE", 1)]);
    taxed.tax_total = Decimal::new(812, 2);
    taxed.discount_total = Decimal::new(100, 2);
    feed(
        &e,
        &[
            &taxed,
            &stranger(order("6002", &[("MUG", 1)])),
            &order("6003", &[("CAP", 1)]),
        ],
    );
    let ids: Vec<u64> = ["6001", "6002", "6003"]
        .iter()
        .map(|n| get(&e, n).id)
        .collect();
    let out = e.generate_invoices(&ids);
    assert!(out[0].result.is_ok(), "{:?}", out[0]);
    assert!(
        out[1]
            .result
            .as_ref()
            .is_err_and(|w| w.contains("only a booked order")),
        "{:?}",
        out[1]
    );
    assert!(out[2].result.is_ok(), "{:?}", out[2]);
    let all = e.invoices().expect("invoices");
    assert_eq!(
        all.iter().map(|v| v.invoice.number()).collect::<Vec<_>>(),
        ["WEB-000001", "WEB-000002"]
    );
    let first = &all[0].invoice;
    assert_eq!(first.order_name, "6001");
    assert_eq!(first.lines.len(), 2);
    assert_eq!(
        first.tax_total,
        Decimal::new(812, 2),
        "the shop's tax, not ours"
    );
    assert_eq!(first.total, get(&e, "6001").total);
    assert_eq!(all[0].state, InvoiceState::Generated);
    // One invoice per order.
    let again = e.generate_invoices(&ids[..1]);
    assert!(
        again[0]
            .result
            .as_ref()
            .is_err_and(|w| w.contains("already has an invoice")),
        "{:?}",
        again[0]
    );
    assert_eq!(
        e.invoices().unwrap().len(),
        2,
        "no number taken by a refusal"
    );
    let text = first.text("2026-12-06");
    assert!(text.starts_with("INVOICE WEB-000001\n"), "{text}");
    assert!(text.contains("Tax (included)"), "{text}");
    assert!(text.contains("8.12"), "{text}");
}

#[test]
fn sending_tells_the_shop_the_invoiced_status_and_follows_its_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = with_statuses(dir.path(), Some("invoiced"));
    feed(&e, &[&order("6101", &[("MUG", 1)])]);
    let id = get(&e, "6101").id;
    let inv = e.generate_invoice(id).expect("generated");
    let v = e.send_invoice(inv.id).expect("sent");
    assert_eq!((v.state, v.queued), (InvoiceState::Generated, true));
    let item = e
        .outbox_to_send("web")
        .unwrap()
        .into_iter()
        .find(|i| i.order_id == id)
        .expect("queued");
    assert_eq!(
        item.change,
        ShopChange::SetStatus {
            change: LocalChange::Invoiced,
            status: "invoiced".into()
        }
    );
    assert!(e.send_invoice(inv.id).is_err(), "not queued twice");
    e.outbox_sending(item.id).unwrap();
    e.outbox_result(item.id, &Delivery::Refused("status not allowed".into()))
        .unwrap();
    let v = e.invoice(inv.id).unwrap().expect("kept");
    assert_eq!(v.state, InvoiceState::Failed);
    assert_eq!(v.answer.as_deref(), Some("status not allowed"));
    // Resent: a new item; once the shop has it, sent.
    let v = e.send_invoice(inv.id).expect("resent");
    assert!(v.queued);
    let item = *v.invoice.outbox_ids.last().expect("item");
    e.outbox_sending(item).unwrap();
    e.outbox_result(item, &Delivery::Sent("status invoiced".into()))
        .unwrap();
    assert_eq!(
        e.invoice(inv.id).unwrap().unwrap().state,
        InvoiceState::Sent
    );
    assert!(
        e.send_invoice(inv.id).is_err(),
        "a sent invoice is not sent again"
    );
}

#[test]
fn a_store_mapping_no_invoiced_status_fails_the_invoice_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = with_statuses(dir.path(), None);
    feed(&e, &[&order("6201", &[("MUG", 1)])]);
    let id = get(&e, "6201").id;
    let inv = e.generate_invoice(id).expect("generated");
    let v = e.send_invoice(inv.id).expect("answered");
    assert_eq!(v.state, InvoiceState::Failed);
    let why = v.answer.unwrap_or_default();
    assert!(why.contains("maps no status for invoiced"), "{why}");
    assert!(why.contains("takes no order note"), "{why}");
    assert!(
        e.outbox_to_send("web")
            .unwrap()
            .iter()
            .all(|i| i.order_id != id),
        "nothing queued"
    );
}

#[test]
fn on_a_platform_taking_notes_the_invoice_number_goes_as_an_order_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = with_platform(dir.path(), None, true);
    feed(&e, &[&order("6301", &[("MUG", 1)])]);
    let id = get(&e, "6301").id;
    let inv = e.generate_invoice(id).expect("generated");
    let v = e.send_invoice(inv.id).expect("sent");
    assert_eq!((v.state, v.queued), (InvoiceState::Generated, true));
    let queued: Vec<ShopChange> = e
        .outbox_to_send("web")
        .unwrap()
        .into_iter()
        .filter(|i| i.order_id == id)
        .map(|i| i.change)
        .collect();
    assert_eq!(
        queued,
        [ShopChange::Note {
            text: "Invoice WEB-000001".into()
        }]
    );
    // Both, where the store maps a status too; what the shop has is not sent again.
    let dir = tempfile::tempdir().expect("tempdir");
    let e = with_platform(dir.path(), Some("invoiced"), true);
    feed(&e, &[&order("6302", &[("MUG", 1)])]);
    let id = get(&e, "6302").id;
    let inv = e.generate_invoice(id).expect("generated");
    let v = e.send_invoice(inv.id).expect("sent");
    assert_eq!(v.invoice.outbox_ids.len(), 2);
    let (status, note) = (v.invoice.outbox_ids[0], v.invoice.outbox_ids[1]);
    for (item, result) in [
        (status, Delivery::Sent("status invoiced".into())),
        (note, Delivery::Refused("notes are closed".into())),
    ] {
        e.outbox_sending(item).unwrap();
        e.outbox_result(item, &result).unwrap();
    }
    assert_eq!(
        e.invoice(inv.id).unwrap().unwrap().state,
        InvoiceState::Failed
    );
    let again = e.send_invoice(inv.id).expect("resent");
    assert_eq!(again.invoice.outbox_ids.len(), 2);
    assert_eq!(
        again.invoice.outbox_ids[0], status,
        "the status is not sent twice"
    );
    assert!(again.queued);
}

#[test]
fn the_console_exports_an_invoice_and_prints_a_receipt() {
    use orderdesk::engine::command::{Answer, Command, Operator, Role};
    let clerk = Operator::new("anna", Role::Clerk);
    let dir = tempfile::tempdir().expect("tempdir");
    let e = with_statuses(dir.path(), None);
    feed(&e, &[&order("6401", &[("MUG", 2)])]);
    let id = get(&e, "6401").id;
    let inv = e.generate_invoice(id).expect("generated");
    let done = |c: Command| match e.execute(&clerk, "#6401", c) {
        Ok(Answer::Done(text)) => text,
        other => panic!("{other:?}"),
    };
    let said = done(Command::ExportInvoice(inv.id));
    assert!(said.contains("invoice-WEB-000001.txt"), "{said}");
    let text = std::fs::read_to_string(dir.path().join("invoice-WEB-000001.txt")).expect("text");
    assert!(text.starts_with("INVOICE WEB-000001"), "{text}");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("invoice-WEB-000001.json")).expect("json"),
    )
    .expect("it reads");
    assert_eq!(json["number"], "WEB-000001");
    assert_eq!(json["total"], "20.00");

    let said = done(Command::PrintReceipt {
        order_id: id,
        command: None,
    });
    let file = dir.path().join("receipt-web-6401.txt");
    assert!(said.contains("receipt-web-6401.txt"), "{said}");
    let receipt = std::fs::read_to_string(&file).expect("receipt");
    assert!(receipt.starts_with("RECEIPT web:6401"), "{receipt}");
    let printed = dir.path().join("printed.txt");
    done(Command::PrintReceipt {
        order_id: id,
        command: Some(format!("cat > '{}'", printed.display())),
    });
    assert_eq!(std::fs::read_to_string(&printed).expect("printed"), receipt);
    assert!(matches!(
        e.execute(
            &clerk,
            "#6401",
            Command::PrintReceipt {
                order_id: id,
                command: Some("exit 4".into())
            }
        ),
        Err(orderdesk::engine::command::CommandError::Other(m)) if m.contains("\"exit 4\" failed")
    ));
}
