//! The query root fields the simulator serves (`orders`, `order`, `shop`, `job`, the
//! catalog's `productVariants` and `productVariantsCount`); mutations go to `mutate`.

use apollo_compiler::executable::OperationType;
use serde_json::{Map, Value, json};

use super::cursor::Key;
use super::exec::Exec;
use super::faults::Faults;
use super::index::SortKey;
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

pub fn execute(checked: &Checked, world: &mut World, faults: &mut Faults) -> Executed {
    let ctx = Ctx {
        doc: &checked.doc,
        vars: &checked.variables,
    };
    let op = &checked.operation;
    if op.operation_type != OperationType::Query {
        return super::mutate::execute(checked, world, faults);
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
            "bulkOperation" => {
                let id = exec.ctx.arg(field, "id");
                let id = id.as_ref().and_then(Value::as_str).unwrap_or_default();
                let found = super::bulk::find(world, id);
                exec.complete(&fields, found.as_ref())
            }
            "currentBulkOperation" => {
                let kind = exec.ctx.arg(field, "type");
                let kind = kind.as_ref().and_then(Value::as_str).unwrap_or("QUERY");
                let found = super::bulk::current(world, kind);
                exec.complete(&fields, found.as_ref())
            }
            "ordersCount" => {
                let search = exec.ctx.arg(field, "query");
                let limit = exec.ctx.arg_u64(field, "limit");
                let search = search.as_ref().and_then(Value::as_str);
                let count = super::bulk::orders_count(world, search, limit);
                exec.complete(&fields, Some(&count))
            }
            "productVariants" => {
                let reverse = exec.ctx.arg(field, "reverse") == Some(Value::Bool(true));
                // By id whatever the sort key asked (the simulator models no other).
                let mut items: Vec<(Key<'_>, usize)> = (world.variants.iter().enumerate())
                    .map(|(i, v)| {
                        let id = legacy_id(v);
                        (
                            Key {
                                value: std::borrow::Cow::Borrowed(""),
                                id,
                            },
                            i,
                        )
                    })
                    .collect();
                if reverse {
                    items.reverse();
                }
                let variants = &world.variants;
                let load = |i: usize| variants.get(i).map(std::borrow::Cow::Borrowed);
                exec.connection_of(&fields, "ProductVariantConnection", items, reverse, load)
            }
            "nodes" => {
                let ids = exec.ctx.arg(field, "ids");
                let ids = ids.as_ref().and_then(Value::as_array).cloned();
                super::inventory::nodes(world, &ids.unwrap_or_default())
                    .and_then(|found| exec.complete(&fields, Some(&found)))
            }
            "location" => {
                let id = exec.ctx.arg(field, "id");
                let found = super::inventory::location(world, id.as_ref().and_then(Value::as_str));
                exec.complete(&fields, found.as_ref())
            }
            "locations" => {
                let inactive = exec.ctx.arg(field, "includeInactive") == Some(Value::Bool(true));
                let reverse = exec.ctx.arg(field, "reverse") == Some(Value::Bool(true));
                let all = &world.inventory.locations;
                let mut items: Vec<(Key<'_>, usize)> =
                    (super::inventory::locations(world, inactive).into_iter())
                        .map(|i| {
                            let id = all.get(i).map_or(0, legacy_id);
                            let value = std::borrow::Cow::Borrowed("");
                            (Key { value, id }, i)
                        })
                        .collect();
                if reverse {
                    items.reverse();
                }
                let load = |i: usize| all.get(i).map(std::borrow::Cow::Borrowed);
                exec.connection_of(&fields, "LocationConnection", items, reverse, load)
            }
            "productVariantsCount" => {
                let limit = match exec.ctx.arg(field, "limit") {
                    Some(Value::Null) => None,
                    Some(v) => v.as_u64(),
                    None => Some(10_000),
                };
                let count = super::catalog::count(&world.variants, limit);
                exec.complete(&fields, Some(&count))
            }
            "order" => {
                let id = exec.ctx.arg(field, "id");
                let at = id
                    .as_ref()
                    .and_then(Value::as_str)
                    .map(|g| world.position(g));
                let found = at.flatten().and_then(|i| world.get(i));
                exec.complete(&fields, found.as_deref())
            }
            "orders" => {
                let filter = match exec.ctx.arg(field, "query") {
                    Some(Value::String(q)) => Filter::parse(&q),
                    _ => Filter::default(),
                };
                let sort = exec.ctx.arg(field, "sortKey");
                // ID, and the sort keys the simulator does not model, sort by id.
                let sort = SortKey::from_arg(sort.as_ref().and_then(Value::as_str));
                let reverse = exec.ctx.arg(field, "reverse") == Some(Value::Bool(true));
                let (orders, index) = world.indexed();
                let mut items: Vec<(Key<'_>, usize)> = index
                    .sorted(sort)
                    .iter()
                    .map(|&i| i as usize)
                    .filter(|&i| filter.matches_with(|f| index.time(i, f)))
                    .map(|i| (index.key(i, sort), i))
                    .collect();
                if reverse {
                    items.reverse();
                }
                let load = |i: usize| orders.get(i).map(|o| o.value());
                exec.connection_of(&fields, "OrderConnection", items, reverse, load)
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
                } else if message.starts_with("The input array size") {
                    "MAX_INPUT_SIZE_EXCEEDED"
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
