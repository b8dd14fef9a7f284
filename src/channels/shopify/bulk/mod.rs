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

mod reader;

use reader::Reader;

use super::ShopifyChannel;
use super::query::{self, BULK_OPERATION, BULK_ORDERS, CURRENT_BULK_OPERATION, ORDERS_COUNT};
use crate::channels::{BoxFuture, BulkRead, BulkStep, ChannelError};
use serde_json::{Value, json};
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
