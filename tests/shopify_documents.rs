//! Every GraphQL document the Shopify connector sends validates against Shopify's real
//! 2026-10 schema (the project's own copy in `schemas/`), and costs what the connector thinks.

use apollo_compiler::executable::{Selection, SelectionSet};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema, ast};
use orderdesk::channels::shopify::{documents, query, stock};
use std::sync::OnceLock;

const SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schemas/shopify-admin-2026-10.graphql"
));

fn schema() -> &'static Valid<Schema> {
    static SCHEMA_ONCE: OnceLock<Valid<Schema>> = OnceLock::new();
    SCHEMA_ONCE.get_or_init(|| {
        match Schema::parse_and_validate(SCHEMA, "shopify-admin-2026-10.graphql") {
            Ok(s) => s,
            Err(e) => panic!("the schema does not validate: {}", e.errors),
        }
    })
}

fn validate(name: &str, text: &str) -> Result<Valid<ExecutableDocument>, String> {
    ExecutableDocument::parse_and_validate(schema(), text, format!("{name}.graphql"))
        .map_err(|e| e.errors.to_string())
}

#[test]
fn every_document_validates_against_the_schema() {
    let docs = documents();
    assert_eq!(docs.len(), 21);
    for (name, text) in docs {
        if let Err(errors) = validate(name, &text) {
            panic!("{name} does not validate:\n{errors}\n{text}");
        }
    }
}

#[test]
fn a_broken_document_fails_the_check() {
    let (_, order) = documents()
        .into_iter()
        .find(|(n, _)| *n == "Order")
        .expect("Order");
    // A field that does not exist in 2026-10 (the customer's email moved).
    let broken = order.replace("defaultEmailAddress { emailAddress }", "email");
    assert!(
        validate("broken", &broken).is_ok(),
        "Customer.email still exists, deprecated"
    );
    let broken = order.replace("legacyResourceId\n  name", "legacyId\n  name");
    let err = validate("broken", &broken).expect_err("an unknown field");
    assert!(err.contains("legacyId"), "{err}");
    let broken = order.replace("fulfillmentOrders(first: 5)", "fulfillmentOrders(count: 5)");
    assert!(validate("broken", &broken).is_err(), "an unknown argument");
    let broken = order.replace("countryCodeV2", "countryCodeV3");
    assert!(validate("broken", &broken).is_err());
}

/// The cost by Shopify's documented rules: scalar and enum 0, object 1, connection
/// 2 + first × one node (+ its `pageInfo`), a list taking `first` counted the same way.
fn cost(doc: &ExecutableDocument, set: &SelectionSet, first_var: i64) -> i64 {
    let mut total = 0;
    for selection in &set.selections {
        total += match selection {
            Selection::Field(field) => {
                let named = field.ty().inner_named_type();
                let first = field.arguments.iter().find(|a| a.name == "first").map(|a| {
                    match a.value.as_ref() {
                        ast::Value::Int(i) => i64::from(i.try_to_i32().expect("a small int")),
                        ast::Value::Variable(_) => first_var,
                        other => panic!("first = {other}"),
                    }
                });
                match schema().types.get(named) {
                    Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_)) => 0,
                    _ if named.as_str().ends_with("Connection") => {
                        let first = first.expect("a connection is asked with `first`");
                        let mut per_node = 0;
                        let mut rest = 0;
                        for inner in &field.selection_set.selections {
                            match inner {
                                Selection::Field(f) if f.name == "nodes" || f.name == "edges" => {
                                    per_node += 1 + cost(doc, &f.selection_set, first_var)
                                }
                                other => {
                                    rest += cost(doc, &one(other, &field.selection_set), first_var)
                                }
                            }
                        }
                        2 + first * per_node + rest
                    }
                    _ => {
                        let inner = 1 + cost(doc, &field.selection_set, first_var);
                        match first {
                            Some(first) if field.ty().is_list() => 2 + first * inner,
                            _ => inner,
                        }
                    }
                }
            }
            Selection::FragmentSpread(spread) => {
                let fragment = doc
                    .fragments
                    .get(&spread.fragment_name)
                    .expect("a known fragment");
                cost(doc, &fragment.selection_set, first_var)
            }
            Selection::InlineFragment(inline) => cost(doc, &inline.selection_set, first_var),
        }
    }
    total
}

fn one(selection: &Selection, parent: &SelectionSet) -> SelectionSet {
    let mut set = SelectionSet::new(parent.ty.clone());
    set.selections.push(selection.clone());
    set
}

/// A query costs its selection; a mutation 10 more (Shopify's documented rule).
fn document_cost(name: &str, first_var: i64) -> i64 {
    let (_, text) = documents()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("a document");
    let doc = validate(name, &text).expect("valid");
    let op = doc
        .operations
        .get(Some(name))
        .expect("the operation is named after the document");
    let base = match op.operation_type {
        apollo_compiler::executable::OperationType::Mutation => 10,
        _ => 0,
    };
    base + cost(&doc, &op.selection_set, first_var)
}

fn document(name: &str) -> String {
    documents()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text)
        .expect("a document")
}

#[test]
fn the_push_documents_are_what_shopify_2026_10_takes() {
    // A wrong argument, a wrong input type, a wrong enum of the old shape are refused.
    let cancel = document("OrderCancel");
    let broken = cancel.replace(
        "refundMethod: $refundMethod",
        "refundMethods: $refundMethod",
    );
    let err = validate("broken", &broken).expect_err("an unknown argument");
    assert!(err.contains("refundMethods"), "{err}");
    let broken = cancel.replace("$reason: OrderCancelReason!", "$reason: String!");
    assert!(
        validate("broken", &broken).is_err(),
        "the reason is an enum"
    );
    let broken = cancel.replace("orderCancelUserErrors", "cancelUserErrors");
    assert!(validate("broken", &broken).is_err());
    let create = document("FulfillmentCreate");
    let broken = create.replace("fulfillment: $fulfillment", "input: $fulfillment");
    assert!(
        validate("broken", &broken).is_err(),
        "fulfillmentCreate takes `fulfillment`"
    );
    let broken = create.replace("FulfillmentInput!", "FulfillmentV2Input!");
    assert!(validate("broken", &broken).is_err(), "not the V2 input");
    let pickup = document("PreparedForPickup");
    let broken = pickup.replace(
        "FulfillmentOrderLineItemsPreparedForPickupInput!",
        "FulfillmentOrderLineItemsInput!",
    );
    assert!(validate("broken", &broken).is_err());
    let state = document("OrderState");
    let broken = state.replace("fulfillments(first: 20)", "fulfillments(last: 20)");
    assert!(
        validate("broken", &broken).is_err(),
        "`fulfillments` is a list with `first`"
    );
    // The idempotency directive validates on any field (the schema cannot say which mutations
    // honour it; their descriptions do), so it is sent nowhere: none of these documents it.
    let keyed = cancel.replace(
        "staffNote: $staffNote)",
        "staffNote: $staffNote) @idempotent(key: \"k-1\")",
    );
    assert!(keyed.contains("@idempotent"));
    assert!(validate("keyed", &keyed).is_ok());
    for name in ["FulfillmentCreate", "PreparedForPickup", "OrderCancel"] {
        assert!(!document(name).contains("@idempotent"), "{name}");
    }
}

#[test]
fn the_costs_are_what_the_connector_counts_on() {
    let page = query::MAX_PAGE_SIZE as i64;
    assert_eq!(
        document_cost("OrdersPage", page),
        query::orders_page_cost(query::MAX_PAGE_SIZE) as i64
    );
    assert_eq!(document_cost("OrdersPage", page), 891);
    assert!(
        document_cost("OrdersPage", page) <= 1000,
        "under Shopify's single-query maximum"
    );
    assert!(
        document_cost("OrdersPage", page + 1) > 1000,
        "the page is as large as it can be"
    );
    assert_eq!(document_cost("Order", 0), query::order_cost() as i64);
    assert_eq!(
        document_cost("OrderLines", 0),
        query::order_lines_cost() as i64
    );
    for (name, computed) in [
        ("OrderState", query::order_state_cost()),
        ("FulfillmentOrders", query::fulfillment_orders_query_cost()),
        ("FulfillmentCreate", query::fulfillment_create_cost()),
        ("PreparedForPickup", query::prepared_for_pickup_cost()),
        ("OrderCancel", query::order_cancel_cost()),
        ("CancelJob", query::cancel_job_cost()),
        ("BulkOrders", query::bulk_orders_cost()),
        ("BulkOperation", query::bulk_poll_cost()),
        ("CurrentBulkOperation", query::bulk_poll_cost()),
        ("OrdersCount", query::bulk_poll_cost()),
        ("InventoryItems", stock::inventory_items_cost(1)),
        ("StockLocation", stock::stock_location_cost()),
        ("StockLocations", stock::stock_locations_cost()),
        ("InventorySet", stock::inventory_set_cost()),
    ] {
        assert_eq!(document_cost(name, 0), computed as i64, "{name}");
    }
}

/// The connections of a selection, and how deeply they nest (a bulk query's limits).
fn connections(set: &SelectionSet, level: usize, count: &mut usize, depth: &mut usize) {
    for selection in &set.selections {
        if let Selection::Field(field) = selection {
            let named = field.ty().inner_named_type();
            let next = if named.as_str().ends_with("Connection") {
                *count += 1;
                *depth = (*depth).max(level + 1);
                level + 1
            } else {
                level
            };
            connections(&field.selection_set, next, count, depth);
        }
    }
}

#[test]
fn the_bulk_query_validates_and_keeps_within_shopifys_bulk_limits() {
    let text = query::bulk_orders_query("2026-10-01T00:00:00Z");
    let doc = validate("bulk", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let op = doc.operations.get(None).expect("one operation");
    assert_eq!(
        op.operation_type,
        apollo_compiler::executable::OperationType::Query
    );
    let (mut count, mut depth) = (0, 0);
    connections(&op.selection_set, 0, &mut count, &mut depth);
    assert_eq!(
        (count, depth),
        (3, 2),
        "orders, their lines, their fulfillment orders"
    );
    assert!(!text.contains("first:") || text.contains("transactions(first: 5)"));
    assert!(!text.contains("..."), "no fragments: {text}");
    assert!(
        text.contains("created_at:>='2026-10-01T00:00:00Z'"),
        "{text}"
    );
    // The fields the paged query reads of an order and a line are read here too.
    let paged = document("OrdersPage");
    for field in [
        "legacyResourceId",
        "displayFulfillmentStatus",
        "totalShippingPriceSet",
        "defaultEmailAddress",
        "carrierIdentifier",
        "currentQuantity",
        "discountedTotalSet",
        "methodType",
        "authorizationCode",
    ] {
        assert!(paged.contains(field) && text.contains(field), "{field}");
    }
    // A wrong field in it is caught.
    let broken = text.replace("currentQuantity", "currentQty");
    assert!(validate("broken", &broken).is_err());
    // The window starts at the start of a day, so the text stays the same all day.
    let t = chrono::DateTime::parse_from_rfc3339("2026-11-22T17:45:12+00:00")
        .expect("a time")
        .with_timezone(&chrono::Utc);
    assert_eq!(query::bulk_window_start(t), "2026-11-22T00:00:00Z");
}

#[test]
fn the_stock_mutation_carries_the_key_2026_10_requires() {
    let set = document("InventorySet");
    assert!(set.contains("@idempotent(key: $key)"), "{set}");
    let broken = set.replace(
        "InventorySetQuantitiesInput!",
        "InventorySetOnHandQuantitiesInput!",
    );
    assert!(
        validate("broken", &broken).is_err(),
        "the input type of the mutation"
    );
    let broken = set.replace(
        "userErrors { field message code }",
        "userErrors { field message kind }",
    );
    assert!(validate("broken", &broken).is_err());
    // Up to 250 variants a read stays far under the single-query maximum.
    assert!(stock::inventory_items_cost(stock::PER_CALL) <= 1000);
}
