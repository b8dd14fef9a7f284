//! The catalog as a shop gives it (DESIGN.md §1 "Catalog sync"): its products with the
//! categories they are in, and the rule that picks one category for a product in several
//! (§1.5).

use super::Money;
use serde::{Deserialize, Serialize};

/// The category a product whose shop no longer has it goes to.
pub const UNCATEGORIZED: &str = "Uncategorized";

/// One category a product is in, as the shop's tree places it: the names from the top
/// level down to it (`["Kitchen", "Mugs"]` is level 2), and whether the shop shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryPath {
    pub path: Vec<String>,
    pub enabled: bool,
}

impl CategoryPath {
    pub fn level(&self) -> usize {
        self.path.len()
    }

    /// The category's own name (the last of its path).
    pub fn name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    /// Whether `self` lies on the way down to `other` (or is it).
    fn above(&self, other: &CategoryPath) -> bool {
        other.path.starts_with(&self.path)
    }
}

/// One sellable product of a shop's catalog: the id its order lines name it by (the variant's
/// where the platform has variants), its SKU, name, price, categories, and whether the shop
/// offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopProduct {
    pub remote_id: String,
    /// The shop's id of the product this one is a variant of (`None` for a product of its
    /// own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub sku: String,
    pub name: String,
    /// `None`: the shop gave no price (a product without one keeps its local price).
    pub price: Option<Money>,
    pub categories: Vec<CategoryPath>,
    pub enabled: bool,
}

impl ShopProduct {
    /// The category the product takes (§1.5); `None` when the shop gives it none. Disabled
    /// categories count as any other.
    pub fn category(&self) -> Option<&str> {
        pick_category(&self.categories).map(CategoryPath::name)
    }
}

/// Where a store's catalog sync stands, kept in the store per store and written with each
/// page, so a sync cut short resumes at the page after the last one written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogProgress {
    /// Which pass over the whole catalog this is (from 1).
    pub pass: u64,
    /// The page to read next (the shop's `next` of the last page written); `None` at the
    /// start of a pass, and once it is complete.
    pub next: Option<String>,
    pub pages: u64,
    /// Products of the shop read in this pass so far, and in all when the shop says.
    pub done: u64,
    pub total: Option<u64>,
    pub created: u64,
    pub updated: u64,
    /// Shop products left out (no SKU).
    pub skipped: u64,
    /// Products this store's orders or codes knew that the shop no longer has.
    pub uncategorized: u64,
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// When the pass was complete (every page read, the products gone from the shop marked).
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl CatalogProgress {
    /// A new pass after `last` (the first when there is none).
    pub fn next_pass(last: Option<&CatalogProgress>, now: chrono::DateTime<chrono::Utc>) -> Self {
        CatalogProgress {
            pass: last.map_or(1, |l| l.pass + 1),
            next: None,
            pages: 0,
            done: 0,
            total: None,
            created: 0,
            updated: 0,
            skipped: 0,
            uncategorized: 0,
            started_at: now,
            finished_at: None,
        }
    }

    /// The outcome in one line, for the sync log and the command line.
    pub fn summary(&self) -> String {
        format!(
            "catalog: {} products read, {} created, {} updated, {} skipped (no SKU), {} gone from the shop (\"{UNCATEGORIZED}\")",
            self.done, self.created, self.updated, self.skipped, self.uncategorized
        )
    }
}

/// DESIGN.md §1.5: categories on one chain give the deepest; otherwise the most general level
/// wins, and of several on that level the first in alphabetical order (case folded).
pub fn pick_category(categories: &[CategoryPath]) -> Option<&CategoryPath> {
    let named: Vec<&CategoryPath> = categories.iter().filter(|c| !c.path.is_empty()).collect();
    let deepest = named.iter().max_by_key(|c| c.level())?;
    if named.iter().all(|c| c.above(deepest)) {
        return Some(deepest);
    }
    let top = named.iter().map(|c| c.level()).min()?;
    named
        .into_iter()
        .filter(|c| c.level() == top)
        .min_by(|a, b| sort_key(a.name()).cmp(&sort_key(b.name())))
}

fn sort_key(name: &str) -> (String, &str) {
    (super::text::fold(name), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &[&str]) -> CategoryPath {
        CategoryPath {
            path: path.iter().map(|s| s.to_string()).collect(),
            enabled: true,
        }
    }

    fn picked(categories: &[CategoryPath]) -> Option<String> {
        pick_category(categories).map(|c| c.name().to_string())
    }

    #[test]
    fn one_chain_gives_the_deepest() {
        let chain = [
            at(&["Home"]),
            at(&["Home", "Kitchen", "Mugs"]),
            at(&["Home", "Kitchen"]),
        ];
        assert_eq!(picked(&chain).as_deref(), Some("Mugs"));
    }

    #[test]
    fn one_level_gives_the_first_alphabetically() {
        let level = [
            at(&["Home", "Lamps"]),
            at(&["Home", "candles"]),
            at(&["Gifts", "Ézi"]),
        ];
        assert_eq!(picked(&level).as_deref(), Some("candles"));
        let accents = [at(&["Zebra"]), at(&["Élan"]), at(&["Fa"])];
        assert_eq!(picked(&accents).as_deref(), Some("Élan"));
    }

    #[test]
    fn different_levels_give_the_more_general() {
        let mixed = [
            at(&["Kitchen", "Mugs"]),
            at(&["Sale"]),
            at(&["Kitchen"]),
            at(&["Gifts", "Mugs", "Blue"]),
        ];
        assert_eq!(picked(&mixed).as_deref(), Some("Kitchen"));
        let disabled = [
            CategoryPath {
                enabled: false,
                ..at(&["Archive"])
            },
            at(&["Stationery", "Pens"]),
        ];
        assert_eq!(picked(&disabled).as_deref(), Some("Archive"));
    }

    #[test]
    fn no_category_gives_none() {
        assert_eq!(picked(&[]), None);
        assert_eq!(picked(&[at(&[])]), None);
    }
}
