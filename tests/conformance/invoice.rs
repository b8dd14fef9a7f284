//! Sending an invoice tells each shop once, the way its platform can be told: the store's
//! "invoiced" status where it maps one, the invoice's number as a note for the staff where
//! the platform takes notes; a store that can do neither fails the invoice, saying why.

use crate::shop::{platforms, shop};
use orderdesk::channels::PushOutcome;
use orderdesk::domain::OrderState;
use orderdesk::domain::invoice::InvoiceState;
use orderdesk::domain::outbox::ShopChange;
use orderdesk::domain::platform::LocalChange;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_an_invoice_tells_the_shop_once_and_the_re_read_shows_no_conflict() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        let settings = shop.engine.setting("web").expect("store web");
        let notes = settings.order_notes;
        let invoiced = settings
            .statuses
            .as_ref()
            .and_then(|m| m.status_for(LocalChange::Invoiced))
            .map(str::to_string);
        let invoice = shop.engine.generate_invoice(order.id).expect("generated");
        let before = shop.log_of(&order).await.len();
        let sent = shop.engine.send_invoice(invoice.id).expect("sent");
        if !notes && invoiced.is_none() {
            assert_eq!(sent.state, InvoiceState::Failed, "{}", shop.title);
            assert!(
                sent.answer
                    .as_deref()
                    .is_some_and(|a| a.contains("invoiced")),
                "{}: {:?}",
                shop.title,
                sent.answer
            );
            shop.started.stop();
            continue;
        }
        shop.drain_twice().await;
        let view = shop
            .engine
            .invoice(invoice.id)
            .expect("read")
            .expect("the invoice");
        assert_eq!(
            view.state,
            InvoiceState::Sent,
            "{}: {:?}",
            shop.title,
            view.answer
        );
        let told = shop.log_of(&order).await.len() - before;
        assert!(told >= 1, "{}: the shop heard nothing", shop.title);
        if notes {
            // The same note again finds it there and sends nothing.
            let note = ShopChange::Note {
                text: format!("Invoice {}", invoice.number()),
            };
            let again = shop
                .channel
                .push(&order.remote_id, &note, "again")
                .await
                .expect("push");
            assert!(
                matches!(again, PushOutcome::Done(_)),
                "{}: {again:?}",
                shop.title
            );
        }
        if let Some(status) = &invoiced {
            let now = shop.remote(&order).await;
            assert_eq!(now.status.as_ref(), Some(status), "{}", shop.title);
        }
        shop.reread_sends_nothing(&order, OrderState::Booked, before, told)
            .await;
        shop.started.stop();
    }
}
