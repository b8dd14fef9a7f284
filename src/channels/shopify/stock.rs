//! Stock levels: `inventorySetQuantities` (name `available`, reason `correction`) at the
//! store's stock location, for the inventory items of the variants the levels name.
//!
//! - The location: without the store's `stock_location`, `location` without an id (Shopify
//!   answers the shop's primary location); with it, `locations(first: 250, includeInactive:
//!   true)` and the one it names by gid, numeric id or name
//!   ([`crate::channels::http::locations`]). Read once per connector; one that is not active,
//!   or a name the shop does not have (the message lists its locations), is an error (the
//!   levels stay queued).
//! - The inventory items: `nodes(ids:)` over the variants' gids, up to [`PER_CALL`] a query,
//!   each variant's `inventoryItem.id` kept per connector (read once); a variant the shop
//!   does not have is refused.
//! - The mutation: up to [`PER_CALL`] quantities a call, each with `changeFromQuantity: null`
//!   (2026-10 requires the field; `null` opts out of compare-and-swap: orderdesk is the
//!   source of truth for what it sends, and the newest queued quantity wins). 2026-10
//!   requires `@idempotent(key:)` on it: the key is made from what is set and the queue's
//!   sequence numbers, so a call sent again after a failure (the levels stay queued) is the
//!   same key and Shopify does not apply it twice, while a newer quantity is a new key.
//! - IDEMPOTENCY_CONCURRENT_REQUEST (the key is still being applied) is an error: the levels
//!   stay queued for the next run. IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED ("retry with a new
//!   idempotency key") sends the call again once with a new key (the same one made again,
//!   `-again` added).
//! - A call with userErrors sets nothing (Shopify validates the whole input first): those
//!   naming a quantity (`field: ["input", "quantities", "3", …]`) refuse that level, in
//!   Shopify's words, and the rest are sent again without it; an error naming none refuses
//!   the whole call.
//!
//! Cost by Shopify's rules: the items query `nodes` 250 × (variant 1 + `inventoryItem` 1) =
//! 500; the location 1; the locations 2 + 250 × 1 = 252; the mutation 10 + payload 1 +
//! `userErrors` 1 = 12.

use super::ShopifyChannel;
use super::query::MUTATION_BASE_COST;
use crate::channels::ChannelError;
use crate::channels::http::locations::{StockPlace, pick};
use crate::domain::outbox::QueuedStock;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

pub const INVENTORY_ITEMS: &str = "InventoryItems";
pub const STOCK_LOCATION: &str = "StockLocation";
pub const STOCK_LOCATIONS: &str = "StockLocations";
pub const INVENTORY_SET: &str = "InventorySet";
/// Variants read, and quantities set, per call (Shopify's most input items for both).
pub const PER_CALL: usize = 250;

pub fn inventory_items_cost(n: usize) -> usize {
    n * 2
}

pub fn stock_location_cost() -> usize {
    1
}

pub fn stock_locations_cost() -> usize {
    2 + PER_CALL
}

pub fn inventory_set_cost() -> usize {
    MUTATION_BASE_COST + 2
}

/// The inventory items of variants; variable `ids`.
pub fn inventory_items_document() -> String {
    format!(
        "query {INVENTORY_ITEMS}($ids: [ID!]!) {{
  nodes(ids: $ids) {{
    ... on ProductVariant {{ id inventoryItem {{ id }} }}
  }}
}}
"
    )
}

/// The shop's primary location.
pub fn stock_location_document() -> String {
    format!(
        "query {STOCK_LOCATION} {{
  location {{ id name isActive }}
}}
"
    )
}

/// The shop's locations, the inactive ones too (to say so of one the store names).
pub fn stock_locations_document() -> String {
    format!(
        "query {STOCK_LOCATIONS} {{
  locations(first: {PER_CALL}, includeInactive: true) {{
    nodes {{ id legacyResourceId name isActive }}
  }}
}}
"
    )
}

/// Sets quantities; variables `input`, `key`.
pub fn inventory_set_document() -> String {
    format!(
        "mutation {INVENTORY_SET}($input: InventorySetQuantitiesInput!, $key: String!) {{
  inventorySetQuantities(input: $input) @idempotent(key: $key) {{
    userErrors {{ field message code }}
  }}
}}
"
    )
}

/// What the connector read once and keeps: the location, each variant's inventory item.
#[derive(Debug, Default)]
pub struct StockCache {
    location: Option<String>,
    items: HashMap<String, String>,
}

/// The documents, built once, and what was read.
#[derive(Debug)]
pub struct Stock {
    items: String,
    location: String,
    locations: String,
    set: String,
    /// The store's `stock_location`; `None`: the primary location.
    pub(super) wanted: Option<String>,
    cache: Mutex<StockCache>,
}

impl Default for Stock {
    fn default() -> Self {
        Stock {
            items: inventory_items_document(),
            location: stock_location_document(),
            locations: stock_locations_document(),
            set: inventory_set_document(),
            wanted: None,
            cache: Mutex::new(StockCache::default()),
        }
    }
}

impl Stock {
    fn cache(&self) -> std::sync::MutexGuard<'_, StockCache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One level ready to send: the queue's entry and its inventory item.
struct Ready<'a> {
    level: &'a QueuedStock,
    item: String,
}

/// The variant's gid of a numeric variant id.
fn variant_gid(remote_id: &str) -> Option<String> {
    let id = remote_id.trim();
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("gid://shopify/ProductVariant/{id}"))
}

/// FNV-1a, 64 bits: stable from one run to the next, so a key made again is the same.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The idempotency key of a call: what it sets and the sequence numbers it answers.
pub fn idempotency_key(input: &Value, seqs: &[u64]) -> String {
    let seqs: Vec<String> = seqs.iter().map(u64::to_string).collect();
    let text = format!("{input}|{}", seqs.join(","));
    format!("orderdesk-stock-{:016x}", fnv(&text))
}

/// What an idempotency error asks: wait (the same key is still being applied: the levels stay
/// queued), or send again with a new key (the key's earlier attempt failed).
enum Trouble {
    Busy(String),
    Failed(String),
}

fn idempotency_trouble(errors: &[Value]) -> Option<Trouble> {
    errors
        .iter()
        .find_map(|e| match e.get("code").and_then(Value::as_str) {
            Some("IDEMPOTENCY_CONCURRENT_REQUEST") => Some(Trouble::Busy(words(e))),
            Some("IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED") => Some(Trouble::Failed(words(e))),
            _ => None,
        })
}

/// The index of the quantity a userError names (`["input", "quantities", "3", …]`).
fn quantity_index(error: &Value) -> Option<usize> {
    let field = error.get("field")?.as_array()?;
    let at = field.iter().position(|p| p == "quantities")?;
    field.get(at + 1)?.as_str()?.parse().ok()
}

fn words(error: &Value) -> String {
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("refused");
    match error.get("code").and_then(Value::as_str) {
        Some(code) => format!("{message} ({code})"),
        None => message.to_string(),
    }
}

impl ShopifyChannel {
    pub(super) async fn set_stock(
        &self,
        levels: &[QueuedStock],
    ) -> Result<Vec<(String, String)>, ChannelError> {
        let mut refused = Vec::new();
        let mut known = Vec::new();
        for l in levels {
            match variant_gid(&l.remote_id) {
                Some(gid) => known.push((l, gid)),
                None => refused.push((l.remote_id.clone(), "not a Shopify variant id".into())),
            }
        }
        if known.is_empty() {
            return Ok(refused);
        }
        let location = self.stock_location().await?;
        self.read_items(&known).await?;
        let mut ready = Vec::with_capacity(known.len());
        {
            let cache = self.stock.cache();
            for (level, _) in known {
                match cache.items.get(level.remote_id.trim()) {
                    Some(item) => ready.push(Ready {
                        level,
                        item: item.clone(),
                    }),
                    None => refused.push((
                        level.remote_id.clone(),
                        "the shop has no such product variant".into(),
                    )),
                }
            }
        }
        for chunk in ready.chunks(PER_CALL) {
            self.set_chunk(chunk, &location, &mut refused).await?;
        }
        Ok(refused)
    }

    /// The location stock is set at: the one the store names, else the shop's primary one;
    /// read once.
    async fn stock_location(&self) -> Result<String, ChannelError> {
        if let Some(id) = self.stock.cache().location.clone() {
            return Ok(id);
        }
        if let Some(wanted) = &self.stock.wanted {
            let id = self.named_location(wanted).await?;
            self.stock.cache().location = Some(id.clone());
            return Ok(id);
        }
        let data = self
            .client
            .call(
                STOCK_LOCATION,
                &self.stock.location,
                json!({}),
                stock_location_cost(),
            )
            .await?;
        let location = data
            .get("location")
            .filter(|l| l.is_object())
            .ok_or_else(|| {
                ChannelError::Remote("the shop has no primary location to set stock at".into())
            })?;
        let id = location
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| ChannelError::Shape("the location has no `id`".into()))?;
        if location.get("isActive") != Some(&Value::Bool(true)) {
            let name = location.get("name").and_then(Value::as_str).unwrap_or(id);
            return Err(ChannelError::Remote(format!(
                "the shop's primary location \"{name}\" is not active"
            )));
        }
        self.stock.cache().location = Some(id.to_string());
        Ok(id.to_string())
    }

    /// The id of the location `wanted` names among the shop's.
    async fn named_location(&self, wanted: &str) -> Result<String, ChannelError> {
        let data = self
            .client
            .call(
                STOCK_LOCATIONS,
                &self.stock.locations,
                json!({}),
                stock_locations_cost(),
            )
            .await?;
        let Some(Value::Array(nodes)) = data.pointer("/locations/nodes") else {
            return Err(ChannelError::Shape(
                "the answer has no `data.locations.nodes`".into(),
            ));
        };
        let text = |n: &Value, k: &str| n.get(k).and_then(Value::as_str).map(str::to_string);
        let places: Vec<StockPlace> = (nodes.iter())
            .filter_map(|n| {
                Some(StockPlace {
                    id: text(n, "id")?,
                    aliases: text(n, "legacyResourceId").into_iter().collect(),
                    name: text(n, "name").unwrap_or_default(),
                    active: n.get("isActive") == Some(&Value::Bool(true)),
                })
            })
            .collect();
        pick(wanted, &places, "location")
    }

    /// Reads the inventory items of the variants not read before.
    async fn read_items(&self, known: &[(&QueuedStock, String)]) -> Result<(), ChannelError> {
        let missing: Vec<&str> = {
            let cache = self.stock.cache();
            let mut seen = std::collections::HashSet::new();
            (known.iter())
                .filter(|(l, _)| !cache.items.contains_key(l.remote_id.trim()))
                .map(|(_, gid)| gid.as_str())
                .filter(|gid| seen.insert(*gid))
                .collect()
        };
        for ids in missing.chunks(PER_CALL) {
            let data = self
                .client
                .call(
                    INVENTORY_ITEMS,
                    &self.stock.items,
                    json!({ "ids": ids }),
                    inventory_items_cost(ids.len()),
                )
                .await?;
            let Some(Value::Array(nodes)) = data.get("nodes") else {
                return Err(ChannelError::Shape("the answer has no `data.nodes`".into()));
            };
            let mut cache = self.stock.cache();
            for node in nodes {
                let (Some(id), Some(item)) = (
                    node.get("id").and_then(Value::as_str),
                    node.pointer("/inventoryItem/id").and_then(Value::as_str),
                ) else {
                    continue;
                };
                if let Some(legacy) = id.rsplit('/').next() {
                    cache.items.insert(legacy.to_string(), item.to_string());
                }
            }
        }
        Ok(())
    }

    /// Sets one call's quantities; the ones Shopify refuses are named in `refused` and the
    /// rest sent again without them.
    async fn set_chunk(
        &self,
        chunk: &[Ready<'_>],
        location: &str,
        refused: &mut Vec<(String, String)>,
    ) -> Result<(), ChannelError> {
        let mut left: Vec<&Ready<'_>> = chunk.iter().collect();
        // A new key after Shopify says the key's earlier attempt failed (once).
        let mut fresh = false;
        while !left.is_empty() {
            let quantities: Vec<Value> = (left.iter())
                .map(|r| {
                    json!({
                        "inventoryItemId": r.item,
                        "locationId": location,
                        "quantity": r.level.quantity,
                        "changeFromQuantity": null,
                    })
                })
                .collect();
            let input = json!({
                "name": "available",
                "reason": "correction",
                "quantities": quantities,
            });
            let seqs: Vec<u64> = left.iter().map(|r| r.level.seq).collect();
            let mut key = idempotency_key(&input, &seqs);
            if fresh {
                key.push_str("-again");
            }
            let data = self
                .client
                .mutate(
                    INVENTORY_SET,
                    &self.stock.set,
                    json!({ "input": input, "key": key }),
                    inventory_set_cost(),
                )
                .await?;
            let errors = match data.pointer("/inventorySetQuantities/userErrors") {
                Some(Value::Array(errors)) => errors.clone(),
                _ => {
                    return Err(ChannelError::Shape(
                        "the answer has no `data.inventorySetQuantities.userErrors`".into(),
                    ));
                }
            };
            if errors.is_empty() {
                return Ok(());
            }
            match idempotency_trouble(&errors) {
                Some(Trouble::Busy(words)) => return Err(ChannelError::Remote(words)),
                Some(Trouble::Failed(words)) if fresh => return Err(ChannelError::Remote(words)),
                Some(Trouble::Failed(_)) => {
                    fresh = true;
                    continue;
                }
                None => {}
            }
            let mut named: Vec<(usize, String)> = Vec::new();
            for e in &errors {
                match quantity_index(e).filter(|i| *i < left.len()) {
                    Some(i) => named.push((i, words(e))),
                    None => {
                        // Not about one quantity: the whole call is refused.
                        let all: Vec<String> = errors.iter().map(words).collect();
                        let all = all.join("; ");
                        refused.extend(
                            left.iter()
                                .map(|r| (r.level.remote_id.clone(), all.clone())),
                        );
                        return Ok(());
                    }
                }
            }
            named.sort();
            named.dedup_by(|a, b| a.0 == b.0);
            for (i, why) in named.iter().rev() {
                let r = left.remove(*i);
                refused.push((r.level.remote_id.clone(), why.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_follows_what_is_set_and_the_queue() {
        let input = json!({"quantities": [{"quantity": 5}]});
        let key = idempotency_key(&input, &[7]);
        assert_eq!(key, idempotency_key(&input, &[7]), "made again, the same");
        assert_ne!(
            key,
            idempotency_key(&input, &[8]),
            "a newer level, a new key"
        );
        let other = json!({"quantities": [{"quantity": 4}]});
        assert_ne!(key, idempotency_key(&other, &[7]));
        assert!(
            key.starts_with("orderdesk-stock-") && key.len() == 32,
            "{key}"
        );
    }

    #[test]
    fn a_user_error_names_its_quantity() {
        let e = json!({"field": ["input", "quantities", "3", "locationId"], "message": "m"});
        assert_eq!(quantity_index(&e), Some(3));
        assert_eq!(quantity_index(&json!({"field": ["input", "name"]})), None);
        assert_eq!(quantity_index(&json!({"field": null})), None);
        assert_eq!(
            words(
                &json!({"message": "The specified location could not be found.", "code": "INVALID_LOCATION"})
            ),
            "The specified location could not be found. (INVALID_LOCATION)"
        );
    }

    #[test]
    fn only_numeric_variant_ids_are_sent() {
        assert_eq!(
            variant_gid(" 44100000000007 ").as_deref(),
            Some("gid://shopify/ProductVariant/44100000000007")
        );
        assert_eq!(variant_gid("gid://shopify/ProductVariant/1"), None);
        assert_eq!(variant_gid(""), None);
    }
}
