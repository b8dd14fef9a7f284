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

/// How many leading characters of a word the order words index keeps: a typed word of at
/// least this length finds its candidates under one stem, in display order.
pub const STEM_CHARS: usize = 3;

/// The index stem of a folded word: its first [`STEM_CHARS`] characters (the whole word when
/// shorter).
pub fn stem(word: &str) -> &str {
    match word.char_indices().nth(STEM_CHARS) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// The folded words an order is found by: its name, its customer's name and its SKUs.
pub fn order_words<'a>(
    name: &str,
    customer: &str,
    skus: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut out = tokens(name);
    out.extend(tokens(customer));
    for sku in skus {
        out.extend(tokens(sku));
    }
    out.sort();
    out.dedup();
    out
}

/// The stems an order is indexed under, each once: those of its words of [`STEM_CHARS`] or
/// more. A shorter word ("l" of a size) never picks the index (a filter walks the stem of its
/// longest typed word, and only one that long), so it gets no entries.
pub fn indexed_stems(words: &[String]) -> Vec<&str> {
    let mut stems: Vec<&str> = words
        .iter()
        .filter(|w| w.chars().count() >= STEM_CHARS)
        .map(|w| stem(w))
        .collect();
    stems.sort_unstable();
    stems.dedup();
    stems
}

/// Whether every typed word starts one of `words` (both folded, the typed ones already split
/// by [`tokens`]).
pub fn words_match(typed: &[String], words: &[String]) -> bool {
    typed
        .iter()
        .all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
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

/// `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    fn stems_and_words_of_an_order() {
        assert_eq!(stem("kovacs"), "kov");
        assert_eq!(stem("l"), "l");
        assert_eq!(stem("李小龍王"), "李小龍");
        let words = order_words("#1042", "Tündér Ilona", ["TSHIRT-RED-L", "MUG"].into_iter());
        assert_eq!(
            words,
            ["1042", "ilona", "l", "mug", "red", "tshirt", "tunder"]
        );
        assert_eq!(
            indexed_stems(&words),
            ["104", "ilo", "mug", "red", "tsh", "tun"],
            "no stem for the size L"
        );
        let typed = |t: &[&str]| t.iter().flat_map(|s| tokens(s)).collect::<Vec<_>>();
        assert!(words_match(&typed(&["tund", "104"]), &words));
        assert!(words_match(&typed(&["tshirt-red"]), &words));
        assert!(
            !words_match(&typed(&["042"]), &words),
            "a word's start, not its middle"
        );
        assert!(
            !words_match(&typed(&["ilona", "kovacs"]), &words),
            "every typed word"
        );
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
