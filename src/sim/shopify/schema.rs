//! Shopify's Admin schema (2026-10), parsed and validated once per process, and the checks a
//! request goes through before it runs: parse, validate, pick the operation, coerce variables.
//! Errors come back in Shopify's (graphql-ruby's) shape.

use apollo_compiler::executable::Operation;
use apollo_compiler::response::JsonMap;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Node, Schema};
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

const SDL: &str = include_str!("../../../schemas/shopify-admin-2026-10.graphql");

/// The schema, built on first use.
pub fn schema() -> &'static Valid<Schema> {
    static SCHEMA: OnceLock<Valid<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(
        || match Schema::parse_and_validate(SDL, "shopify-admin-2026-10.graphql") {
            Ok(s) => s,
            // The file is built in: if it does not validate the binary is broken, not the request.
            Err(e) => panic!(
                "the built-in Shopify schema does not validate: {}",
                e.errors
            ),
        },
    )
}

/// A request that passed every check.
pub struct Checked {
    pub doc: Valid<ExecutableDocument>,
    pub operation: Node<Operation>,
    pub variables: Map<String, Value>,
}

fn error(message: String, line_col: Option<(usize, usize)>, extensions: Value) -> Value {
    let mut e = json!({ "message": message });
    if let Some((line, column)) = line_col {
        e["locations"] = json!([{ "line": line, "column": column }]);
    }
    e["extensions"] = extensions;
    e
}

/// The names between backticks in one of apollo-compiler's messages.
fn ticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// One validation diagnostic rewritten as graphql-ruby (Shopify) words it, where we know how.
fn shopify_error(name: Option<&str>, message: &str, lc: Option<(usize, usize)>) -> Value {
    let t = ticked(message);
    match (name, t.as_slice()) {
        (Some("UndefinedField"), [ty, field, ..]) => error(
            format!("Field '{field}' doesn't exist on type '{ty}'"),
            lc,
            json!({"code": "undefinedField", "typeName": ty, "fieldName": field}),
        ),
        (Some("RequiredArgument"), [coord, ..]) => {
            // `QueryRoot.order(id:)`
            let field = coord.split('.').nth(1).unwrap_or(coord);
            let (field, arg) = field.split_once('(').unwrap_or((field, ""));
            let arg = arg.trim_end_matches(')').trim_end_matches(':');
            error(
                format!("Field '{field}' is missing required arguments: {arg}"),
                lc,
                json!({"code": "missingRequiredArguments", "className": "Field", "name": field, "arguments": arg}),
            )
        }
        (Some("UndefinedArgument"), [arg, ..]) => error(
            format!("Field doesn't accept argument '{arg}'"),
            lc,
            json!({"code": "argumentNotAccepted", "argumentName": arg}),
        ),
        (Some("UndefinedVariable"), [var, ..]) => error(
            format!("Variable ${var} is used but not declared"),
            lc,
            json!({"code": "variableNotDefined", "variableName": var}),
        ),
        (None, _) => error(message.to_string(), lc, json!({"code": "parseError"})),
        (Some(other), _) => error(message.to_string(), lc, json!({"code": lower_first(other)})),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Parses, validates and prepares a request; on failure, the `errors` array to answer.
pub fn check(
    query: &str,
    operation_name: Option<&str>,
    variables: &Map<String, Value>,
) -> Result<Checked, Vec<Value>> {
    let schema = schema();
    let doc =
        ExecutableDocument::parse_and_validate(schema, query, "query.graphql").map_err(|e| {
            e.errors
                .iter()
                .map(|d| {
                    let lc = d
                        .line_column_range()
                        .map(|r| (r.start.line, r.start.column));
                    shopify_error(d.error.unstable_error_name(), &d.error.to_string(), lc)
                })
                .collect::<Vec<_>>()
        })?;
    let operation = match doc.operations.get(operation_name) {
        Ok(op) => op.clone(),
        Err(e) => {
            return Err(vec![error(
                e.message().to_string(),
                None,
                json!({"code": "operationNotFound"}),
            )]);
        }
    };
    let raw: JsonMap = serde_json::from_value(Value::Object(variables.clone())).map_err(|e| {
        vec![error(
            e.to_string(),
            None,
            json!({"code": "INVALID_VARIABLE"}),
        )]
    })?;
    let coerced = apollo_compiler::request::coerce_variable_values(schema, &operation, &raw)
        .map_err(|e| {
            let lc = e
                .location()
                .and_then(|l| l.line_column_range(&doc.sources))
                .map(|r| (r.start.line, r.start.column));
            vec![error(
                e.message().to_string(),
                lc,
                json!({"code": "INVALID_VARIABLE"}),
            )]
        })?;
    let variables = match serde_json::to_value(coerced.into_inner()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    Ok(Checked {
        doc,
        operation,
        variables,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_is_refused_in_shopify_words() {
        let errs = check("{ order(id: \"x\") { id bogus } }", None, &Map::new())
            .err()
            .unwrap_or_default();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            errs[0]["message"],
            "Field 'bogus' doesn't exist on type 'Order'"
        );
        assert_eq!(errs[0]["extensions"]["code"], "undefinedField");
        assert_eq!(errs[0]["locations"][0]["line"], 1);
    }

    #[test]
    fn missing_required_argument_and_variable() {
        let errs = check("{ order { id } }", None, &Map::new())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs[0]["extensions"]["code"], "missingRequiredArguments",
            "{errs:?}"
        );
        assert_eq!(
            errs[0]["message"],
            "Field 'order' is missing required arguments: id"
        );
        let q = "query Q($id: ID!) { order(id: $id) { id } }";
        let errs = check(q, None, &Map::new()).err().unwrap_or_default();
        assert_eq!(
            errs[0]["extensions"]["code"], "INVALID_VARIABLE",
            "{errs:?}"
        );
    }
}
