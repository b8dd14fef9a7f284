//! The part of Shopify's search syntax the simulator serves for `orders(query:)`:
//! `created_at`, `updated_at` and `processed_at` with `:`, `:>`, `:>=`, `:<`, `:<=`, a value
//! quoted or not (an RFC 3339 time or a `YYYY-MM-DD` date, UTC), several terms joined by
//! spaces or `AND`. Terms on other fields are ignored, as Shopify ignores what it can't use.

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone)]
struct Term {
    field: &'static str,
    op: Op,
    at: DateTime<Utc>,
    /// A bare date compared with `:` means that whole day.
    whole_day: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    terms: Vec<Term>,
}

fn parse_time(text: &str) -> Option<(DateTime<Utc>, bool)> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some((t.with_timezone(&Utc), false));
    }
    let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some((d.and_hms_opt(0, 0, 0)?.and_utc(), true))
}

/// Splits on whitespace outside quotes.
fn tokens(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in q.chars() {
        match (quote, c) {
            (Some(qc), c) if c == qc => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

impl Filter {
    pub fn parse(q: &str) -> Filter {
        let mut terms = Vec::new();
        for tok in tokens(q) {
            let Some((field, rest)) = tok.split_once(':') else {
                continue;
            };
            let field = match field {
                "created_at" => "createdAt",
                "updated_at" => "updatedAt",
                "processed_at" => "processedAt",
                _ => continue,
            };
            let (op, value) = if let Some(v) = rest.strip_prefix(">=") {
                (Op::Ge, v)
            } else if let Some(v) = rest.strip_prefix("<=") {
                (Op::Le, v)
            } else if let Some(v) = rest.strip_prefix('>') {
                (Op::Gt, v)
            } else if let Some(v) = rest.strip_prefix('<') {
                (Op::Lt, v)
            } else {
                (Op::Eq, rest)
            };
            if let Some((at, whole_day)) = parse_time(value) {
                terms.push(Term {
                    field,
                    op,
                    at,
                    whole_day,
                });
            }
        }
        Filter { terms }
    }

    #[cfg(test)]
    pub fn matches(&self, order: &serde_json::Value) -> bool {
        self.matches_with(|field| {
            let v = order.get(field)?.as_str()?;
            DateTime::parse_from_rfc3339(v)
                .ok()
                .map(|v| v.with_timezone(&Utc))
        })
    }

    /// Whether an order matches, `time` giving its time fields (`updatedAt`...) parsed.
    pub fn matches_with(&self, time: impl Fn(&str) -> Option<DateTime<Utc>>) -> bool {
        self.terms.iter().all(|t| {
            let Some(v) = time(t.field) else {
                return false;
            };
            match t.op {
                Op::Gt => v > t.at,
                Op::Ge => v >= t.at,
                Op::Lt => v < t.at,
                Op::Le => v <= t.at,
                Op::Eq if t.whole_day => v >= t.at && v < t.at + chrono::Duration::days(1),
                Op::Eq => v == t.at,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Filter;
    use serde_json::json;

    #[test]
    fn updated_at_terms() {
        let o = json!({"updatedAt": "2026-11-02T10:00:00Z", "createdAt": "2026-10-01T10:00:00Z"});
        assert!(Filter::parse("updated_at:>'2026-11-01T00:00:00Z'").matches(&o));
        assert!(!Filter::parse("updated_at:>'2026-11-02T10:00:00Z'").matches(&o));
        assert!(Filter::parse("updated_at:>='2026-11-02T10:00:00Z'").matches(&o));
        assert!(!Filter::parse("updated_at:<2026-11-02").matches(&o));
        assert!(Filter::parse("updated_at:2026-11-02").matches(&o));
        let both = "created_at:>=2026-09-30 AND updated_at:<=\"2026-11-03T00:00:00+01:00\"";
        assert!(Filter::parse(both).matches(&o));
        assert!(!Filter::parse("created_at:>2026-10-02 updated_at:>2026-01-01").matches(&o));
        assert!(Filter::parse("status:open").matches(&o));
    }
}
