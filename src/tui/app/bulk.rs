//! Many orders at once: the Pending pane's selection (space, select all the filter shows) and
//! what acts on it (a status for each, onto a manifest with a tracking number each). Each order
//! goes on its own; the report names each one's outcome.

use super::modal::{Field, Form, FormKind, ModalBody};
use super::{App, Effect, Pane, View};
use crate::domain::OrderState;
use crate::domain::lifecycle::StatusChange;
use crate::engine::OrderRow;
use crate::engine::command::{Command, ManifestTarget};

/// Select all takes at most this many orders (the report lists each).
pub const SELECT_MAX: usize = 500;

/// The moves a bulk status change offers (those needing no per-order input).
const BULK_TARGETS: [OrderState; 3] = [
    OrderState::ReadyToShip,
    OrderState::ReadyForPickup,
    OrderState::Completed,
];

impl App {
    /// Space: the order under the cursor in or out of the selection; the cursor moves on.
    pub(super) fn toggle_select(&mut self) -> Vec<Effect> {
        if self.view != View::Main || self.focus != Pane::Pending {
            return self.say("select orders in Pending orders (1)".into());
        }
        let Some(row) = self.pending.selected().cloned() else {
            return Vec::new();
        };
        if self.selected.remove(&row.id).is_none() {
            self.selected.insert(row.id, row);
        }
        self.move_by(1)
    }

    /// Every order the pane shows (under its filter), asked of the engine.
    pub(super) fn select_all(&mut self) -> Vec<Effect> {
        if self.view != View::Main || self.focus != Pane::Pending {
            return self.say("select orders in Pending orders (1)".into());
        }
        self.notice = Some("selecting…".into());
        vec![Effect::SelectAll(self.pending.filter.clone())]
    }

    pub(super) fn selected_all(&mut self, rows: Result<Vec<OrderRow>, String>) -> Vec<Effect> {
        match rows {
            Ok(rows) => {
                let capped = rows.len() > SELECT_MAX;
                for row in rows.into_iter().take(SELECT_MAX) {
                    self.selected.insert(row.id, row);
                }
                self.notice = Some(format!(
                    "{} selected{}",
                    self.selected.len(),
                    if capped {
                        format!(" (at most {SELECT_MAX} at once)")
                    } else {
                        String::new()
                    }
                ));
            }
            Err(e) => self.notice = Some(format!("selecting: {e}")),
        }
        Vec::new()
    }

    /// The selection's orders as `(id, STORE:NAME)`, in the pane's order.
    pub(super) fn selection(&self) -> Vec<(u64, String)> {
        let mut rows: Vec<&OrderRow> = self.selected.values().collect();
        rows.sort_by(|a, b| a.key.0.cmp(&b.key.0));
        rows.iter().map(|r| (r.id, reference(r))).collect()
    }

    /// `s` with orders selected: one status for each.
    pub(super) fn open_bulk_status(&mut self) -> Vec<Effect> {
        let orders = self.selection();
        let options = BULK_TARGETS.iter().map(|s| s.label().to_string()).collect();
        let f = Form {
            title: format!(" Change status — {} selected orders ", orders.len()),
            intro: vec![
                "Each order moves on its own: one that cannot is reported, the rest go on.".into(),
                "Shipped (with tracking) goes through a manifest: t on the selection.".into(),
            ],
            fields: vec![Field::choice("to", "Move to", options)],
            focus: 0,
            kind: FormKind::BulkStatus { orders },
            label: "selected orders".into(),
            error: None,
            busy: false,
        };
        self.push_modal(ModalBody::Form(f));
        Vec::new()
    }

    /// `t`: the selection (or the order under the cursor) onto a manifest, with tracking.
    pub(super) fn open_add_to_manifest(&mut self) -> Vec<Effect> {
        if self.view != View::Main || self.focus != Pane::Pending {
            return self.say("add orders to a manifest from Pending orders (1)".into());
        }
        let mut orders = self.selection();
        if orders.is_empty()
            && let Some(row) = self.pending.selected()
        {
            orders.push((row.id, reference(row)));
        }
        if orders.is_empty() {
            return Vec::new();
        }
        let mut targets: Vec<ManifestTarget> = self
            .manifests
            .iter()
            .filter(|m| m.is_open())
            .map(|m| ManifestTarget::Open {
                id: m.id,
                carrier: m.carrier.clone(),
                orders: m.orders.len(),
            })
            .collect();
        targets.extend(
            self.all_carriers()
                .into_iter()
                .map(|carrier| ManifestTarget::New { carrier }),
        );
        if targets.is_empty() {
            return self.say("no carrier is mapped: add one under [store.carriers]".into());
        }
        let mut fields = vec![Field::choice(
            "manifest",
            "Manifest",
            targets.iter().map(ManifestTarget::label).collect(),
        )];
        for (_, name) in &orders {
            fields.push(Field::text("tracking", name.clone(), ""));
        }
        let f = Form {
            title: format!(" Add {} order(s) to a manifest ", orders.len()),
            intro: vec![
                "Only ready-to-ship orders go on; each is reported on its own.".into(),
                "The tracking number of each order:".into(),
            ],
            fields,
            focus: 1,
            kind: FormKind::AddToManifest { orders, targets },
            label: "selected orders".into(),
            error: None,
            busy: false,
        };
        self.push_modal(ModalBody::Form(f));
        Vec::new()
    }

    /// The command a bulk form asks for, or `None` after showing what is missing.
    pub(super) fn bulk_command(f: &mut Form) -> Option<Command> {
        match &f.kind {
            FormKind::BulkStatus { orders } => {
                let to = f.value("to");
                let change = match BULK_TARGETS.iter().find(|s| s.label() == to) {
                    Some(OrderState::ReadyForPickup) => StatusChange::ReadyForPickup,
                    Some(OrderState::Completed) => StatusChange::Completed,
                    _ => StatusChange::ReadyToShip,
                };
                Some(Command::BulkStatus {
                    order_ids: orders.iter().map(|(id, _)| *id).collect(),
                    change,
                })
            }
            FormKind::AddToManifest { orders, targets } => {
                let chosen = f.value("manifest");
                let target = targets.iter().find(|t| t.label() == chosen)?.clone();
                let tracking: Vec<String> = f
                    .fields
                    .iter()
                    .filter(|x| x.name == "tracking")
                    .map(|x| x.value().trim().to_string())
                    .collect();
                if let Some(i) = tracking.iter().position(String::is_empty) {
                    f.focus = i + 1;
                    f.fields[i + 1].error = Some("a tracking number is needed".into());
                    return None;
                }
                let orders = orders
                    .iter()
                    .zip(tracking)
                    .map(|((id, _), t)| (*id, t))
                    .collect();
                Some(Command::AddToManifest { target, orders })
            }
            _ => None,
        }
    }

    /// A bulk report: the forms close, the selection is done with, the report stays until
    /// closed.
    pub(super) fn show_report(&mut self, title: String, lines: Vec<String>) {
        self.bulk = None;
        self.modals.clear();
        self.selected.clear();
        self.notice = lines.first().cloned();
        self.confirm(&title, lines, super::modal::OnYes::Close);
    }
}

/// An order row as `STORE:NAME` (`web:1042`), as the command line names it.
fn reference(r: &OrderRow) -> String {
    format!("{}:{}", r.store, r.name.trim_start_matches('#'))
}
