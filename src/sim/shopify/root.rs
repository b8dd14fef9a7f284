//! The query root fields the simulator serves (`orders`, `order`, `shop`, `job`); mutations
//! go to `mutate`.

use apollo_compiler::executable::OperationType;
use serde_json::{Map, Value, json};

use super::cursor::Key;
use super::exec::Exec;
use super::schema::Checked;
use super::search::Filter;
use super::select::Ctx;
use super::world::World;

pub struct Executed {
    pub data: Value,
    pub errors: Vec<Value>,
    pub actual: u64,
}

pub fn field_error(message: String, key: &str, code: &str) -> Value {
    json!({"message": message, "path": [key], "extensions": {"code": code}})
}

pub fn legacy_id(order: &Value) -> u64 {
    order
        .get("legacyResourceId")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

pub fn execute(checked: &Checked, world: &mut World) -> Executed {
    let ctx = Ctx {
        doc: &checked.doc,
        vars: &checked.variables,
    };
    let op = &checked.operation;
    if op.operation_type != OperationType::Query {
        return super::mutate::execute(checked, world);
    }
    let mut errors = Vec::new();
    let mut groups = Vec::new();
    ctx.collect(&op.selection_set, "QueryRoot", &mut groups);
    let mut exec = Exec { ctx, actual: 0 };
    let mut data = Map::new();
    for (key, fields) in groups {
        let Some(field) = fields.first().copied() else {
            continue;
        };
        let answer = match field.name.as_str() {
            "__typename" => Ok(Value::String("QueryRoot".into())),
            "shop" => exec.complete(&fields, Some(&world.shop)),
            "job" => {
                let id = exec.ctx.arg(field, "id");
                let job = super::cancel::job(
                    world,
                    id.as_ref().and_then(Value::as_str).unwrap_or_default(),
                );
                exec.complete(&fields, Some(&job))
            }
            "order" => {
                let id = exec.ctx.arg(field, "id");
                let found = world.orders.iter().find(|o| o.get("id") == id.as_ref());
                exec.complete(&fields, found)
            }
            "orders" => {
                let filter = match exec.ctx.arg(field, "query") {
                    Some(Value::String(q)) => Filter::parse(&q),
                    _ => Filter::default(),
                };
                let sort = exec.ctx.arg(field, "sortKey");
                let sort_field = match sort.as_ref().and_then(Value::as_str) {
                    Some("CREATED_AT") => Some("createdAt"),
                    Some("UPDATED_AT") => Some("updatedAt"),
                    Some("PROCESSED_AT") => Some("processedAt"),
                    _ => None, // ID, and the sort keys the simulator does not model
                };
                let reverse = exec.ctx.arg(field, "reverse") == Some(Value::Bool(true));
                let mut items: Vec<(Key, &Value)> = world
                    .orders
                    .iter()
                    .filter(|o| filter.matches(o))
                    .map(|o| {
                        let value = sort_field
                            .and_then(|f| o.get(f))
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string();
                        (
                            Key {
                                value,
                                id: legacy_id(o),
                            },
                            o,
                        )
                    })
                    .collect();
                items.sort_by(|a, b| a.0.cmp(&b.0));
                if reverse {
                    items.reverse();
                }
                exec.connection(&fields, "OrderConnection", items, reverse)
            }
            other => Err(format!(
                "Field '{other}' is not implemented by the simulator"
            )),
        };
        match answer {
            Ok(v) => {
                data.insert(key, v);
            }
            Err(message) => {
                let code = if message.starts_with("Field '") {
                    "NOT_IMPLEMENTED"
                } else {
                    "BAD_REQUEST"
                };
                errors.push(field_error(message, &key, code));
                data.insert(key, Value::Null);
            }
        }
    }
    Executed {
        data: Value::Object(data),
        errors,
        actual: exec.actual,
    }
}
