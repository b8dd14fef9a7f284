//! Records on disk: one version byte, then the record. Version 1 is JSON; version 2 is the
//! same JSON compressed with LZ4 (block format, its length first); version 3, what this version
//! writes for every record it makes smaller, is LZ4 with a dictionary of the record's kind
//! (`codec/dictionary-1/`, made by `examples/codec_dictionary.rs`): a byte naming the kind, the
//! length, the block. A short JSON record shares most of its bytes (field names, states, the
//! engine's own phrases) with records of its kind, which LZ4 alone cannot use; the dictionary
//! halves what a record takes. A store holds all three versions.

mod prepared;

use super::StoreError;
use prepared::Prepared;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::LazyLock;

/// The version byte of an uncompressed JSON record (every record written before version 2).
pub const SCHEMA_VERSION: u8 = 1;
/// The version byte of an LZ4-compressed JSON record, what the store writes now (but where
/// compressing does not pay).
pub const COMPRESSED: u8 = 2;

/// The version byte of a record compressed with LZ4 and the dictionary of its [`Kind`].
pub const WITH_DICTIONARY: u8 = 3;

/// What a record is, which picks its dictionary. The numbers are written in each record:
/// never renumber one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Order = 1,
    Payload = 2,
    ShopOrder = 3,
    Timeline = 4,
    Outbox = 5,
    /// Customers, products and whatever else.
    Other = 6,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Order,
        Kind::Payload,
        Kind::ShopOrder,
        Kind::Timeline,
        Kind::Outbox,
        Kind::Other,
    ];

    /// The kind of the records of table `t`.
    pub fn of(t: super::T) -> Kind {
        use super::T;
        match t {
            T::Orders => Kind::Order,
            T::Raw => Kind::Payload,
            T::ShopOrders => Kind::ShopOrder,
            T::Timeline => Kind::Timeline,
            T::Outbox => Kind::Outbox,
            _ => Kind::Other,
        }
    }

    /// The kind's dictionary, indexed once for compressing.
    fn prepared(self) -> &'static Prepared {
        static PREPARED: LazyLock<Vec<Prepared>> = LazyLock::new(|| {
            Kind::ALL
                .iter()
                .enumerate()
                .map(|(slot, k)| Prepared::new(k.dictionary(), slot))
                .collect()
        });
        let at = Kind::ALL.iter().position(|k| *k == self).unwrap_or(0);
        &PREPARED[at]
    }

    fn dictionary(self) -> &'static [u8] {
        match self {
            Kind::Order => include_bytes!("codec/dictionary-1/orders.txt"),
            Kind::Payload => include_bytes!("codec/dictionary-1/payloads.txt"),
            Kind::ShopOrder => include_bytes!("codec/dictionary-1/shop_orders.txt"),
            Kind::Timeline => include_bytes!("codec/dictionary-1/timeline.txt"),
            Kind::Outbox => include_bytes!("codec/dictionary-1/outbox.txt"),
            Kind::Other => include_bytes!("codec/dictionary-1/records.txt"),
        }
    }
}

/// A record as the store writes it: compressed with its kind's dictionary, unless that would
/// not make it smaller.
pub fn encode<T: Serialize>(kind: Kind, value: &T) -> Result<Vec<u8>, StoreError> {
    thread_local! {
        /// The record's JSON before packing, reused by each record on this thread.
        static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    JSON.with(|json| {
        let mut json = json.borrow_mut();
        json.clear();
        json.push(SCHEMA_VERSION);
        serde_json::to_writer(&mut *json, value)
            .map_err(|e| StoreError::Corrupt(format!("encode: {e}")))?;
        let packed = pack(kind, &json[1..]);
        Ok(if packed.len() < json.len() {
            packed
        } else {
            json.clone()
        })
    })
}

/// An order record as the store writes it (what the intake benchmark compares against).
pub fn encode_order<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    encode(Kind::Order, value)
}

/// `[3] [kind] [length, u32 LE] lz4(bytes, the kind's dictionary)`.
fn pack(kind: Kind, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + 4 + bytes.len() / 2);
    out.push(WITH_DICTIONARY);
    out.push(kind as u8);
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    kind.prepared().compress(bytes, &mut out);
    out
}

/// The most a record or payload unpacks to: a damaged length must not make the store
/// allocate gigabytes before the damage shows.
const MAX_UNPACKED: usize = 64 * 1024 * 1024;

/// A version 2 or 3 body: its length, then the block (with the dictionary of a version 3).
fn unpack(body: &[u8], dictionary: &[u8]) -> Result<Vec<u8>, StoreError> {
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
    lz4_flex::block::decompress_with_dict(&body[4..], size, dictionary)
        .map_err(|e| StoreError::Corrupt(format!("decompress: {e}")))
}

/// The bytes of a compressed body (version 2 or 3; `None` for any other version).
fn unpacked(version: u8, body: &[u8]) -> Option<Result<Vec<u8>, StoreError>> {
    match version {
        COMPRESSED => Some(unpack(body, &[])),
        WITH_DICTIONARY => Some(match body.split_first() {
            Some((k, rest)) => match Kind::ALL.iter().find(|kind| **kind as u8 == *k) {
                Some(kind) => unpack(rest, kind.dictionary()),
                None => Err(StoreError::Corrupt(format!(
                    "decompress: no dictionary {k}"
                ))),
            },
            None => Err(StoreError::Corrupt("decompress: no dictionary".into())),
        }),
        _ => None,
    }
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    let json = |body: &[u8]| {
        serde_json::from_slice(body).map_err(|e| StoreError::Corrupt(format!("decode: {e}")))
    };
    match bytes.split_first() {
        Some((&SCHEMA_VERSION, body)) => json(body),
        Some((v, body)) => match unpacked(*v, body) {
            Some(bytes) => json(&bytes?),
            None => Err(StoreError::Corrupt(format!(
                "record of unknown schema version {v}"
            ))),
        },
        None => Err(StoreError::Corrupt("empty record".into())),
    }
}

/// A payload as a shop sent it, compressed: `[3] [2] lz4(text, payload dictionary)`. Payloads
/// written before are `[2] lz4(text)` or the text itself (JSON or XML, which never starts with
/// byte 2 or 3).
pub fn encode_payload(text: &str) -> Vec<u8> {
    pack(Kind::Payload, text.as_bytes())
}

pub fn decode_payload(bytes: &[u8]) -> Result<String, StoreError> {
    match bytes.split_first().and_then(|(v, body)| unpacked(*v, body)) {
        Some(text) => Ok(String::from_utf8_lossy(&text?).into_owned()),
        None => Ok(String::from_utf8_lossy(bytes).into_owned()),
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

    /// Length and FNV-1a of each dictionary of version 3, as first written.
    const DICTIONARY_1_DIGESTS: [(Kind, usize, u64); 6] = [
        (Kind::Order, 15883, 0x15e7e30eede0883e),
        (Kind::Payload, 19416, 0xb53a5ee4819aeae8),
        (Kind::ShopOrder, 4728, 0x10344926e6103f59),
        (Kind::Timeline, 1720, 0x03eb60b86386365c),
        (Kind::Outbox, 1055, 0x5c0a7d6ce1a4180c),
        (Kind::Other, 1300, 0x79cf480a4c5210c8),
    ];

    #[test]
    fn records_of_every_version_read_and_damage_is_an_error() {
        let r = R {
            name: "Kovács Anna ".repeat(20),
            n: 7,
        };
        let new = encode(Kind::Other, &r).expect("encode");
        assert_eq!(new[..2], [WITH_DICTIONARY, Kind::Other as u8]);
        let json = serde_json::to_vec(&r).expect("json");
        assert!(
            new.len() < json.len() / 2,
            "{} vs {}",
            new.len(),
            json.len()
        );
        assert_eq!(decode::<R>(&new).expect("v3"), r);
        let v2 = [&[COMPRESSED][..], &lz4_flex::compress_prepend_size(&json)].concat();
        assert_eq!(decode::<R>(&v2).expect("v2"), r);
        let old = [&[SCHEMA_VERSION][..], &json].concat();
        assert_eq!(decode::<R>(&old).expect("v1"), r);
        let short = R {
            name: "x".into(),
            n: 1,
        };
        let kept = encode(Kind::Other, &short).expect("encode");
        assert_eq!(kept[0], SCHEMA_VERSION, "a short record is not compressed");
        assert_eq!(decode::<R>(&kept).expect("short"), short);
        let mut bad = new.clone();
        bad.truncate(new.len() - 3);
        assert!(matches!(decode::<R>(&bad), Err(StoreError::Corrupt(_))));
        for damaged in [
            &[COMPRESSED, 0xff, 0xff, 0xff, 0x7f, 1][..],
            &[WITH_DICTIONARY, 1, 0xff, 0xff, 0xff, 0x7f, 1],
            &[WITH_DICTIONARY, 1, 200, 0, 0, 0, 0xf0],
            &[
                WITH_DICTIONARY,
                99,
                4,
                0,
                0,
                0,
                0x40,
                b'n',
                b'u',
                b'l',
                b'l',
            ],
            &[WITH_DICTIONARY],
            &[9, 1],
        ] {
            assert!(
                matches!(decode::<R>(damaged), Err(StoreError::Corrupt(_))),
                "{damaged:?}"
            );
        }
    }

    #[test]
    fn a_record_reads_with_the_dictionary_its_kind_byte_names() {
        // The kind byte, not the table, picks the dictionary: a record stays readable
        // wherever it is copied (migrate copies bytes as they are).
        let r = R {
            name: "\"state\":\"booked\",\"currency\":\"EUR\"".repeat(3),
            n: 3,
        };
        for kind in Kind::ALL {
            let bytes = encode(kind, &r).expect("encode");
            assert_eq!(decode::<R>(&bytes).expect("decode"), r, "{kind:?}");
        }
    }

    #[test]
    fn the_dictionaries_never_change() {
        // Records written with dictionary 1 are read with these bytes for ever: a better
        // dictionary is a new version byte, never an edit of these files.
        let digests: Vec<(Kind, usize, u64)> = Kind::ALL
            .iter()
            .map(|k| {
                let d = k.dictionary();
                let fnv = d.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
                });
                (*k, d.len(), fnv)
            })
            .collect();
        assert_eq!(digests, DICTIONARY_1_DIGESTS.to_vec());
    }

    #[test]
    fn payloads_of_both_kinds_read() {
        let text = r#"{"id": 1, "note": "Größe 42, ✓"}"#;
        let new = encode_payload(text);
        assert_eq!(new[..2], [WITH_DICTIONARY, Kind::Payload as u8]);
        assert_eq!(decode_payload(&new).expect("new"), text);
        let v2 = [
            &[COMPRESSED][..],
            &lz4_flex::compress_prepend_size(text.as_bytes()),
        ]
        .concat();
        assert_eq!(decode_payload(&v2).expect("v2"), text);
        assert_eq!(decode_payload(text.as_bytes()).expect("old"), text);
    }
}
