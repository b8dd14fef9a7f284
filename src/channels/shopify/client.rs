//! One GraphQL call to the Admin API, with Shopify's rate limits respected: wait before a call
//! the cost bucket cannot afford, wait and retry after THROTTLED or HTTP 429, back off and retry
//! a query after a 5xx or a network error. A mutation is retried only when the shop cannot have
//! applied it (THROTTLED, 429, a connection that was never made); after a 5xx or a failure once
//! the request may have reached the shop, the error goes back to the caller, who reads the
//! order's state before sending it again. The access token is sent in a header and nowhere else.

use super::throttle::{QueryCost, Throttle, throttled_wait};
use crate::channels::ChannelError;
use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{HeaderValue, RETRY_AFTER};
use serde_json::{Value, json};
use std::time::Duration;

/// Retries after a 5xx or a network error (with backoff).
pub const TRANSIENT_RETRIES: usize = 3;
/// Retries after THROTTLED or HTTP 429.
pub const THROTTLED_RETRIES: usize = 5;
/// How long one request may take, answer included.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// What a 429 without `Retry-After` waits.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(2);

pub struct GraphqlClient {
    http: reqwest::Client,
    endpoint: String,
    token: String,
    /// The token as a header marked sensitive (kept out of reqwest's and hyper's Debug output).
    token_header: HeaderValue,
    pub(super) throttle: Throttle,
    pub(super) retry_delay: Duration,
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

/// What one attempt came to.
enum Attempt {
    Data(Value),
    /// Wait this long, then try again (THROTTLED, 429): the shop did not run the document.
    Wait(Duration, ChannelError),
    /// The request never reached the shop (no connection): safe to try again, even a mutation.
    NotSent(ChannelError),
    /// A transient failure after the request may have reached the shop: a query backs off and
    /// tries again; a mutation does not.
    Retry(ChannelError),
    Fail(ChannelError),
}

/// Whether a document only reads (safe to send again) or changes the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Query,
    Mutation,
}

impl Kind {
    /// The kill point just before a request goes to the shop.
    fn before_label(self) -> &'static str {
        match self {
            Kind::Query => "shop: before a query",
            Kind::Mutation => "shop: before a mutation",
        }
    }

    /// The kill point once the shop answered (or the request failed).
    fn after_label(self) -> &'static str {
        match self {
            Kind::Query => "shop: after a query's answer",
            Kind::Mutation => "shop: after a mutation's answer",
        }
    }
}

impl GraphqlClient {
    pub fn new(endpoint: String, token: String) -> Result<Self, ChannelError> {
        if token.trim().is_empty() {
            return Err(ChannelError::Auth(
                "no access token is configured".to_string(),
            ));
        }
        let Ok(mut token_header) = HeaderValue::from_str(token.trim()) else {
            return Err(ChannelError::Auth(
                "the access token holds characters a header cannot carry".to_string(),
            ));
        };
        token_header.set_sensitive(true);
        let http = http_client(DEFAULT_TIMEOUT)?;
        Ok(GraphqlClient {
            http,
            endpoint,
            token,
            token_header,
            throttle: Throttle::default(),
            retry_delay: Duration::from_millis(500),
        })
    }

    /// How long one request may take before it counts as failed (a query is tried again).
    pub fn set_timeout(&mut self, timeout: Duration) -> Result<(), ChannelError> {
        self.http = http_client(timeout)?;
        Ok(())
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
        let body = json!({ "query": query, "variables": variables });
        let mut backoff = ExponentialBuilder::default()
            .with_min_delay(self.retry_delay)
            .with_max_delay(Duration::from_secs(30))
            .with_max_times(TRANSIENT_RETRIES)
            .build();
        let mut waits = 0;
        loop {
            let wait = self.throttle.reserve(document, computed_cost as f64);
            if !wait.is_zero() {
                tracing::debug!(document, ?wait, "waiting for Shopify's cost bucket");
                tokio::time::sleep(wait).await;
            }
            crate::killpoint::here(kind.before_label());
            let attempt = self.attempt(document, &body).await;
            crate::killpoint::here(kind.after_label());
            match attempt {
                Attempt::Data(data) => return Ok(data),
                Attempt::Fail(e) => return Err(e),
                Attempt::Wait(wait, e) => {
                    waits += 1;
                    if waits > THROTTLED_RETRIES {
                        return Err(e);
                    }
                    tracing::info!(document, ?wait, "Shopify throttled the call; waiting");
                    tokio::time::sleep(wait).await;
                }
                Attempt::Retry(e) if kind == Kind::Mutation => {
                    tracing::warn!(document, error = %e, "a mutation failed; not sending it again");
                    return Err(e);
                }
                Attempt::Retry(e) | Attempt::NotSent(e) => match backoff.next() {
                    Some(delay) => {
                        tracing::warn!(document, ?delay, error = %e, "retrying the call");
                        tokio::time::sleep(delay).await;
                    }
                    None => return Err(e),
                },
            }
        }
    }

    async fn attempt(&self, document: &'static str, body: &Value) -> Attempt {
        let sent = self
            .http
            .post(&self.endpoint)
            .header("X-Shopify-Access-Token", self.token_header.clone())
            .header("Accept", "application/json")
            .json(body)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                let error = ChannelError::Transport(self.scrub(&describe(&e)));
                return if e.is_connect() {
                    Attempt::NotSent(error)
                } else {
                    Attempt::Retry(error)
                };
            }
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .and_then(|s| Duration::try_from_secs_f64(s).ok());
        let text = match response.text().await {
            Ok(t) => t,
            Err(e) => return Attempt::Retry(ChannelError::Transport(self.scrub(&describe(&e)))),
        };
        let words = || self.scrub(&shop_words(&text, status));
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Attempt::Fail(ChannelError::Auth(words()));
        }
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            let wait = retry_after
                .unwrap_or(DEFAULT_RETRY_AFTER)
                .min(super::throttle::MAX_WAIT);
            return Attempt::Wait(
                wait,
                ChannelError::Remote(format!("still rate limited: {}", words())),
            );
        }
        if status.is_server_error() {
            return Attempt::Retry(ChannelError::Remote(words()));
        }
        if !status.is_success() {
            return Attempt::Fail(ChannelError::Remote(words()));
        }
        let read = read_body(&text);
        if let Some(cost) = &read.cost {
            self.throttle.record(document, cost);
        }
        match read.outcome {
            Outcome::Data(data) => Attempt::Data(data),
            Outcome::Throttled(wait, message) => Attempt::Wait(
                wait,
                ChannelError::Remote(format!("still throttled: {}", self.scrub(&message))),
            ),
            Outcome::Refused(message) => Attempt::Fail(ChannelError::Remote(self.scrub(&message))),
            // A body cut short (a broken connection, a proxy) is worth asking again; a
            // mutation is not sent again (it may have been applied).
            Outcome::NotJson(why) => Attempt::Retry(ChannelError::Shape(format!(
                "the body is not JSON ({why}); it starts with {}",
                self.scrub(&excerpt(&text))
            ))),
            Outcome::NoData => Attempt::Fail(ChannelError::Shape(format!(
                "the answer has no `data`: {}",
                self.scrub(&excerpt(&text))
            ))),
        }
    }

    /// Never lets the token through, whatever the shop echoed.
    fn scrub(&self, text: &str) -> String {
        text.replace(&self.token, "<redacted>")
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

/// The shop's words for a refused call: its `errors` when the body has them, else the body.
fn shop_words(text: &str, status: reqwest::StatusCode) -> String {
    let from_json = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("errors").map(error_messages));
    let words = from_json.unwrap_or_else(|| excerpt(text));
    if words.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {words}")
    }
}

/// The start of a text on one line.
fn excerpt(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 160 {
        format!("{}…", one_line.chars().take(160).collect::<String>())
    } else {
        one_line
    }
}

fn http_client(timeout: Duration) -> Result<reqwest::Client, ChannelError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .timeout(timeout)
        .build()
        .map_err(|e| ChannelError::Transport(format!("cannot set up HTTP: {e}")))
}

fn describe(e: &reqwest::Error) -> String {
    let mut out = if e.is_timeout() {
        "timed out".to_string()
    } else {
        e.to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
