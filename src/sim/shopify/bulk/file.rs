//! The result file of a bulk query: `GET /_sim/bulk/{n}.jsonl`, written a piece of orders
//! at a time as it is read, with what the faults do to it.

use apollo_compiler::Node;
use apollo_compiler::executable::Field;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Instant;

use super::super::exec::Exec;
use super::super::schema::{Checked, check};
use super::super::select::{Ctx, is_connection, node_type};
use super::super::state::AppState;
use crate::sim::faults::set_path;

use super::{ORDERS_PER_PIECE, connection_nodes, root_connection};

/// Writes the lines of one node (and of its nested connections' nodes after it).
fn lines<'a>(
    exec: &mut Exec<'a>,
    raw: &Value,
    fields: &[&'a Node<Field>],
    type_name: &str,
    parent: Option<&str>,
    shaping: &Shaping,
    out: &mut String,
) -> Result<(), String> {
    let ctx: Ctx<'a> = Ctx {
        doc: exec.ctx.doc,
        vars: exec.ctx.vars,
    };
    let mut own = Vec::new();
    let mut nested = Vec::new();
    for (key, group) in ctx.sub_fields(fields, type_name) {
        let ty = group
            .first()
            .map(|f| f.definition.ty.inner_named_type().to_string())
            .unwrap_or_default();
        if is_connection(&ty) {
            nested.push((group, ty));
        } else {
            own.push((key, group));
        }
    }
    let mut obj = exec.object(raw, type_name, own)?;
    let id = raw.get("id").and_then(Value::as_str).unwrap_or_default();
    if parent.is_none()
        && let Some(legacy) = raw.get("legacyResourceId").and_then(Value::as_str)
        && let Some(m) = shaping.malformed.get(legacy)
    {
        set_path(&mut obj, &m.field, m.value.clone());
    }
    if let (Some(p), Value::Object(map)) = (parent, &mut obj) {
        map.insert("__parentId".into(), Value::String(p.to_string()));
    }
    // The object's `id` first, as Shopify writes the fields in the order asked (the
    // connector's queries ask for it first), `__parentId` last.
    let mut text = match &mut obj {
        Value::Object(map) => {
            let first = map.remove("id");
            let parent_id = map.remove("__parentId");
            let mut text = String::from("{");
            let mut put = |k: &str, v: &Value| {
                if text.len() > 1 {
                    text.push(',');
                }
                text.push_str(&Value::String(k.to_string()).to_string());
                text.push(':');
                text.push_str(&v.to_string());
            };
            if let Some(v) = &first {
                put("id", v);
            }
            for (k, v) in map.iter() {
                put(k, v);
            }
            if let Some(v) = &parent_id {
                put("__parentId", v);
            }
            text.push('}');
            text
        }
        other => other.to_string(),
    };
    if parent.is_none()
        && shaping
            .broken_line
            .as_deref()
            .is_some_and(|b| raw.get("legacyResourceId").and_then(Value::as_str) == Some(b))
    {
        text.truncate(text.len() / 2);
    }
    out.push_str(&text);
    out.push('\n');
    for (group, ty) in nested {
        let Some(f) = group.first() else { continue };
        let child_type = node_type(&ty).unwrap_or_default();
        let child_fields = connection_nodes(&ctx, &group, &ty);
        if let Some(Value::Array(list)) = raw.get(f.name.as_str()) {
            for item in list {
                lines(
                    exec,
                    item,
                    &child_fields,
                    &child_type,
                    Some(id),
                    shaping,
                    out,
                )?;
            }
        }
    }
    Ok(())
}

/// What the faults do to a file.
#[derive(Debug, Clone, Default)]
pub(super) struct Shaping {
    broken_line: Option<String>,
    malformed: std::collections::BTreeMap<String, crate::sim::faults::Malformed>,
}

/// `GET /_sim/bulk/{n}.jsonl`: the operation's result, written a piece at a time.
pub async fn download(State(state): State<Arc<AppState>>, Path(file): Path<String>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "Not Found").into_response();
    let Some(number) = file
        .strip_suffix(".jsonl")
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return not_found();
    };
    let (query, roots, broken) = {
        let world = state.world();
        let Some(op) = world.bulk.iter().find(|op| op.number == number) else {
            return not_found();
        };
        if op.status(Instant::now()) != "COMPLETED" {
            return not_found();
        }
        (op.query.clone(), op.roots.clone(), op.broken_url)
    };
    if broken {
        // What a signed storage URL answers once it no longer holds.
        return (
            StatusCode::FORBIDDEN,
            "<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code>\
             <Message>Access denied.</Message></Error>",
        )
            .into_response();
    }
    let shaping = {
        let faults = state.faults();
        Shaping {
            broken_line: faults.bulk_broken_line.clone(),
            malformed: faults.malformed.clone(),
        }
    };
    let Ok(checked) = check(&query, None, &Map::new()) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the query no longer validates",
        )
            .into_response();
    };
    let pieces = Pieces {
        state,
        checked: Arc::new(checked),
        roots,
        next: 0,
        shaping,
    };
    let stream = futures_util::stream::unfold(pieces, |mut p| async move {
        let piece = p.piece()?;
        Some((Ok::<_, std::io::Error>(Bytes::from(piece)), p))
    });
    (
        [(header::CONTENT_TYPE, "application/jsonl")],
        Body::from_stream(stream),
    )
        .into_response()
}

struct Pieces {
    state: Arc<AppState>,
    checked: Arc<Checked>,
    roots: Vec<u32>,
    next: usize,
    shaping: Shaping,
}

impl Pieces {
    /// The lines of the next [`ORDERS_PER_PIECE`] orders; `None` at the end.
    fn piece(&mut self) -> Option<String> {
        if self.next >= self.roots.len() {
            return None;
        }
        let checked = &*self.checked;
        let ctx = Ctx {
            doc: &checked.doc,
            vars: &checked.variables,
        };
        let mut groups = Vec::new();
        ctx.collect(&checked.operation.selection_set, "QueryRoot", &mut groups);
        let (_, fields) = root_connection(&ctx, &groups).ok()?;
        let node_fields = connection_nodes(&ctx, &fields, "OrderConnection");
        let mut exec = Exec { ctx, actual: 0 };
        let end = (self.next + ORDERS_PER_PIECE).min(self.roots.len());
        let mut out = String::new();
        let world = self.state.world();
        for &at in &self.roots[self.next..end] {
            let Some(order) = world.get(at as usize) else {
                continue;
            };
            if let Err(e) = lines(
                &mut exec,
                &order,
                &node_fields,
                "Order",
                None,
                &self.shaping,
                &mut out,
            ) {
                tracing::warn!("bulk line not written: {e}");
            }
        }
        self.next = end;
        Some(out)
    }
}
