//! Tray's access: the app's consumer key and secret and the store's authorisation `code` give
//! an access token (valid 3 hours) and a refresh token (30 days) (`POST /auth`); the access
//! token is renewed before it expires (`GET /auth?refresh_token=`). The tokens, the code's
//! fingerprint and the day's request count are the session, kept in the store through the
//! connector's [`Keeper`], so a restart needs no new code. Tray writes its dates in Brasília
//! time (UTC−3).

use crate::channels::http::json::At;
use crate::channels::{ChannelError, Keeper};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An access token is renewed this long before Tray says it expires.
pub const RENEW_BEFORE: Duration = Duration::minutes(10);

/// What is kept between runs. Its `Debug` leaves the tokens out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// When Tray gave the access token, and until when it holds.
    pub obtained: DateTime<Utc>,
    pub access_expires: DateTime<Utc>,
    pub refresh_expires: DateTime<Utc>,
    /// A fingerprint of the code the tokens came from: a new code in the config is used.
    pub code: String,
    /// The UTC day of `used`, and the requests sent that day.
    pub day: NaiveDate,
    pub used: u32,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("access_token", &"(hidden)")
            .field("refresh_token", &"(hidden)")
            .field("obtained", &self.obtained)
            .field("access_expires", &self.access_expires)
            .field("refresh_expires", &self.refresh_expires)
            .field("day", &self.day)
            .field("used", &self.used)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// The tokens of Tray's answer to `POST /auth` or `GET /auth?refresh_token=`.
    pub fn from_answer(body: &Value, code: &str) -> Result<Session, ChannelError> {
        let at = At::root(body);
        let text = |f: &str| {
            at.get(f)
                .opt_text()
                .ok()
                .flatten()
                .ok_or_else(|| ChannelError::Shape(format!("Tray's token answer has no {f}")))
        };
        let time = |f: &str| {
            text(f).and_then(|t| {
                brasilia(&t).ok_or_else(|| {
                    ChannelError::Shape(format!("Tray's token answer: {f} is not a date"))
                })
            })
        };
        Ok(Session {
            access_token: text("access_token")?,
            refresh_token: text("refresh_token")?,
            obtained: Utc::now(),
            access_expires: time("date_expiration_access_token")?,
            refresh_expires: time("date_expiration_refresh_token")?,
            code: fingerprint(code),
            day: Utc::now().date_naive(),
            used: 0,
        })
    }

    /// The access token is past, or within [`RENEW_BEFORE`] of, its expiry (within a third
    /// of its life, for a token given for less than half an hour).
    pub fn needs_renewal(&self, now: DateTime<Utc>) -> bool {
        let lead = RENEW_BEFORE.min((self.access_expires - self.obtained) / 3);
        self.access_expires - now <= lead
    }

    pub fn refresh_usable(&self, now: DateTime<Utc>) -> bool {
        self.refresh_expires > now
    }

    pub fn load(keeper: &dyn Keeper) -> Result<Option<Session>, ChannelError> {
        let Some(text) = keeper.load().map_err(kept)? else {
            return Ok(None);
        };
        // A session that does not read is as none: the code gives a new one.
        Ok(serde_json::from_str(&text).ok())
    }

    pub fn save(&self, keeper: &dyn Keeper) -> Result<(), ChannelError> {
        let text = serde_json::to_string(self)
            .map_err(|e| ChannelError::Shape(format!("cannot write the session: {e}")))?;
        keeper.save(&text).map_err(kept)
    }
}

fn kept(e: String) -> ChannelError {
    ChannelError::Transport(format!("cannot keep Tray's tokens in the store: {e}"))
}

/// Brasília time, as Tray writes dates.
pub fn zone() -> FixedOffset {
    FixedOffset::west_opt(3 * 3600).unwrap_or_else(|| Utc.fix())
}

/// `YYYY-MM-DD HH:MM:SS` in Brasília time, as UTC.
pub fn brasilia(text: &str) -> Option<DateTime<Utc>> {
    let t = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S").ok()?;
    zone()
        .from_local_datetime(&t)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// A fingerprint of the code (FNV-1a), to tell a new code from the one already used; the
/// code itself is not kept.
pub fn fingerprint(code: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in code.trim().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_read_in_brasilia_time_and_renew_early() {
        let body = json!({"message": "Autorizado", "code": 200, "access_token": "A1",
            "refresh_token": "R1", "date_expiration_access_token": "2030-01-01 12:00:00",
            "date_expiration_refresh_token": "2030-01-31 09:00:00"});
        let s = Session::from_answer(&body, "c0de").expect("reads");
        assert_eq!(s.access_expires.to_rfc3339(), "2030-01-01T15:00:00+00:00");
        let short = Session {
            obtained: s.access_expires - Duration::minutes(6),
            ..s.clone()
        };
        assert!(!short.needs_renewal(short.obtained + Duration::minutes(3)));
        assert!(short.needs_renewal(short.obtained + Duration::minutes(4)));
        let before = s.access_expires - Duration::minutes(11);
        assert!(!s.needs_renewal(before));
        assert!(s.needs_renewal(before + Duration::minutes(2)));
        assert_ne!(s.code, "c0de");
        assert_eq!(s.code, fingerprint(" c0de "));
        let e = Session::from_answer(&json!({"access_token": "A"}), "c").unwrap_err();
        assert!(e.to_string().contains("refresh_token"), "{e}");
    }
}
