//! The GraphQL documents the connector sends, and what they cost.
//!
//! The order's field selection lives in one fragment (`OrderFields`), shared by the orders
//! page and the single-order look-up; a line's selection in another (`LineFields`), shared with
//! the follow-up query that reads the lines of an order with more than [`LINES_PER_ORDER`].
//!
//! Cost, by Shopify's documented rules (a scalar or enum 0, an object 1, a connection
//! 2 + `first` × the cost of one node; the `transactions` list is counted like a connection
//! with its `first` to stay on the safe side), of one order node:
//!
//! | selection                                                   | cost              |
//! |-------------------------------------------------------------|-------------------|
//! | the `Order` object                                          | 1                 |
//! | 5 money bags `…Set { shopMoney }`, 2 objects each           | 10                |
//! | `customer` + `defaultEmailAddress` + `defaultPhoneNumber`   | 3                 |
//! | `billingAddress`, `shippingAddress`                         | 2                 |
//! | `shippingLine` + `originalPriceSet { shopMoney }`           | 3                 |
//! | `lineItems(first: 10)`: 2 + `pageInfo` 1 + 10 × 7 (line 1, `variant` 1, `product` 1, two money bags 4) | 73 |
//! | `fulfillmentOrders(first: 5)`: 2 + 5 × (1 + `deliveryMethod` 1) | 12            |
//! | `transactions(first: 5)`: 2 + 5 × 1                         | 7                 |
//! | **one order**                                               | **111**           |
//!
//! Orders page: `orders(first: P)` = 2 + `pageInfo` 1 + P × 111; Shopify refuses a single
//! query above 1000, so P ≤ 8 (8 → 891, 9 → 1002). The single order: 111. The lines
//! follow-up: `order` 1 + `lineItems(first: 50)` 2 + 1 + 50 × 7 = 354.
//!
//! What the pushes send ([`super::push`]); a mutation costs 10 before its selection:
//!
//! | document             | selection                                                  | cost |
//! |----------------------|------------------------------------------------------------|------|
//! | `OrderState`         | `order` 1 + `fulfillments(first: 20)` 2 + 20 × (1 + `trackingInfo(first: 5)` 7) + fulfillment orders 43 | 206 |
//! | `FulfillmentOrders`  | `order` 1 + `fulfillmentOrders(first: 10)` 2 + `pageInfo` 1 + 10 × 4 (node, `deliveryMethod`, `assignedLocation`, `location`) | 44 |
//! | `FulfillmentCreate`  | 10 + payload 1 + `fulfillment` 1 + `userErrors` 1          | 13   |
//! | `PreparedForPickup`  | 10 + payload 1 + `userErrors` 1                            | 12   |
//! | `OrderCancel`        | 10 + payload 1 + `job` 1 + `orderCancelUserErrors` 1       | 13   |
//! | `CancelJob`          | `job` 1 + `query` 1 + `order` 1                            | 3    |

/// Lines read with the order itself; an order with more gets the rest by [`ORDER_LINES`].
pub const LINES_PER_ORDER: usize = 10;
/// Lines per follow-up page.
pub const LINES_PER_PAGE: usize = 50;
/// What one line costs (see the table above).
pub const LINE_COST: usize = 7;
/// What one order node costs (see the table above).
pub const ORDER_NODE_COST: usize =
    1 + 10 + 3 + 2 + 3 + (2 + 1 + LINES_PER_ORDER * LINE_COST) + 12 + 7;
/// Shopify's maximum cost of a single query.
pub const MAX_QUERY_COST: usize = 1000;
/// The largest page that stays under [`MAX_QUERY_COST`].
pub const MAX_PAGE_SIZE: usize = (MAX_QUERY_COST - 3) / ORDER_NODE_COST;

/// Names of the documents (also the operation names).
pub const ORDERS_PAGE: &str = "OrdersPage";
pub const ORDER: &str = "Order";
pub const ORDER_LINES: &str = "OrderLines";
pub const ORDER_STATE: &str = "OrderState";
pub const FULFILLMENT_ORDERS: &str = "FulfillmentOrders";
pub const FULFILLMENT_CREATE: &str = "FulfillmentCreate";
pub const PREPARED_FOR_PICKUP: &str = "PreparedForPickup";
pub const ORDER_CANCEL: &str = "OrderCancel";
pub const CANCEL_JOB: &str = "CancelJob";
pub const ORDER_NOTE: &str = "OrderNote";
pub const ORDER_NOTE_UPDATE: &str = "OrderNoteUpdate";
pub const BULK_ORDERS: &str = "BulkOrders";
pub const BULK_OPERATION: &str = "BulkOperation";
pub const CURRENT_BULK_OPERATION: &str = "CurrentBulkOperation";
pub const ORDERS_COUNT: &str = "OrdersCount";

/// What every mutation costs before its selection (Shopify's documented rule).
pub const MUTATION_BASE_COST: usize = 10;
/// Fulfillments read by [`ORDER_STATE`], and tracking entries per fulfillment.
pub const STATE_FULFILLMENTS: usize = 20;
pub const STATE_TRACKING: usize = 5;
/// Fulfillment orders read before a fulfillment or a pickup (and by [`ORDER_STATE`]).
pub const FULFILLMENT_ORDERS_PER_ORDER: usize = 10;
/// One fulfillment order node: the node 1, `deliveryMethod` 1, `assignedLocation` 1 +
/// its `location` 1.
const FULFILLMENT_ORDER_NODE_COST: usize = 4;

/// The cost of the orders page for `page_size` orders.
pub fn orders_page_cost(page_size: usize) -> usize {
    2 + 1 + page_size * ORDER_NODE_COST
}

/// The cost of the single-order look-up.
pub fn order_cost() -> usize {
    ORDER_NODE_COST
}

/// The cost of one follow-up page of lines.
pub fn order_lines_cost() -> usize {
    1 + 2 + 1 + LINES_PER_PAGE * LINE_COST
}

/// `fulfillmentOrders(first: 10)`: 2 + `pageInfo` 1 + 10 × one node.
fn fulfillment_orders_cost() -> usize {
    2 + 1 + FULFILLMENT_ORDERS_PER_ORDER * FULFILLMENT_ORDER_NODE_COST
}

/// [`ORDER_STATE`]: `order` 1 + `fulfillments(first: 20)` (a list: 2 + 20 × (1 +
/// `trackingInfo(first: 5)` 2 + 5 × 1)) + the fulfillment orders.
pub fn order_state_cost() -> usize {
    1 + (2 + STATE_FULFILLMENTS * (1 + 2 + STATE_TRACKING)) + fulfillment_orders_cost()
}

/// [`FULFILLMENT_ORDERS`]: `order` 1 + the fulfillment orders.
pub fn fulfillment_orders_query_cost() -> usize {
    1 + fulfillment_orders_cost()
}

/// [`FULFILLMENT_CREATE`]: 10 + the payload 1 + `fulfillment` 1 + `userErrors` 1.
pub fn fulfillment_create_cost() -> usize {
    MUTATION_BASE_COST + 3
}

/// [`PREPARED_FOR_PICKUP`]: 10 + the payload 1 + `userErrors` 1.
pub fn prepared_for_pickup_cost() -> usize {
    MUTATION_BASE_COST + 2
}

/// [`ORDER_CANCEL`]: 10 + the payload 1 + `job` 1 + `orderCancelUserErrors` 1.
pub fn order_cancel_cost() -> usize {
    MUTATION_BASE_COST + 3
}

/// [`CANCEL_JOB`]: `job` 1 + `query` 1 + `order` 1.
pub fn cancel_job_cost() -> usize {
    3
}

/// [`ORDER_NOTE`]: `order` 1.
pub fn order_note_cost() -> usize {
    1
}

/// [`ORDER_NOTE_UPDATE`]: 10 + the payload 1 + `order` 1 + `userErrors` 1.
pub fn order_note_update_cost() -> usize {
    MUTATION_BASE_COST + 3
}

/// The order's note (read before one is added to it, so nothing is added twice); variable
/// `id`.
pub fn order_note_document() -> String {
    format!(
        "query {ORDER_NOTE}($id: ID!) {{
  order(id: $id) {{ id note }}
}}
"
    )
}

/// The order's note replaced (the old one with a line added); variable `input` (`OrderInput`:
/// `id` and `note`).
pub fn order_note_update_document() -> String {
    format!(
        "mutation {ORDER_NOTE_UPDATE}($input: OrderInput!) {{
  orderUpdate(input: $input) {{
    order {{ id note }}
    userErrors {{ field message }}
  }}
}}
"
    )
}

const MONEY: &str = "shopMoney { amount currencyCode }";

fn line_fields() -> String {
    "fragment LineFields on LineItem {
  id
  sku
  name
  quantity
  currentQuantity
  variant { legacyResourceId }
  product { legacyResourceId }
  originalUnitPriceSet { shopMoney { amount } }
  discountedTotalSet { shopMoney { amount } }
}
"
    .to_string()
}

/// An order's own fields (no connection): what the paged query and the bulk query both read.
fn order_own_fields() -> String {
    let address = "{ firstName lastName address1 address2 city zip countryCodeV2 phone }";
    format!(
        "  id
  legacyResourceId
  name
  createdAt
  updatedAt
  test
  email
  phone
  currencyCode
  displayFinancialStatus
  displayFulfillmentStatus
  cancelledAt
  taxesIncluded
  totalPriceSet {{ {MONEY} }}
  subtotalPriceSet {{ {MONEY} }}
  totalTaxSet {{ {MONEY} }}
  totalDiscountsSet {{ {MONEY} }}
  totalShippingPriceSet {{ {MONEY} }}
  customer {{
    id
    legacyResourceId
    firstName
    lastName
    defaultEmailAddress {{ emailAddress }}
    defaultPhoneNumber {{ phoneNumber }}
  }}
  billingAddress {address}
  shippingAddress {address}
  shippingLine {{
    title
    carrierIdentifier
    source
    originalPriceSet {{ shopMoney {{ amount }} }}
  }}
  transactions(first: 5) {{ kind status gateway authorizationCode }}
  paymentGatewayNames
"
    )
}

fn order_fields() -> String {
    format!(
        "fragment OrderFields on Order {{
{}  lineItems(first: {LINES_PER_ORDER}) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...LineFields }}
  }}
  fulfillmentOrders(first: 5) {{
    nodes {{ deliveryMethod {{ methodType }} }}
  }}
}}
",
        order_own_fields()
    )
}

/// A line's fields, as [`line_fields`] has them, without the fragment around them.
fn line_own_fields() -> String {
    line_fields()
        .lines()
        .skip(1)
        .filter(|l| *l != "}")
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The orders updated since a time, oldest change first; variables `first`, `after`, `query`.
pub fn orders_page_document() -> String {
    format!(
        "query {ORDERS_PAGE}($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...OrderFields }}
  }}
}}
{}{}",
        order_fields(),
        line_fields()
    )
}

/// One order by its gid; variable `id`.
pub fn order_document() -> String {
    format!(
        "query {ORDER}($id: ID!) {{
  order(id: $id) {{ ...OrderFields }}
}}
{}{}",
        order_fields(),
        line_fields()
    )
}

/// The lines of one order after a cursor; variables `id`, `after`.
pub fn order_lines_document() -> String {
    format!(
        "query {ORDER_LINES}($id: ID!, $after: String) {{
  order(id: $id) {{
    lineItems(first: {LINES_PER_PAGE}, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ ...LineFields }}
    }}
  }}
}}
{}",
        line_fields()
    )
}

/// The fulfillment orders of an order, as the push reads them before a change.
fn fulfillment_orders_selection() -> String {
    format!(
        "fulfillmentOrders(first: {FULFILLMENT_ORDERS_PER_ORDER}) {{
      pageInfo {{ hasNextPage }}
      nodes {{
        id
        status
        deliveryMethod {{ methodType }}
        assignedLocation {{ location {{ id }} }}
      }}
    }}"
    )
}

/// What the shop shows of an order now (see [`super::push`]); variable `id`.
pub fn order_state_document() -> String {
    format!(
        "query {ORDER_STATE}($id: ID!) {{
  order(id: $id) {{
    id
    cancelledAt
    displayFulfillmentStatus
    fulfillments(first: {STATE_FULFILLMENTS}) {{
      status
      displayStatus
      trackingInfo(first: {STATE_TRACKING}) {{ number company }}
    }}
    {}
  }}
}}
",
        fulfillment_orders_selection()
    )
}

/// The order's fulfillment orders, read before a fulfillment or a pickup; variable `id`.
pub fn fulfillment_orders_document() -> String {
    format!(
        "query {FULFILLMENT_ORDERS}($id: ID!) {{
  order(id: $id) {{
    id
    cancelledAt
    {}
  }}
}}
",
        fulfillment_orders_selection()
    )
}

/// A fulfillment of whole fulfillment orders, with tracking; variable `fulfillment`
/// (`FulfillmentInput`). Not idempotent by key in 2026-10 (its description does not document
/// `@idempotent`), so the caller reads the order's state before sending it again.
pub fn fulfillment_create_document() -> String {
    format!(
        "mutation {FULFILLMENT_CREATE}($fulfillment: FulfillmentInput!) {{
  fulfillmentCreate(fulfillment: $fulfillment) {{
    fulfillment {{ id status }}
    userErrors {{ field message }}
  }}
}}
"
    )
}

/// Pickup fulfillment orders marked ready; variable `input`.
pub fn prepared_for_pickup_document() -> String {
    format!(
        "mutation {PREPARED_FOR_PICKUP}($input: FulfillmentOrderLineItemsPreparedForPickupInput!) {{
  fulfillmentOrderLineItemsPreparedForPickup(input: $input) {{
    userErrors {{ field message code }}
  }}
}}
"
    )
}

/// The order cancelled, refunded to the original payment method and restocked, as the
/// change says; the cancel runs as a job ([`CANCEL_JOB`]).
pub fn order_cancel_document() -> String {
    format!(
        "mutation {ORDER_CANCEL}($orderId: ID!, $reason: OrderCancelReason!, \
$refundMethod: OrderCancelRefundMethodInput, $restock: Boolean!, $notifyCustomer: Boolean!, \
$staffNote: String) {{
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, \
restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {{
    job {{ id done }}
    orderCancelUserErrors {{ field message code }}
  }}
}}
"
    )
}

/// The cancel job, and once it is done, whether the order is cancelled; variables `id`
/// (the job) and `orderId`.
pub fn cancel_job_document() -> String {
    format!(
        "query {CANCEL_JOB}($id: ID!, $orderId: ID!) {{
  job(id: $id) {{
    done
    query {{ order(id: $orderId) {{ cancelledAt }} }}
  }}
}}
"
    )
}

/// The bulk query of a first sync: every order created at or after `created_since`, with the
/// fields the paged query reads. A bulk query takes connections without `first` and answers
/// them as lines of their own (`__parentId` naming the order), so the lines and the
/// fulfillment orders select their `id` (what tells a line from a fulfillment order).
/// Shopify allows five connections, two levels deep: this has three (orders, their lines,
/// their fulfillment orders).
pub fn bulk_orders_query(created_since: &str) -> String {
    let window = format!("created_at:>='{created_since}'");
    let indent =
        |text: String, by: &str| -> String { text.lines().map(|l| format!("{by}{l}\n")).collect() };
    format!(
        "{{
  orders(query: {window:?}) {{
    edges {{
      node {{
{}        lineItems {{
          edges {{
            node {{
{}            }}
          }}
        }}
        fulfillmentOrders {{
          edges {{ node {{ id deliveryMethod {{ methodType }} }} }}
        }}
      }}
    }}
  }}
}}
",
        indent(order_own_fields(), "      "),
        indent(line_own_fields(), "            ")
    )
}

/// Where a first sync's bulk query starts: the start of the window's day (UTC), so the same
/// query text comes out all day long and a run after a kill can recognise the operation it
/// started (the run drops what is older than its window itself).
pub fn bulk_window_start(window_start: chrono::DateTime<chrono::Utc>) -> String {
    format!("{}T00:00:00Z", window_start.format("%Y-%m-%d"))
}

/// Starts a bulk query; variable `query` (the document of [`bulk_orders_query`]).
pub fn bulk_orders_document() -> String {
    format!(
        "mutation {BULK_ORDERS}($query: String!) {{
  bulkOperationRunQuery(query: $query) {{
    bulkOperation {{ id status }}
    userErrors {{ field message code }}
  }}
}}
"
    )
}

const BULK_FIELDS: &str =
    "id status errorCode createdAt objectCount rootObjectCount url partialDataUrl query";

/// One bulk operation by id; variable `id`.
pub fn bulk_operation_document() -> String {
    format!(
        "query {BULK_OPERATION}($id: ID!) {{
  bulkOperation(id: $id) {{ {BULK_FIELDS} }}
}}
"
    )
}

/// The app's current bulk query (asked when Shopify says one is already running).
pub fn current_bulk_operation_document() -> String {
    format!(
        "query {CURRENT_BULK_OPERATION} {{
  currentBulkOperation(type: QUERY) {{ {BULK_FIELDS} }}
}}
"
    )
}

/// How many orders a search finds, without Shopify's default limit; variable `query`.
pub fn orders_count_document() -> String {
    format!(
        "query {ORDERS_COUNT}($query: String) {{
  ordersCount(query: $query, limit: null) {{ count precision }}
}}
"
    )
}

/// [`BULK_ORDERS`]: 10 + the payload 1 + `bulkOperation` 1 + `userErrors` 1.
pub fn bulk_orders_cost() -> usize {
    MUTATION_BASE_COST + 3
}

/// [`BULK_OPERATION`], [`CURRENT_BULK_OPERATION`], [`ORDERS_COUNT`]: one object each.
pub fn bulk_poll_cost() -> usize {
    1
}

/// Every document the connector can send, by name.
pub fn documents() -> Vec<(&'static str, String)> {
    vec![
        (ORDERS_PAGE, orders_page_document()),
        (ORDER, order_document()),
        (ORDER_LINES, order_lines_document()),
        (ORDER_STATE, order_state_document()),
        (FULFILLMENT_ORDERS, fulfillment_orders_document()),
        (FULFILLMENT_CREATE, fulfillment_create_document()),
        (PREPARED_FOR_PICKUP, prepared_for_pickup_document()),
        (ORDER_CANCEL, order_cancel_document()),
        (CANCEL_JOB, cancel_job_document()),
        (ORDER_NOTE, order_note_document()),
        (ORDER_NOTE_UPDATE, order_note_update_document()),
        (BULK_ORDERS, bulk_orders_document()),
        (BULK_OPERATION, bulk_operation_document()),
        (CURRENT_BULK_OPERATION, current_bulk_operation_document()),
        (ORDERS_COUNT, orders_count_document()),
        (
            super::catalog::CATALOG_PAGE,
            super::catalog::catalog_page_document(),
        ),
        (
            super::catalog::CATALOG_COUNT,
            super::catalog::catalog_count_document(),
        ),
        (
            super::stock::INVENTORY_ITEMS,
            super::stock::inventory_items_document(),
        ),
        (
            super::stock::STOCK_LOCATION,
            super::stock::stock_location_document(),
        ),
        (
            super::stock::STOCK_LOCATIONS,
            super::stock::stock_locations_document(),
        ),
        (
            super::stock::INVENTORY_SET,
            super::stock::inventory_set_document(),
        ),
    ]
}

/// Shopify's search syntax for "updated at or after" a time, in UTC.
pub fn updated_since(since: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "updated_at:>='{}'",
        since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    )
}

/// The gid of an order from its numeric id.
pub fn order_gid(remote_id: &str) -> String {
    format!("gid://shopify/Order/{remote_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_stays_under_the_maximum_cost() {
        assert_eq!(ORDER_NODE_COST, 111);
        assert_eq!(MAX_PAGE_SIZE, 8);
        assert!(orders_page_cost(MAX_PAGE_SIZE) <= MAX_QUERY_COST);
        assert!(orders_page_cost(MAX_PAGE_SIZE + 1) > MAX_QUERY_COST);
        assert!(order_lines_cost() <= MAX_QUERY_COST);
    }

    #[test]
    fn the_push_documents_cost_what_the_table_says() {
        assert_eq!(order_state_cost(), 1 + 162 + 43);
        assert_eq!(fulfillment_orders_query_cost(), 44);
        assert_eq!(fulfillment_create_cost(), 13);
        assert_eq!(prepared_for_pickup_cost(), 12);
        assert_eq!(order_cancel_cost(), 13);
        assert_eq!(cancel_job_cost(), 3);
    }

    #[test]
    fn the_search_is_in_utc() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-22T07:00:00+01:00")
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("a valid time");
        assert_eq!(updated_since(t), "updated_at:>='2026-11-22T06:00:00Z'");
    }
}
