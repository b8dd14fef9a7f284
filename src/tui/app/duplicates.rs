//! Duplicate SKUs in the console (`U`): the products that share a SKU, one row each, grouped
//! by SKU. `m` keeps the product under the cursor and merges another of its SKU into it —
//! order lines, mappings, stock and remote codes move, as `orderdesk product ID merge INTO`
//! does — after a question (a merge cannot be undone). A group of three takes two merges.

use super::modal::OnYes;
use super::{App, Effect, View};
use crate::domain::Product;
use crate::engine::command::Command;
use crate::tui::action::Action;

impl App {
    pub(super) fn open_duplicates(&mut self) -> Vec<Effect> {
        self.view = View::Duplicates { sel: 0 };
        vec![Effect::LoadDuplicates]
    }

    /// The products one after another, as the view lists them: (SKU, product).
    pub fn duplicate_rows(&self) -> impl Iterator<Item = (&str, &Product)> {
        (self.duplicates.iter()).flat_map(|(sku, ps)| ps.iter().map(move |p| (sku.as_str(), p)))
    }

    pub(super) fn duplicates_action(&mut self, action: Action) -> Vec<Effect> {
        let View::Duplicates { sel } = self.view else {
            return Vec::new();
        };
        let len = self.duplicate_rows().count();
        let by = match action {
            Action::Back => {
                self.view = View::Main;
                return Vec::new();
            }
            Action::MergeProducts => return self.ask_merge(sel),
            other => match super::actions::scroll_step(other, 10) {
                Some(by) => by,
                None => return Vec::new(),
            },
        };
        if let View::Duplicates { sel } = &mut self.view {
            *sel = super::actions::moved(*sel, by, len);
        }
        Vec::new()
    }

    /// Keeps the product at row `sel`: asks whether to merge the first other product of its
    /// SKU into it.
    fn ask_merge(&mut self, sel: usize) -> Vec<Effect> {
        let Some((sku, keep)) = self.duplicate_rows().nth(sel) else {
            return self.say("no duplicate SKU to merge".into());
        };
        let group = self
            .duplicates
            .iter()
            .find(|(s, _)| s == sku)
            .map(|(_, ps)| ps.as_slice())
            .unwrap_or_default();
        let Some(from) = group.iter().find(|p| p.id != keep.id) else {
            return self.say(format!("{} is the only product with SKU {sku}", keep.id));
        };
        let mut lines = vec![
            format!(
                "Keep {} ({}) and merge {} ({}) into it?",
                keep.id, keep.name, from.id, from.name
            ),
            format!(
                "Its order lines, mappings, stock ({}) and shop codes move to {}.",
                from.stock, keep.id
            ),
            format!("{} is removed: a merge cannot be undone.", from.id),
        ];
        if group.len() > 2 {
            lines.push(format!(
                "{} more of SKU {sku} stay: m again for each.",
                group.len() - 2
            ));
        }
        let label = format!("{} into {}", from.id, keep.id);
        let command = Command::MergeProducts {
            from: from.id.clone(),
            into: keep.id.clone(),
        };
        self.confirm("Merge products", lines, OnYes::Command { label, command });
        Vec::new()
    }

    pub(super) fn duplicates_loaded(&mut self, groups: Vec<(String, Vec<Product>)>) {
        self.duplicates = groups;
        let len = self.duplicate_rows().count();
        if let View::Duplicates { sel } = &mut self.view {
            *sel = (*sel).min(len.saturating_sub(1));
        }
    }
}
