//! A first sync by Shopify's bulk operations: the window's orders asked for in one
//! `bulkOperationRunQuery`, the operation polled (`bulkOperation(id:)`) until it is done, its
//! JSONL result read line by line and each order rebuilt from its lines (its own line first,
//! then its line items and fulfillment orders, each naming it in `__parentId`), the orders
//! handed to intake in batches.
//!
//! What goes wrong with the bulk read itself (a refused operation, one that ends FAILED,
//! EXPIRED or CANCELED, a result URL that cannot be read or that breaks off) abandons it: the
//! run reads pages instead and says why in its log. A shop that cannot be read at all (its
//! token refused, 5xx after the retries, an answer not in its shape) fails the run as a page
//! would. Nothing about the operation is kept in the store: after a kill the
//! next run asks again; if the operation it started is still running at the shop (Shopify runs
//! one bulk query at a time), it is recognised by its query text
//! ([`super::query::bulk_window_start`] keeps that the same all day) and followed; intake
//! takes an order it already has as an update, so a read repeated after a kill neither loses
//! nor doubles an order.
//!
//! The result is fetched from the URL Shopify gives without the access token: that URL is
//! signed on its own and points at a storage host, not at the shop.

use super::ShopifyChannel;
use super::map;
use super::query::{self, BULK_OPERATION, BULK_ORDERS, CURRENT_BULK_OPERATION, ORDERS_COUNT};
use crate::channels::{BoxFuture, BulkRead, BulkStep, ChannelError, FetchedOrder};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// Orders handed to intake at a time.
pub const BATCH: usize = 500;
/// Orders held open for late child lines before they are handed on (children follow their
/// parent in Shopify's files; this only bounds the memory if they come later than that).
const OPEN_ORDERS: usize = 2_000;

/// How often the operation is asked about (first after `first`, then twice as long each
/// time up to `every`), and for how long in all.
#[derive(Debug, Clone, Copy)]
pub struct BulkPolling {
    pub first: Duration,
    pub every: Duration,
    pub give_up_after: Duration,
}

impl Default for BulkPolling {
    fn default() -> Self {
        BulkPolling {
            first: Duration::from_millis(100),
            every: Duration::from_secs(2),
            give_up_after: Duration::from_secs(6 * 3600),
        }
    }
}

/// The operation as `bulkOperation` answers it.
#[derive(Debug, Clone, Default)]
struct Operation {
    id: String,
    /// When the shop began it: what it read is as of then at the latest.
    created_at: Option<chrono::DateTime<chrono::Utc>>,
    status: String,
    error_code: Option<String>,
    root_objects: u64,
    url: Option<String>,
    query: Option<String>,
}

impl Operation {
    fn read(v: &Value) -> Result<Operation, ChannelError> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let count = |k: &str| match v.get(k) {
            Some(Value::String(s)) => s.parse().ok(),
            Some(n) => n.as_u64(),
            None => None,
        };
        Ok(Operation {
            id: text("id")
                .ok_or_else(|| ChannelError::Shape("the bulk operation has no `id`".to_string()))?,
            created_at: text("createdAt")
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&chrono::Utc)),
            status: text("status").unwrap_or_default(),
            error_code: text("errorCode"),
            root_objects: count("rootObjectCount").unwrap_or(0),
            url: text("url"),
            query: text("query"),
        })
    }

    fn running(&self) -> bool {
        matches!(self.status.as_str(), "CREATED" | "RUNNING")
    }
}

enum Phase {
    Polling {
        id: String,
        started: std::time::Instant,
        /// How long to wait before the next look (none before the first).
        wait: Option<Duration>,
    },
    Reading(Box<Reader>),
    /// Why the bulk read stops here (said once, then done).
    Abandoned(String),
    Done,
}

/// A first sync's bulk read in progress.
pub struct BulkOrders<'a> {
    channel: &'a ShopifyChannel,
    total: Option<u64>,
    /// When the operation began at the shop (its `createdAt`).
    began: Option<chrono::DateTime<chrono::Utc>>,
    phase: Phase,
}

impl ShopifyChannel {
    /// Starts (or, after a kill, finds again) the bulk query of the window starting at
    /// `window_start`.
    pub(super) async fn start_bulk(
        &self,
        window_start: chrono::DateTime<chrono::Utc>,
    ) -> Result<BulkOrders<'_>, ChannelError> {
        let since = query::bulk_window_start(window_start);
        let inner = query::bulk_orders_query(&since);
        let total = self
            .count_orders(&format!("created_at:>='{since}'"))
            .await?;
        let data = self
            .client
            .mutate(
                BULK_ORDERS,
                &self.bulk_documents.run,
                json!({ "query": inner }),
                query::bulk_orders_cost(),
            )
            .await?;
        let payload = data.get("bulkOperationRunQuery").ok_or_else(|| {
            ChannelError::Shape("the answer has no `bulkOperationRunQuery`".to_string())
        })?;
        let errors = payload
            .get("userErrors")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let (id, began) = if errors.is_empty() {
            let op = payload.get("bulkOperation").unwrap_or(&Value::Null);
            let op = Operation::read(op)?;
            (op.id, op.created_at)
        } else if errors
            .iter()
            .any(|e| e.get("code").and_then(Value::as_str) == Some("OPERATION_IN_PROGRESS"))
        {
            // Ours from before a kill, if it asks for what we would ask.
            let current = self.current_bulk().await?;
            match current {
                Some(op) if op.running() && op.query.as_deref() == Some(inner.as_str()) => {
                    tracing::info!(
                        operation = op.id,
                        "following the bulk query already running"
                    );
                    (op.id, op.created_at)
                }
                _ => {
                    let why = format!(
                        "another bulk query is running at the shop: {}",
                        user_errors(&errors)
                    );
                    return Ok(self.abandoned(why));
                }
            }
        } else {
            let why = format!("the shop refused the bulk query: {}", user_errors(&errors));
            return Ok(self.abandoned(why));
        };
        tracing::info!(operation = id, total, "bulk query started");
        Ok(BulkOrders {
            channel: self,
            total,
            began,
            phase: Phase::Polling {
                id,
                started: std::time::Instant::now(),
                wait: None,
            },
        })
    }

    fn abandoned(&self, why: String) -> BulkOrders<'_> {
        BulkOrders {
            channel: self,
            total: None,
            began: None,
            phase: Phase::Abandoned(why),
        }
    }

    /// How many orders the search finds; `None` when the answer does not say (progress then
    /// shows what is done without a total). The first request of a first sync: a shop that
    /// cannot be read fails here.
    async fn count_orders(&self, search: &str) -> Result<Option<u64>, ChannelError> {
        let data = self
            .client
            .call(
                ORDERS_COUNT,
                &self.bulk_documents.count,
                json!({ "query": search }),
                query::bulk_poll_cost(),
            )
            .await?;
        Ok(data.pointer("/ordersCount/count").and_then(Value::as_u64))
    }

    async fn bulk_operation(&self, id: &str) -> Result<Operation, ChannelError> {
        let data = self
            .client
            .call(
                BULK_OPERATION,
                &self.bulk_documents.poll,
                json!({ "id": id }),
                query::bulk_poll_cost(),
            )
            .await?;
        match data.get("bulkOperation") {
            Some(op @ Value::Object(_)) => Operation::read(op),
            _ => Ok(Operation {
                id: id.to_string(),
                status: "unknown to the shop".to_string(),
                ..Operation::default()
            }),
        }
    }

    async fn current_bulk(&self) -> Result<Option<Operation>, ChannelError> {
        let data = self
            .client
            .call(
                CURRENT_BULK_OPERATION,
                &self.bulk_documents.current,
                json!({}),
                query::bulk_poll_cost(),
            )
            .await?;
        match data.get("currentBulkOperation") {
            Some(op @ Value::Object(_)) => Ok(Some(Operation::read(op)?)),
            _ => Ok(None),
        }
    }
}

fn user_errors(errors: &[Value]) -> String {
    errors
        .iter()
        .map(|e| {
            e.get("message")
                .and_then(Value::as_str)
                .unwrap_or("(no message)")
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The documents of a bulk read, made once.
#[derive(Debug)]
pub(super) struct Documents {
    run: String,
    poll: String,
    current: String,
    count: String,
}

impl Default for Documents {
    fn default() -> Self {
        Documents {
            run: query::bulk_orders_document(),
            poll: query::bulk_operation_document(),
            current: query::current_bulk_operation_document(),
            count: query::orders_count_document(),
        }
    }
}

impl BulkOrders<'_> {
    async fn step(&mut self) -> Result<Option<BulkStep>, ChannelError> {
        loop {
            match &mut self.phase {
                Phase::Done => return Ok(None),
                Phase::Abandoned(why) => {
                    let why = std::mem::take(why);
                    self.phase = Phase::Done;
                    return Ok(Some(BulkStep::Abandoned(why)));
                }
                Phase::Polling { id, started, wait } => {
                    let polling = self.channel.bulk_polling;
                    if let Some(w) = *wait {
                        tokio::time::sleep(w).await;
                    }
                    *wait = Some(match *wait {
                        None => polling.first.min(polling.every),
                        Some(w) => (w * 2).min(polling.every),
                    });
                    if started.elapsed() > polling.give_up_after {
                        self.phase = Phase::Abandoned(format!(
                            "the bulk operation {id} did not finish in {} s",
                            polling.give_up_after.as_secs()
                        ));
                        continue;
                    }
                    let op = self.channel.bulk_operation(id).await?;
                    match op.status.as_str() {
                        "CREATED" | "RUNNING" => {
                            return Ok(Some(BulkStep::Progress {
                                done: op.root_objects,
                                total: self.total,
                            }));
                        }
                        "COMPLETED" => {
                            let Some(url) = op.url else {
                                // Shopify gives no file when the query found nothing.
                                self.phase = Phase::Done;
                                return Ok(None);
                            };
                            let opened = Reader::open(&url, self.channel.bulk_timeout).await;
                            self.phase = match opened {
                                Ok(reader) => Phase::Reading(Box::new(reader)),
                                Err(why) => Phase::Abandoned(why),
                            };
                        }
                        other => {
                            let code = op.error_code.map(|c| format!(" ({c})")).unwrap_or_default();
                            self.phase =
                                Phase::Abandoned(format!("the bulk operation ended {other}{code}"));
                        }
                    }
                }
                Phase::Reading(reader) => {
                    let batch = match reader.next_batch().await {
                        Ok(batch) => batch,
                        Err(why) => {
                            self.phase = Phase::Abandoned(why);
                            continue;
                        }
                    };
                    let late = std::mem::take(&mut reader.late);
                    let finished = reader.finished();
                    let mut orders = batch;
                    // An order whose lines came after it was handed on: read again whole.
                    for remote_id in late {
                        if let Some(f) = self.channel.order(&remote_id).await? {
                            orders.push(f);
                        }
                    }
                    if finished {
                        self.phase = Phase::Done;
                    }
                    if !orders.is_empty() {
                        return Ok(Some(BulkStep::Orders(orders)));
                    }
                }
            }
        }
    }
}

impl BulkRead for BulkOrders<'_> {
    fn began(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.began
    }

    fn next(&mut self) -> BoxFuture<'_, Result<Option<BulkStep>, ChannelError>> {
        Box::pin(self.step())
    }
}

/// One order being rebuilt from its lines.
struct Open {
    node: Value,
    lines: Vec<Value>,
    fulfillment_orders: Vec<Value>,
    /// Why it does not read, when one of its lines did not.
    broken: Option<String>,
}

/// Reads the JSONL result a chunk at a time.
struct Reader {
    response: reqwest::Response,
    pending: Vec<u8>,
    line_no: u64,
    open: VecDeque<String>,
    orders: HashMap<String, Open>,
    handed_on: std::collections::HashSet<String>,
    late: Vec<String>,
    ready: Vec<FetchedOrder>,
    eof: bool,
    /// A line that does not read and names no order: the bulk read is abandoned.
    unattributed: Option<String>,
}

impl Reader {
    /// The result's URL opened; what went wrong, when it cannot be read.
    async fn open(url: &str, timeout: Duration) -> Result<Reader, String> {
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

    fn finished(&self) -> bool {
        self.eof && self.ready.is_empty() && self.orders.is_empty()
    }

    /// Up to [`BATCH`] orders (fewer at the end).
    async fn next_batch(&mut self) -> Result<Vec<FetchedOrder>, String> {
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
                let id = super::read::gid_tail(parent);
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
                remote_id: super::read::gid_tail(gid),
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
