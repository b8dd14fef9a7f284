//! Records on disk: one version byte, then the record. Version 1 is JSON; version 2 is the
//! same JSON compressed with LZ4 (block format, its length first), written from this version
//! on for every record it makes smaller; a store holds both kinds.

use super::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The version byte of an uncompressed JSON record (every record written before version 2).
pub const SCHEMA_VERSION: u8 = 1;
/// The version byte of an LZ4-compressed JSON record, what the store writes now (but where
/// compressing does not pay).
pub const COMPRESSED: u8 = 2;

/// A record as the store writes it: compressed, unless that would not make it smaller (a
/// short record, such as most timeline entries).
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![SCHEMA_VERSION];
    serde_json::to_writer(&mut out, value)
        .map_err(|e| StoreError::Corrupt(format!("encode: {e}")))?;
    let packed = pack(COMPRESSED, &out[1..]);
    Ok(if packed.len() < out.len() {
        packed
    } else {
        out
    })
}

/// `[version] lz4(bytes)`.
fn pack(version: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + 4 + bytes.len() / 2);
    out.push(version);
    out.extend_from_slice(&lz4_flex::compress_prepend_size(bytes));
    out
}

/// The most a record or payload unpacks to: a damaged length must not make the store
/// allocate gigabytes before the damage shows.
const MAX_UNPACKED: usize = 64 * 1024 * 1024;

fn unpack(body: &[u8]) -> Result<Vec<u8>, StoreError> {
    let size = match body.first_chunk::<4>() {
        Some(n) => u32::from_le_bytes(*n) as usize,
        None => return Err(StoreError::Corrupt("decompress: no length".into())),
    };
    // LZ4 makes at most 255 bytes of one byte of input.
    if size > MAX_UNPACKED || size > body.len().saturating_mul(255) {
        return Err(StoreError::Corrupt(format!(
            "decompress: a length of {size} bytes from {} stored",
            body.len()
        )));
    }
    lz4_flex::decompress_size_prepended(body)
        .map_err(|e| StoreError::Corrupt(format!("decompress: {e}")))
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    let json = |body: &[u8]| {
        serde_json::from_slice(body).map_err(|e| StoreError::Corrupt(format!("decode: {e}")))
    };
    match bytes.split_first() {
        Some((&SCHEMA_VERSION, body)) => json(body),
        Some((&COMPRESSED, body)) => json(&unpack(body)?),
        Some((v, _)) => Err(StoreError::Corrupt(format!(
            "record of unknown schema version {v}"
        ))),
        None => Err(StoreError::Corrupt("empty record".into())),
    }
}

/// A payload as a shop sent it, compressed: `[2] lz4(text)`. Payloads written before are the
/// text itself (JSON or XML, which never starts with byte 2).
pub fn encode_payload(text: &str) -> Vec<u8> {
    pack(COMPRESSED, text.as_bytes())
}

pub fn decode_payload(bytes: &[u8]) -> Result<String, StoreError> {
    match bytes.split_first() {
        Some((&COMPRESSED, body)) => Ok(String::from_utf8_lossy(&unpack(body)?).into_owned()),
        _ => Ok(String::from_utf8_lossy(bytes).into_owned()),
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

#[cfg(test)]
mod record_tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct R {
        name: String,
        n: u32,
    }

    #[test]
    fn records_of_both_versions_read_and_damage_is_an_error() {
        let r = R {
            name: "Kovács Anna ".repeat(20),
            n: 7,
        };
        let new = encode(&r).expect("encode");
        assert_eq!(new[0], COMPRESSED);
        let json = serde_json::to_vec(&r).expect("json");
        assert!(
            new.len() < json.len() / 2,
            "{} vs {}",
            new.len(),
            json.len()
        );
        assert_eq!(decode::<R>(&new).expect("v2"), r);
        let old = [&[SCHEMA_VERSION][..], &json].concat();
        assert_eq!(decode::<R>(&old).expect("v1"), r);
        let short = R {
            name: "x".into(),
            n: 1,
        };
        let kept = encode(&short).expect("encode");
        assert_eq!(kept[0], SCHEMA_VERSION, "a short record is not compressed");
        assert_eq!(decode::<R>(&kept).expect("short"), short);
        let mut bad = new.clone();
        bad.truncate(new.len() - 3);
        assert!(matches!(decode::<R>(&bad), Err(StoreError::Corrupt(_))));
        assert!(matches!(
            decode::<R>(&[COMPRESSED, 0xff, 0xff, 0xff, 0x7f, 1]),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(decode::<R>(&[9, 1]), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn payloads_of_both_kinds_read() {
        let text = r#"{"id": 1, "note": "Größe 42, ✓"}"#;
        assert_eq!(decode_payload(&encode_payload(text)).expect("new"), text);
        assert_eq!(decode_payload(text.as_bytes()).expect("old"), text);
    }
}
