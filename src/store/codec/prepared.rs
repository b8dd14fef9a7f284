//! LZ4 blocks compressed against a dictionary indexed once. The LZ4 block format lets a
//! block refer back into a dictionary placed before it; a compressor finds those matches
//! through a hash table of the dictionary's positions. lz4_flex builds that table again for
//! every block (about 10 µs for these dictionaries, more than compressing a short record);
//! here it is built once per kind and copied (16 KB) for each record. The blocks are plain
//! LZ4 with a dictionary: lz4_flex's `decompress_with_dict` reads them.

use std::cell::RefCell;

/// The hash table: 2^12 slots of a position each (LZ4's own default size).
const HASH_LOG: u32 = 12;
const SLOTS: usize = 1 << HASH_LOG;
const MIN_MATCH: usize = 4;
/// The format's rules for a block's end: the last match starts at least 12 bytes before it,
/// and the last 5 bytes are literals.
const MF_LIMIT: usize = 12;
const LAST_LITERALS: usize = 5;
/// The farthest a match may point back.
const MAX_OFFSET: usize = 65_535;
const EMPTY: u32 = u32::MAX;

type Table = [u32; SLOTS];

/// A dictionary with its hash table.
pub(super) struct Prepared {
    dict: &'static [u8],
    table: Box<Table>,
    /// Which of this thread's buffers starts with this dictionary.
    slot: usize,
}

/// One thread's room for compressing: per dictionary slot, a buffer holding the dictionary
/// (named by its address) and then the record; and the record's own positions, numbered on from `base` across records
/// so that the table needs no clearing (an entry below `base` is an earlier record's).
struct Scratch {
    bufs: Vec<(usize, Vec<u8>)>,
    table: Box<Table>,
    base: u32,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        bufs: Vec::new(),
        table: Box::new([EMPTY; SLOTS]),
        base: 0,
    });
}

fn read_u32(b: &[u8], i: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u32::from_le_bytes(w)
}

fn read_u64(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

fn hash(seq: u32) -> usize {
    (seq.wrapping_mul(2_654_435_761) >> (32 - HASH_LOG)) as usize
}

impl Prepared {
    /// Indexes `dict` (its last 64 KB: what a block can reach); `slot` is this dictionary's
    /// own, one per dictionary.
    pub fn new(dict: &'static [u8], slot: usize) -> Prepared {
        let dict = &dict[dict.len().saturating_sub(MAX_OFFSET)..];
        let mut table = Box::new([EMPTY; SLOTS]);
        for i in 0..dict.len().saturating_sub(MIN_MATCH - 1) {
            table[hash(read_u32(dict, i))] = i as u32;
        }
        Prepared { dict, table, slot }
    }

    /// `bytes` as one LZ4 block against the dictionary, appended to `out`.
    pub fn compress(&self, bytes: &[u8], out: &mut Vec<u8>) {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            if s.bufs.len() <= self.slot {
                s.bufs.resize_with(self.slot + 1, Default::default);
            }
            let (held, buf) = &mut s.bufs[self.slot];
            if *held != self.dict.as_ptr() as usize {
                *held = self.dict.as_ptr() as usize;
                buf.clear();
                buf.extend_from_slice(self.dict);
            }
            buf.truncate(self.dict.len());
            buf.extend_from_slice(bytes);
            // Numbers for this record's positions; past 2^31 the table starts afresh.
            if s.base > 1 << 31 {
                s.table.fill(EMPTY);
                s.base = 0;
            }
            let found = Found {
                dict: &self.table,
                own: &mut s.table,
                base: s.base,
                start: self.dict.len(),
            };
            block(buf, found, out);
            s.base += bytes.len() as u32 + 1;
        })
    }
}

/// Where a hash's last position is: this record's own table, else the dictionary's.
struct Found<'a> {
    dict: &'a Table,
    own: &'a mut Table,
    base: u32,
    /// Where the record starts in the buffer.
    start: usize,
}

impl Found<'_> {
    /// The last position of `h` (in the buffer), and `at` recorded as its newest.
    fn swap(&mut self, h: usize, at: usize) -> Option<usize> {
        let mine = self.own[h];
        self.own[h] = self.base + (at - self.start) as u32;
        if mine != EMPTY && mine >= self.base {
            return Some(self.start + (mine - self.base) as usize);
        }
        let d = self.dict[h];
        (d != EMPTY).then_some(d as usize)
    }
}

/// Compresses `buf[found.start..]`, whose matches may reach back into the dictionary before
/// it: greedy, as LZ4's fast mode.
fn block(buf: &[u8], mut found: Found, out: &mut Vec<u8>) {
    let start = found.start;
    let end = buf.len();
    let mut anchor = start;
    if end - start > MF_LIMIT {
        let match_limit = end - LAST_LITERALS;
        let last_start = end - MF_LIMIT;
        let mut i = start;
        while i < last_start {
            let seq = read_u32(buf, i);
            let cand = found.swap(hash(seq), i);
            let c = match cand {
                Some(c) if i - c <= MAX_OFFSET && read_u32(buf, c) == seq => c,
                _ => {
                    // Farther apart the longer nothing matched, as LZ4 does.
                    i += 1 + ((i - anchor) >> 6);
                    continue;
                }
            };
            let (mut from, mut back) = (i, c);
            while from > anchor && back > 0 && buf[from - 1] == buf[back - 1] {
                from -= 1;
                back -= 1;
            }
            let mut len = MIN_MATCH;
            while i + len + 8 <= match_limit {
                let diff = read_u64(buf, c + len) ^ read_u64(buf, i + len);
                if diff != 0 {
                    len += (diff.trailing_zeros() / 8) as usize;
                    break;
                }
                len += 8;
            }
            if i + len + 8 > match_limit {
                while i + len < match_limit && buf[c + len] == buf[i + len] {
                    len += 1;
                }
            }
            let next = i + len;
            sequence(out, &buf[anchor..from], from - back, next - from);
            // A position just before the match's end, for the next one to find.
            found.swap(hash(read_u32(buf, next - 2)), next - 2);
            anchor = next;
            i = next;
        }
    }
    let literals = &buf[anchor..end];
    out.push((literals.len().min(15) as u8) << 4);
    if literals.len() >= 15 {
        length(out, literals.len() - 15);
    }
    out.extend_from_slice(literals);
}

/// One sequence: literals, then a match `offset` back of `len` bytes.
fn sequence(out: &mut Vec<u8>, literals: &[u8], offset: usize, len: usize) {
    let ml = len - MIN_MATCH;
    out.push(((literals.len().min(15) as u8) << 4) | ml.min(15) as u8);
    if literals.len() >= 15 {
        length(out, literals.len() - 15);
    }
    out.extend_from_slice(literals);
    out.extend_from_slice(&(offset as u16).to_le_bytes());
    if ml >= 15 {
        length(out, ml - 15);
    }
}

fn length(out: &mut Vec<u8>, mut n: usize) {
    while n >= 255 {
        out.push(255);
        n -= 255;
    }
    out.push(n as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(p: &Prepared, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        p.compress(bytes, &mut out);
        let back = lz4_flex::block::decompress_with_dict(&out, bytes.len(), p.dict)
            .expect("lz4_flex reads the block");
        assert_eq!(back, bytes, "{} bytes", bytes.len());
        out
    }

    /// Blocks of every shape read back with lz4_flex's own decoder: empty, shorter than a
    /// match may be, matches in the dictionary, across its end, within the record, long runs,
    /// incompressible bytes, lengths at the format's 15 and 255 steps.
    #[test]
    fn blocks_read_back_with_an_independent_decoder() {
        let dict: &'static [u8] =
            b"{\"state\":\"booked\",\"currency\":\"HUF\",\"lines\":[{\"sku\":\"A-1\"}]}";
        let p = Prepared::new(dict, 0);
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut noise = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    rng as u8
                })
                .collect()
        };
        let mut cases: Vec<Vec<u8>> = vec![
            vec![],
            b"x".to_vec(),
            b"{\"state\":\"bo".to_vec(),
            dict.to_vec(),
            [dict, dict, b"tail".as_slice()].concat(),
            vec![b'a'; 15],
            vec![b'a'; 300],
            vec![0; 70_000],
            noise(14),
            noise(270),
            noise(5_000),
        ];
        for n in [15, 16, 19, 20, 270, 271] {
            let mut v = noise(n);
            v.extend_from_slice(&dict[..30]);
            v.extend(noise(n));
            cases.push(v);
        }
        let mut mixed = Vec::new();
        for i in 0..200 {
            mixed.extend_from_slice(&dict[i % 20..]);
            mixed.extend(noise(i % 23));
        }
        cases.push(mixed);
        for bytes in &cases {
            round_trip(&p, bytes);
        }
        let same = round_trip(&p, dict);
        // One match, then the five literals a block ends with.
        assert!(
            same.len() <= 12,
            "the dictionary itself is one match: {same:?}"
        );
    }

    #[test]
    fn a_record_like_its_dictionary_packs_as_well_as_lz4_flex_does() {
        let p = Prepared::new(include_bytes!("dictionary-1/orders.txt"), 1);
        let record = br##"{"id":17,"store":"web","remote_id":"5551","name":"#1017","state":"booked","currency":"HUF","lines":[{"sku":"P-0042","title":"Mug","quantity":2}],"customer":{"first_name":"Anna","last_name":"Kovacs"}}"##;
        let ours = round_trip(&p, record);
        let theirs = lz4_flex::block::compress_with_dict(record, p.dict);
        assert!(
            ours.len() <= theirs.len() + theirs.len() / 10,
            "{} vs {}",
            ours.len(),
            theirs.len()
        );
    }
}
