//! Shopify's ids; the field-by-field reader is shared by every connector
//! ([`crate::channels::http::json`]).

pub use crate::channels::http::json::At;

/// The numeric tail of a Shopify gid (`gid://shopify/Order/123` → `123`), or the gid itself.
pub fn gid_tail(gid: &str) -> String {
    match gid.rsplit_once('/') {
        Some((_, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
            tail.to_string()
        }
        _ => gid.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gids() {
        assert_eq!(
            gid_tail("gid://shopify/Order/4573850468424"),
            "4573850468424"
        );
        assert_eq!(gid_tail("weird"), "weird");
    }
}
