//! The REST requests the connector makes, over the shared HTTP code: what WooCommerce's error
//! bodies say, and reading an answer as JSON or as a refusal.

use crate::channels::ChannelError;
use crate::channels::http::{Answer, Attempt, Auth, HttpClient, Kind, Request, excerpt};
use serde_json::Value;
use std::time::Duration;

/// The connector's HTTP side: the site's API root and the client holding the credentials.
#[derive(Debug)]
pub struct Api {
    pub http: HttpClient,
    /// `https://shop.example.com/wp-json`
    pub root: String,
}

/// A change's answer: the shop's JSON, or its refusal in its own words (a 4xx).
pub type Changed = Result<Value, String>;

impl Api {
    pub fn new(
        base: &str,
        key: &str,
        secret: &str,
        query_string: bool,
    ) -> Result<Api, ChannelError> {
        if key.trim().is_empty() || secret.trim().is_empty() {
            return Err(ChannelError::Auth(
                "no consumer key or consumer secret is configured".to_string(),
            ));
        }
        let (key, secret) = (key.trim().to_string(), secret.trim().to_string());
        let auth = if query_string {
            Auth::Query(vec![("consumer_key", key), ("consumer_secret", secret)])
        } else {
            Auth::Basic {
                user: key,
                password: secret,
            }
        };
        Ok(Api {
            http: HttpClient::new(auth, woo_words)?,
            root: format!("{base}/wp-json"),
        })
    }

    /// `/wc/v3/…` under the site's API root.
    pub fn wc(&self, path: &str) -> String {
        format!("{}/wc/v3/{path}", self.root)
    }

    /// A read: the answer's JSON and headers, or `None` for a 404 that says the object does
    /// not exist (any other refusal is an error).
    pub async fn get(
        &self,
        what: &str,
        request: Request,
    ) -> Result<Option<(Value, Answer)>, ChannelError> {
        self.http
            .send(Kind::Query, what, &request, || Duration::ZERO, read_json)
            .await
    }

    /// A change (POST, PUT): never sent again once it may have reached the shop.
    pub async fn change(&self, what: &str, request: Request) -> Result<Changed, ChannelError> {
        let read = |answer: Answer| {
            if answer.status.is_client_error() {
                return Attempt::Done(Err(answer.words()));
            }
            match read_json(answer) {
                Attempt::Done(Some((value, _))) => Attempt::Done(Ok(value)),
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

/// A 2xx answer's JSON; a 404 naming a missing object as `None`.
fn read_json(answer: Answer) -> Attempt<Option<(Value, Answer)>> {
    if answer.status == reqwest::StatusCode::NOT_FOUND && is_missing_object(&answer.text) {
        return Attempt::Done(None);
    }
    if !answer.status.is_success() {
        return Attempt::Fail(answer.refusal());
    }
    match serde_json::from_str::<Value>(&answer.text) {
        Ok(value) => Attempt::Done(Some((value, answer))),
        // A body cut short (a broken connection, a proxy) is worth asking again; a change
        // is not sent again (it may have been applied).
        Err(e) => Attempt::Retry(ChannelError::Shape(format!(
            "the body is not JSON ({e}); it starts with {}",
            excerpt(&answer.text)
        ))),
    }
}

/// WooCommerce's "no such order" (`woocommerce_rest_shop_order_invalid_id`, `…_invalid_id`);
/// a 404 without it (`rest_no_route`: no WooCommerce API at that address) is an error.
fn is_missing_object(text: &str) -> bool {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_string))
        .is_some_and(|code| code.ends_with("_invalid_id"))
}

/// WooCommerce's (WordPress's) error body: `{"code": "...", "message": "...", "data": {...}}`.
fn woo_words(text: &str) -> Option<String> {
    let v = serde_json::from_str::<Value>(text).ok()?;
    let message = v.get("message").and_then(Value::as_str)?;
    let message = super::text::decode_entities(message.trim());
    Some(match v.get("code").and_then(Value::as_str) {
        Some(code) if !code.is_empty() => format!("{message} ({code})"),
        _ => message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_read_as_one_line() {
        let body = r#"{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}"#;
        assert_eq!(
            woo_words(body).as_deref(),
            Some("Sorry, you cannot list resources. (woocommerce_rest_cannot_view)")
        );
        assert_eq!(woo_words("<html>"), None);
        assert!(is_missing_object(
            r#"{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}"#
        ));
        assert!(!is_missing_object(
            r#"{"code":"rest_no_route","message":"No route"}"#
        ));
    }
}
