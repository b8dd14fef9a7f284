//! The range of every number a person types, a file holds or a shop sends, and how money is
//! written. A value outside its range is refused where it comes in, with its range named, so
//! the arithmetic on money and stock further in cannot overflow.

use super::Money;

/// The largest amount a person may enter (a payment, a price): a billion in any currency.
pub const MAX_AMOUNT: Money = Money::from_parts(1_000_000_000, 0, 0, false, 0);
/// The largest amount (either sign) a shop's figure may have: a thousand billion.
pub const MAX_SHOP_AMOUNT: Money = Money::from_parts(3_567_587_328, 232, 0, false, 0);
/// Decimals a shop's figure may carry (PrestaShop sends six).
pub const MAX_SHOP_DECIMALS: u32 = 6;
/// Stock a product may hold, either sign (a count of goods; below zero when oversold).
pub const MAX_STOCK: i64 = 1_000_000_000;
/// Units on one order line.
pub const MAX_QUANTITY: u32 = 1_000_000;

/// `1234.50`: two decimals at least, more only when the figure needs them (a shop that sends
/// six decimals, as PrestaShop does, shows `10.840000` as `10.84`).
pub fn show_money(m: Money) -> String {
    let m = m.normalize();
    let scale = m.scale().max(2);
    format!("{:.*}", scale as usize, m)
}

/// `1234.50 EUR`
pub fn show_amount(m: Money, currency: &str) -> String {
    format!("{} {currency}", show_money(m))
}

/// A stock figure a person or a file gives: refused outside ±[`MAX_STOCK`].
pub fn check_stock(n: i64) -> Result<i64, String> {
    if n.unsigned_abs() > MAX_STOCK as u64 {
        return Err(format!(
            "stock {n} is out of range (from -{MAX_STOCK} to {MAX_STOCK})"
        ));
    }
    Ok(n)
}

/// Parses a whole stock figure and checks its range.
pub fn parse_stock(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let n = t
        .parse::<i64>()
        .map_err(|_| format!("stock \"{t}\" is not a whole number"))?;
    check_stock(n)
}

/// An amount a person gives: refused above [`MAX_AMOUNT`].
pub fn check_amount(m: Money) -> Result<Money, String> {
    if m > MAX_AMOUNT {
        return Err(format!("too large (at most {})", show_money(MAX_AMOUNT)));
    }
    Ok(m)
}

/// A shop's figure: refused beyond ±[`MAX_SHOP_AMOUNT`] or with more than
/// [`MAX_SHOP_DECIMALS`] decimals.
pub fn check_shop_amount(m: Money) -> Result<Money, String> {
    if m.abs() > MAX_SHOP_AMOUNT {
        return Err(format!(
            "an amount beyond ±{} (the largest orderdesk takes)",
            show_money(MAX_SHOP_AMOUNT)
        ));
    }
    if m.normalize().scale() > MAX_SHOP_DECIMALS {
        return Err(format!(
            "an amount with more than {MAX_SHOP_DECIMALS} decimals"
        ));
    }
    Ok(m)
}

/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The longest short text a person types: a reason, a payment comment, a name, an address.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest tracking number.
pub const MAX_TRACKING_CHARS: usize = 64;

/// A text a person types for `what`: at most `max` characters and no control characters (a
/// line break is taken in a note only, where `multiline` is set). It is shown on screens and
/// sent to shops, where an escape sequence or a megabyte has no place.
pub fn check_text(what: &str, text: &str, max: usize, multiline: bool) -> Result<(), String> {
    let n = text.chars().count();
    if n > max {
        return Err(format!("{what} is {n} characters long; at most {max}"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
    {
        return Err(format!("{what} holds a control character; type plain text"));
    }
    Ok(())
}

/// `a + b` for stock, refused (not wrapped) when it would leave ±[`MAX_STOCK`].
pub fn add_stock(a: i64, b: i64) -> Option<i64> {
    a.checked_add(b).and_then(|n| check_stock(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn the_shop_limit_is_a_thousand_billion() {
        assert_eq!(MAX_SHOP_AMOUNT, Money::from(1_000_000_000_000_i64));
        assert_eq!(MAX_AMOUNT, Money::from(1_000_000_000_i64));
    }

    #[test]
    fn money_shows_two_decimals_at_least() {
        assert_eq!(show_money(Money::from(1)), "1.00");
        assert_eq!(
            show_money(Money::from_str("17.3").expect("decimal")),
            "17.30"
        );
        assert_eq!(
            show_money(Money::from_str("0.125").expect("decimal")),
            "0.125"
        );
        assert_eq!(show_amount(Money::from(1), "EUR"), "1.00 EUR");
    }

    #[test]
    fn typed_text_has_a_length_and_no_control_characters() {
        assert!(check_text("the note", "two\nlines", MAX_NOTE_CHARS, true).is_ok());
        assert!(check_text("the reason", "two\nlines", MAX_LINE_CHARS, false).is_err());
        let e = check_text("the note", "a\u{1b}[2Jb", MAX_NOTE_CHARS, true).unwrap_err();
        assert!(e.contains("control character"), "{e}");
        let e = check_text("the note", &"é".repeat(2001), MAX_NOTE_CHARS, true).unwrap_err();
        assert!(e.contains("2001 characters"), "{e}");
        assert!(check_text("the note", &"é".repeat(2000), MAX_NOTE_CHARS, true).is_ok());
    }

    #[test]
    fn stock_and_amounts_have_ranges() {
        assert_eq!(parse_stock(" -5 "), Ok(-5));
        assert!(parse_stock("1000000001").is_err());
        assert!(parse_stock("-9223372036854775808").is_err());
        assert!(parse_stock("99999999999999999999").is_err());
        assert_eq!(add_stock(MAX_STOCK, 1), None);
        assert_eq!(add_stock(i64::MAX, 1), None);
        assert_eq!(add_stock(-3, 2), Some(-1));
        assert!(check_amount(Money::MAX).is_err());
        assert!(check_amount(Money::from(12)).is_ok());
        assert!(check_shop_amount(Money::MIN).is_err());
        assert!(check_shop_amount(Money::from_str("12.1234567").expect("decimal")).is_err());
        assert!(check_shop_amount(Money::from_str("-12.123400").expect("decimal")).is_ok());
    }
}
