//! An order's delivery details (method, carrier, cost, address) as the shop sends them, and
//! in plain words for its timeline: when the order arrives, and each time the shop changes
//! them (DESIGN.md §1, "Timeline and audit").

use super::limits::show_amount;
use super::order::Shipping;
use super::shop_order::{ShopAddress, ShopOrder};

/// The delivery details of a shop order, as the order keeps them (none without a shipping
/// method).
pub fn shipping_of(shop: &ShopOrder) -> Option<Shipping> {
    shop.shipping.as_ref().map(|s| Shipping {
        title: s.title.clone(),
        carrier: s.carrier.clone(),
        cost: s.cost,
        pickup: s.pickup,
        address: shop.shipping_address.clone(),
    })
}

/// The details in one line, e.g. `delivery: Standard, carrier DHL, 4.90 EUR, to Zsófia
/// Tündér, Fő utca 1, 1011 Budapest, HU`.
pub fn describe(s: &Shipping, currency: &str) -> String {
    let f = Fields::of(s, currency);
    let mut parts = vec![f.method.clone()];
    if !f.carrier.is_empty() && f.carrier != f.method {
        parts.push(format!("carrier {}", f.carrier));
    }
    parts.push(f.cost);
    if !f.address.is_empty() {
        parts.push(format!("to {}", f.address));
    }
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    format!("{}: {}", f.kind, parts.join(", "))
}

/// What changed between the details kept (`before`) and the shop's (`after`), as a timeline
/// text; `None` when nothing a person would see changed.
pub fn change(
    before: Option<&Shipping>,
    after: Option<&Shipping>,
    currency: &str,
) -> Option<String> {
    match (before, after) {
        (None, None) => None,
        (None, Some(a)) => Some(format!(
            "delivery details added at the shop: {}",
            describe(a, currency)
        )),
        (Some(_), None) => Some("delivery details removed at the shop".to_string()),
        (Some(b), Some(a)) => {
            let (b, a) = (Fields::of(b, currency), Fields::of(a, currency));
            let changed: Vec<String> = b
                .named()
                .into_iter()
                .zip(a.named())
                .filter(|((_, old), (_, new))| old != new)
                .map(|((what, old), (_, new))| {
                    let shown = |v: &str| {
                        if v.is_empty() {
                            "none".to_string()
                        } else {
                            v.to_string()
                        }
                    };
                    let prefix = if what.is_empty() {
                        String::new()
                    } else {
                        format!("{what} ")
                    };
                    format!("{prefix}{} -> {}", shown(&old), shown(&new))
                })
                .collect();
            (!changed.is_empty())
                .then(|| format!("delivery changed at the shop: {}", changed.join("; ")))
        }
    }
}

/// The details as people read them, one text per field.
struct Fields {
    /// `delivery` or `pickup`.
    kind: String,
    method: String,
    carrier: String,
    cost: String,
    address: String,
}

impl Fields {
    fn of(s: &Shipping, currency: &str) -> Fields {
        Fields {
            kind: if s.pickup { "pickup" } else { "delivery" }.to_string(),
            method: s.title.trim().to_string(),
            carrier: s.carrier.as_deref().unwrap_or("").trim().to_string(),
            // 4.9 and 4.90 are the same cost.
            cost: show_amount(s.cost.normalize(), currency),
            address: s.address.as_ref().map(address_text).unwrap_or_default(),
        }
    }

    /// Each field with the word that names it in a change.
    fn named(self) -> [(&'static str, String); 5] {
        [
            ("", self.kind),
            ("method", self.method),
            ("carrier", self.carrier),
            ("cost", self.cost),
            ("address", self.address),
        ]
    }
}

/// Who and where: `name, street, postal code city, country, phone`.
fn address_text(a: &ShopAddress) -> String {
    let name = format!("{} {}", a.first_name.trim(), a.last_name.trim());
    let phone = a.phone.as_deref().unwrap_or("");
    [name.trim(), a.one_line().as_str(), phone.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}
