//! `orderdesk status --format prometheus`: the status as Prometheus metrics in the text
//! exposition format, for node_exporter's textfile collector (write to a temporary file in its
//! directory, then rename it over `orderdesk.prom`).

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::fmt::Write;

/// The metrics of a status value (DESIGN.md §4 `status --json`), as of `now`.
pub fn prometheus(v: &Value, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut family = |name: &str, help: &str, samples: Vec<(String, f64)>| {
        let _ = writeln!(out, "# HELP orderdesk_{name} {help}");
        let _ = writeln!(out, "# TYPE orderdesk_{name} gauge");
        for (labels, value) in samples {
            let _ = writeln!(out, "orderdesk_{name}{labels} {value}");
        }
    };
    let n = |v: &Value| v.as_u64().unwrap_or(0) as f64;
    let by = |key: &str, v: &Value| -> Vec<(String, f64)> {
        v.as_object()
            .into_iter()
            .flatten()
            .map(|(k, x)| (labels(&[(key, k)]), n(x)))
            .collect()
    };
    family(
        "orders",
        "Orders in the store, by state.",
        by("state", &v["orders"]["by_state"]),
    );
    family(
        "orders_need_action",
        "Orders waiting for a person (customer ID needed, product match failed).",
        vec![(String::new(), n(&v["needs_action"]))],
    );
    family(
        "problems",
        "Open problems in the Errors pane, by kind.",
        by("kind", &v["problems"]),
    );
    family(
        "outbox_items",
        "Changes not yet told to the shops, by status (the outbox backlog).",
        by("status", &v["outbox"]),
    );
    let stores: Vec<&Value> = v["stores"].as_array().into_iter().flatten().collect();
    let store_labels = |s: &Value| {
        labels(&[
            ("store", s["id"].as_str().unwrap_or_default()),
            ("platform", s["platform"].as_str().unwrap_or_default()),
        ])
    };
    // A store that never synced has no samples (absent, not zero).
    let synced: Vec<(&Value, &Value)> = stores
        .iter()
        .map(|s| (*s, &s["last_sync"]))
        .filter(|(_, last)| !last.is_null())
        .collect();
    family(
        "last_sync_age_seconds",
        "Seconds since each store's last sync run ended (started, while it runs).",
        synced
            .iter()
            .filter_map(|(s, last)| {
                let at = last["finished_at"]
                    .as_str()
                    .or(last["started_at"].as_str())?;
                let at: DateTime<Utc> = at.parse().ok()?;
                let age = (now - at).num_milliseconds().max(0) as f64 / 1000.0;
                Some((store_labels(s), age))
            })
            .collect(),
    );
    family(
        "last_sync_ok",
        "1 when each store's last sync run read the shop, 0 when it failed or still runs.",
        synced
            .iter()
            .map(|(s, last)| (store_labels(s), f64::from(u8::from(last["ok"] == true))))
            .collect(),
    );
    family(
        "last_sync_errors",
        "Orders each store's last sync run could not read or take in.",
        synced
            .iter()
            .map(|(s, last)| (store_labels(s), n(&last["errors"])))
            .collect(),
    );
    let generated = v["generated_at"]
        .as_str()
        .and_then(|t| t.parse::<DateTime<Utc>>().ok());
    family(
        "status_age_seconds",
        "Seconds since these figures were computed (from status.json while another process \
         holds the store; a large value means that process stopped keeping it current).",
        generated
            .map(|g| (String::new(), (now - g).num_seconds().max(0) as f64))
            .into_iter()
            .collect(),
    );
    out
}

/// `{k="v",…}` with the values escaped as the exposition format asks.
fn labels(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            let v = v
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            format!("{k}=\"{v}\"")
        })
        .collect();
    format!("{{{}}}", inner.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_status_becomes_gauges_with_escaped_labels_and_ages() {
        let now: DateTime<Utc> = "2026-12-06T10:00:30Z".parse().expect("time");
        let status = json!({
            "generated_at": "2026-12-06T10:00:00Z",
            "orders": {"total": 7, "by_state": {"booked": 5, "customer_id_needed": 2}},
            "needs_action": 2,
            "problems": {"rejected": 1, "oversold": 0},
            "outbox": {"pending": 3, "failed": 1},
            "stores": [
                {"id": "we\"b", "platform": "bazaar", "last_sync": {
                    "started_at": "2026-12-06T09:59:00Z", "finished_at": "2026-12-06T09:59:50Z",
                    "ok": true, "errors": 4}},
                {"id": "woo", "platform": "stall", "last_sync": null}
            ]
        });
        let text = prometheus(&status, now);
        for line in [
            "# TYPE orderdesk_orders gauge",
            "orderdesk_orders{state=\"booked\"} 5",
            "orderdesk_orders{state=\"customer_id_needed\"} 2",
            "orderdesk_orders_need_action 2",
            "orderdesk_problems{kind=\"rejected\"} 1",
            "orderdesk_outbox_items{status=\"pending\"} 3",
            "orderdesk_outbox_items{status=\"failed\"} 1",
            "orderdesk_last_sync_age_seconds{store=\"we\\\"b\",platform=\"bazaar\"} 40",
            "orderdesk_last_sync_ok{store=\"we\\\"b\",platform=\"bazaar\"} 1",
            "orderdesk_last_sync_errors{store=\"we\\\"b\",platform=\"bazaar\"} 4",
            "orderdesk_status_age_seconds 30",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} missing:\n{text}");
        }
        assert!(
            !text.contains("woo"),
            "a store never synced has no samples:\n{text}"
        );
    }
}
