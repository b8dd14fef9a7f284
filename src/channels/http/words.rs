//! Messages on one line: the shop's words for a refusal, a network error, a body's start.

use reqwest::StatusCode;

/// The shop's words for a refused request: the platform's own message when `from_body` finds
/// one in the body, else the start of the body.
pub(super) fn shop_words(
    text: &str,
    status: StatusCode,
    from_body: fn(&str) -> Option<String>,
) -> String {
    let words = from_body(text).unwrap_or_else(|| excerpt(text));
    if words.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {words}")
    }
}

/// The start of a text on one line.
pub fn excerpt(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 160 {
        format!("{}…", one_line.chars().take(160).collect::<String>())
    } else {
        one_line
    }
}

/// A network error and its causes on one line.
pub(super) fn describe(e: &reqwest::Error) -> String {
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

/// `text` as a URL query value (`application/x-www-form-urlencoded`), as reqwest writes it.
pub fn url_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
