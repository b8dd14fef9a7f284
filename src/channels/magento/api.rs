//! The REST requests the connector makes, over the shared HTTP code: the Bearer token,
//! `/rest/<store code>/V1/…`, and what Magento's error bodies say
//! (`{"message": "… %1 …", "parameters": […]}`).

use crate::channels::ChannelError;
use crate::channels::http::{Answer, Attempt, Auth, HttpClient, Kind, Request, excerpt};
use serde_json::Value;
use std::time::Duration;

#[derive(Debug)]
pub struct Api {
    pub http: HttpClient,
    /// `https://shop.example.com/rest/default/V1`
    pub root: String,
}

/// A change's answer: the shop's JSON, or its refusal in its own words (a 4xx).
pub type Changed = Result<Value, String>;

impl Api {
    pub fn new(base: &str, store_code: &str, token: String) -> Result<Api, ChannelError> {
        let auth = Auth::header("authorization", "Bearer ", "access token", token)?;
        Ok(Api {
            http: HttpClient::new(auth, magento_words)?,
            root: format!("{base}/rest/{store_code}/V1"),
        })
    }

    /// `…/V1/{path}`
    pub fn v1(&self, path: &str) -> String {
        format!("{}/{path}", self.root)
    }

    /// A read: the answer's JSON, or `None` for a 404 saying the object does not exist.
    pub async fn get(&self, what: &str, request: Request) -> Result<Option<Value>, ChannelError> {
        self.http
            .send(Kind::Query, what, &request, || Duration::ZERO, read_json)
            .await
    }

    /// A change (POST): never sent again once it may have reached the shop.
    pub async fn change(&self, what: &str, request: Request) -> Result<Changed, ChannelError> {
        let read = |answer: Answer| {
            if answer.status.is_client_error() {
                return Attempt::Done(Err(answer.words()));
            }
            match read_json(answer) {
                Attempt::Done(Some(value)) => Attempt::Done(Ok(value)),
                Attempt::Done(None) => Attempt::Fail(ChannelError::Shape("an empty answer".into())),
                Attempt::Wait(d, e) => Attempt::Wait(d, e),
                Attempt::NotSent(e) => Attempt::NotSent(e),
                Attempt::Retry(e) => Attempt::Retry(e),
                Attempt::Fail(e) => Attempt::Fail(e),
            }
        };
        self.http
            .send(Kind::Mutation, what, &request, || Duration::ZERO, read)
            .await
    }
}

fn read_json(answer: Answer) -> Attempt<Option<Value>> {
    if answer.status == reqwest::StatusCode::NOT_FOUND && is_missing_object(&answer.text) {
        return Attempt::Done(None);
    }
    if !answer.status.is_success() {
        return Attempt::Fail(answer.refusal());
    }
    match serde_json::from_str::<Value>(&answer.text) {
        Ok(value) => Attempt::Done(Some(value)),
        Err(e) => Attempt::Retry(ChannelError::Shape(format!(
            "the body is not JSON ({e}); it starts with {}",
            excerpt(&answer.text)
        ))),
    }
}

/// Magento's 404 for a missing entity carries a message; one for an unknown route ("Request
/// does not match any route": no Magento REST API at that address) is an error.
fn is_missing_object(text: &str) -> bool {
    magento_words(text).is_some_and(|m| !m.contains("does not match any route"))
}

/// The message with its `%1` / `%name` placeholders filled from `parameters` (a list or an
/// object).
pub fn magento_words(text: &str) -> Option<String> {
    let v = serde_json::from_str::<Value>(text).ok()?;
    let mut message = v.get("message").and_then(Value::as_str)?.trim().to_string();
    let show = |p: &Value| match p {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match v.get("parameters") {
        Some(Value::Array(list)) => {
            // From the highest number down, so that %1 does not eat the start of %10.
            for (i, p) in list.iter().enumerate().rev() {
                message = message.replace(&format!("%{}", i + 1), &show(p));
            }
        }
        Some(Value::Object(map)) => {
            for (k, p) in map {
                message = message.replace(&format!("%{k}"), &show(p));
            }
        }
        _ => {}
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_read_with_their_parameters() {
        let body = r#"{"message":"The \"%fieldName\" value is invalid: %1","parameters":{"fieldName":"status","1":"x"}}"#;
        assert_eq!(
            magento_words(body).as_deref(),
            Some("The \"status\" value is invalid: x")
        );
        let body = r#"{"message":"No such entity with %1 = %2","parameters":["orderId","77"]}"#;
        assert_eq!(
            magento_words(body).as_deref(),
            Some("No such entity with orderId = 77")
        );
        assert!(is_missing_object(body));
        assert!(!is_missing_object(
            r#"{"message":"Request does not match any route."}"#
        ));
        assert_eq!(magento_words("<html>"), None);
    }
}
