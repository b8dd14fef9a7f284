//! Stock levels a platform takes one request per product (it has no batch): each level's
//! remote code must be the shop's numeric id, and a refusal (in the shop's words) names that
//! product while the others go on. The sender gets the level too (a variant, whose parent it
//! names, may go to another resource).

use crate::channels::ChannelError;
use crate::domain::outbox::QueuedStock;
use std::future::Future;

/// Sends each level through `send` (the shop's id, the level); answers the levels refused,
/// each with why. A transport or server failure stops it (the levels stay queued).
pub async fn one_by_one<'a, F, Fut>(
    levels: &'a [QueuedStock],
    platform: &str,
    mut send: F,
) -> Result<Vec<(String, String)>, ChannelError>
where
    F: FnMut(&'a str, &'a QueuedStock) -> Fut,
    Fut: Future<Output = Result<Result<(), String>, ChannelError>>,
{
    let mut refused = Vec::new();
    for l in levels {
        let id = l.remote_id.trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            refused.push((l.remote_id.clone(), format!("not a {platform} product id")));
            continue;
        }
        if let Err(words) = send(id, l).await? {
            refused.push((l.remote_id.clone(), words));
        }
    }
    Ok(refused)
}
