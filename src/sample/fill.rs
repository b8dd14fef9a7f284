//! Fills a store through the engine, as years of trading would: records imported, orders
//! taken in by batches, and the operator's work on them (payments, pickup, shipping with
//! tracking, completion, refusals), each change told to the shop and marked sent.

use super::orders::{OrderMix, shop_order};
use super::{Rng, customers_csv, names, products_csv};
use crate::domain::OrderState;
use crate::domain::lifecycle::StatusChange;
use crate::engine::{Delivery, Engine, EngineError, ImportError};
use chrono::{Duration, Utc};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct FillPlan {
    pub orders: u64,
    pub customers: u64,
    pub products: u64,
    /// Orders per intake batch.
    pub batch: usize,
}

#[derive(Debug, Clone, Default)]
pub struct FillReport {
    pub import_secs: f64,
    pub intake_secs: f64,
    pub work_secs: f64,
    pub booked: u64,
    pub parked: u64,
    pub rejected: u64,
    pub commands: u64,
    pub pushed: u64,
}

/// The newest this share (per thousand) of orders stays open: the queue of the day.
const OPEN_PER_MILLE: u64 = 20;

/// Fills `engine`'s store `web` (see `bench_settings`); `progress` hears each step's line.
pub fn fill(
    engine: &Engine,
    plan: &FillPlan,
    progress: &mut dyn FnMut(&str),
) -> Result<FillReport, ImportError> {
    let mut report = FillReport::default();
    let t = Instant::now();
    engine.import_products("bench-products.csv", &products_csv(plan.products as usize))?;
    engine.import_customers(
        "bench-customers.csv",
        &customers_csv(plan.customers as usize),
        Some("HU"),
    )?;
    report.import_secs = t.elapsed().as_secs_f64();
    progress(&format!(
        "imported {} products and {} customers in {:.1} s",
        plan.products, plan.customers, report.import_secs
    ));
    let now = Utc::now();
    let mix = OrderMix {
        customers: plan.customers,
        products: plan.products,
        orders: plan.orders,
        first: now - Duration::days(730),
        last: now - Duration::minutes(5),
    };
    let open_from = plan.orders - plan.orders * OPEN_PER_MILLE / 1000;
    let (mut intake, mut work) = (0.0, 0.0);
    let mut next = 0;
    while next < plan.orders {
        let end = (next + plan.batch as u64).min(plan.orders);
        let batch: Vec<_> = (next..end).map(|i| shop_order(&mix, i)).collect();
        let t = Instant::now();
        let tally = engine.intake_batch("web", batch)?;
        intake += t.elapsed().as_secs_f64();
        report.booked += tally.booked;
        report.parked += tally.parked;
        report.rejected += tally.rejected;
        let t = Instant::now();
        for (id, _, _) in &tally.touched {
            if *id <= open_from {
                work_on(engine, *id, &mut report)?;
            }
        }
        work += t.elapsed().as_secs_f64();
        // Each batch made durable: a bulk-loading redb store reuses the pages its commits
        // freed only after a durable one.
        engine.flush()?;
        if end / 100_000 != next / 100_000 || end == plan.orders {
            progress(&format!(
                "{end} orders: intake {intake:.1} s ({:.0}/s), operator work {work:.1} s",
                end as f64 / intake.max(1e-9)
            ));
        }
        next = end;
    }
    report.intake_secs = intake;
    report.work_secs = work;
    Ok(report)
}

/// What an operator did with an order that is now history: paid what was open, sent or handed
/// it over, completed it — or refused one now and then. Each change the shop must hear is
/// queued and then recorded as sent, as the sync's worker does.
fn work_on(engine: &Engine, id: u64, report: &mut FillReport) -> Result<(), EngineError> {
    // The order alone: its timeline and outbox are not needed to decide.
    let order = engine.order_of(id)?;
    let mut rng = Rng::new(id);
    let mut steps = Vec::new();
    if order.state == OrderState::Booked && rng.chance(1) {
        steps.push(StatusChange::Refused {
            reason: "out of stock at the warehouse".into(),
        });
    } else if order.state == OrderState::Booked {
        if order.balance() > crate::domain::Money::ZERO {
            engine.record_payment(id, "transfer", order.balance(), "", false)?;
            report.commands += 1;
        }
        if order.shipping.as_ref().is_some_and(|s| s.pickup) {
            steps.push(StatusChange::ReadyForPickup);
        } else {
            steps.push(StatusChange::ReadyToShip);
            steps.push(StatusChange::Shipped {
                carrier: rng.pick(names::CARRIERS).to_string(),
                tracking: format!("TRK{id:010}"),
            });
        }
        steps.push(StatusChange::Completed);
    }
    for step in &steps {
        engine.change_status(id, step)?;
        report.commands += 1;
    }
    if !steps.is_empty() {
        for item in engine.order_outbox(id)? {
            engine.outbox_result(item.id, &Delivery::Sent("bench".into()))?;
            report.pushed += 1;
        }
    }
    Ok(())
}
