//! One conformance suite for every platform the registry connects and simulates: the same
//! scenarios against each platform's simulator through its real connector, with the same
//! local result (issue #13 §5). A platform joins by its registry row alone.

mod binary;
mod catalog;
mod invoice;
mod shop;
mod stock;

use binary::Binary;
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;
use orderdesk::domain::platform::LocalChange;
use orderdesk::engine::ProblemKind;
use orderdesk::sync::outbox::drain;
use serde_json::{Value, json};
use shop::{Shop, platforms, shop};
use std::collections::BTreeMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_lands_in_its_expected_state_over_pages_and_a_second_run_changes_nothing() {
    for (row, sim) in platforms() {
        // 250 orders: three pages of WooCommerce's 100, five of Shopify's.
        let shop = shop(row, sim, 250).await;
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        assert_eq!(run.fetched, 250, "{}: each order fetched once", shop.title);
        let wrong = shop.wrong(None);
        assert!(wrong.is_empty(), "{}:\n{}", shop.title, wrong.join("\n"));
        let before = shop.states();
        let again = shop.run().await;
        assert!(again.ok && again.booked == 0, "{}: {again:?}", shop.title);
        assert_eq!(shop.states(), before, "{}", shop.title);
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_cancel_cancels_the_order_and_gives_its_stock_back() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        let stock_before: i64 = shop
            .engine
            .products(None)
            .expect("p")
            .iter()
            .map(|p| p.stock)
            .sum();
        let held: i64 = order.booked_stock.iter().map(|(_, n)| n).sum();
        shop.sim(
            &format!("/_sim/orders/{}", order.remote_id),
            json!({"cancel": true}),
        )
        .await;
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        let now = shop.order(order.id);
        assert_eq!(now.state, OrderState::Cancelled, "{}", shop.title);
        let stock_after: i64 = shop
            .engine
            .products(None)
            .expect("p")
            .iter()
            .map(|p| p.stock)
            .sum();
        assert_eq!(
            stock_after,
            stock_before + held,
            "{}: stock given back",
            shop.title
        );
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_answer_is_waited_out() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        shop.sim(
            "/_sim/faults",
            json!({"rate_limit_next": 2, "retry_after": 0.2}),
        )
        .await;
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        let wrong = shop.wrong(None);
        assert!(wrong.is_empty(), "{}:\n{}", shop.title, wrong.join("\n"));
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_order_is_named_in_errors_and_the_rest_of_its_page_lands() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let broken = shop.a_booked_order();
        shop.sim(
            "/_sim/faults",
            json!({"malformed": {"order": broken.remote_id, "field": sim.vital_field}}),
        )
        .await;
        // A change at the shop makes the next run fetch it again, broken.
        shop.sim(
            &format!("/_sim/orders/{}", broken.remote_id),
            json!({"complete": true}),
        )
        .await;
        let run = shop.run().await;
        assert!(
            run.ok,
            "{}: one bad order does not fail the run: {:?}",
            shop.title, run.message
        );
        assert!(run.errors >= 1, "{}: {run:?}", shop.title);
        let problems = shop.engine.problems().expect("problems");
        let unreadable: Vec<_> = problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Unreadable)
            .map(|p| format!("{} {}", p.subject, p.text))
            .collect();
        assert!(
            unreadable
                .iter()
                .any(|p| p.contains(&broken.remote_id) || p.contains(&broken.name)),
            "{}: {unreadable:?}",
            shop.title
        );
        let wrong = shop.wrong(Some(&broken.name));
        assert!(wrong.is_empty(), "{}:\n{}", shop.title, wrong.join("\n"));
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipping_tells_the_shop_the_tracking_number_once() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        shop.ship(order.id, "JD014600006281");
        drain(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .expect("drain");
        drain(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .expect("drain again");
        let sent = shop.log("fulfillment_create").await;
        assert_eq!(sent.len(), 1, "{}: {sent:?}", shop.title);
        assert_eq!(
            sent[0]["tracking_number"], "JD014600006281",
            "{}",
            shop.title
        );
        // What the shop now shows of the order comes back as orderdesk's own change.
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        let now = shop.order(order.id);
        assert_eq!(now.state, OrderState::Shipped, "{}", shop.title);
        assert!(
            now.conflicts.is_empty(),
            "{}: {:?}",
            shop.title,
            now.conflicts
        );
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusing_cancels_at_the_shop_once_and_stock_comes_back_once() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        let total = |s: &Shop| -> i64 {
            s.engine
                .products(None)
                .expect("p")
                .iter()
                .map(|p| p.stock)
                .sum()
        };
        let before = total(&shop);
        let held: i64 = order.booked_stock.iter().map(|(_, n)| n).sum();
        let refused = StatusChange::Refused {
            reason: "customer asked".into(),
        };
        shop.engine
            .change_status(order.id, &refused)
            .expect("refused");
        drain(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .expect("drain");
        drain(&shop.engine, shop.channel.as_ref(), "web")
            .await
            .expect("drain again");
        let cancels: Vec<Value> = shop
            .log("order_cancel")
            .await
            .into_iter()
            .filter(|e| {
                e["order_name"]
                    .as_str()
                    .is_some_and(|n| n.trim_start_matches('#') == order.name)
            })
            .collect();
        assert_eq!(cancels.len(), 1, "{}: {cancels:?}", shop.title);
        // The shop's cancel comes back on the next run as orderdesk's own: no second give-back.
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);
        assert_eq!(
            shop.order(order.id).state,
            OrderState::Refused,
            "{}",
            shop.title
        );
        assert_eq!(
            total(&shop),
            before + held,
            "{}: stock back once",
            shop.title
        );
        shop.started.stop();
    }
}

/// The id the shop's test API takes for a line (Shopify's `gid://shopify/LineItem/7` is 7).
fn line_id(remote_id: &str) -> &str {
    remote_id.rsplit('/').next().unwrap_or(remote_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_is_applied_before_booking_and_a_conflict_after() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let parked = [OrderState::CustomerIdNeeded, OrderState::ProductMatchFailed];
        let (before, i) = shop.with_a_line_of_two(&parked);
        let (booked, j) = shop.with_a_line_of_two(&[OrderState::Booked]);
        let stock = |s: &Shop| -> BTreeMap<String, i64> {
            let products = s.engine.products(None).expect("products");
            products.into_iter().map(|p| (p.id, p.stock)).collect()
        };
        let stock_before = stock(&shop);
        for (o, k) in [(&before, i), (&booked, j)] {
            let line = &o.lines[k];
            let quantities = json!({ line_id(&line.remote_id): line.quantity - 1 });
            shop.sim(
                &format!("/_sim/orders/{}", o.remote_id),
                json!({ "quantities": quantities }),
            )
            .await;
        }
        let run = shop.run().await;
        assert!(run.ok, "{}: {:?}", shop.title, run.message);

        // Not booked yet: the shop's quantity is the order's now, and no conflict.
        let now = shop.order(before.id);
        let quantities = |o: &orderdesk::domain::Order| -> Vec<u32> {
            o.lines.iter().map(|l| l.quantity).collect()
        };
        let mut want = quantities(&before);
        want[i] -= 1;
        assert_eq!(quantities(&now), want, "{}: {}", shop.title, before.name);
        assert!(
            now.conflicts.is_empty(),
            "{}: {:?}",
            shop.title,
            now.conflicts
        );
        assert!(
            parked.contains(&now.state),
            "{}: {:?}",
            shop.title,
            now.state
        );

        // Booked: the lines and the stock stay as booked, and the change is a conflict.
        let now = shop.order(booked.id);
        assert_eq!(now.state, OrderState::Booked, "{}", shop.title);
        assert_eq!(quantities(&now), quantities(&booked), "{}", shop.title);
        assert_eq!(now.booked_stock, booked.booked_stock, "{}", shop.title);
        assert!(
            now.conflicts
                .iter()
                .any(|c| c.contains("changed at the shop after booking, not applied")),
            "{}: {:?}",
            shop.title,
            now.conflicts
        );
        assert_eq!(
            stock(&shop),
            stock_before,
            "{}: stock untouched",
            shop.title
        );
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_for_pickup_tells_the_shop_once_and_the_re_read_shows_no_conflict() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop
            .engine
            .all_orders(Some(OrderState::Booked))
            .expect("orders")
            .into_iter()
            .find(|o| o.shipping.as_ref().is_some_and(|s| s.pickup) && !o.test)
            .unwrap_or_else(|| panic!("{}: a booked pickup order", shop.title));
        assert!(shop.log_of(&order).await.is_empty(), "{}", shop.title);
        shop.engine
            .change_status(order.id, &StatusChange::ReadyForPickup)
            .expect("ready for pickup");
        shop.drain_twice().await;
        // (Shopify shows no sign of it on the order to read back: its repeated push is refused
        // by the shop instead, see `channels::shopify::answers::remote_state`.)
        let told = shop.log_of(&order).await;
        assert_eq!(told.len(), 1, "{}: {told:?}", shop.title);
        shop.reread_keeps(order.id, OrderState::ReadyForPickup)
            .await;
        assert_eq!(shop.log_of(&order).await.len(), 1, "{}", shop.title);
        shop.started.stop();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_sets_the_mapped_status_once_and_the_re_read_shows_no_conflict() {
    for (row, sim) in platforms() {
        let shop = shop(row, sim, 40).await;
        assert!(shop.run().await.ok, "{}", shop.title);
        let order = shop.a_booked_order();
        shop.ship(order.id, "JD014600006282");
        shop.drain_twice().await;
        let after_shipping = shop.log_of(&order).await.len();
        let status_then = shop.remote(&order).await.status;
        let balance = shop.order(order.id).balance();
        shop.engine
            .record_payment(order.id, "VISA", balance, "", false)
            .expect("paid");
        shop.engine
            .change_status(order.id, &StatusChange::Completed)
            .expect("completed");
        shop.drain_twice().await;

        // The store's completed status, where it maps one: set once, unless the order
        // already had it.
        let settings = shop.engine.setting("web").expect("store web");
        let mapped = settings
            .statuses
            .as_ref()
            .and_then(|m| m.status_for(LocalChange::Completed))
            .map(str::to_string);
        let now = shop.remote(&order).await;
        let new = shop.log_of(&order).await.len() - after_shipping;
        match &mapped {
            Some(status) => {
                assert_eq!(now.status.as_ref(), Some(status), "{}", shop.title);
                let sent = usize::from(status_then.as_ref() != Some(status));
                assert_eq!(new, sent, "{}", shop.title);
            }
            None => assert_eq!(new, 0, "{}: nothing to tell", shop.title),
        }
        let timeline = shop
            .engine
            .order_detail(order.id)
            .expect("detail")
            .expect("order")
            .timeline;
        let not_told = timeline
            .iter()
            .any(|t| t.text.contains("not told") && t.text.contains("completed"));
        // A store of a platform with statuses hears why nothing was sent; Shopify has none.
        assert_eq!(
            not_told,
            settings.statuses.is_some() && mapped.is_none(),
            "{}",
            shop.title
        );
        shop.reread_sends_nothing(&order, OrderState::Completed, after_shipping, new)
            .await;
        shop.started.stop();
    }
}

/// A `kill -9` in the middle of a sync (the debug build's kill point at half the points an
/// uninterrupted sync passes), then a sync again: the same orders, states and stock as a sync
/// that was never interrupted, each order once, and `check` finds the store whole.
#[cfg(debug_assertions)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_in_the_middle_of_a_sync_loses_nothing_and_doubles_nothing() {
    use std::os::unix::process::ExitStatusExt;
    for (row, sim) in platforms() {
        // 150 orders: two pages of WooCommerce's, three of Shopify's.
        let shop = shop(row, sim, 150).await;
        let home = tempfile::tempdir().expect("tempdir");
        let bin = Binary::new(&shop, row, sim, home.path());
        let (whole, killed) = (home.path().join("whole"), home.path().join("killed"));
        bin.store(&whole).await;
        bin.store(&killed).await;

        let points = home.path().join("points.log");
        let log = [("ORDERDESK_KILL_LOG", points.to_string_lossy().into_owned())];
        let out = bin.run(&whole, &["sync", "--once"], &log).await;
        assert!(out.status.success(), "{}: {out:?}", shop.title);
        let passed = std::fs::read_to_string(&points)
            .expect("points")
            .lines()
            .count();
        assert!(passed >= 4, "{}: {passed} kill points", shop.title);

        let at = [("ORDERDESK_KILL_AT", (passed / 2).to_string())];
        let out = bin.run(&killed, &["sync", "--once"], &at).await;
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGKILL),
            "{}: killed at point {} of {passed}: {out:?}",
            shop.title,
            passed / 2
        );
        let out = bin.run(&killed, &["sync", "--once"], &[]).await;
        assert!(out.status.success(), "{}: {out:?}", shop.title);

        let (want, got) = (bin.outcome(&whole).await, bin.outcome(&killed).await);
        assert_eq!(got.0.len(), want.0.len(), "{}: orders", shop.title);
        for (name, seen) in &want.0 {
            assert_eq!(got.0.get(name), Some(seen), "{}: {name}", shop.title);
        }
        assert_eq!(got.1, want.1, "{}: stock", shop.title);
        // And the uninterrupted one is what the shop's cases expect.
        let wrong: Vec<String> = shop
            .expected
            .iter()
            .filter_map(|(name, case, state)| {
                let now = got.0.get(name).and_then(|s| s["state"].as_str());
                let now = now.unwrap_or("skipped");
                (now != state).then(|| format!("{name} ({case}): expected {state}, got {now}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}:\n{}", shop.title, wrong.join("\n"));
        let out = bin.run(&killed, &["check"], &[]).await;
        assert!(out.status.success(), "{}: {out:?}", shop.title);
        shop.started.stop();
    }
}
