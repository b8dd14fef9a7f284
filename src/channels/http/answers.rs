//! How a REST connector reads the common answers: JSON or a missing
//! object, and a change's JSON or the shop's refusal in its own words.

use super::{Answer, Attempt, excerpt};
use crate::channels::ChannelError;
use reqwest::StatusCode;
use serde_json::Value;

/// A change's answer: the shop's JSON, or its refusal in its own words (a 4xx).
pub type Changed = Result<Value, String>;

fn parse(answer: &Answer) -> Result<Value, ChannelError> {
    serde_json::from_str::<Value>(&answer.text).map_err(|e| {
        ChannelError::Shape(format!(
            "the body is not JSON ({e}); it starts with {}",
            excerpt(&answer.text)
        ))
    })
}

/// A read: its JSON (a broken one is tried again), `None` for a 404, else the refusal.
pub fn json_or_missing(answer: Answer) -> Attempt<Option<Value>> {
    if answer.status == StatusCode::NOT_FOUND {
        return Attempt::Done(None);
    }
    if !answer.status.is_success() {
        return Attempt::Fail(answer.refusal());
    }
    match parse(&answer) {
        Ok(v) => Attempt::Done(Some(v)),
        Err(e) => Attempt::Retry(e),
    }
}

/// A change: its JSON, or the shop's words for a 4xx; a broken answer fails (the change may
/// have been made: the caller reads the order before sending it again).
pub fn changed(answer: Answer) -> Attempt<Changed> {
    if answer.status.is_client_error() {
        return Attempt::Done(Err(answer.words()));
    }
    match parse(&answer) {
        Ok(v) => Attempt::Done(Ok(v)),
        Err(e) => Attempt::Fail(e),
    }
}

/// A body that must be JSON, whatever its status (a refusal already failed the request).
pub fn json(answer: Answer) -> Attempt<Value> {
    match parse(&answer) {
        Ok(v) => Attempt::Done(v),
        Err(e) => Attempt::Retry(e),
    }
}
