//! HTTP to a shop, written once for every connector: timeouts, backoff after a 5xx or a
//! network error, waiting on HTTP 429 (`Retry-After`), the credentials (a header, HTTP Basic or
//! query parameters) and the crash harness's kill points around every request.
//!
//! A request that only reads ([`Kind::Query`]) is tried again after any transient failure. One
//! that changes the shop ([`Kind::Mutation`]) is tried again only when the shop cannot have
//! applied it (a 429, a connection that was never made); after a 5xx, a timeout or a broken
//! answer the error goes back to the caller, who reads the order's state at the shop before
//! sending it again. No credential ever appears in an error, a log line or Debug output.
//!
//! What is each platform's own (its envelope, its rate-limit bucket, what a body means) comes
//! in through [`HttpClient::send`]'s `pace` and `read`.

pub mod answers;
pub mod budget;
pub(crate) mod forward;
pub mod json;
pub mod levels;
pub mod locations;
pub mod steps;
mod words;

pub use words::{excerpt, url_encoded};

use crate::channels::ChannelError;
use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{ACCEPT, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::time::Duration;

/// Retries after a 5xx or a network error (with backoff).
pub const TRANSIENT_RETRIES: usize = 3;
/// Retries after HTTP 429 (or a platform's own "throttled" answer).
pub const THROTTLED_RETRIES: usize = 5;
/// How long one request may take, answer included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// What a 429 without `Retry-After` waits.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(2);
/// The longest wait a 429 may ask for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Whether a request only reads (safe to send again) or changes the shop.
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

/// How a connector proves who it is.
pub enum Auth {
    /// A header holding the secret (Shopify's `X-Shopify-Access-Token`, a Bearer token).
    Header(HeaderName, HeaderValue, String),
    /// HTTP Basic (WooCommerce's consumer key and secret, PrestaShop's webservice key).
    Basic { user: String, password: String },
    /// Query parameters, for servers that strip `Authorization`; URLs then stay out of errors.
    Query(Vec<(&'static str, String)>),
}

impl Auth {
    /// A header `name` carrying `secret` as is (`prefix` before it, e.g. `"Bearer "`); `what`
    /// names the secret in errors ("access token").
    pub fn header(
        name: &'static str,
        prefix: &str,
        what: &str,
        secret: String,
    ) -> Result<Auth, ChannelError> {
        if secret.trim().is_empty() {
            return Err(ChannelError::Auth(format!("no {what} is configured")));
        }
        let Ok(mut value) = HeaderValue::from_str(&format!("{prefix}{}", secret.trim())) else {
            return Err(ChannelError::Auth(format!(
                "the {what} holds characters a header cannot carry"
            )));
        };
        value.set_sensitive(true);
        Ok(Auth::Header(HeaderName::from_static(name), value, secret))
    }

    /// Every secret text, and the forms it takes in a URL, to be kept out of messages.
    fn secrets(&self) -> Vec<String> {
        let mut out: Vec<String> = match self {
            Auth::Header(_, _, secret) => vec![secret.clone(), secret.trim().to_string()],
            Auth::Basic { user, password } => vec![user.clone(), password.clone()],
            Auth::Query(pairs) => pairs
                .iter()
                .flat_map(|(_, v)| [v.clone(), words::url_encoded(v)])
                .collect(),
        };
        out.retain(|s| !s.trim().is_empty());
        // The longest first, so that a secret holding another is removed whole.
        out.sort_by_key(|s| std::cmp::Reverse(s.len()));
        out.dedup();
        out
    }
}

/// One request: method, URL, query parameters and a JSON body.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Value>,
    /// A body that is not JSON (PrestaShop's webservice takes XML): its media type and text.
    pub text: Option<(&'static str, String)>,
}

impl Request {
    pub fn get(url: String) -> Self {
        Request {
            method: Method::GET,
            url,
            query: Vec::new(),
            body: None,
            text: None,
        }
    }

    /// A request whose body is `text` of the media type `content_type` (not JSON).
    pub fn with_text(mut self, method: Method, content_type: &'static str, text: String) -> Self {
        self.method = method;
        self.body = None;
        self.text = Some((content_type, text));
        self
    }

    pub fn post(url: String, body: Value) -> Self {
        Request {
            method: Method::POST,
            body: Some(body),
            ..Request::get(url)
        }
    }

    pub fn put(url: String, body: Value) -> Self {
        Request {
            method: Method::PUT,
            body: Some(body),
            ..Request::get(url)
        }
    }

    pub fn with_query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }
}

/// An answer that was neither refused credentials, a 429 nor a 5xx, for the platform to read.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    shop_words: fn(&str) -> Option<String>,
}

impl Answer {
    /// The shop's words for a refusal: "HTTP 400 Bad Request: its message".
    pub fn words(&self) -> String {
        words::shop_words(&self.text, self.status, self.shop_words)
    }

    /// A refusal as an error (the request is not sent again).
    pub fn refusal(&self) -> ChannelError {
        ChannelError::Remote(self.words())
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What one attempt came to.
pub enum Attempt<T> {
    Done(T),
    /// Wait this long, then try again: the shop did not run the request (429, throttled).
    Wait(Duration, ChannelError),
    /// The request never reached the shop (no connection): safe to try again, even a mutation.
    NotSent(ChannelError),
    /// A transient failure after the request may have reached the shop: a query backs off and
    /// tries again; a mutation does not.
    Retry(ChannelError),
    Fail(ChannelError),
}

/// The HTTP side of one connected shop.
pub struct HttpClient {
    http: reqwest::Client,
    auth: Auth,
    secrets: Vec<String>,
    /// Secrets learnt after construction (a token the shop issued), kept out of messages too.
    learnt: std::sync::Mutex<Vec<String>>,
    shop_words: fn(&str) -> Option<String>,
    /// The first delay of the backoff after a 5xx or a network error (doubling after that).
    pub retry_delay: Duration,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("credentials", &"<redacted>")
            .field("retry_delay", &self.retry_delay)
            .finish()
    }
}

impl HttpClient {
    /// `shop_words` finds the platform's own message in the body of a refusal (`None`: the
    /// start of the body is shown instead).
    pub fn new(auth: Auth, shop_words: fn(&str) -> Option<String>) -> Result<Self, ChannelError> {
        Ok(HttpClient {
            http: http_client(DEFAULT_TIMEOUT)?,
            secrets: auth.secrets(),
            learnt: std::sync::Mutex::new(Vec::new()),
            auth,
            shop_words,
            retry_delay: Duration::from_millis(500),
        })
    }

    /// How long one request may take before it counts as failed (a query is tried again).
    pub fn set_timeout(&mut self, timeout: Duration) -> Result<(), ChannelError> {
        self.http = http_client(timeout)?;
        Ok(())
    }

    /// Sends `request` until `read` takes its answer, or the retries run out. `pace` says how
    /// long to wait before each attempt (a platform's bucket); `what` names it in the log.
    pub async fn send<T>(
        &self,
        kind: Kind,
        what: &str,
        request: &Request,
        pace: impl Fn() -> Duration,
        read: impl Fn(Answer) -> Attempt<T>,
    ) -> Result<T, ChannelError> {
        let mut backoff = ExponentialBuilder::default()
            .with_min_delay(self.retry_delay)
            .with_max_delay(Duration::from_secs(30))
            .with_max_times(TRANSIENT_RETRIES)
            .build();
        let mut waits = 0;
        loop {
            let wait = pace();
            if !wait.is_zero() {
                tracing::debug!(what, ?wait, "waiting for the shop's rate limit");
                tokio::time::sleep(wait).await;
            }
            crate::killpoint::here(kind.before_label());
            let attempt = self.attempt(request, &read).await;
            crate::killpoint::here(kind.after_label());
            match attempt {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(e) => return Err(e),
                Attempt::Wait(wait, e) => {
                    waits += 1;
                    if waits > THROTTLED_RETRIES {
                        return Err(e);
                    }
                    tracing::info!(what, ?wait, "the shop asked to wait; waiting");
                    tokio::time::sleep(wait).await;
                }
                Attempt::Retry(e) if kind == Kind::Mutation => {
                    tracing::warn!(what, error = %e, "a change failed; not sending it again");
                    return Err(e);
                }
                Attempt::Retry(e) | Attempt::NotSent(e) => match backoff.next() {
                    Some(delay) => {
                        tracing::warn!(what, ?delay, error = %e, "retrying the request");
                        tokio::time::sleep(delay).await;
                    }
                    None => return Err(e),
                },
            }
        }
    }

    async fn attempt<T>(
        &self,
        request: &Request,
        read: &impl Fn(Answer) -> Attempt<T>,
    ) -> Attempt<T> {
        let attempt = self.exchange(request, read).await;
        // Whatever the shop echoed, no secret leaves this module.
        match attempt {
            Attempt::Done(v) => Attempt::Done(v),
            Attempt::Wait(d, e) => Attempt::Wait(d, self.scrub_error(e)),
            Attempt::NotSent(e) => Attempt::NotSent(self.scrub_error(e)),
            Attempt::Retry(e) => Attempt::Retry(self.scrub_error(e)),
            Attempt::Fail(e) => Attempt::Fail(self.scrub_error(e)),
        }
    }

    async fn exchange<T>(
        &self,
        request: &Request,
        read: &impl Fn(Answer) -> Attempt<T>,
    ) -> Attempt<T> {
        let mut query = request.query.clone();
        if let Auth::Query(pairs) = &self.auth {
            query.extend(pairs.iter().cloned());
        }
        let url = if query.is_empty() {
            reqwest::Url::parse(&request.url)
        } else {
            reqwest::Url::parse_with_params(&request.url, &query)
        };
        let url = match url {
            Ok(url) => url,
            Err(e) => {
                return Attempt::Fail(ChannelError::Transport(format!(
                    "the request's address is not a URL ({e})"
                )));
            }
        };
        let mut builder = self
            .http
            .request(request.method.clone(), url)
            .header(ACCEPT, "application/json");
        match &self.auth {
            Auth::Header(name, value, _) => builder = builder.header(name, value.clone()),
            Auth::Basic { user, password } => builder = builder.basic_auth(user, Some(password)),
            Auth::Query(_) => {}
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        } else if let Some((content_type, text)) = &request.text {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, *content_type)
                .body(text.clone());
        }
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                let connect = e.is_connect();
                let error = ChannelError::Transport(self.describe(e));
                return if connect {
                    Attempt::NotSent(error)
                } else {
                    Attempt::Retry(error)
                };
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let text = match response.text().await {
            Ok(t) => t,
            Err(e) => return Attempt::Retry(ChannelError::Transport(self.describe(e))),
        };
        let words = || words::shop_words(&text, status, self.shop_words);
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Attempt::Fail(ChannelError::Auth(words()));
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            let wait = retry_after(&headers)
                .unwrap_or(DEFAULT_RETRY_AFTER)
                .min(MAX_RETRY_AFTER);
            return Attempt::Wait(
                wait,
                ChannelError::Remote(format!("still rate limited: {}", words())),
            );
        }
        if status.is_server_error() {
            return Attempt::Retry(ChannelError::Remote(words()));
        }
        read(Answer {
            status,
            headers,
            text,
            shop_words: self.shop_words,
        })
    }

    /// Keeps `secret` (a token the shop issued) out of every message from now on.
    pub fn hide(&self, secret: &str) {
        if secret.trim().is_empty() {
            return;
        }
        let mut learnt = self
            .learnt
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for form in [secret.to_string(), words::url_encoded(secret)] {
            if !learnt.contains(&form) {
                learnt.push(form);
            }
        }
        learnt.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// Never lets a credential through, whatever the shop or the network library said.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        let learnt = self
            .learnt
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        for secret in learnt.iter().chain(&self.secrets) {
            out = out.replace(secret.as_str(), "<redacted>");
        }
        out
    }

    fn scrub_error(&self, e: ChannelError) -> ChannelError {
        match e {
            ChannelError::Transport(m) => ChannelError::Transport(self.scrub(&m)),
            ChannelError::Auth(m) => ChannelError::Auth(self.scrub(&m)),
            ChannelError::Shape(m) => ChannelError::Shape(self.scrub(&m)),
            ChannelError::Remote(m) => ChannelError::Remote(self.scrub(&m)),
            ChannelError::Config(m) => ChannelError::Config(self.scrub(&m)),
        }
    }

    /// A network error on one line; without its URL when the URL carries credentials.
    fn describe(&self, e: reqwest::Error) -> String {
        let e = match self.auth {
            Auth::Query(_) => e.without_url(),
            _ => e,
        };
        self.scrub(&words::describe(&e))
    }
}

/// `Retry-After` in seconds (a date is not taken: the default wait applies).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
}

fn http_client(timeout: Duration) -> Result<reqwest::Client, ChannelError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .timeout(timeout)
        .build()
        .map_err(|e| ChannelError::Transport(format!("cannot set up HTTP: {e}")))
}

/// The page a page token names (`after` of the previous page), or `first` for the first page:
/// a whole number, never below `first`; anything else is not the platform's shape.
pub fn page_number(after: Option<&str>, first: u64, title: &str) -> Result<u64, ChannelError> {
    match after {
        None => Ok(first),
        Some(token) => token
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|p| *p >= first)
            .ok_or_else(|| ChannelError::Shape(format!("`{token}` is not a {title} page number"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_scrubbed_in_every_form() {
        let auth = Auth::Query(vec![
            ("consumer_key", "ck_1".to_string()),
            ("consumer_secret", "cs 2&x".to_string()),
        ]);
        let client = HttpClient::new(auth, |_| None).expect("a client");
        let text = client.scrub("a ck_1 b cs 2&x c cs+2%26x");
        assert_eq!(text, "a <redacted> b <redacted> c <redacted>");
        assert!(!format!("{client:?}").contains("ck_1"));
    }

    #[test]
    fn a_header_secret_is_checked() {
        assert!(matches!(
            Auth::header("x-token", "", "access token", " ".into()),
            Err(ChannelError::Auth(m)) if m == "no access token is configured"
        ));
        let Err(e) = Auth::header("x-token", "", "access token", "bad\nvalue".into()) else {
            panic!("a newline is not a header value");
        };
        assert!(!e.to_string().contains("bad"), "{e}");
    }
}
