//! Answers a validated selection by walking it over stored JSON values: a field comes back
//! exactly when it was asked for (under its alias), absent values are null, lists stored for a
//! connection type are served as connections (`edges`/`nodes`/`pageInfo`, `first`/`after`/
//! `last`/`before`/`reverse`). Counts the actual cost as it goes (objects 1, connections 2).

use apollo_compiler::Node;
use apollo_compiler::executable::Field;
use serde_json::{Map, Value, json};
use std::borrow::Cow;

use super::cursor::{self, Key};
use super::select::{Ctx, Group, is_connection, is_leaf, node_type};

pub struct Exec<'a> {
    pub ctx: Ctx<'a>,
    pub actual: u64,
}

/// The page of a connection chosen by its arguments.
pub struct Page<'v, T> {
    pub items: Vec<(Key<'v>, T)>,
    pub has_next: bool,
    pub has_prev: bool,
}

impl<'a> Exec<'a> {
    /// Completes the value of `fields` (one response key) from the stored `raw` value.
    pub fn complete(
        &mut self,
        fields: &[&'a Node<Field>],
        raw: Option<&Value>,
    ) -> Result<Value, String> {
        let Some(first) = fields.first() else {
            return Ok(Value::Null);
        };
        let ty = first.definition.ty.inner_named_type().to_string();
        let raw = match raw {
            None | Some(Value::Null) => return Ok(Value::Null),
            Some(v) => v,
        };
        if is_connection(&ty)
            && let Value::Array(list) = raw
        {
            let reverse = self.ctx.arg(first, "reverse") == Some(Value::Bool(true));
            let mut items: Vec<(Key<'_>, &Value)> = list
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    (
                        Key {
                            value: Cow::Borrowed(""),
                            id: i as u64 + 1,
                        },
                        v,
                    )
                })
                .collect();
            if reverse {
                items.reverse();
            }
            return self.connection(fields, &ty, items, reverse);
        }
        if let Value::Array(list) = raw {
            let take = self
                .ctx
                .arg_u64(first, "first")
                .map_or(list.len(), |n| n as usize);
            let mut out = Vec::new();
            for item in list.iter().take(take) {
                out.push(self.item(fields, &ty, item)?);
            }
            return Ok(Value::Array(out));
        }
        self.item(fields, &ty, raw)
    }

    fn item(&mut self, fields: &[&'a Node<Field>], ty: &str, raw: &Value) -> Result<Value, String> {
        if raw.is_null() {
            return Ok(Value::Null);
        }
        if is_leaf(ty) {
            return Ok(raw.clone());
        }
        let concrete = raw
            .get("__typename")
            .and_then(Value::as_str)
            .unwrap_or(ty)
            .to_string();
        let groups = self.ctx.sub_fields(fields, &concrete);
        self.actual += 1;
        self.object(raw, &concrete, groups)
    }

    /// An object's answer: each group under its response key.
    pub fn object(
        &mut self,
        raw: &Value,
        type_name: &str,
        groups: Vec<Group<'a>>,
    ) -> Result<Value, String> {
        let mut out = Map::new();
        for (key, fields) in groups {
            let name = fields.first().map(|f| f.name.as_str()).unwrap_or_default();
            let v = if name == "__typename" {
                Value::String(type_name.to_string())
            } else {
                self.complete(&fields, raw.get(name))?
            };
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }

    /// Serves `items` (already filtered and in answer order, each with its cursor key) as the
    /// connection `conn_type`, paged by the arguments of `fields`.
    pub fn connection(
        &mut self,
        fields: &[&'a Node<Field>],
        conn_type: &str,
        items: Vec<(Key<'_>, &Value)>,
        reverse: bool,
    ) -> Result<Value, String> {
        let Some(first) = fields.first() else {
            return Ok(Value::Null);
        };
        let page = self.page(first, items, reverse)?;
        self.render_connection(fields, conn_type, page)
    }

    /// Serves the items at the positions `items` (in answer order, each with its cursor
    /// key), each loaded by `load` only once the page is chosen: a shop of many orders makes
    /// only the page's.
    pub fn connection_of<'s, L>(
        &mut self,
        fields: &[&'a Node<Field>],
        conn_type: &str,
        items: Vec<(Key<'_>, usize)>,
        reverse: bool,
        load: L,
    ) -> Result<Value, String>
    where
        L: Fn(usize) -> Option<Cow<'s, Value>>,
    {
        let Some(first) = fields.first() else {
            return Ok(Value::Null);
        };
        let page = self.page(first, items, reverse)?;
        let loaded: Vec<(Key<'_>, Cow<'_, Value>)> = page
            .items
            .into_iter()
            .filter_map(|(k, at)| Some((k, load(at)?)))
            .collect();
        let page = Page {
            items: loaded
                .iter()
                .map(|(k, v)| (k.clone(), v.as_ref()))
                .collect(),
            has_next: page.has_next,
            has_prev: page.has_prev,
        };
        self.render_connection(fields, conn_type, page)
    }

    fn render_connection(
        &mut self,
        fields: &[&'a Node<Field>],
        conn_type: &str,
        page: Page<'_, &Value>,
    ) -> Result<Value, String> {
        self.actual += 2;
        let node_ty = node_type(conn_type).unwrap_or_default();
        let edge_ty = conn_type
            .strip_suffix("Connection")
            .unwrap_or(conn_type)
            .to_string()
            + "Edge";
        let mut out = Map::new();
        for (key, group) in self.ctx.sub_fields(fields, conn_type) {
            let name = group
                .first()
                .map(|f| f.name.to_string())
                .unwrap_or_default();
            let v = match name.as_str() {
                "__typename" => Value::String(conn_type.to_string()),
                "nodes" => {
                    let mut list = Vec::new();
                    for (_, node) in &page.items {
                        list.push(self.item(&group, &node_ty, node)?);
                    }
                    Value::Array(list)
                }
                "edges" => {
                    let mut list = Vec::new();
                    for (k, node) in &page.items {
                        let mut edge = Map::new();
                        for (ekey, efields) in self.ctx.sub_fields(&group, &edge_ty) {
                            let ename = efields
                                .first()
                                .map(|f| f.name.to_string())
                                .unwrap_or_default();
                            let v = match ename.as_str() {
                                "cursor" => Value::String(cursor::encode(k)),
                                "node" => self.item(&efields, &node_ty, node)?,
                                "__typename" => Value::String(edge_ty.clone()),
                                _ => Value::Null,
                            };
                            edge.insert(ekey, v);
                        }
                        list.push(Value::Object(edge));
                    }
                    Value::Array(list)
                }
                "pageInfo" => {
                    let start = page.items.first().map(|(k, _)| cursor::encode(k));
                    let end = page.items.last().map(|(k, _)| cursor::encode(k));
                    let info = json!({
                        "__typename": "PageInfo",
                        "hasNextPage": page.has_next,
                        "hasPreviousPage": page.has_prev,
                        "startCursor": start,
                        "endCursor": end,
                    });
                    let mut o = Map::new();
                    for (k, f) in self.ctx.sub_fields(&group, "PageInfo") {
                        let n = f.first().map(|f| f.name.as_str()).unwrap_or_default();
                        o.insert(k, info.get(n).cloned().unwrap_or(Value::Null));
                    }
                    Value::Object(o)
                }
                _ => Value::Null,
            };
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }

    fn page<'v, T>(
        &self,
        field: &Field,
        items: Vec<(Key<'v>, T)>,
        reverse: bool,
    ) -> Result<Page<'v, T>, String> {
        let cmp = |a: &Key, b: &Key| if reverse { b.cmp(a) } else { a.cmp(b) };
        let cursor_arg = |name: &str| -> Result<Option<Key>, String> {
            match self.ctx.arg(field, name) {
                Some(Value::String(s)) => cursor::decode(&s)
                    .map(Some)
                    .ok_or_else(|| format!("Invalid cursor for current pagination sort: {s}")),
                _ => Ok(None),
            }
        };
        let after = cursor_arg("after")?;
        let before = cursor_arg("before")?;
        let mut start = 0;
        let mut end = items.len();
        if let Some(a) = &after {
            start = items
                .iter()
                .position(|(k, _)| cmp(k, a).is_gt())
                .unwrap_or(items.len());
        }
        if let Some(b) = &before {
            end = items
                .iter()
                .position(|(k, _)| cmp(k, b).is_ge())
                .unwrap_or(items.len());
        }
        end = end.max(start);
        if let Some(n) = self.ctx.arg_u64(field, "first") {
            end = end.min(start + n as usize);
        }
        if let Some(n) = self.ctx.arg_u64(field, "last") {
            start = start.max(end.saturating_sub(n as usize));
        }
        let total = items.len();
        let items: Vec<_> = items.into_iter().skip(start).take(end - start).collect();
        Ok(Page {
            items,
            has_next: end < total,
            has_prev: start > 0,
        })
    }
}
