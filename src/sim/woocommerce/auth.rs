//! The consumer key and secret, by HTTP Basic or the `consumer_key`/`consumer_secret` query
//! parameters (the fallback for servers that strip `Authorization`). The simulator takes
//! both over plain HTTP, as WooCommerce does over HTTPS.

use axum::http::{HeaderMap, StatusCode, header};
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

fn decode64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The key and secret the request carries, if any (Basic first, as WooCommerce reads them).
fn given(headers: &HeaderMap, query: &[(String, String)]) -> Option<(String, String)> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| decode64(b.trim()))
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|pair| {
            let (k, s) = pair.split_once(':')?;
            Some((k.to_string(), s.to_string()))
        });
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

#[cfg(test)]
mod tests {
    use super::decode64;

    #[test]
    fn base64_reads_as_basic_auth_sends_it() {
        assert_eq!(decode64("Y2tfMTpjc18y").as_deref(), Some(&b"ck_1:cs_2"[..]));
        assert_eq!(decode64("YQ==").as_deref(), Some(&b"a"[..]));
        assert_eq!(decode64("a!b"), None);
    }
}
