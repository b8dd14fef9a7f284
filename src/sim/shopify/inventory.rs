//! The shop's inventory: each catalog variant has an inventory item
//! (`gid://shopify/InventoryItem/{variant id}`) stocked at the shop's primary location ("Main
//! warehouse"), seeded with the catalog's stock; the shop has two more locations, "Shop
//! floor" (active) and "Old depot" (inactive). Served: `nodes(ids:)` (the variants asked for,
//! with their `inventoryItem`; null for an id the shop does not have; more than 250 ids
//! refused), `location(id:)` (no id: the primary one), `locations` (the active ones, the
//! inactive too with `includeInactive: true`) and `inventorySetQuantities`.
//!
//! `inventorySetQuantities(input: {name, reason, quantities: [{inventoryItemId, locationId,
//! quantity, changeFromQuantity}]}) @idempotent(key:)`: the key is required (2026-04 on),
//! without it a top-level error. The whole input is checked first and nothing is set when
//! anything is wrong (the simulator's reading of Shopify's validation); coded userErrors:
//! INVALID_NAME (not `available`/`on_hand`), INVALID_REASON, INVALID_INVENTORY_ITEM,
//! INVALID_LOCATION, CHANGE_FROM_QUANTITY_STALE (a compare value that is not the quantity
//! held), COMPARE_QUANTITY_REQUIRED (no `changeFromQuantity` at all: 2026-10 wants it given,
//! `null` to opt out), INVALID_QUANTITY_NEGATIVE, INVALID_QUANTITY_TOO_HIGH,
//! NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR; a quantity's errors name it by
//! `["input", "quantities", "<i>", "<field>"]`. More than 250 quantities is a top-level
//! error. A key seen before with the same input answers what it answered then and sets
//! nothing; with another input, IDEMPOTENCY_KEY_PARAMETER_MISMATCH. Each quantity set is
//! one `inventory_set` entry in the log, with the variant's legacy id and the location's gid.

use serde_json::{Value, json};
use std::collections::HashMap;

use super::mutate::user_error;
use super::order::gid;
use super::select::Ctx;
use super::world::{LogEntry, World};
use apollo_compiler::executable::Field;

/// Shopify's most ids in `nodes`, and quantities in one call.
pub const MAX_INPUT: usize = 250;
const QUANTITY_MAX: i64 = 1_000_000_000;
/// Reasons Shopify takes for a quantity change.
const REASONS: &[&str] = &[
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_created",
    "movement_updated",
    "movement_received",
    "movement_canceled",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
];

/// What the inventory holds.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub locations: Vec<Value>,
    /// Available quantity by (inventory item, location).
    levels: HashMap<(String, String), i64>,
    /// The variant (its index in `World::variants`) of each inventory item, and of each
    /// variant gid.
    items: HashMap<String, usize>,
    variants: HashMap<String, usize>,
    /// What each idempotency key was asked and answered.
    keys: HashMap<String, (Value, Value)>,
}

pub const LOCATION_ID: u64 = 77_000_000_001;

fn place(id: u64, name: &str, active: bool, primary: bool) -> Value {
    json!({
        "__typename": "Location", "id": gid("Location", id), "legacyResourceId": id.to_string(),
        "name": name, "isActive": active, "isPrimary": primary,
        "fulfillsOnlineOrders": primary, "shipsInventory": active, "hasActiveInventory": primary,
    })
}

/// The inventory of `variants`, each variant given its `inventoryItem`.
pub fn stock(variants: &mut [Value]) -> Inventory {
    let location = gid("Location", LOCATION_ID);
    let mut inv = Inventory {
        locations: vec![
            place(LOCATION_ID, "Main warehouse", true, true),
            place(LOCATION_ID + 1, "Shop floor", true, false),
            place(LOCATION_ID + 2, "Old depot", false, false),
        ],
        ..Inventory::default()
    };
    for (i, v) in variants.iter_mut().enumerate() {
        let legacy = super::root::legacy_id(v);
        let item = gid("InventoryItem", legacy);
        v["__typename"] = json!("ProductVariant");
        v["inventoryItem"] = json!({"__typename": "InventoryItem", "id": item,
            "legacyResourceId": legacy.to_string(), "tracked": true, "sku": v["sku"]});
        let quantity = v["inventoryQuantity"].as_i64().unwrap_or(0);
        inv.levels
            .insert((item.clone(), location.clone()), quantity);
        inv.items.insert(item, i);
        if let Some(id) = v["id"].as_str() {
            inv.variants.insert(id.to_string(), i);
        }
    }
    inv
}

fn too_many(n: usize) -> String {
    format!("The input array size of {n} is greater than the maximum allowed of {MAX_INPUT}.")
}

/// `nodes(ids:)`: the variants asked for (null for any other id).
pub fn nodes(world: &World, ids: &[Value]) -> Result<Value, String> {
    if ids.len() > MAX_INPUT {
        return Err(too_many(ids.len()));
    }
    let found = ids.iter().map(|id| {
        let at = id.as_str().and_then(|id| world.inventory.variants.get(id));
        at.and_then(|i| world.variants.get(*i))
            .cloned()
            .unwrap_or(Value::Null)
    });
    Ok(Value::Array(found.collect()))
}

/// `locations`: the indexes of the locations listed (the inactive ones only when asked).
pub fn locations(world: &World, include_inactive: bool) -> Vec<usize> {
    (world.inventory.locations.iter().enumerate())
        .filter(|(_, l)| include_inactive || l["isActive"] == true)
        .map(|(i, _)| i)
        .collect()
}

/// `location(id:)`: the one with that id, the primary one without.
pub fn location(world: &World, id: Option<&str>) -> Option<Value> {
    let locations = &world.inventory.locations;
    match id {
        None => locations.iter().find(|l| l["isPrimary"] == true).cloned(),
        Some(id) => locations.iter().find(|l| l["id"] == id).cloned(),
    }
}

/// The errors of one quantity (the i-th); what it sets when there are none.
fn check_quantity(inv: &Inventory, i: usize, q: &Value, errors: &mut Vec<Value>) {
    let at = |f: &str| {
        vec![
            "input".to_string(),
            "quantities".into(),
            i.to_string(),
            f.into(),
        ]
    };
    let mut err = |f: &str, message: &str, code: &str| {
        let path = at(f);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        errors.push(user_error(&path, message, Some(code)));
    };
    let item = q["inventoryItemId"].as_str().unwrap_or_default();
    let location = q["locationId"].as_str().unwrap_or_default();
    if !inv.items.contains_key(item) {
        let m = "The specified inventory item could not be found.";
        err("inventoryItemId", m, "INVALID_INVENTORY_ITEM");
    }
    if !(inv.locations.iter()).any(|l| l["id"] == location && l["isActive"] == true) {
        let m = "The specified location could not be found.";
        err("locationId", m, "INVALID_LOCATION");
    }
    let quantity = q["quantity"].as_i64().unwrap_or(0);
    if quantity < 0 {
        err(
            "quantity",
            "The quantity can't be negative.",
            "INVALID_QUANTITY_NEGATIVE",
        );
    } else if quantity > QUANTITY_MAX {
        let m = "The total quantity can't be higher than 1,000,000,000.";
        err("quantity", m, "INVALID_QUANTITY_TOO_HIGH");
    }
    match q.get("changeFromQuantity") {
        None => err(
            "changeFromQuantity",
            "The changeFromQuantity argument must be given to each quantity (null to opt out).",
            "COMPARE_QUANTITY_REQUIRED",
        ),
        Some(Value::Null) => {}
        Some(v) => {
            let held = inv.levels.get(&(item.to_string(), location.to_string()));
            if held.is_some_and(|h| v.as_i64() != Some(*h)) {
                let m = "The changeFromQuantity value does not match persisted value.";
                err("changeFromQuantity", m, "CHANGE_FROM_QUANTITY_STALE");
            }
        }
    }
}

/// `inventorySetQuantities`: its payload, or a top-level error (message, code).
pub fn set_quantities(
    ctx: &Ctx<'_>,
    field: &Field,
    world: &mut World,
    now: &str,
) -> Result<Value, (String, &'static str)> {
    let input = ctx.arg(field, "input").unwrap_or(Value::Null);
    let key = (field.directives.get("idempotent"))
        .and_then(|d| d.arguments.iter().find(|a| a.name == "key"))
        .map(|a| super::select::ast_to_json(&a.value, ctx.vars))
        .and_then(|k| k.as_str().map(str::to_string))
        .ok_or((
            "An idempotency key is required for this mutation: use the @idempotent directive."
                .to_string(),
            "BAD_REQUEST",
        ))?;
    let quantities = input["quantities"].as_array().cloned().unwrap_or_default();
    if quantities.len() > MAX_INPUT {
        return Err((too_many(quantities.len()), "MAX_INPUT_SIZE_EXCEEDED"));
    }
    if let Some((asked, answered)) = world.inventory.keys.get(&key) {
        if *asked == input {
            return Ok(answered.clone());
        }
        let m = "The same idempotency key cannot be used with different operation parameters.";
        let e = user_error(&["input"], m, Some("IDEMPOTENCY_KEY_PARAMETER_MISMATCH"));
        return Ok(json!({"inventoryAdjustmentGroup": null, "userErrors": [e]}));
    }
    let payload = apply(&input, &quantities, world, now);
    world.inventory.keys.insert(key, (input, payload.clone()));
    Ok(payload)
}

fn apply(input: &Value, quantities: &[Value], world: &mut World, now: &str) -> Value {
    let inv = &world.inventory;
    let mut errors = Vec::new();
    let name = input["name"].as_str().unwrap_or_default();
    if !matches!(name, "available" | "on_hand") {
        let m = "The quantity name must be either 'available' or 'on_hand'.";
        errors.push(user_error(&["input", "name"], m, Some("INVALID_NAME")));
    }
    let reason = input["reason"].as_str().unwrap_or_default();
    if !REASONS.contains(&reason) {
        let m = "The specified reason is invalid.";
        errors.push(user_error(&["input", "reason"], m, Some("INVALID_REASON")));
    }
    let mut pairs = std::collections::HashSet::new();
    for (i, q) in quantities.iter().enumerate() {
        check_quantity(inv, i, q, &mut errors);
        if !pairs.insert((q["inventoryItemId"].clone(), q["locationId"].clone())) {
            let m = "The combination of inventoryItemId and locationId must be unique.";
            let i = i.to_string();
            let path = ["input", "quantities", i.as_str()];
            let code = Some("NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR");
            errors.push(user_error(&path, m, code));
        }
    }
    if !errors.is_empty() {
        return json!({"inventoryAdjustmentGroup": null, "userErrors": errors});
    }
    let mut changes = Vec::new();
    for q in quantities {
        let item = q["inventoryItemId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let location = q["locationId"].as_str().unwrap_or_default().to_string();
        let quantity = q["quantity"].as_i64().unwrap_or(0);
        let before = world
            .inventory
            .levels
            .insert((item.clone(), location.clone()), quantity);
        changes.push(json!({"__typename": "InventoryChange", "name": name,
            "delta": quantity - before.unwrap_or(0), "quantityAfterChange": quantity}));
        if let Some(v) = (world.inventory.items.get(&item)).and_then(|i| world.variants.get_mut(*i))
        {
            v["inventoryQuantity"] = json!(quantity);
            let legacy = super::root::legacy_id(v).to_string();
            (world.log).push(LogEntry::stock_at(
                legacy,
                quantity,
                &location,
                now.to_string(),
            ));
        }
    }
    let group = json!({"__typename": "InventoryAdjustmentGroup",
        "id": gid("InventoryAdjustmentGroup", world.log.len() as u64),
        "createdAt": now, "reason": reason, "changes": changes});
    json!({"inventoryAdjustmentGroup": group, "userErrors": []})
}
