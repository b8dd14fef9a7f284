//! Text folding for searches: case and diacritics folded (`Tündér` -> `tunder`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cases and strips diacritics; letters with no decomposition are mapped by hand.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ı' => out.push('i'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The folded words of a name, for the name index.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// An email as it is compared: trimmed, lower-case.
pub fn email_key(s: &str) -> Option<String> {
    let t = s.trim().to_lowercase();
    (!t.is_empty()).then_some(t)
}

/// A plausible email: something@domain.tld, no spaces.
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Tündér Ilona"), "tunder ilona");
        assert_eq!(fold("Łukasz Żółć"), "lukasz zolc");
        assert_eq!(fold("ŐRSÉG"), "orseg");
    }

    #[test]
    fn tokens_split_and_dedup() {
        assert_eq!(tokens("Kovács-Nagy  Éva"), vec!["eva", "kovacs", "nagy"]);
    }

    #[test]
    fn email_key_trims_and_lowers() {
        assert_eq!(
            email_key("  Ana@Example.COM "),
            Some("ana@example.com".into())
        );
        assert_eq!(email_key("   "), None);
    }
}
