//! Where stock is set on a platform that keeps it by location (Shopify's locations,
//! Magento's sources): the one the store's `stock_location` names, by its id or its name (case
//! and surrounding spaces ignored), among those the shop lists. A name the shop does not have,
//! or a location it has switched off, is an error naming what the shop has, so the sync log
//! tells the operator what to write instead.

use crate::channels::ChannelError;

/// One place the shop keeps stock at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockPlace {
    /// What the platform sets stock by (a location's gid, a source's code).
    pub id: String,
    /// Other ids it answers to (a location's numeric id).
    pub aliases: Vec<String>,
    pub name: String,
    pub active: bool,
}

/// The id of the place `wanted` names among `places`; `what` names the kind ("location",
/// "source") in the messages.
pub fn pick(wanted: &str, places: &[StockPlace], what: &str) -> Result<String, ChannelError> {
    let w = wanted.trim();
    let by_id = places
        .iter()
        .find(|p| p.id == w || p.aliases.iter().any(|a| a == w));
    let by_name = || {
        let folded = w.to_lowercase();
        places
            .iter()
            .find(|p| p.name.trim().to_lowercase() == folded)
    };
    match by_id.or_else(by_name) {
        Some(p) if p.active => Ok(p.id.clone()),
        Some(p) => Err(ChannelError::Remote(format!(
            "stock_location \"{w}\": the shop's {what} \"{}\" is not active",
            p.name
        ))),
        None => {
            let known: Vec<String> = places
                .iter()
                .map(|p| format!("\"{}\" ({})", p.name, p.id))
                .collect();
            let known = match known.is_empty() {
                true => "none".to_string(),
                false => known.join(", "),
            };
            Err(ChannelError::Remote(format!(
                "stock_location \"{w}\" is not a {what} of the shop; its {what}s: {known}"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: &str, name: &str, active: bool) -> StockPlace {
        StockPlace {
            id: id.into(),
            aliases: vec![id.rsplit('/').next().unwrap_or(id).into()],
            name: name.into(),
            active,
        }
    }

    #[test]
    fn a_place_is_found_by_id_alias_or_name_and_a_wrong_one_names_what_there_is() {
        let places = [
            place("gid://shopify/Location/1", "Main warehouse", true),
            place("gid://shopify/Location/2", "Shop floor", true),
            place("gid://shopify/Location/3", "Old depot", false),
        ];
        let found = |w: &str| pick(w, &places, "location");
        assert_eq!(
            found(" shop FLOOR ").as_deref(),
            Ok("gid://shopify/Location/2")
        );
        assert_eq!(found("2").as_deref(), Ok("gid://shopify/Location/2"));
        assert_eq!(
            found("gid://shopify/Location/1").as_deref(),
            Ok("gid://shopify/Location/1")
        );
        let Err(ChannelError::Remote(off)) = found("Old depot") else {
            panic!("an inactive location is refused");
        };
        assert!(off.contains("not active"), "{off}");
        let Err(ChannelError::Remote(none)) = found("Attic") else {
            panic!("an unknown one is refused");
        };
        assert_eq!(
            none,
            "stock_location \"Attic\" is not a location of the shop; its locations: \
             \"Main warehouse\" (gid://shopify/Location/1), \"Shop floor\" \
             (gid://shopify/Location/2), \"Old depot\" (gid://shopify/Location/3)"
        );
    }
}
