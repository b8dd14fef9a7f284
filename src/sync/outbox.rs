//! The outbox worker: sends what the shops must hear, with retries and backoff, and never
//! sends a change twice — an item that was already tried is first checked against the shop.

use crate::channels::{Channel, PushOutcome};
use crate::domain::outbox::{OutboxItem, OutboxStatus};
use crate::engine::{Delivery, Engine, EngineError};
use backon::{BackoffBuilder, ExponentialBuilder};
use std::time::Duration;

/// After this many attempts an item waits for the operator (`R` retries it).
pub const MAX_ATTEMPTS: u32 = 5;

/// What one pass over a store's outbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainTally {
    pub sent: u64,
    pub refused: u64,
    pub failed: u64,
    /// One line per item: the order, the change, the shop's answer.
    pub lines: Vec<String>,
}

/// One attempt at one item: reconcile first when it was tried before, then send.
async fn attempt(
    engine: &Engine,
    channel: &dyn Channel,
    item: &OutboxItem,
) -> Result<Delivery, EngineError> {
    if item.status == OutboxStatus::InFlight || item.attempts > 0 {
        match channel.order_state(&item.remote_order_id).await {
            Ok(Some(state)) if state.shows(&item.change) => {
                return Ok(Delivery::Sent(
                    "already done at the shop (confirmed before sending again)".into(),
                ));
            }
            Ok(None) => {
                return Ok(Delivery::Refused(
                    "the shop no longer has this order".into(),
                ));
            }
            Ok(Some(_)) => {}
            Err(e) => {
                // Not knowing whether it took effect, send nothing now.
                return Ok(Delivery::Failed {
                    error: format!("could not check the shop first: {e}"),
                    give_up: false,
                });
            }
        }
    }
    let item = engine.outbox_sending(item.id)?;
    Ok(
        match channel
            .push(&item.remote_order_id, &item.change, &item.key)
            .await
        {
            Ok(PushOutcome::Done(answer)) => Delivery::Sent(answer),
            Ok(PushOutcome::Refused(why)) => Delivery::Refused(why),
            Err(e) => Delivery::Failed {
                error: e.to_string(),
                give_up: item.attempts >= MAX_ATTEMPTS,
            },
        },
    )
}

/// Sends every open item of `store`, retrying transient failures with exponential backoff.
pub async fn drain(
    engine: &Engine,
    channel: &dyn Channel,
    store: &str,
) -> Result<DrainTally, EngineError> {
    let mut tally = DrainTally::default();
    super::attach(engine, channel, store);
    for item in engine.outbox_to_send(store)? {
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(250))
            .with_max_delay(Duration::from_secs(5))
            .with_max_times(2)
            .build();
        let mut current = item;
        let result = loop {
            let result = attempt(engine, channel, &current).await?;
            if let Delivery::Failed { give_up: false, .. } = &result
                && let Some(wait) = delays.next()
            {
                engine.outbox_result(current.id, &result)?;
                tokio::time::sleep(wait).await;
                match engine
                    .outbox_to_send(store)?
                    .into_iter()
                    .find(|i| i.id == current.id)
                {
                    Some(next) => current = next,
                    None => break result,
                }
                continue;
            }
            break result;
        };
        engine.outbox_result(current.id, &result)?;
        let (word, answer) = match &result {
            Delivery::Sent(a) => {
                tally.sent += 1;
                ("sent", a.clone())
            }
            Delivery::Refused(a) => {
                tally.refused += 1;
                ("refused", a.clone())
            }
            Delivery::Failed { error, .. } => {
                tally.failed += 1;
                ("failed", error.clone())
            }
        };
        tally.lines.push(format!(
            "{} {}: {word} — {answer}",
            current.order_name,
            current.change.describe()
        ));
    }
    Ok(tally)
}
