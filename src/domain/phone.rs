//! Phone numbers normalised for matching (E.164 where the number allows it).

/// Country calling codes and whether the national trunk prefix `0` is dropped.
const REGIONS: &[(&str, &str, &str)] = &[
    // (region, calling code, national trunk prefix)
    ("HU", "36", "06"),
    ("AT", "43", "0"),
    ("DE", "49", "0"),
    ("CH", "41", "0"),
    ("GB", "44", "0"),
    ("IE", "353", "0"),
    ("FR", "33", "0"),
    ("BE", "32", "0"),
    ("NL", "31", "0"),
    ("ES", "34", ""),
    ("PT", "351", ""),
    ("IT", "39", ""),
    ("PL", "48", ""),
    ("CZ", "420", ""),
    ("SK", "421", "0"),
    ("SI", "386", "0"),
    ("HR", "385", "0"),
    ("RO", "40", "0"),
    ("RS", "381", "0"),
    ("BG", "359", "0"),
    ("GR", "30", ""),
    ("DK", "45", ""),
    ("SE", "46", "0"),
    ("NO", "47", ""),
    ("FI", "358", "0"),
    ("BR", "55", "0"),
    ("US", "1", "1"),
    ("CA", "1", "1"),
];

/// Whether `region` is one this module knows (for config checks).
pub fn known_region(region: &str) -> bool {
    REGIONS
        .iter()
        .any(|(r, _, _)| r.eq_ignore_ascii_case(region))
}

/// Normalises a phone number. With a `+` or `00` prefix the result is E.164 (`+36301234567`).
/// Without one, `region` supplies the country code (dropping the trunk prefix); with no region
/// the digits alone are returned, so the number matches only one with the same digits.
/// Returns `None` when there are no digits.
///
/// ```
/// use orderdesk::domain::phone::normalize;
/// assert_eq!(normalize("06 30 123 4567", Some("HU")).as_deref(), Some("+36301234567"));
/// assert_eq!(normalize("+36 30-123-4567", None).as_deref(), Some("+36301234567"));
/// ```
pub fn normalize(raw: &str, region: Option<&str>) -> Option<String> {
    let t = raw.trim();
    let plus = t.trim_start_matches(['(', ' ']).starts_with('+');
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    if plus {
        return Some(format!("+{digits}"));
    }
    if let Some(rest) = digits.strip_prefix("00")
        && !rest.is_empty()
    {
        return Some(format!("+{rest}"));
    }
    if let Some(region) = region
        && let Some((_, code, trunk)) = REGIONS
            .iter()
            .find(|(r, _, _)| r.eq_ignore_ascii_case(region))
    {
        let national = if !trunk.is_empty() && digits.starts_with(trunk) {
            &digits[trunk.len()..]
        } else {
            digits.as_str()
        };
        return Some(format!("+{code}{national}"));
    }
    Some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_international_numbers() {
        assert_eq!(
            normalize("+36 30 123 4567", None).as_deref(),
            Some("+36301234567")
        );
        assert_eq!(
            normalize("0036-30-123-4567", None).as_deref(),
            Some("+36301234567")
        );
        assert_eq!(
            normalize("(+36) 30/123.45.67", Some("DE")).as_deref(),
            Some("+36301234567")
        );
    }

    #[test]
    fn region_supplies_country_code() {
        assert_eq!(
            normalize("06 30 123 4567", Some("HU")).as_deref(),
            Some("+36301234567")
        );
        assert_eq!(
            normalize("030 1234567", Some("DE")).as_deref(),
            Some("+49301234567")
        );
        assert_eq!(
            normalize("06 30 123 4567", Some("hu")).as_deref(),
            Some("+36301234567")
        );
    }

    #[test]
    fn without_region_only_digits() {
        assert_eq!(
            normalize("06 30 123 4567", None).as_deref(),
            Some("06301234567")
        );
        assert_eq!(normalize(" - ", None), None);
    }
}
