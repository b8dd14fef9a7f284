//! Phone numbers normalised for matching (E.164 where the number allows it), read with
//! libphonenumber's metadata for every country (the `phonenumber` crate).

use phonenumber::Mode;
use phonenumber::country::Id;

/// The most digits the metadata reads (libphonenumber's longest national number); a longer
/// run of digits is kept as it is.
const MAX_DIGITS: usize = 17;

/// The metadata's id for `region` (a country code like `HU`, any case), when it has one.
fn region_id(region: &str) -> Option<Id> {
    let id: Id = region.trim().to_ascii_uppercase().parse().ok()?;
    phonenumber::metadata::DATABASE
        .by_id(id.as_ref())
        .map(|_| id)
}

/// Whether `region` is a country the phone metadata knows (for config checks).
pub fn known_region(region: &str) -> bool {
    region_id(region).is_some()
}

/// Normalises a phone number. With a `+` or `00` prefix the result is E.164 (`+36301234567`).
/// Without one, `region` supplies the country (its calling code, the trunk prefix dropped by
/// that country's rules); with no region, or a number the metadata cannot read, the digits
/// alone are returned (after `+` when the number said it was international), so the number
/// matches only one with the same digits. Returns `None` when there are no digits.
///
/// ```
/// use orderdesk::domain::phone::normalize;
/// assert_eq!(normalize("06 30 123 4567", Some("HU")).as_deref(), Some("+36301234567"));
/// assert_eq!(normalize("+36 30-123-4567", None).as_deref(), Some("+36301234567"));
/// assert_eq!(normalize("(11) 91234-5678", Some("BR")).as_deref(), Some("+5511912345678"));
/// ```
pub fn normalize(raw: &str, region: Option<&str>) -> Option<String> {
    let t = raw.trim();
    let plus = t.trim_start_matches(['(', ' ']).starts_with('+');
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00").filter(|rest| !rest.is_empty())
    };
    if let Some(number) = international {
        let written = format!("+{number}");
        return Some(e164(main_region(number), &written).unwrap_or(written));
    }
    match region.and_then(region_id) {
        Some(id) => Some(e164(Some(id), &digits).unwrap_or(digits)),
        None => Some(digits),
    }
}

/// The main country of the calling code `digits` start with (`US` for `1…`, `GB` for
/// `44…`), whose rules read the rest, as libphonenumber reads an international number; the
/// crate would otherwise try every country sharing the code, each with its own patterns.
fn main_region(digits: &str) -> Option<Id> {
    (1..=3).find_map(|len| {
        let code: u16 = digits.get(..len)?.parse().ok()?;
        let regions = phonenumber::metadata::DATABASE.region(&code)?;
        regions.first()?.parse().ok()
    })
}

/// `number` (digits, after `+` when international) in E.164, when the metadata reads it.
/// Only digits reach the crate, and no more than it reads, so odd text never does.
fn e164(region: Option<Id>, number: &str) -> Option<String> {
    if number.trim_start_matches('+').len() > MAX_DIGITS {
        return None;
    }
    let out = formatted(region, number)?;
    // Only a form the metadata reads back as itself: a stored phone is normalised again
    // when it is matched or checked, so normalising must give the same number twice (the
    // crate drops a trunk 0 inside some numbers that are not valid, and would drop the next
    // one on a second pass).
    let digits = out.strip_prefix('+')?;
    (formatted(main_region(digits), &out).as_deref() == Some(out.as_str())).then_some(out)
}

/// The crate's E.164 form of `number`: `+` and digits, or nothing.
fn formatted(region: Option<Id>, number: &str) -> Option<String> {
    let parsed = phonenumber::parse(region, number).ok()?;
    let out = parsed.format().mode(Mode::E164).to_string();
    let digits = out.strip_prefix('+')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(out)
}

#[cfg(test)]
#[path = "phone_tests.rs"]
mod tests;
