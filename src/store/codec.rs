//! Records on disk: one version byte, then JSON.

use super::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The version byte each record is written with (the first of its bytes). A change to a record's
/// shape that older records cannot be read as needs a new byte, and a migration at open.
pub const SCHEMA_VERSION: u8 = 1;

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![SCHEMA_VERSION];
    serde_json::to_writer(&mut out, value)
        .map_err(|e| StoreError::Corrupt(format!("encode: {e}")))?;
    Ok(out)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&SCHEMA_VERSION, body)) => {
            serde_json::from_slice(body).map_err(|e| StoreError::Corrupt(format!("decode: {e}")))
        }
        Some((v, _)) => Err(StoreError::Corrupt(format!(
            "record of unknown schema version {v}"
        ))),
        None => Err(StoreError::Corrupt("empty record".into())),
    }
}

pub fn u64_key(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

pub fn read_u64(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = bytes.len().min(8);
    b[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(b)
}

/// A time as 8 bytes that sort in time order.
pub fn time_key(t: chrono::DateTime<chrono::Utc>) -> [u8; 8] {
    ((t.timestamp_millis() as u64) ^ (1 << 63)).to_be_bytes()
}

/// `a \0 b`: a composite key whose parts may not contain NUL.
pub fn pair(a: &str, b: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(a.len() + b.len() + 1);
    k.extend_from_slice(a.as_bytes());
    k.push(0);
    k.extend_from_slice(b.as_bytes());
    k
}

/// `a \0 b \0`: the prefix under which index entries `a \0 b \0 id` live.
pub fn prefix(parts: &[&str]) -> Vec<u8> {
    let mut k = Vec::new();
    for p in parts {
        k.extend_from_slice(p.as_bytes());
        k.push(0);
    }
    k
}

/// The last part of an index key `... \0 id`.
pub fn last_part(key: &[u8]) -> String {
    let start = key
        .iter()
        .rposition(|b| *b == 0)
        .map(|i| i + 1)
        .unwrap_or(0);
    String::from_utf8_lossy(&key[start..]).into_owned()
}

/// The keys a line mapping is kept under in `line_mappings` (after `store \0`), in the order
/// they are looked up: the shop's variant id (`v:…`), then the SKU (`s:…`, trimmed; none for
/// an empty SKU).
pub fn line_map_keys(variant_id: Option<&str>, sku: Option<&str>) -> Vec<String> {
    let sku = sku.map(str::trim).filter(|s| !s.is_empty());
    variant_id
        .map(|v| format!("v:{v}"))
        .into_iter()
        .chain(sku.map(|s| format!("s:{s}")))
        .collect()
}
