//! How values look on screen: local times, money, fitted columns.

use crate::domain::{LineMatch, MatchStatus, Money};
use chrono::{DateTime, Local, Utc};
use chrono_tz::Tz;
use ratatui::text::Span;

/// The zone times are shown in: the configured one, or the machine's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Tz(Tz),
    Local,
}

impl Zone {
    pub fn from_option(tz: Option<Tz>) -> Zone {
        tz.map(Zone::Tz).unwrap_or(Zone::Local)
    }
    pub fn format(&self, at: DateTime<Utc>, fmt: &str) -> String {
        match self {
            Zone::Tz(tz) => at.with_timezone(tz).format(fmt).to_string(),
            Zone::Local => at.with_timezone(&Local).format(fmt).to_string(),
        }
    }
    /// `2026-11-21 14:03`
    pub fn datetime(&self, at: DateTime<Utc>) -> String {
        self.format(at, "%Y-%m-%d %H:%M")
    }
}

/// `1234.50`: the shop's figure with two decimals (more only when it has them).
pub fn money(m: Money) -> String {
    crate::domain::limits::show_money(m)
}

/// `1234.50 EUR`
pub fn amount(m: Money, currency: &str) -> String {
    format!("{} {}", money(m), currency)
}

/// `1m04s`, `12s`, `2h03m`.
pub fn duration(started: DateTime<Utc>, finished: Option<DateTime<Utc>>) -> String {
    let Some(end) = finished else {
        return "…".to_string();
    };
    duration_short((end - started).num_seconds().max(0) as u64)
}

/// `s` seconds as `1m04s`, `12s`, `2h03m`.
pub fn duration_short(s: u64) -> String {
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// What a line's product match means, in words.
pub fn line_match(m: &LineMatch, sku: Option<&str>) -> String {
    let id = m.product_id.as_deref().unwrap_or("?");
    match m.status {
        MatchStatus::Matched => format!("matched {id}"),
        MatchStatus::Mapped => format!("mapped to {id}"),
        MatchStatus::NoProduct => format!("no product with SKU \"{}\"", sku.unwrap_or("").trim()),
        MatchStatus::EmptySku => "empty SKU".to_string(),
        MatchStatus::Ambiguous => {
            let c = &m.candidates;
            let list = match c.len() {
                0 => "several products".to_string(),
                1 => c[0].clone(),
                n => format!("{} and {}", c[..n - 1].join(", "), c[n - 1]),
            };
            format!("SKU matches {list}")
        }
    }
}

/// Display width of a string in terminal cells.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// Cuts `s` to at most `w` cells, ending with `…` when cut.
pub fn truncate(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        if used + cw > w - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// `s` cut or padded to exactly `w` cells, left-aligned.
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(fill))
}

/// `s` cut or padded to exactly `w` cells, right-aligned.
pub fn pad_left(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let fill = w.saturating_sub(width(&t));
    format!("{}{t}", " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn money_keeps_cents() {
        assert_eq!(
            amount(Decimal::from_str("1234.5").unwrap(), "EUR"),
            "1234.50 EUR"
        );
        assert_eq!(money(Decimal::from(12)), "12.00");
        assert_eq!(money(Decimal::from_str("0.125").unwrap()), "0.125");
    }

    #[test]
    fn times_are_local() {
        let at = Utc.with_ymd_and_hms(2026, 11, 21, 13, 3, 0).unwrap();
        assert_eq!(
            Zone::Tz(chrono_tz::Europe::Budapest).datetime(at),
            "2026-11-21 14:03"
        );
        assert_eq!(Zone::Tz(chrono_tz::UTC).datetime(at), "2026-11-21 13:03");
    }

    #[test]
    fn match_in_words() {
        let m = |status, id: Option<&str>, c: &[&str]| LineMatch {
            status,
            product_id: id.map(str::to_string),
            candidates: c.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(
            line_match(&m(MatchStatus::Matched, Some("P17"), &[]), Some("A")),
            "matched P17"
        );
        assert_eq!(
            line_match(&m(MatchStatus::NoProduct, None, &[]), Some("TSH-RED-XL")),
            "no product with SKU \"TSH-RED-XL\""
        );
        assert_eq!(
            line_match(&m(MatchStatus::Ambiguous, None, &["P17", "P52"]), Some("A")),
            "SKU matches P17 and P52"
        );
        assert_eq!(
            line_match(&m(MatchStatus::EmptySku, None, &[]), None),
            "empty SKU"
        );
    }

    #[test]
    fn fitting_counts_cells() {
        assert_eq!(pad("Tündér Ilona", 8), "Tündér …");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("1.00", 6), "  1.00");
        assert_eq!(truncate("日本語", 4), "日…");
    }
}
