//! The consumer key and secret, by HTTP Basic or the `consumer_key`/`consumer_secret` query
//! parameters (the fallback for servers that strip `Authorization`). The simulator takes
//! both over plain HTTP, as WooCommerce does over HTTPS.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::WooOptions;
use super::wp::error;

/// What a request asks to do, for the words of its refusal.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    List,
    View,
    Edit,
    Create,
}

/// The answer WooCommerce gives a request with no credentials.
pub fn cannot(need: Need) -> Response {
    let (code, message) = match need {
        Need::List => (
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot list resources.",
        ),
        Need::View => (
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot view this resource.",
        ),
        Need::Edit => (
            "woocommerce_rest_cannot_edit",
            "Sorry, you are not allowed to edit this resource.",
        ),
        Need::Create => (
            "woocommerce_rest_cannot_create",
            "Sorry, you are not allowed to create resources.",
        ),
    };
    error(StatusCode::UNAUTHORIZED, code, message)
}

/// The answer for a key or secret the shop does not know.
pub fn invalid(what: &str) -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "woocommerce_rest_authentication_error",
        &format!("Consumer {what} is invalid."),
    )
}

/// The key and secret the request carries, if any (Basic first, as WooCommerce reads them).
fn given(headers: &HeaderMap, query: &[(String, String)]) -> Option<(String, String)> {
    let basic = crate::sim::rest::basic_auth(headers);
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    basic
        .or_else(|| Some((param("consumer_key")?, param("consumer_secret")?)))
        .filter(|(k, s)| !k.is_empty() && !s.is_empty())
}

/// Whether the request may go on; else the shop's refusal.
pub fn check(
    opts: &WooOptions,
    headers: &HeaderMap,
    query: &[(String, String)],
    need: Need,
) -> Result<(), Response> {
    let Some((key, secret)) = given(headers, query) else {
        return Err(cannot(need));
    };
    let Some(token) = &opts.token else {
        return Ok(());
    };
    let (want_key, want_secret) = match token.split_once(':') {
        Some((k, s)) => (k, Some(s)),
        None => (token.as_str(), None),
    };
    if key != want_key {
        Err(invalid("key"))
    } else if want_secret.is_some_and(|s| s != secret) {
        Err(invalid("secret"))
    } else {
        Ok(())
    }
}
