//! Bulk queries as Shopify documents them (`bulkOperationRunQuery`, `bulkOperation(id:)`,
//! `currentBulkOperation`):
//!
//! - The query is parsed and validated against the schema like any request, and refused
//!   (`userErrors`, code INVALID) where Shopify refuses it: not a query, a top-level `node` or
//!   `nodes`, no connection, more than five connections, connections nested more than two
//!   deep. The simulator answers bulk queries over `orders` only (any other root connection is
//!   refused, naming this).
//! - One bulk query at a time: while one is CREATED or RUNNING, another is refused with
//!   OPERATION_IN_PROGRESS.
//! - The operation is CREATED for its first 50 ms, then RUNNING, its `objectCount` (orders
//!   and their nested objects) and `rootObjectCount` (orders) growing at
//!   [`OBJECTS_PER_SECOND`] (or the `bulk_objects_per_second` fault), then COMPLETED with a
//!   `url` on the simulator's own address (`GET /_sim/bulk/{n}.jsonl`; no `url` when the query
//!   found nothing, as Shopify does). The orders are those the query's search found when the
//!   operation was created; their lines are written when the file is read.
//! - The JSONL: one line per object; a nested connection's nodes are lines of their own after
//!   their parent, naming it in `__parentId`; lists that are not connections stay inline.
//!
//! Faults (`POST /_sim/faults`): `bulk_fail_next` (with `bulk_error_code`, default
//! INTERNAL_SERVER_ERROR) and `bulk_cancel_next` end the next operations FAILED or CANCELED
//! half-way; `bulk_expire_next` makes them EXPIRED where they would complete (no `url`);
//! `bulk_url_broken_next` makes their file answer 403; `bulk_broken_line` (an order's legacy
//! id) cuts that order's own line in half in every file; `malformed` applies to the lines as
//! to any answer.

mod file;

pub use file::download;

use apollo_compiler::Node;
use apollo_compiler::executable::{Field, OperationType, SelectionSet};
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

use super::faults::Faults;
use super::index::SortKey;
use super::order::ts;
use super::schema::{Checked, check};
use super::search::Filter;
use super::select::{Ctx, is_connection, node_type};
use super::world::World;

/// Objects a bulk query goes through per second unless a fault says otherwise.
pub const OBJECTS_PER_SECOND: u64 = 50_000;
/// How long an operation stays CREATED.
const STARTUP: Duration = Duration::from_millis(50);
/// Orders written per piece of the file.
const ORDERS_PER_PIECE: usize = 200;

/// How an operation ends.
#[derive(Debug, Clone, PartialEq)]
enum Fate {
    Complete,
    Fail(String),
    Cancel,
    Expire,
}

#[derive(Debug, Clone)]
pub struct BulkOp {
    pub number: u64,
    query: String,
    created: chrono::DateTime<chrono::Utc>,
    started: Instant,
    /// The orders found, by their place in the world.
    roots: Vec<u32>,
    /// Orders and their nested objects.
    objects: u64,
    rate: u64,
    fate: Fate,
    pub broken_url: bool,
}

impl BulkOp {
    pub fn gid(&self) -> String {
        format!("gid://shopify/BulkOperation/{}", self.number)
    }

    /// Objects done by now (the whole at the end).
    fn done(&self, now: Instant) -> u64 {
        let t = now.saturating_duration_since(self.started);
        let running = t.saturating_sub(STARTUP).as_secs_f64();
        ((running * self.rate as f64) as u64).min(self.objects)
    }

    /// Where a failing or cancelled operation stops.
    fn stop_at(&self) -> u64 {
        match self.fate {
            Fate::Fail(_) | Fate::Cancel => self.objects / 2,
            _ => self.objects,
        }
    }

    fn status(&self, now: Instant) -> &'static str {
        if now.saturating_duration_since(self.started) < STARTUP {
            return "CREATED";
        }
        if self.done(now) < self.stop_at() {
            return "RUNNING";
        }
        match self.fate {
            Fate::Complete => "COMPLETED",
            Fate::Fail(_) => "FAILED",
            Fate::Cancel => "CANCELED",
            Fate::Expire => "EXPIRED",
        }
    }

    pub fn running(&self, now: Instant) -> bool {
        matches!(self.status(now), "CREATED" | "RUNNING")
    }

    /// The operation as a `BulkOperation` value.
    pub fn view(&self, base_url: &str, now: Instant) -> Value {
        let status = self.status(now);
        let objects = self.done(now).min(self.stop_at());
        let roots = if self.objects == 0 {
            0
        } else {
            (objects as u128 * self.roots.len() as u128 / self.objects as u128) as u64
        };
        let finished_after =
            STARTUP + Duration::from_secs_f64(self.stop_at() as f64 / self.rate.max(1) as f64);
        let completed_at = (status == "COMPLETED").then(|| {
            let d = chrono::Duration::from_std(finished_after).unwrap_or_default();
            ts(self.created + d)
        });
        let url = (status == "COMPLETED" && !self.roots.is_empty())
            .then(|| format!("{base_url}/_sim/bulk/{}.jsonl", self.number));
        json!({
            "__typename": "BulkOperation",
            "id": self.gid(),
            "status": status,
            "type": "QUERY",
            "query": self.query,
            "createdAt": ts(self.created),
            "completedAt": completed_at,
            "errorCode": match (&self.fate, status) {
                (Fate::Fail(code), "FAILED") => Value::String(code.clone()),
                _ => Value::Null,
            },
            "objectCount": objects.to_string(),
            "rootObjectCount": roots.to_string(),
            "fileSize": Value::Null,
            "url": url,
            "partialDataUrl": Value::Null,
        })
    }
}

/// `bulkOperationRunQuery(query:)`: the payload, the operation made when the query passes.
pub fn run_query(ctx: &Ctx<'_>, field: &Field, world: &mut World, faults: &mut Faults) -> Value {
    let refused = |message: &str, code: &str| {
        json!({"__typename": "BulkOperationRunQueryPayload", "bulkOperation": null,
               "userErrors": [{"field": ["query"], "message": message, "code": code}]})
    };
    let query = match ctx.arg(field, "query") {
        Some(Value::String(q)) => q,
        _ => return refused("Query can't be blank", "INVALID"),
    };
    let now = Instant::now();
    if let Some(op) = world.bulk.iter().find(|op| op.running(now)) {
        let message = format!(
            "A bulk query operation for this app and shop is already in progress: {}.",
            op.gid()
        );
        return refused(&message, "OPERATION_IN_PROGRESS");
    }
    let checked = match check(&query, None, &Map::new()) {
        Ok(c) => c,
        Err(errors) => {
            let said: Vec<&str> = errors
                .iter()
                .filter_map(|e| e.get("message").and_then(Value::as_str))
                .collect();
            let said = if said.is_empty() {
                "the query does not validate".to_string()
            } else {
                said.join("; ")
            };
            return refused(&format!("Invalid bulk query: {said}"), "INVALID");
        }
    };
    let roots = match plan(&checked, world) {
        Ok(r) => r,
        Err(message) => return refused(&message, "INVALID"),
    };
    let objects = roots.iter().map(|(_, n)| *n).sum();
    let fate = if take(&mut faults.bulk_fail_next) {
        let code = faults.bulk_error_code.clone();
        Fate::Fail(if code.is_empty() {
            "INTERNAL_SERVER_ERROR".to_string()
        } else {
            code
        })
    } else if take(&mut faults.bulk_cancel_next) {
        Fate::Cancel
    } else if take(&mut faults.bulk_expire_next) {
        Fate::Expire
    } else {
        Fate::Complete
    };
    let rate = match faults.bulk_objects_per_second {
        0 => OBJECTS_PER_SECOND,
        n => n,
    };
    let op = BulkOp {
        number: world.bulk.len() as u64 + 1,
        query,
        created: chrono::Utc::now(),
        started: now,
        roots: roots.iter().map(|(i, _)| *i).collect(),
        objects,
        rate,
        fate,
        broken_url: take(&mut faults.bulk_url_broken_next),
    };
    let view = op.view(&world.base_url, now);
    world.bulk.push(op);
    json!({"__typename": "BulkOperationRunQueryPayload", "bulkOperation": view, "userErrors": []})
}

fn take(n: &mut u32) -> bool {
    let armed = *n > 0;
    *n = n.saturating_sub(1);
    armed
}

/// The operation's shape checked as Shopify checks a bulk query, and the orders it finds with
/// how many objects each brings.
fn plan(checked: &Checked, world: &mut World) -> Result<Vec<(u32, u64)>, String> {
    if checked.operation.operation_type != OperationType::Query {
        return Err("Bulk queries must be queries, not mutations or subscriptions.".into());
    }
    let ctx = Ctx {
        doc: &checked.doc,
        vars: &checked.variables,
    };
    let mut groups = Vec::new();
    ctx.collect(&checked.operation.selection_set, "QueryRoot", &mut groups);
    if groups.iter().any(|(_, f)| {
        f.iter()
            .any(|f| matches!(f.name.as_str(), "node" | "nodes"))
    }) {
        return Err("Bulk queries cannot contain a top level `node` or `nodes` field.".into());
    }
    let mut count = 0;
    let mut depth = 0;
    shape(
        &ctx,
        &checked.operation.selection_set,
        "QueryRoot",
        0,
        &mut count,
        &mut depth,
    );
    if count == 0 {
        return Err("Bulk queries must contain at least one connection.".into());
    }
    if count > 5 {
        return Err(format!(
            "Bulk queries cannot contain more than 5 connections; this one has {count}."
        ));
    }
    if depth > 2 {
        return Err(
            "Bulk queries cannot contain connections with a nesting depth greater than 2.".into(),
        );
    }
    let (root, fields) = root_connection(&ctx, &groups)?;
    let filter = match ctx.arg(root, "query") {
        Some(Value::String(q)) => Filter::parse(&q),
        _ => Filter::default(),
    };
    let node_fields = connection_nodes(&ctx, &fields, "OrderConnection");
    let (orders, index) = world.indexed();
    let mut found = Vec::new();
    for &i in index.sorted(SortKey::Id) {
        let at = i as usize;
        if !filter.matches_with(|f| index.time(at, f)) {
            continue;
        }
        let Some(order) = orders.get(at).map(|o| o.value()) else {
            continue;
        };
        found.push((i, objects(&ctx, &order, &node_fields, "Order")));
    }
    Ok(found)
}

/// The root connection, which must be `orders` here.
fn root_connection<'a>(
    ctx: &Ctx<'a>,
    groups: &[(String, Vec<&'a Node<Field>>)],
) -> Result<(&'a Node<Field>, Vec<&'a Node<Field>>), String> {
    let _ = ctx;
    let mut roots = groups
        .iter()
        .filter(|(_, f)| f.first().is_some_and(|f| f.name != "__typename"));
    match (roots.next(), roots.next()) {
        (Some((_, fields)), None) if fields.first().is_some_and(|f| f.name == "orders") => {
            let first = fields[0];
            Ok((first, fields.clone()))
        }
        _ => Err("The simulator answers bulk queries over one `orders` connection only.".into()),
    }
}

/// Counts the connections under `set` and how deep they nest.
fn shape(
    ctx: &Ctx<'_>,
    set: &SelectionSet,
    type_name: &str,
    level: usize,
    count: &mut usize,
    depth: &mut usize,
) {
    let mut groups = Vec::new();
    ctx.collect(set, type_name, &mut groups);
    for (_, fields) in groups {
        for f in fields {
            let ty = f.definition.ty.inner_named_type().to_string();
            let (next, ty) = if is_connection(&ty) {
                *count += 1;
                *depth = (*depth).max(level + 1);
                (level + 1, ty)
            } else {
                (level, ty)
            };
            if !f.selection_set.selections.is_empty() {
                shape(ctx, &f.selection_set, &ty, next, count, depth);
            }
        }
    }
}

/// The fields asked of each node of a connection: under `nodes`, or `edges { node }`.
fn connection_nodes<'a>(
    ctx: &Ctx<'a>,
    fields: &[&'a Node<Field>],
    conn_type: &str,
) -> Vec<&'a Node<Field>> {
    let edge_type = conn_type
        .strip_suffix("Connection")
        .unwrap_or(conn_type)
        .to_string()
        + "Edge";
    let mut out = Vec::new();
    for (_, group) in ctx.sub_fields(fields, conn_type) {
        match group.first().map(|f| f.name.as_str()) {
            Some("nodes") => out.extend(group),
            Some("edges") => {
                for (_, inner) in ctx.sub_fields(&group, &edge_type) {
                    if inner.first().is_some_and(|f| f.name == "node") {
                        out.extend(inner);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The objects one node brings: itself and the nodes of its nested connections.
fn objects(ctx: &Ctx<'_>, raw: &Value, fields: &[&Node<Field>], type_name: &str) -> u64 {
    let mut n = 1;
    for (_, group) in ctx.sub_fields(fields, type_name) {
        let Some(f) = group.first() else { continue };
        let ty = f.definition.ty.inner_named_type().to_string();
        if !is_connection(&ty) {
            continue;
        }
        let child_type = node_type(&ty).unwrap_or_default();
        let child_fields = connection_nodes(ctx, &group, &ty);
        if let Some(Value::Array(list)) = raw.get(f.name.as_str()) {
            for item in list {
                n += objects(ctx, item, &child_fields, &child_type);
            }
        }
    }
    n
}

/// `bulkOperation(id:)`.
pub fn find(world: &World, id: &str) -> Option<Value> {
    let now = Instant::now();
    world
        .bulk
        .iter()
        .find(|op| op.gid() == id)
        .map(|op| op.view(&world.base_url, now))
}

/// `currentBulkOperation(type:)`: the newest bulk query (the simulator runs no bulk
/// mutations).
pub fn current(world: &World, kind: &str) -> Option<Value> {
    if kind != "QUERY" {
        return None;
    }
    world
        .bulk
        .last()
        .map(|op| op.view(&world.base_url, Instant::now()))
}

/// `ordersCount(query:, limit:)`.
pub fn orders_count(world: &mut World, search: Option<&str>, limit: Option<u64>) -> Value {
    let filter = search.map(Filter::parse).unwrap_or_default();
    let (orders, index) = world.indexed();
    let n = (0..orders.len())
        .filter(|&i| filter.matches_with(|f| index.time(i, f)))
        .count() as u64;
    let (count, precision) = match limit {
        Some(l) if n > l => (l, "AT_LEAST"),
        _ => (n, "EXACT"),
    };
    json!({"__typename": "Count", "count": count, "precision": precision})
}
