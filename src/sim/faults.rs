//! Faults armed through `POST /_sim/faults`, shared by the simulators (never by the
//! connectors): what is armed, how a request uses it up, and the platform-neutral parts of
//! changing an answer (a slow body, a field set in an order). Each simulator says which keys
//! apply to it ([`Faults::arm_known`]) and shapes its own answers.
//!
//! Counted faults (`fail_next`, `delay_next`, …) apply to the next N requests to the shop's
//! API and are used up by them; a malformed order stays until `{"clear": true}` (which
//! disarms everything).

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

/// How many pieces a slow body is sent in.
const SLOW_PIECES: usize = 8;

/// One order node served with a bad value.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed {
    /// The dotted path in the order (`totalPriceSet.shopMoney.amount`, `line_items.0.sku`).
    pub field: String,
    /// The value served instead; `None` leaves the field out.
    pub value: Option<Value>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Faults {
    /// The next this many GraphQL requests answer `status` and do nothing.
    pub fail_next: u32,
    pub status: u16,
    /// The next this many mutations are applied, then answered 502.
    pub drop_after_apply_next: u32,
    /// The next this many requests are held `delay_ms` before anything else happens.
    pub delay_next: u32,
    pub delay_ms: u64,
    /// The next this many answers are sent in pieces `slow_ms` apart.
    pub slow_next: u32,
    pub slow_ms: u64,
    /// The next this many requests answer 429 with `Retry-After: retry_after` (seconds).
    pub rate_limit_next: u32,
    pub retry_after: f64,
    /// The next this many requests answer THROTTLED whatever the bucket holds.
    pub throttle_next: u32,
    /// The next this many answers are cut in the middle of their JSON.
    pub truncate_next: u32,
    /// The next this many requests answer 401 as for a wrong or expired token.
    pub unauthorized_next: u32,
    /// The next this many pages of orders hold their first order twice.
    pub repeat_order_next: u32,
    /// Orders (by the id in the shop's URLs) served with a bad value until cleared.
    pub malformed: BTreeMap<String, Malformed>,
    /// The counted faults wait until this many more requests have been answered normally
    /// (so a fault can land mid-run, on a later page).
    pub after_requests: u32,
    /// Shopify's bulk operations (`sim::shopify::bulk`): the next this many end FAILED with
    /// `bulk_error_code` (INTERNAL_SERVER_ERROR when empty), CANCELED, or EXPIRED; the next
    /// this many answer 403 at their result's URL.
    pub bulk_fail_next: u32,
    pub bulk_error_code: String,
    pub bulk_cancel_next: u32,
    pub bulk_expire_next: u32,
    pub bulk_url_broken_next: u32,
    /// This order's (legacy id) own line is cut in half in every bulk result, until cleared.
    pub bulk_broken_line: Option<String>,
    /// Objects a bulk operation goes through per second (0: the simulator's own pace).
    pub bulk_objects_per_second: u64,
    /// Whether the request being answered passes the counted faults by (see `begin`).
    passing: bool,
}

/// Every fault key (see the module docs of `sim::shopify`); `throttle_next` and the `bulk_`
/// keys are Shopify's own ([`SHOPIFY_ONLY`]).
pub const KEYS: [&str; 23] = [
    "fail_next",
    "status",
    "drop_after_apply_next",
    "delay_next",
    "delay_ms",
    "slow_next",
    "slow_ms",
    "rate_limit_next",
    "retry_after",
    "throttle_next",
    "truncate_next",
    "unauthorized_next",
    "repeat_order_next",
    "malformed",
    "after_requests",
    "bulk_fail_next",
    "bulk_error_code",
    "bulk_cancel_next",
    "bulk_expire_next",
    "bulk_url_broken_next",
    "bulk_broken_line",
    "bulk_objects_per_second",
    "clear",
];

/// The keys only the Shopify simulator takes.
pub const SHOPIFY_ONLY: [&str; 8] = [
    "throttle_next",
    "bulk_fail_next",
    "bulk_error_code",
    "bulk_cancel_next",
    "bulk_expire_next",
    "bulk_url_broken_next",
    "bulk_broken_line",
    "bulk_objects_per_second",
];

/// The keys of a `malformed` fault.
const MALFORMED_KEYS: [&str; 3] = ["order", "field", "value"];

/// An error naming the first key of `f` not in `known` (a typo must not arm nothing quietly).
fn unknown_key(f: &Map<String, Value>, what: &str, known: &[&str]) -> Result<(), String> {
    match f.keys().find(|k| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some(k) => Err(format!(
            "unknown {what} \"{k}\" (known: {})",
            known.join(", ")
        )),
    }
}

/// Takes one use of a counted fault.
fn take(n: &mut u32) -> bool {
    let armed = *n > 0;
    *n = n.saturating_sub(1);
    armed
}

/// What the armed faults do to one answer.
#[derive(Debug, Default)]
pub struct Shaping {
    pub slow: Option<Duration>,
    pub truncate: bool,
    pub repeat: bool,
    pub malformed: BTreeMap<String, Malformed>,
}

impl Faults {
    /// Starts answering a request: while `after_requests` remain, it passes the counted
    /// faults by. (Requests are taken as they come; a simulator's clients send one at a time.)
    pub fn begin(&mut self) {
        self.passing = take(&mut self.after_requests);
    }

    /// Takes one use of a counted fault, unless this request passes them by.
    fn take(&mut self, which: fn(&mut Faults) -> &mut u32) -> bool {
        !self.passing && take(which(self))
    }

    /// The status to fail this request with, if one is armed.
    pub fn take_failure(&mut self) -> Option<StatusCode> {
        self.take(|f| &mut f.fail_next)
            .then(|| StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
    }

    /// Whether this applied mutation's answer is to be dropped.
    pub fn take_drop(&mut self) -> bool {
        self.take(|f| &mut f.drop_after_apply_next)
    }

    pub fn take_delay(&mut self) -> Option<Duration> {
        self.take(|f| &mut f.delay_next)
            .then(|| Duration::from_millis(self.delay_ms))
    }

    pub fn take_unauthorized(&mut self) -> bool {
        self.take(|f| &mut f.unauthorized_next)
    }

    /// `Retry-After` for a 429, if one is armed.
    pub fn take_rate_limit(&mut self) -> Option<f64> {
        self.take(|f| &mut f.rate_limit_next)
            .then_some(self.retry_after)
    }

    pub fn take_throttle(&mut self) -> bool {
        self.take(|f| &mut f.throttle_next)
    }

    pub fn take_shaping(&mut self) -> Shaping {
        Shaping {
            slow: self
                .take(|f| &mut f.slow_next)
                .then(|| Duration::from_millis(self.slow_ms)),
            truncate: self.take(|f| &mut f.truncate_next),
            repeat: self.take(|f| &mut f.repeat_order_next),
            malformed: self.malformed.clone(),
        }
    }

    /// What is armed, as `POST /_sim/faults` answers it.
    pub fn describe(&self) -> Value {
        let malformed: Map<String, Value> = self
            .malformed
            .iter()
            .map(|(id, m)| (id.clone(), json!({"field": m.field, "value": m.value})))
            .collect();
        json!({
            "fail_next": self.fail_next, "status": self.status,
            "drop_after_apply_next": self.drop_after_apply_next,
            "delay_next": self.delay_next, "delay_ms": self.delay_ms,
            "slow_next": self.slow_next, "slow_ms": self.slow_ms,
            "rate_limit_next": self.rate_limit_next, "retry_after": self.retry_after,
            "throttle_next": self.throttle_next,
            "truncate_next": self.truncate_next,
            "unauthorized_next": self.unauthorized_next,
            "repeat_order_next": self.repeat_order_next,
            "after_requests": self.after_requests,
            "malformed": malformed,
            "bulk_fail_next": self.bulk_fail_next, "bulk_error_code": self.bulk_error_code,
            "bulk_cancel_next": self.bulk_cancel_next, "bulk_expire_next": self.bulk_expire_next,
            "bulk_url_broken_next": self.bulk_url_broken_next,
            "bulk_broken_line": self.bulk_broken_line,
            "bulk_objects_per_second": self.bulk_objects_per_second,
        })
    }

    /// Arms what `f` asks for, any of [`KEYS`]; see [`Faults::arm_known`].
    pub fn arm(&mut self, f: &Map<String, Value>) -> Result<(), String> {
        self.arm_known(f, &KEYS)
    }

    /// Arms what `f` asks for, taking only the keys in `known`; an error names the key that
    /// does not read, and then nothing is armed for an unknown key.
    pub fn arm_known(&mut self, f: &Map<String, Value>, known: &[&str]) -> Result<(), String> {
        unknown_key(f, "fault", known)?;
        if let Some(Value::Object(m)) = f.get("malformed") {
            unknown_key(m, "malformed key", &MALFORMED_KEYS)?;
        }
        if f.get("clear") == Some(&Value::Bool(true)) {
            *self = Faults::default();
        }
        let count = |k: &str| -> Result<Option<u32>, String> {
            match f.get(k) {
                None => Ok(None),
                Some(v) => v
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(|| format!("{k} must be a count")),
            }
        };
        let millis = |k: &str, default: u64| -> Result<u64, String> {
            match f.get(k) {
                None => Ok(default),
                Some(v) => v
                    .as_u64()
                    .filter(|n| *n <= 60_000)
                    .ok_or_else(|| format!("{k} must be milliseconds (at most 60000)")),
            }
        };
        if let Some(n) = count("fail_next")? {
            let status = f.get("status").and_then(Value::as_u64).unwrap_or(500);
            if !(400..=599).contains(&status) {
                return Err("status must be an HTTP error status".into());
            }
            self.fail_next = n;
            self.status = status as u16;
        }
        if let Some(n) = count("drop_after_apply_next")? {
            self.drop_after_apply_next = n;
        }
        if let Some(n) = count("delay_next")? {
            self.delay_next = n;
            self.delay_ms = millis("delay_ms", 1000)?;
        }
        if let Some(n) = count("slow_next")? {
            self.slow_next = n;
            self.slow_ms = millis("slow_ms", 100)?;
        }
        if let Some(n) = count("rate_limit_next")? {
            let after = match f.get("retry_after") {
                None => 1.0,
                Some(v) => v
                    .as_f64()
                    .filter(|s| (0.0..=60.0).contains(s))
                    .ok_or("retry_after must be seconds (at most 60)")?,
            };
            self.rate_limit_next = n;
            self.retry_after = after;
        }
        // The faults that are a count and nothing else.
        for (key, field) in [
            ("throttle_next", &mut self.throttle_next),
            ("truncate_next", &mut self.truncate_next),
            ("unauthorized_next", &mut self.unauthorized_next),
            ("repeat_order_next", &mut self.repeat_order_next),
            ("after_requests", &mut self.after_requests),
            ("bulk_cancel_next", &mut self.bulk_cancel_next),
            ("bulk_expire_next", &mut self.bulk_expire_next),
            ("bulk_url_broken_next", &mut self.bulk_url_broken_next),
        ] {
            if let Some(n) = count(key)? {
                *field = n;
            }
        }
        if let Some(n) = count("bulk_fail_next")? {
            let code = match f.get("bulk_error_code") {
                None => "INTERNAL_SERVER_ERROR",
                Some(Value::String(c))
                    if matches!(
                        c.as_str(),
                        "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT"
                    ) =>
                {
                    c.as_str()
                }
                Some(_) => {
                    return Err(
                        "bulk_error_code must be ACCESS_DENIED, INTERNAL_SERVER_ERROR or TIMEOUT"
                            .into(),
                    );
                }
            };
            self.bulk_fail_next = n;
            self.bulk_error_code = code.to_string();
        }
        if let Some(n) = count("bulk_objects_per_second")? {
            self.bulk_objects_per_second = u64::from(n);
        }
        match f.get("bulk_broken_line") {
            None => {}
            Some(Value::String(s)) => self.bulk_broken_line = Some(s.clone()),
            Some(Value::Number(n)) => self.bulk_broken_line = Some(n.to_string()),
            Some(_) => return Err("bulk_broken_line must be an order's legacy id".into()),
        }
        if let Some(m) = f.get("malformed") {
            let bad = "malformed must be {\"order\": legacy id, \"field\": \"a.b\", \"value\": …}";
            let order = match m.get("order") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Err(bad.into()),
            };
            let field = m.get("field").and_then(Value::as_str).ok_or(bad)?;
            self.malformed.insert(
                order,
                Malformed {
                    field: field.to_string(),
                    value: m.get("value").cloned(),
                },
            );
        }
        Ok(())
    }
}

impl Shaping {
    /// Sends `out` as JSON with `status` and `headers`: cut in the middle of its JSON, or in
    /// slow pieces, when those are armed.
    pub fn send(&self, status: StatusCode, mut headers: HeaderMap, out: &Value) -> Response {
        let mut text = out.to_string().into_bytes();
        if self.truncate {
            text.truncate(text.len() / 2);
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        match self.slow {
            None => (status, headers, text).into_response(),
            Some(gap) => (status, headers, slow_body(text, gap)).into_response(),
        }
    }
}

/// The body in [`SLOW_PIECES`] pieces, `gap` apart.
pub fn slow_body(text: Vec<u8>, gap: Duration) -> Body {
    let size = text.len().div_ceil(SLOW_PIECES).max(1);
    let pieces: Vec<Bytes> = text.chunks(size).map(Bytes::copy_from_slice).collect();
    let stream = futures_util::stream::unfold(pieces.into_iter(), move |mut rest| async move {
        let piece = rest.next()?;
        tokio::time::sleep(gap).await;
        Some((Ok::<_, std::io::Error>(piece), rest))
    });
    Body::from_stream(stream)
}

/// Sets the value at the dotted `path` of `v` (`None` leaves the field out); a path that
/// does not lead anywhere changes nothing.
pub fn set_path(v: &mut Value, path: &str, value: Option<Value>) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut cur = v;
    for p in parts {
        let next = match cur {
            Value::Object(map) => map.get_mut(p),
            Value::Array(list) => p.parse::<usize>().ok().and_then(|i| list.get_mut(i)),
            _ => None,
        };
        let Some(next) = next else { return };
        cur = next;
    }
    match (cur, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(last.to_string(), value);
        }
        (Value::Object(map), None) => {
            map.remove(last);
        }
        (Value::Array(list), value) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| list.get_mut(i)) {
                *slot = value.unwrap_or(Value::Null);
            }
        }
        _ => {}
    }
}

/// How a simulator arms what `POST /_sim/faults` (or `--faults`) asks of it.
pub type Arm = fn(&mut Faults, &Map<String, Value>) -> Result<(), String>;

/// Arms what a REST simulator takes: every fault key but Shopify's own ([`SHOPIFY_ONLY`]).
pub fn arm_rest(armed: &mut Faults, f: &Map<String, Value>) -> Result<(), String> {
    let known: Vec<&str> = KEYS
        .into_iter()
        .filter(|k| !SHOPIFY_ONLY.contains(k))
        .collect();
    armed.arm_known(f, &known)
}

/// Faults as `--faults` gives them (the JSON `POST /_sim/faults` takes), armed by `arm`; the
/// error names what does not read.
pub fn parse(json: &str, arm: Arm) -> Result<Faults, String> {
    let Ok(Value::Object(f)) = serde_json::from_str(json) else {
        return Err("faults must be a JSON object, as POST /_sim/faults takes".into());
    };
    let mut armed = Faults::default();
    arm(&mut armed, &f)?;
    Ok(armed)
}

/// The answer of `POST /_sim/faults`: `body` armed on `armed` by `arm`, answered with the
/// faults now armed; 400 naming what does not read, with nothing armed.
pub fn answer(armed: &mut Faults, body: &[u8], arm: Arm) -> Response {
    let refused = |message: &str| {
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"errors": message})),
        )
            .into_response()
    };
    let Ok(Value::Object(f)) = serde_json::from_slice::<Value>(body) else {
        return refused("the body must be a JSON object");
    };
    if let Err(e) = arm(armed, &f) {
        return refused(&e);
    }
    axum::Json(armed.describe()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_named_and_arms_nothing() {
        let mut f = Faults::default();
        let ask = json!({"fail_next": 1, "bogus": 1});
        let e = f.arm(ask.as_object().expect("an object")).unwrap_err();
        assert!(
            e.contains("\"bogus\"") && e.contains("unauthorized_next"),
            "{e}"
        );
        assert_eq!(f, Faults::default());
        let ask = json!({"malformed": {"order": "1", "field": "name", "vaule": 2}});
        let e = f.arm(ask.as_object().expect("an object")).unwrap_err();
        assert!(e.contains("\"vaule\"") && e.contains("value"), "{e}");
        assert_eq!(f, Faults::default());
        for key in KEYS {
            let ask = json!({key: true});
            let e = f.arm(ask.as_object().expect("an object")).err();
            assert!(!e.unwrap_or_default().contains("unknown"), "{key}");
        }
    }
}
