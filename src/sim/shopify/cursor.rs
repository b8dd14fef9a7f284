//! Opaque cursors in Shopify's style: base64 of `{"last_id":N,"last_value":"…"}`.

use serde_json::{Value, json};
use std::borrow::Cow;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn b64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
        }
    }
    Some(out)
}

/// The position of an item in a sorted list: its sort value and its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key<'a> {
    pub value: Cow<'a, str>,
    pub id: u64,
}

pub fn encode(key: &Key<'_>) -> String {
    let v = json!({"last_id": key.id, "last_value": key.value});
    b64_encode(v.to_string().as_bytes())
}

pub fn decode(cursor: &str) -> Option<Key<'static>> {
    let bytes = b64_decode(cursor)?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let id = v.get("last_id")?.as_u64()?;
    let value = match v.get("last_value") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    Some(Key {
        value: Cow::Owned(value),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_known_value() {
        assert_eq!(b64_encode(b"Man"), "TWFu");
        assert_eq!(b64_encode(b"Ma"), "TWE=");
        assert_eq!(b64_decode("TWE=").as_deref(), Some(&b"Ma"[..]));
        let k = Key {
            value: Cow::Borrowed("2026-11-01T00:00:00Z"),
            id: 42,
        };
        assert_eq!(decode(&encode(&k)), Some(k));
        assert_eq!(decode("not a cursor!"), None);
    }
}
