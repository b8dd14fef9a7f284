use super::*;
use proptest::prelude::*;

fn n(raw: &str, region: Option<&str>) -> Option<String> {
    normalize(raw, region)
}

#[test]
fn keeps_international_numbers() {
    assert_eq!(n("+36 30 123 4567", None).as_deref(), Some("+36301234567"));
    assert_eq!(n("0036-30-123-4567", None).as_deref(), Some("+36301234567"));
    assert_eq!(
        n("(+36) 30/123.45.67", Some("DE")).as_deref(),
        Some("+36301234567")
    );
}

#[test]
fn region_supplies_country_code() {
    assert_eq!(
        n("06 30 123 4567", Some("HU")).as_deref(),
        Some("+36301234567")
    );
    assert_eq!(
        n("030 1234567", Some("DE")).as_deref(),
        Some("+49301234567")
    );
    assert_eq!(
        n("06 30 123 4567", Some("hu")).as_deref(),
        Some("+36301234567")
    );
}

#[test]
fn without_region_only_digits() {
    assert_eq!(n("06 30 123 4567", None).as_deref(), Some("06301234567"));
    assert_eq!(n(" - ", None), None);
}

#[test]
fn brazil_nationally_and_internationally() {
    let want = Some("+5511912345678");
    assert_eq!(n("+55 11 91234-5678", None).as_deref(), want);
    assert_eq!(n("(11) 91234-5678", Some("BR")).as_deref(), want);
    // The trunk prefix with a carrier selection code (0 + 15) goes too.
    assert_eq!(n("0 15 11 91234-5678", Some("BR")).as_deref(), want);
}

#[test]
fn japan_nationally_and_internationally() {
    assert_eq!(
        n("03-1234-5678", Some("JP")).as_deref(),
        Some("+81312345678")
    );
    assert_eq!(n("+81 3-1234-5678", None).as_deref(), Some("+81312345678"));
    assert_eq!(
        n("090-1234-5678", Some("jp")).as_deref(),
        Some("+819012345678")
    );
}

#[test]
fn united_states_written_nationally() {
    let want = Some("+14155552671");
    assert_eq!(n("(415) 555-2671", Some("US")).as_deref(), want);
    assert_eq!(n("1 415 555 2671", Some("US")).as_deref(), want);
    assert_eq!(n("+1 415-555-2671", Some("HU")).as_deref(), want);
    // The US exit code reaches another country.
    assert_eq!(
        n("011 36 30 123 4567", Some("US")).as_deref(),
        Some("+36301234567")
    );
}

#[test]
fn each_country_keeps_its_own_leading_digits() {
    // Italy keeps the 0 of its area codes after the calling code.
    assert_eq!(
        n("06 1234 5678", Some("IT")).as_deref(),
        Some("+390612345678")
    );
    // A trunk prefix written inside an international number is not part of it.
    assert_eq!(
        n("+44 (0)20 7946 0018", None).as_deref(),
        Some("+442079460018")
    );
    assert_eq!(
        n("020 7946 0018", Some("GB")).as_deref(),
        Some("+442079460018")
    );
    assert_eq!(
        n("0712 345678", Some("KE")).as_deref(),
        Some("+254712345678")
    );
}

#[test]
fn what_the_metadata_cannot_read_is_kept_as_digits() {
    assert_eq!(n("5", Some("HU")).as_deref(), Some("5"));
    assert_eq!(n("+999 123 456", None).as_deref(), Some("+999123456"));
    let long = "1234567890 1234567890";
    assert_eq!(n(long, Some("HU")).as_deref(), Some("12345678901234567890"));
    // An unknown region is no region.
    assert_eq!(
        n("06 30 123 4567", Some("XX")).as_deref(),
        Some("06301234567")
    );
}

#[test]
fn regions_the_metadata_has() {
    for r in ["HU", "hu", "BR", "JP", "US", "KE", "NZ", "AR", " de "] {
        assert!(known_region(r), "{r}");
    }
    for r in ["", "XX", "EU", "001", "USA", "ZZ"] {
        assert!(!known_region(r), "{r}");
    }
}

fn region() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        Some("HU"),
        Some("DE"),
        Some("IT"),
        Some("GB"),
        Some("US"),
        Some("BR"),
        Some("JP"),
        Some("AR"),
        Some("MX"),
        Some("IN"),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any digits, however prefixed: `+` and digits, or digits; and a normalised number
    /// normalises to itself (a customer's stored phone is indexed with no region).
    #[test]
    fn normalised_numbers_are_plain_and_stable(
        prefix in prop::sample::select(vec!["", "+", "00", "0", "(+", "011 "]),
        digits in "[0-9]{1,20}",
        region in region(),
    ) {
        let raw = format!("{prefix}{digits}");
        let Some(out) = normalize(&raw, region) else {
            return Err(TestCaseError::fail("digits normalise to something"));
        };
        let body = out.strip_prefix('+').unwrap_or(&out);
        prop_assert!(!body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()), "{out}");
        prop_assert_eq!(normalize(&out, None), Some(out.clone()));
    }

    #[test]
    fn any_text_normalises_without_panicking(raw in any::<String>(), region in region()) {
        let _ = normalize(&raw, region);
    }
}

#[test]
fn a_number_the_metadata_reads_differently_each_time_is_kept_as_written() {
    // The crate reads +2000010 as +20010, and that as +2010: neither is a number it reads
    // back as itself, so the digits stay as written and normalise to themselves.
    let once = normalize("+2000010", None);
    assert_eq!(once.as_deref(), Some("+2000010"));
    assert_eq!(normalize("+2000010", None), once);
    assert_eq!(
        normalize("+36 30 123 4567", None).as_deref(),
        Some("+36301234567")
    );
}
