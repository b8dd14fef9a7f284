//! What operator forms accept: amounts, customer data. Each refusal names its field.

use super::{Money, phone, text};
use std::str::FromStr;

/// A refused value: the field and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    pub field: std::borrow::Cow<'static, str>,
    pub message: String,
}

/// Parses an amount written `12.50` or `12,50` (no thousands separators).
pub fn parse_amount(s: &str) -> Result<Money, String> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return Err("enter an amount, e.g. 12.50".into());
    }
    if t.matches('.').count() > 1 {
        return Err(format!("\"{s}\" is not an amount like 12.50 or 12,50"));
    }
    let m =
        Money::from_str(&t).map_err(|_| format!("\"{s}\" is not an amount like 12.50 or 12,50"))?;
    if m <= Money::ZERO {
        return Err("the amount must be more than zero".into());
    }
    if m.scale() > 2 {
        return Err("at most two decimals".into());
    }
    super::limits::check_amount(m)
}

/// A customer as a form gives it, before checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomerDraft {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

/// Checked customer data: a name, an email of a plausible shape and/or a phone normalised
/// with `region` (at least one of the two).
pub fn check_customer(
    d: &CustomerDraft,
    region: Option<&str>,
) -> Result<(Option<String>, Option<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    for (field, value) in [
        ("first_name", &d.first_name),
        ("last_name", &d.last_name),
        ("email", &d.email),
        ("phone", &d.phone),
        ("address", &d.address),
        ("city", &d.city),
        ("postal_code", &d.postal_code),
        ("country", &d.country),
    ] {
        if let Err(message) = super::limits::check_text(
            "this field",
            value.trim(),
            super::limits::MAX_LINE_CHARS,
            false,
        ) {
            errors.push(FieldError {
                field: field.into(),
                message,
            });
        }
    }
    if d.first_name.trim().is_empty() && d.last_name.trim().is_empty() {
        errors.push(FieldError {
            field: "last_name".into(),
            message: "a first or last name is needed".into(),
        });
    }
    let email = d.email.trim();
    let email = if email.is_empty() {
        None
    } else if text::looks_like_email(email) {
        Some(email.to_string())
    } else {
        errors.push(FieldError {
            field: "email".into(),
            message: format!("\"{email}\" is not an email address"),
        });
        None
    };
    let phone = if d.phone.trim().is_empty() {
        None
    } else {
        match phone::normalize(&d.phone, region) {
            Some(p) if p.trim_start_matches('+').len() >= 6 => Some(p),
            _ => {
                errors.push(FieldError {
                    field: "phone".into(),
                    message: format!("\"{}\" is not a phone number", d.phone.trim()),
                });
                None
            }
        }
    };
    if d.email.trim().is_empty() && d.phone.trim().is_empty() {
        errors.push(FieldError {
            field: "email".into(),
            message: "an email or a phone is needed".into(),
        });
    }
    if errors.is_empty() {
        Ok((email, phone))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_point_or_comma_and_must_be_positive() {
        assert_eq!(parse_amount("12,50"), Ok(Money::new(1250, 2)));
        assert_eq!(parse_amount(" 12.5 "), Ok(Money::new(125, 1)));
        assert!(parse_amount("0").is_err());
        assert!(parse_amount("-3").is_err());
        assert!(parse_amount("1.234,5").is_err());
        assert!(parse_amount("12.505").is_err());
        assert!(parse_amount("abc").is_err());
        // Near the decimal type's largest value: refused with its range, never a panic.
        let e = parse_amount("79228162514264337593543950335").unwrap_err();
        assert!(e.contains("too large (at most 1000000000.00)"), "{e}");
        assert!(parse_amount("79228162514264337593543950336").is_err());
        assert_eq!(parse_amount("1000000000"), Ok(Money::from(1_000_000_000)));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 512,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Any text either reads as an amount in range (more than zero, at most two decimals,
        /// at most the largest amount) or is refused with a message; never a panic.
        #[test]
        fn any_text_is_an_amount_in_range_or_refused(text in "[-+0-9.,eE _a-z]{0,40}") {
            match parse_amount(&text) {
                Ok(m) => {
                    proptest::prop_assert!(m > Money::ZERO);
                    proptest::prop_assert!(m <= super::super::limits::MAX_AMOUNT);
                    proptest::prop_assert!(m.scale() <= 2);
                }
                Err(e) => proptest::prop_assert!(!e.is_empty()),
            }
        }
    }

    #[test]
    fn customers_need_a_name_and_a_contact() {
        let mut d = CustomerDraft {
            last_name: "Tündér".into(),
            phone: "06 30 123 4567".into(),
            ..Default::default()
        };
        assert_eq!(
            check_customer(&d, Some("HU")),
            Ok((None, Some("+36301234567".into())))
        );
        d.phone.clear();
        let e = check_customer(&d, Some("HU")).unwrap_err();
        assert_eq!(e[0].field, "email");
        d.email = "not-an-email".into();
        assert!(
            check_customer(&d, None)
                .unwrap_err()
                .iter()
                .any(|e| e.message.contains("not an email"))
        );
    }
}
