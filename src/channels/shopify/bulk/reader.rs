//! The JSONL result of a bulk query, read a chunk at a time, each order rebuilt from its own
//! line and the lines that name it in `__parentId` (line items, fulfillment orders).

use super::{BATCH, OPEN_ORDERS};
use crate::channels::FetchedOrder;
use crate::channels::shopify::map;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// One order being rebuilt from its lines.
struct Open {
    node: Value,
    lines: Vec<Value>,
    fulfillment_orders: Vec<Value>,
    /// Why it does not read, when one of its lines did not.
    broken: Option<String>,
}

/// Reads the JSONL result a chunk at a time.
pub(super) struct Reader {
    response: reqwest::Response,
    pending: Vec<u8>,
    line_no: u64,
    open: VecDeque<String>,
    orders: HashMap<String, Open>,
    handed_on: std::collections::HashSet<String>,
    pub(super) late: Vec<String>,
    ready: Vec<FetchedOrder>,
    eof: bool,
    /// A line that does not read and names no order: the bulk read is abandoned.
    unattributed: Option<String>,
}

impl Reader {
    /// The result's URL opened; what went wrong, when it cannot be read.
    pub(super) async fn open(url: &str, timeout: Duration) -> Result<Reader, String> {
        let cant = |e: String| format!("cannot read the bulk result: {e}");
        // No token: the URL is signed on its own (and is not the shop's host).
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(timeout)
            .build()
            .map_err(|e| cant(e.to_string()))?;
        crate::killpoint::here("shop: before reading a bulk result");
        let response = http
            .get(url)
            .send()
            .await
            .map_err(|e| cant(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(cant(format!("the address answered {}", response.status())));
        }
        Ok(Reader {
            response,
            pending: Vec::new(),
            line_no: 0,
            open: VecDeque::new(),
            orders: HashMap::new(),
            handed_on: Default::default(),
            late: Vec::new(),
            ready: Vec::new(),
            eof: false,
            unattributed: None,
        })
    }

    pub(super) fn finished(&self) -> bool {
        self.eof && self.ready.is_empty() && self.orders.is_empty()
    }

    /// Up to [`BATCH`] orders (fewer at the end).
    pub(super) async fn next_batch(&mut self) -> Result<Vec<FetchedOrder>, String> {
        while self.ready.len() < BATCH && !self.eof {
            match self.response.chunk().await {
                Ok(Some(bytes)) => {
                    self.pending.extend_from_slice(&bytes);
                    let mut start = 0;
                    while let Some(at) = self.pending[start..].iter().position(|b| *b == b'\n') {
                        let end = start + at;
                        let line = String::from_utf8_lossy(&self.pending[start..end]).into_owned();
                        self.take_line(&line);
                        start = end + 1;
                    }
                    self.pending.drain(..start);
                }
                Ok(None) => {
                    self.eof = true;
                    if !self.pending.is_empty() {
                        let rest = std::mem::take(&mut self.pending);
                        self.take_line(&String::from_utf8_lossy(&rest));
                    }
                    while let Some(gid) = self.open.pop_front() {
                        self.hand_on(&gid);
                    }
                }
                Err(e) => {
                    return Err(format!(
                        "the bulk result broke off after line {}: {}",
                        self.line_no,
                        e.without_url()
                    ));
                }
            }
        }
        if let Some(why) = self.unattributed.take() {
            return Err(why);
        }
        let n = self.ready.len().min(BATCH);
        Ok(self.ready.drain(..n).collect())
    }

    fn take_line(&mut self, line: &str) {
        self.line_no += 1;
        if line.trim().is_empty() {
            return;
        }
        let value: Value = match serde_json::from_str(line) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                self.bad_line(line, "it is not a JSON object".to_string());
                return;
            }
            Err(e) => {
                self.bad_line(line, format!("it is not JSON ({e})"));
                return;
            }
        };
        let parent = value
            .get("__parentId")
            .and_then(Value::as_str)
            .map(str::to_string);
        match parent {
            None => self.take_order(value),
            Some(parent) => self.take_child(&parent, value),
        }
    }

    fn take_order(&mut self, node: Value) {
        let Some(gid) = node.get("id").and_then(Value::as_str).map(str::to_string) else {
            // `map` names what is missing.
            self.ready
                .push(map::fetched_order(node, self.line_no as usize));
            return;
        };
        self.orders.insert(
            gid.clone(),
            Open {
                node,
                lines: Vec::new(),
                fulfillment_orders: Vec::new(),
                broken: None,
            },
        );
        self.open.push_back(gid);
        while self.open.len() > OPEN_ORDERS {
            if let Some(oldest) = self.open.pop_front() {
                self.hand_on(&oldest);
            }
        }
    }

    fn take_child(&mut self, parent: &str, mut child: Value) {
        let Some(open) = self.orders.get_mut(parent) else {
            if self.handed_on.contains(parent) {
                let id = crate::channels::shopify::read::gid_tail(parent);
                if !self.late.contains(&id) {
                    self.late.push(id);
                }
            } else {
                // A line item before its order, or of none: the order would be rebuilt without
                // it, so the run reads pages instead.
                tracing::warn!(
                    line = self.line_no,
                    parent,
                    "a line of the bulk result names no order before it"
                );
                self.unattributed = Some(format!(
                    "line {} of the result names {parent}, which no order before it is",
                    self.line_no
                ));
            }
            return;
        };
        if let Value::Object(map) = &mut child {
            map.remove("__parentId");
        }
        let id = child.get("id").and_then(Value::as_str).unwrap_or_default();
        if id.starts_with("gid://shopify/LineItem/") {
            open.lines.push(child);
        } else if id.starts_with("gid://shopify/FulfillmentOrder/") {
            open.fulfillment_orders.push(child);
        } else {
            tracing::debug!(line = self.line_no, id, "a child line of no kind read");
        }
    }

    /// A line that does not read: the order it belongs to (its own id, or the parent it
    /// names) is one order's error; a line naming none is logged.
    fn bad_line(&mut self, line: &str, why: String) {
        let why = format!(
            "line {} of the bulk result does not read: {why}",
            self.line_no
        );
        let parent = find_gid(line, "\"__parentId\"");
        // An order's own line names no other order (its customer, lines... are other kinds).
        let own = parent.is_none().then(|| order_gid_in(line)).flatten();
        match (own, parent) {
            (_, Some(parent)) if self.orders.contains_key(&parent) => {
                if let Some(open) = self.orders.get_mut(&parent) {
                    open.broken.get_or_insert(why);
                }
            }
            (Some(gid), None) => {
                // The order's own line: its children may still follow; it stays broken.
                self.orders.insert(
                    gid.clone(),
                    Open {
                        node: json!({ "id": gid, "_raw": line }),
                        lines: Vec::new(),
                        fulfillment_orders: Vec::new(),
                        broken: Some(why),
                    },
                );
                self.open.push_back(gid);
            }
            // Nothing may be lost quietly: the run reads pages instead.
            _ => {
                self.unattributed
                    .get_or_insert(format!("{why}, and it names no order"));
            }
        }
    }

    fn hand_on(&mut self, gid: &str) {
        let Some(open) = self.orders.remove(gid) else {
            return;
        };
        self.handed_on.insert(gid.to_string());
        let fetched = match open.broken {
            Some(why) => FetchedOrder {
                remote_id: crate::channels::shopify::read::gid_tail(gid),
                name: open
                    .node
                    .get("name")
                    .and_then(Value::as_str)
                    .map(|n| n.trim_start_matches('#').to_string()),
                updated_at: None,
                raw: open
                    .node
                    .get("_raw")
                    .and_then(Value::as_str)
                    .map_or_else(|| open.node.to_string(), str::to_string),
                order: Err(why),
            },
            None => map::fetched_order(rebuilt(open.node, open.lines, open.fulfillment_orders), 0),
        };
        self.ready.push(fetched);
    }
}

/// The order node as the paged query has it: its lines and fulfillment orders under
/// `nodes`, no further page of lines.
fn rebuilt(mut node: Value, lines: Vec<Value>, fulfillment_orders: Vec<Value>) -> Value {
    if let Value::Object(map) = &mut node {
        let mut line_items = Map::new();
        line_items.insert("pageInfo".into(), json!({ "hasNextPage": false }));
        line_items.insert("nodes".into(), Value::Array(lines));
        map.insert("lineItems".into(), Value::Object(line_items));
        map.insert(
            "fulfillmentOrders".into(),
            json!({ "nodes": fulfillment_orders }),
        );
    }
    node
}

/// The first order gid anywhere in `line` (written `gid://shopify/Order/1`, or with `\/`).
fn order_gid_in(line: &str) -> Option<String> {
    let plain = line.replace("\\/", "/");
    let at = plain.find("gid://shopify/Order/")? + "gid://shopify/Order/".len();
    let digits: String = plain[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then(|| format!("gid://shopify/Order/{digits}"))
}

/// The gid after `key` in a line that is not JSON (`"id":"gid://shopify/Order/1"`).
fn find_gid(line: &str, key: &str) -> Option<String> {
    let at = line.find(key)? + key.len();
    let rest = line[at..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    let gid = rest[..end].replace("\\/", "/");
    gid.starts_with("gid://shopify/").then_some(gid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gid_is_found_in_a_line_that_does_not_read() {
        let line = r##"{"id":"gid:\/\/shopify\/Order\/42","name":"#1001","totalPr"##;
        assert_eq!(
            find_gid(line, "\"id\"").as_deref(),
            Some("gid://shopify/Order/42")
        );
        assert_eq!(find_gid(line, "\"__parentId\""), None);
        let later = r#"{"customer":{"id":"gid://shopify/Customer/9"},"id":"gid:\/\/shopify\/Order\/42","na"#;
        assert_eq!(
            order_gid_in(later).as_deref(),
            Some("gid://shopify/Order/42")
        );
        assert_eq!(
            order_gid_in(r#"{"customer":{"id":"gid://shopify/Customer/9"#),
            None
        );
        let child =
            r#"{"id": "gid://shopify/LineItem/7", "__parentId": "gid://shopify/Order/42", "sku"#;
        assert_eq!(
            find_gid(child, "\"__parentId\"").as_deref(),
            Some("gid://shopify/Order/42")
        );
    }

    #[test]
    fn an_order_is_rebuilt_from_its_lines() {
        let node = json!({"id": "gid://shopify/Order/1"});
        let line = json!({"id": "gid://shopify/LineItem/2", "sku": "A"});
        let fo = json!({"id": "gid://shopify/FulfillmentOrder/3", "deliveryMethod": {"methodType": "PICK_UP"}});
        let v = rebuilt(node, vec![line.clone()], vec![fo.clone()]);
        assert_eq!(v["lineItems"]["nodes"][0], line);
        assert_eq!(v["lineItems"]["pageInfo"]["hasNextPage"], false);
        assert_eq!(v["fulfillmentOrders"]["nodes"][0], fo);
    }
}
