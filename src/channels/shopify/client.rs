//! One GraphQL call to the Admin API over the shared HTTP code ([`crate::channels::http`]:
//! timeouts, backoff, 429, kill points, credentials kept out of messages), with what is
//! Shopify's own: the `data`/`errors` envelope, THROTTLED, and the cost bucket waited on before
//! a call it cannot afford ([`super::throttle`]). A mutation is retried only when the shop
//! cannot have applied it (THROTTLED, 429, a connection that was never made); after a 5xx or a
//! failure once the request may have reached the shop, the error goes back to the caller, who
//! reads the order's state before sending it again. The access token is sent in a header and
//! nowhere else.

use super::throttle::{QueryCost, Throttle, throttled_wait};
use crate::channels::ChannelError;
use crate::channels::http::{Answer, Attempt, Auth, HttpClient, Kind, Request, excerpt};
use serde_json::{Value, json};
use std::time::Duration;

pub struct GraphqlClient {
    http: HttpClient,
    endpoint: String,
    pub(super) throttle: Throttle,
}

impl std::fmt::Debug for GraphqlClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphqlClient")
            .field("endpoint", &self.endpoint)
            .field("token", &"<redacted>")
            .field("throttle", &self.throttle)
            .finish()
    }
}

impl GraphqlClient {
    pub fn new(endpoint: String, token: String) -> Result<Self, ChannelError> {
        let auth = Auth::header("x-shopify-access-token", "", "access token", token)?;
        Ok(GraphqlClient {
            http: HttpClient::new(auth, shopify_errors)?,
            endpoint,
            throttle: Throttle::default(),
        })
    }

    /// The first delay of the backoff after a 5xx or a network error.
    pub fn set_retry_delay(&mut self, delay: Duration) {
        self.http.retry_delay = delay;
    }

    /// How long one request may take before it counts as failed (a query is tried again).
    pub fn set_timeout(&mut self, timeout: Duration) -> Result<(), ChannelError> {
        self.http.set_timeout(timeout)
    }

    /// Sends `query` and gives back its `data`. `computed_cost` is the document's cost by
    /// Shopify's rules, used until Shopify has reported its requested cost.
    pub async fn call(
        &self,
        document: &'static str,
        query: &str,
        variables: Value,
        computed_cost: usize,
    ) -> Result<Value, ChannelError> {
        self.send(Kind::Query, document, query, variables, computed_cost)
            .await
    }

    /// Sends a mutation: like [`Self::call`], but never sent again once it may have reached
    /// the shop (a 5xx, a timeout, a broken answer).
    pub async fn mutate(
        &self,
        document: &'static str,
        query: &str,
        variables: Value,
        computed_cost: usize,
    ) -> Result<Value, ChannelError> {
        self.send(Kind::Mutation, document, query, variables, computed_cost)
            .await
    }

    async fn send(
        &self,
        kind: Kind,
        document: &'static str,
        query: &str,
        variables: Value,
        computed_cost: usize,
    ) -> Result<Value, ChannelError> {
        let request = Request::post(
            self.endpoint.clone(),
            json!({ "query": query, "variables": variables }),
        );
        let pace = || self.throttle.reserve(document, computed_cost as f64);
        let read = |answer: Answer| self.read(document, answer);
        self.http.send(kind, document, &request, pace, read).await
    }

    /// A successful HTTP answer: its cost taken in, its envelope read.
    fn read(&self, document: &'static str, answer: Answer) -> Attempt<Value> {
        if !answer.status.is_success() {
            return Attempt::Fail(answer.refusal());
        }
        let text = &answer.text;
        let read = read_body(text);
        if let Some(cost) = &read.cost {
            self.throttle.record(document, cost);
        }
        match read.outcome {
            Outcome::Data(data) => Attempt::Done(data),
            Outcome::Throttled(wait, message) => Attempt::Wait(
                wait,
                ChannelError::Remote(format!("still throttled: {message}")),
            ),
            Outcome::Refused(message) => Attempt::Fail(ChannelError::Remote(message)),
            // A body cut short (a broken connection, a proxy) is worth asking again; a
            // mutation is not sent again (it may have been applied).
            Outcome::NotJson(why) => Attempt::Retry(ChannelError::Shape(format!(
                "the body is not JSON ({why}); it starts with {}",
                excerpt(text)
            ))),
            Outcome::NoData => Attempt::Fail(ChannelError::Shape(format!(
                "the answer has no `data`: {}",
                excerpt(text)
            ))),
        }
    }
}

/// The body of a successful HTTP answer, read: the cost it reports and what it holds.
pub(super) struct Body {
    pub cost: Option<QueryCost>,
    pub outcome: Outcome,
}

pub(super) enum Outcome {
    /// The answer's `data` object.
    Data(Value),
    /// THROTTLED: wait this long; the shop's words.
    Throttled(Duration, String),
    /// Other `errors`, in the shop's words.
    Refused(String),
    /// Not JSON (the parser's reason).
    NotJson(String),
    /// JSON without a `data` object.
    NoData,
}

/// Reads an answer's body as the shop sent it (no I/O, nothing scrubbed: the caller does).
pub(super) fn read_body(text: &str) -> Body {
    let answer: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Body {
                cost: None,
                outcome: Outcome::NotJson(e.to_string()),
            };
        }
    };
    let cost = QueryCost::from_answer(&answer);
    let outcome = match answer.get("errors") {
        None | Some(Value::Null) => data_of(answer),
        Some(Value::Array(errors)) if errors.is_empty() => data_of(answer),
        Some(errors) => {
            let message = error_messages(errors);
            if is_throttled(errors) {
                let wait = match cost {
                    Some(QueryCost {
                        requested: Some(r),
                        status: Some(s),
                        ..
                    }) => throttled_wait(r, s.currently_available, s.restore_rate),
                    _ => Duration::from_secs(1),
                };
                Outcome::Throttled(wait.max(Duration::from_millis(50)), message)
            } else {
                Outcome::Refused(message)
            }
        }
    };
    Body { cost, outcome }
}

fn data_of(mut answer: Value) -> Outcome {
    match answer.get_mut("data").map(Value::take) {
        Some(data @ Value::Object(_)) => Outcome::Data(data),
        _ => Outcome::NoData,
    }
}

fn is_throttled(errors: &Value) -> bool {
    errors.as_array().is_some_and(|list| {
        list.iter()
            .any(|e| e.pointer("/extensions/code").and_then(Value::as_str) == Some("THROTTLED"))
    })
}

/// The shop's own messages from `errors` (a list of `{message}` or a plain string).
fn error_messages(errors: &Value) -> String {
    match errors {
        Value::String(s) => s.clone(),
        Value::Array(list) => list
            .iter()
            .map(|e| match e.get("message").and_then(Value::as_str) {
                Some(m) => m.to_string(),
                None => excerpt(&e.to_string()),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", error_messages(v)))
            .collect::<Vec<_>>()
            .join("; "),
        other => excerpt(&other.to_string()),
    }
}

/// Shopify's own messages in a refusal's body: its `errors`.
fn shopify_errors(text: &str) -> Option<String> {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("errors").map(error_messages))
}
