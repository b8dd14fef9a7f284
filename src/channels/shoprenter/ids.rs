//! Shoprenter's resource ids: base64 of `{resource}-{key}={inner id}`
//! (`b3JkZXItb3JkZXJfaWQ9MQ==` is `order-order_id=1`), each resource also given by its
//! `href`. An order status is named in the config by its inner id (`order_status_id`).

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn encode(bytes: &[u8]) -> String {
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

pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim().trim_end_matches('=').bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The inner id a resource id stands for (`order-order_id=17` → `17`).
pub fn inner(id: &str) -> Option<String> {
    let text = String::from_utf8(decode(id)?).ok()?;
    let (_, n) = text.rsplit_once('=')?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then(|| n.to_string())
}

/// The resource id of order status `inner`.
pub fn order_status(inner: &str) -> String {
    encode(format!("orderStatus-order_status_id={}", inner.trim()).as_bytes())
}

/// The last part of an `href` (the resource's id).
pub fn from_href(href: &str) -> Option<String> {
    let last = href.trim().trim_end_matches('/').rsplit('/').next()?;
    let last = last.split('?').next()?;
    (!last.is_empty()).then(|| last.to_string())
}

/// An id as a URL path part (`+`, `/` and `=` escaped).
pub fn in_path(id: &str) -> String {
    id.trim()
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_read_both_ways() {
        assert_eq!(encode(b"order-order_id=1"), "b3JkZXItb3JkZXJfaWQ9MQ==");
        assert_eq!(inner("b3JkZXItb3JkZXJfaWQ9MTcy").as_deref(), Some("172"));
        assert_eq!(
            inner(&order_status("5")).as_deref(),
            Some("5"),
            "{}",
            order_status("5")
        );
        assert_eq!(inner("not base64!"), None);
        assert_eq!(
            from_href("https://s.api.myshoprenter.hu/customers/Y3VzdA==").as_deref(),
            Some("Y3VzdA==")
        );
        assert_eq!(in_path("a+b/c=="), "a%2Bb%2Fc%3D%3D");
    }
}
