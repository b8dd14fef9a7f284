//! What the REST simulators do alike
//! around a request: the gate it passes before the shop reads it, the HTTP Basic credentials
//! it may carry, the requests counted against a platform's budget, and a change's answer
//! dropped after the change was applied. Each platform gives its own words
//! (its error bodies, its credential check); the order of the steps is the same for all.

// A refusal is the HTTP answer itself, made at most once per request: not worth a box.
#![allow(clippy::result_large_err)]

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::faults::{Faults, Shaping};

fn lock(faults: &Mutex<Faults>) -> MutexGuard<'_, Faults> {
    faults.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The faults and credentials a request meets before the shop reads it, in this order: the
/// armed delay, an armed failure (answered by `failure`, in the platform's words), then
/// `admit` (the platform's credential check, told whether a refusal is armed), an armed rate
/// limit (429 with `Retry-After`). `Ok` carries what is to change the answer.
pub async fn gate(
    faults: &Mutex<Faults>,
    failure: impl FnOnce(StatusCode) -> Response,
    admit: impl FnOnce(bool) -> Result<(), Response>,
) -> Result<Shaping, Response> {
    let delay = {
        let mut f = lock(faults);
        f.begin();
        f.take_delay()
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    if let Some(status) = lock(faults).take_failure() {
        return Err(failure(status));
    }
    let refuse = lock(faults).take_unauthorized();
    admit(refuse)?;
    if let Some(after) = lock(faults).take_rate_limit() {
        let answer = (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, after.to_string())],
            "Too Many Requests",
        );
        return Err(answer.into_response());
    }
    Ok(lock(faults).take_shaping())
}

/// A whole number from the query (`default` when absent); `Err` names the key when it does
/// not read, for the platform's own refusal.
pub fn query_number(
    query: &std::collections::HashMap<String, String>,
    key: &str,
    default: u64,
) -> Result<u64, String> {
    match query.get(key) {
        None => Ok(default),
        Some(v) => v.trim().parse::<u64>().map_err(|_| key.to_string()),
    }
}

/// Whether this applied change's answer is to be dropped: then the answer a connection
/// broken upstream leaves (a proxy's 502).
pub fn dropped(faults: &Mutex<Faults>) -> Option<Response> {
    lock(faults).take_drop().then(|| {
        let text = "upstream connection closed after the request was applied";
        (StatusCode::BAD_GATEWAY, text).into_response()
    })
}

/// The user and password of `Authorization: Basic …` (the password empty when the pair has
/// no `:`), if the request carries it and it reads.
pub fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let encoded = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")?;
    let pair = String::from_utf8(decode64(encoded.trim())?).ok()?;
    Some(match pair.split_once(':') {
        Some((user, password)) => (user.to_string(), password.to_string()),
        None => (pair, String::new()),
    })
}

/// Standard base64, padded.
pub fn encode64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ABC[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// Standard base64 (padding optional); `None` for any other character.
pub fn decode64(s: &str) -> Option<Vec<u8>> {
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

/// The requests counted against the budget: the window's and the day's.
#[derive(Debug, Default)]
pub struct Counted {
    minute: VecDeque<Instant>,
    day: Option<NaiveDate>,
    pub today: u32,
    /// Requests refused for the budget.
    pub refused: u32,
}

/// Why a request is over the budget, and when to try again (the window's).
pub enum Over {
    Minute(Duration),
    Day,
}

impl Counted {
    /// Counts one request, or says which budget it is over (it is not counted then).
    pub fn count(&mut self, per_window: u32, window: Duration, per_day: u32) -> Result<(), Over> {
        let today = Utc::now().date_naive();
        if self.day != Some(today) {
            (self.day, self.today) = (Some(today), 0);
        }
        let now = Instant::now();
        let minute = window;
        while self.minute.front().is_some_and(|t| *t + minute <= now) {
            self.minute.pop_front();
        }
        if self.today >= per_day {
            self.refused += 1;
            return Err(Over::Day);
        }
        if self.minute.len() >= per_window as usize {
            self.refused += 1;
            let oldest = self.minute.front().copied().unwrap_or(now);
            return Err(Over::Minute(
                (oldest + minute).saturating_duration_since(now),
            ));
        }
        self.minute.push_back(now);
        self.today += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_reads_as_basic_auth_sends_it() {
        assert_eq!(decode64("Y2tfMTpjc18y").as_deref(), Some(&b"ck_1:cs_2"[..]));
        assert_eq!(decode64("YQ==").as_deref(), Some(&b"a"[..]));
        assert_eq!(decode64("a!b"), None);
        assert_eq!(encode64(b"order-order_id=1"), "b3JkZXItb3JkZXJfaWQ9MQ==");
        assert_eq!(encode64(b"ck_1:cs_2"), "Y2tfMTpjc18y");
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            "Basic Y2tfMTpjc18y".parse().expect("header"),
        );
        assert_eq!(basic_auth(&h), Some(("ck_1".into(), "cs_2".into())));
        h.insert(header::AUTHORIZATION, "Basic S0VZ".parse().expect("header"));
        assert_eq!(basic_auth(&h), Some(("KEY".into(), String::new())));
        h.insert(
            header::AUTHORIZATION,
            "Bearer S0VZ".parse().expect("header"),
        );
        assert_eq!(basic_auth(&h), None);
    }
}
