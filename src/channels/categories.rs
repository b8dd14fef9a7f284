//! A shop's category tree as its API lists it (each category with its parent's id), turned
//! into the paths a catalog page carries ([`CategoryPath`]); written once for every connector.

use crate::channels::ChannelError;
use crate::domain::catalog::CategoryPath;
use std::collections::HashMap;

/// One category as the shop lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopCategory {
    pub id: String,
    pub name: String,
    /// `None` (or an id the list does not hold, such as a platform's hidden root): a top level.
    pub parent: Option<String>,
    pub enabled: bool,
}

/// The tree of one shop's categories.
#[derive(Debug, Clone, Default)]
pub struct CategoryTree {
    by_id: HashMap<String, ShopCategory>,
}

/// A shop's category tree, read once per connector (by the first catalog page).
#[derive(Debug, Default)]
pub struct CategoryCache(tokio::sync::Mutex<Option<CategoryTree>>);

impl CategoryCache {
    /// The tree, read by `read` the first time.
    pub async fn get_or_read(
        &self,
        read: impl std::future::Future<Output = Result<Vec<ShopCategory>, ChannelError>>,
    ) -> Result<CategoryTree, ChannelError> {
        let mut held = self.0.lock().await;
        if let Some(tree) = held.as_ref() {
            return Ok(tree.clone());
        }
        let tree = CategoryTree::new(read.await?);
        *held = Some(tree.clone());
        Ok(tree)
    }
}

/// How deep a path may go: a loop in the shop's parents stops here.
const MAX_DEPTH: usize = 32;

impl CategoryTree {
    pub fn new(categories: impl IntoIterator<Item = ShopCategory>) -> CategoryTree {
        CategoryTree {
            by_id: categories.into_iter().map(|c| (c.id.clone(), c)).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The path down to category `id`; `None` for an id the tree does not hold. A category
    /// counts as enabled only when it and every one above it are.
    pub fn path(&self, id: &str) -> Option<CategoryPath> {
        let mut at = self.by_id.get(id.trim())?;
        let mut names = vec![at.name.trim().to_string()];
        let mut enabled = at.enabled;
        while let Some(parent) = at.parent.as_deref().and_then(|p| self.by_id.get(p.trim())) {
            if names.len() >= MAX_DEPTH || parent.id == at.id {
                tracing::warn!(
                    id,
                    "the shop's category tree loops; cut at {MAX_DEPTH} levels"
                );
                break;
            }
            names.push(parent.name.trim().to_string());
            enabled &= parent.enabled;
            at = parent;
        }
        names.reverse();
        Some(CategoryPath {
            path: names,
            enabled,
        })
    }

    /// The paths of `ids` (those the tree does not hold left out, with a warning).
    pub fn paths<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Vec<CategoryPath> {
        ids.into_iter()
            .filter_map(|id| {
                let found = self.path(id);
                if found.is_none() {
                    tracing::warn!(id, "a product names a category the shop does not list");
                }
                found
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: &str, name: &str, parent: Option<&str>, enabled: bool) -> ShopCategory {
        ShopCategory {
            id: id.into(),
            name: name.into(),
            parent: parent.map(str::to_string),
            enabled,
        }
    }

    #[test]
    fn paths_go_from_the_top_down_and_stop_at_a_loop() {
        let tree = CategoryTree::new([
            cat("1", "Root", None, true),
            cat("2", "Kitchen", Some("1"), true),
            cat("3", "Mugs", Some("2"), true),
            cat("4", "Sale", Some("99"), false),
            cat("5", "A", Some("6"), true),
            cat("6", "B", Some("5"), true),
        ]);
        let mugs = tree.path("3").expect("a path");
        assert_eq!(mugs.path, ["Root", "Kitchen", "Mugs"]);
        assert!(mugs.enabled);
        let sale = tree.path(" 4 ").expect("a path");
        assert_eq!(
            (sale.path.clone(), sale.enabled),
            (vec!["Sale".to_string()], false)
        );
        assert_eq!(tree.path("5").expect("cut").path.len(), MAX_DEPTH);
        assert_eq!(tree.paths(["2", "77"]).len(), 1);
    }
}
