//! The stock worker: the available quantities queued for a store (after bookings and stock
//! changes, kits computed) go to its shop in one batch a run, through the connector's
//! `push_stock`; the sync log counts them as "stock updated".

use crate::channels::Channel;
use crate::engine::{Engine, EngineError};

/// What one pass sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockTally {
    pub updated: u64,
    /// One line per quantity the shop refused, and the failure that kept them queued.
    pub lines: Vec<String>,
}

/// Sends what waits for `store`; a failure keeps it queued for the next run.
pub async fn push(
    engine: &Engine,
    channel: &dyn Channel,
    store: &str,
) -> Result<StockTally, EngineError> {
    let mut tally = StockTally::default();
    if !channel.takes_stock() {
        return Ok(tally);
    }
    let e = engine.clone();
    let id = store.to_string();
    let queued = tokio::task::spawn_blocking(move || e.queued_stock(&id))
        .await
        .map_err(|e| EngineError::Refused(e.to_string()))??;
    if queued.is_empty() {
        return Ok(tally);
    }
    match channel.push_stock(&queued).await {
        Ok(refused) => {
            tally.updated = (queued.len() - refused.len().min(queued.len())) as u64;
            for (remote_id, why) in refused {
                tally
                    .lines
                    .push(format!("stock of {remote_id} refused: {why}"));
            }
            // A refusal is not sent again (the shop would refuse it again): it is in the log.
            let (e, id) = (engine.clone(), store.to_string());
            tokio::task::spawn_blocking(move || e.stock_delivered(&id, &queued))
                .await
                .map_err(|e| EngineError::Refused(e.to_string()))??;
        }
        Err(e) => tally
            .lines
            .push(format!("stock not sent ({} waiting): {e}", queued.len())),
    }
    Ok(tally)
}
