//! Reading a validated selection: fields grouped by response key (GraphQL's CollectFields),
//! `@skip`/`@include`, argument values with variables and schema defaults.

use apollo_compiler::ast::Value as Ast;
use apollo_compiler::executable::{Field, Selection, SelectionSet};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{ExecutableDocument, Node};
use serde_json::{Map, Value};

use super::schema::schema;

pub struct Ctx<'a> {
    pub doc: &'a ExecutableDocument,
    pub vars: &'a Map<String, Value>,
}

/// One response key and every field that answers it.
pub type Group<'a> = (String, Vec<&'a Node<Field>>);

pub fn ast_to_json(v: &Ast, vars: &Map<String, Value>) -> Value {
    match v {
        Ast::Null => Value::Null,
        Ast::Enum(n) => Value::String(n.to_string()),
        Ast::Variable(n) => vars.get(n.as_str()).cloned().unwrap_or(Value::Null),
        Ast::String(s) => Value::String(s.clone()),
        Ast::Float(f) => f.try_to_f64().ok().map(Value::from).unwrap_or(Value::Null),
        Ast::Int(i) => i.try_to_i32().ok().map(Value::from).unwrap_or(Value::Null),
        Ast::Boolean(b) => Value::Bool(*b),
        Ast::List(items) => Value::Array(items.iter().map(|i| ast_to_json(i, vars)).collect()),
        Ast::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), ast_to_json(v, vars)))
                .collect(),
        ),
    }
}

impl<'a> Ctx<'a> {
    /// An argument's value: as given (variables resolved), else the schema's default; None
    /// when absent or null.
    pub fn arg(&self, field: &Field, name: &str) -> Option<Value> {
        let given = field.arguments.iter().find(|a| a.name == name);
        let v = match given {
            Some(a) => ast_to_json(&a.value, self.vars),
            None => {
                let def = field.definition.arguments.iter().find(|a| a.name == name)?;
                ast_to_json(def.default_value.as_ref()?, self.vars)
            }
        };
        (!v.is_null()).then_some(v)
    }

    pub fn arg_u64(&self, field: &Field, name: &str) -> Option<u64> {
        self.arg(field, name)
            .and_then(|v| v.as_i64())
            .map(|n| n.max(0) as u64)
    }

    fn included(&self, directives: &apollo_compiler::executable::DirectiveList) -> bool {
        let flag = |name: &str| {
            directives.get(name).and_then(|d| {
                d.arguments
                    .iter()
                    .find(|a| a.name == "if")
                    .map(|a| ast_to_json(&a.value, self.vars))
            })
        };
        flag("skip") != Some(Value::Bool(true)) && flag("include") != Some(Value::Bool(false))
    }

    /// Collects the fields of `set` that apply to the concrete type `type_name`.
    pub fn collect(&self, set: &'a SelectionSet, type_name: &str, out: &mut Vec<Group<'a>>) {
        for sel in &set.selections {
            match sel {
                Selection::Field(f) => {
                    if !self.included(&f.directives) {
                        continue;
                    }
                    let key = f.response_key().to_string();
                    match out.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, fields)) => fields.push(f),
                        None => out.push((key, vec![f])),
                    }
                }
                Selection::InlineFragment(frag) => {
                    let applies = frag
                        .type_condition
                        .as_ref()
                        .is_none_or(|c| applies_to(c.as_str(), type_name));
                    if applies && self.included(&frag.directives) {
                        self.collect(&frag.selection_set, type_name, out);
                    }
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(frag) = self.doc.fragments.get(&spread.fragment_name)
                        && applies_to(frag.type_condition().as_str(), type_name)
                        && self.included(&spread.directives)
                    {
                        self.collect(&frag.selection_set, type_name, out);
                    }
                }
            }
        }
    }

    /// The merged sub-selection of several fields answering one key.
    pub fn sub_fields(&self, fields: &[&'a Node<Field>], type_name: &str) -> Vec<Group<'a>> {
        let mut out = Vec::new();
        for f in fields {
            self.collect(&f.selection_set, type_name, &mut out);
        }
        out
    }
}

/// Whether a fragment on `condition` applies to an object of type `type_name`.
pub fn applies_to(condition: &str, type_name: &str) -> bool {
    condition == type_name || schema().is_subtype(condition, type_name)
}

/// Scalars and enums.
pub fn is_leaf(type_name: &str) -> bool {
    matches!(
        schema().types.get(type_name),
        Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_)) | None
    )
}

/// A Relay connection type (has `edges` and `pageInfo`).
pub fn is_connection(type_name: &str) -> bool {
    schema()
        .get_object(type_name)
        .is_some_and(|o| o.fields.contains_key("edges") && o.fields.contains_key("pageInfo"))
}

/// The node type of a connection type.
pub fn node_type(connection: &str) -> Option<String> {
    let obj = schema().get_object(connection)?;
    let nodes = obj.fields.get("nodes")?;
    Some(nodes.ty.inner_named_type().to_string())
}
