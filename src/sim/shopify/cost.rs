//! Requested query cost, as Shopify documents it ("Calculating the query cost",
//! shopify.dev/docs/api/usage/limits): a scalar or enum field costs 0; an object field 1 plus
//! its selection; a connection 2 plus `first` (or `last`) times the cost of one node (the
//! node object's 1 plus its selection; `edges`, `cursor` and `pageInfo` are free), so nested
//! connections multiply; an interface or union the maximum over the selections its possible
//! types could take; a mutation field 10. A plain list of objects (e.g. `transactions`) costs
//! as one object. `requestedQueryCost` is that sum; it is computed before anything runs.

use apollo_compiler::executable::{Field, OperationType, Selection, SelectionSet};

use super::select::{Ctx, is_connection, is_leaf};

pub const MAX_COST: u64 = 1000;
pub const MUTATION_COST: u64 = 10;

/// A connection asked for without a size: Shopify refuses it.
#[derive(Debug)]
pub struct CostError {
    pub message: String,
    pub field: String,
}

pub fn requested(
    ctx: &Ctx<'_>,
    op_type: OperationType,
    set: &SelectionSet,
) -> Result<u64, CostError> {
    if op_type == OperationType::Mutation {
        let mut n = 0;
        for sel in &set.selections {
            n += match sel {
                Selection::Field(f) if f.name.starts_with("__") => 0,
                _ => MUTATION_COST,
            };
        }
        return Ok(n);
    }
    set_cost(ctx, set)
}

fn set_cost(ctx: &Ctx<'_>, set: &SelectionSet) -> Result<u64, CostError> {
    let mut sum = 0;
    let mut branch_max = 0;
    for sel in &set.selections {
        match sel {
            Selection::Field(f) => sum += field_cost(ctx, f)?,
            Selection::InlineFragment(frag) => {
                let c = set_cost(ctx, &frag.selection_set)?;
                match &frag.type_condition {
                    Some(t) if *t != set.ty => branch_max = branch_max.max(c),
                    _ => sum += c,
                }
            }
            Selection::FragmentSpread(spread) => {
                if let Some(frag) = ctx.doc.fragments.get(&spread.fragment_name) {
                    let c = set_cost(ctx, &frag.selection_set)?;
                    if *frag.type_condition() == set.ty {
                        sum += c;
                    } else {
                        branch_max = branch_max.max(c);
                    }
                }
            }
        }
    }
    Ok(sum + branch_max)
}

fn field_cost(ctx: &Ctx<'_>, f: &Field) -> Result<u64, CostError> {
    let ty = f.definition.ty.inner_named_type().as_str();
    if f.name.starts_with("__") || is_leaf(ty) {
        return Ok(0);
    }
    if !is_connection(ty) {
        return Ok(1 + set_cost(ctx, &f.selection_set)?);
    }
    let size = ctx.arg_u64(f, "first").or_else(|| ctx.arg_u64(f, "last"));
    let Some(size) = size else {
        return Err(CostError {
            message: "you must provide one of first or last".into(),
            field: f.name.to_string(),
        });
    };
    Ok(2 + size * node_cost(ctx, &f.selection_set)?)
}

/// The cost of one node of a connection selection (`edges { node }` or `nodes`).
fn node_cost(ctx: &Ctx<'_>, conn: &SelectionSet) -> Result<u64, CostError> {
    let mut per_node = 0;
    visit_fields(ctx, conn, &mut |f| {
        match f.name.as_str() {
            "nodes" => per_node = per_node.max(1 + set_cost(ctx, &f.selection_set)?),
            "edges" => visit_fields(ctx, &f.selection_set, &mut |e| {
                if e.name == "node" {
                    per_node = per_node.max(1 + set_cost(ctx, &e.selection_set)?);
                }
                Ok(())
            })?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(per_node)
}

/// Calls `each` on every field of `set`, fragments included.
fn visit_fields(
    ctx: &Ctx<'_>,
    set: &SelectionSet,
    each: &mut dyn FnMut(&Field) -> Result<(), CostError>,
) -> Result<(), CostError> {
    for sel in &set.selections {
        match sel {
            Selection::Field(f) => each(f)?,
            Selection::InlineFragment(frag) => visit_fields(ctx, &frag.selection_set, each)?,
            Selection::FragmentSpread(s) => {
                if let Some(frag) = ctx.doc.fragments.get(&s.fragment_name) {
                    visit_fields(ctx, &frag.selection_set, each)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::shopify::schema::check;
    use serde_json::Map;

    fn cost_of(q: &str) -> u64 {
        let c = check(q, None, &Map::new()).map_err(|e| format!("{e:?}"));
        let c = match c {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let ctx = Ctx {
            doc: &c.doc,
            vars: &c.variables,
        };
        match requested(&ctx, c.operation.operation_type, &c.operation.selection_set) {
            Ok(n) => n,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn documented_examples() {
        // shop is an object (1); name and currencyCode are a scalar and an enum (0): 1.
        assert_eq!(cost_of("{ shop { name currencyCode } }"), 1);
        // orders(first: 10): 2 + 10 × node; node = Order object 1 + id 0
        //   + lineItems(first: 5) = 2 + 5 × (LineItem 1 + sku 0) = 7  → node = 8.
        // 2 + 10 × 8 = 82.
        let q = "{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { sku } } } } }";
        assert_eq!(cost_of(q), 82);
        // edges/node/cursor/pageInfo are free; totalPriceSet (1) + shopMoney (1) per node:
        // 2 + 50 × (1 + 2) = 152.
        let q = "{ orders(first: 50) { pageInfo { hasNextPage } edges { cursor node { id totalPriceSet { shopMoney { amount } } } } } }";
        assert_eq!(cost_of(q), 152);
        // an order (1) with customer (1): 2.
        assert_eq!(
            cost_of("{ order(id: \"gid://shopify/Order/1\") { customer { id } } }"),
            2
        );
    }
}
