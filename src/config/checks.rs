//! The checks of `orderdesk.toml` beyond its shape: ranges, codes, ids, tokens. Each error
//! names the file and the line (see [`Place`]).

use super::ConfigError;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use toml::Spanned;

/// The config's file name and where its lines start, to say where something is.
pub(super) struct Place<'a> {
    file: &'a str,
    /// The byte offset of each line's end (`\n`), and of the text's end when it has more.
    line_ends: Vec<usize>,
}

impl<'a> Place<'a> {
    pub fn new(file: &'a str, text: &str) -> Place<'a> {
        let mut line_ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        if !text.is_empty() && !text.ends_with('\n') {
            line_ends.push(text.len());
        }
        Place { file, line_ends }
    }

    /// The config file's name.
    pub fn file(&self) -> &str {
        self.file
    }

    /// The 1-based line holding byte `offset` (an offset past the end is on the last line).
    pub fn line(&self, offset: usize) -> usize {
        let line = self.line_ends.partition_point(|end| *end < offset) + 1;
        line.min(self.line_ends.len().max(1))
    }

    /// An error at the line holding the start of `span`.
    pub fn error(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        ConfigError::At {
            file: self.file.to_string(),
            line: self.line(span.start),
            message,
        }
    }
}

/// A number's key and the values it may take.
pub(super) struct Range {
    key: &'static str,
    min: i64,
    max: i64,
    unit: &'static str,
}

pub(super) const POLL_SECONDS: Range = Range {
    key: "poll_seconds",
    min: 5,
    max: 86_400,
    unit: "seconds",
};
pub(super) const INITIAL_DAYS: Range = Range {
    key: "initial_days",
    min: 1,
    max: 3_650,
    unit: "days",
};
pub(super) const OVERLAP_SECONDS: Range = Range {
    key: "overlap_seconds",
    min: 0,
    max: 31_536_000,
    unit: "seconds (a year)",
};

impl Range {
    /// The value given, or `default`; one outside the range is refused.
    pub fn check<T: TryFrom<i64>>(
        &self,
        place: &Place,
        value: Option<&Spanned<i64>>,
        default: T,
    ) -> Result<T, ConfigError> {
        let Some(v) = value else {
            return Ok(default);
        };
        let n = *v.get_ref();
        let refused = || {
            place.error(
                v.span(),
                format!(
                    "{} = {n} is out of range: it must be {} ..= {} {}",
                    self.key, self.min, self.max, self.unit
                ),
            )
        };
        if !(self.min..=self.max).contains(&n) {
            return Err(refused());
        }
        T::try_from(n).map_err(|_| refused())
    }
}

/// Active ISO 4217 codes of currencies in circulation (not funds, metals or test codes).
const ISO_4217: [&str; 157] = [
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW",
    "ZWG",
];

/// A store's currency (default EUR), written in capitals.
pub(super) fn currency(
    place: &Place,
    value: Option<&Spanned<String>>,
) -> Result<String, ConfigError> {
    let Some(v) = value else {
        return Ok("EUR".into());
    };
    let code = v.get_ref().trim().to_ascii_uppercase();
    if ISO_4217.binary_search(&code.as_str()).is_err() {
        return Err(place.error(
            v.span(),
            format!(
                "currency \"{}\" is not an ISO 4217 currency code (three letters, like EUR, USD, HUF)",
                v.get_ref()
            ),
        ));
    }
    Ok(code)
}

/// The payment methods as written (trimmed): none empty, none twice (case aside).
pub(super) fn payment_methods(
    place: &Place,
    list: &Spanned<Vec<Spanned<String>>>,
) -> Result<Vec<String>, ConfigError> {
    if list.get_ref().is_empty() {
        return Err(place.error(
            list.span(),
            "payment_methods is empty: name at least one (or leave the key out for VISA, MC, AMEX)"
                .into(),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut methods = Vec::with_capacity(list.get_ref().len());
    for m in list.get_ref() {
        let name = m.get_ref().trim();
        if name.is_empty() {
            return Err(place.error(m.span(), "a payment method is empty".into()));
        }
        if let Some(first) = seen.insert(name.to_lowercase(), m.span().start) {
            return Err(place.error(
                m.span(),
                format!(
                    "payment method \"{name}\" is listed twice (first on line {})",
                    place.line(first)
                ),
            ));
        }
        methods.push(name.to_string());
    }
    Ok(methods)
}

/// The store ids seen so far, by their lowercase form (references ignore case).
#[derive(Default)]
pub(super) struct StoreIds(HashMap<String, (String, usize)>);

impl StoreIds {
    /// A store's id, trimmed: a word without ':' or spaces that no other store has, case aside.
    pub fn add(&mut self, place: &Place, id: &Spanned<String>) -> Result<String, ConfigError> {
        let name = id.get_ref().trim();
        if name.is_empty() || name.contains(':') || name.contains(char::is_whitespace) {
            return Err(place.error(
                id.span(),
                format!("store id \"{name}\" must be a non-empty word without ':' or spaces"),
            ));
        }
        match self.0.entry(name.to_lowercase()) {
            Entry::Vacant(slot) => {
                slot.insert((name.to_string(), id.span().start));
                Ok(name.to_string())
            }
            Entry::Occupied(first) => {
                let (other, at) = first.get();
                let first_line = place.line(*at);
                let message = if other == name {
                    format!("store id \"{name}\" is used twice (lines {first_line} and this one)")
                } else {
                    format!(
                        "store id \"{name}\" differs from \"{other}\" (line {first_line}) only in case; \
                         order references ignore case, so ids must differ in letters"
                    )
                };
                Err(place.error(id.span(), message))
            }
        }
    }
}
