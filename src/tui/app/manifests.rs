//! The Manifests view (M): the list of manifests, one manifest's orders, a new manifest, and
//! shipping (after a question) or printing the one under the cursor.

use super::modal::{Field, Form, FormKind, ModalBody, OnYes};
use super::{App, Effect, View};
use crate::domain::manifest::Manifest;
use crate::engine::command::Command;
use crate::tui::action::Action;

impl App {
    pub(super) fn open_manifests(&mut self) -> Vec<Effect> {
        self.view = View::Manifests { sel: 0 };
        vec![Effect::LoadManifests]
    }

    /// The manifest under the cursor (list) or shown (detail).
    fn current_manifest(&self) -> Option<&Manifest> {
        match &self.view {
            View::Manifests { sel } => self.manifests.get(*sel),
            View::Manifest { id, .. } => self.manifests.iter().find(|m| m.id == *id),
            _ => None,
        }
    }

    pub(super) fn manifests_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::NewRecord => return self.open_new_manifest(),
            Action::ShipManifest => return self.ask_ship_manifest(),
            Action::RemoveFromManifest => return self.open_remove_from_manifest(),
            Action::PrintManifest => {
                let Some(id) = self.current_manifest().map(|m| m.id) else {
                    return Vec::new();
                };
                return vec![self.command(
                    None,
                    &format!("manifest {id}"),
                    Command::PrintManifest(id),
                )];
            }
            _ => {}
        }
        let len = self.manifests.len();
        let by = super::actions::scroll_step(action, self.body_height().max(1) as isize);
        match &mut self.view {
            View::Manifests { sel } => match (action, by) {
                (Action::Back, _) => self.view = View::Main,
                (Action::Open, _) => {
                    if let Some(m) = self.manifests.get(*sel) {
                        let id = m.id;
                        self.view = View::Manifest {
                            id,
                            detail: None,
                            scroll: 0,
                        };
                        return vec![Effect::LoadManifest(id)];
                    }
                }
                (_, Some(by)) => *sel = super::actions::moved(*sel, by, len),
                _ => {}
            },
            View::Manifest { id, .. } => match (action, by) {
                (Action::Back, _) => {
                    let at = self.manifests.iter().position(|m| m.id == *id).unwrap_or(0);
                    self.view = View::Manifests { sel: at };
                }
                (_, Some(by)) => self.scroll_detail(by),
                _ => {}
            },
            _ => {}
        }
        Vec::new()
    }

    fn open_new_manifest(&mut self) -> Vec<Effect> {
        let carriers = self.all_carriers();
        if carriers.is_empty() {
            return self.say("no carrier is mapped: add one under [store.carriers]".into());
        }
        let f = Form {
            title: " New manifest ".into(),
            intro: vec!["A manifest groups the parcels one carrier takes away.".into()],
            fields: vec![Field::choice("carrier", "Carrier", carriers)],
            focus: 0,
            kind: FormKind::NewManifest,
            label: "manifest".into(),
            error: None,
            busy: false,
        };
        self.push_modal(ModalBody::Form(f));
        Vec::new()
    }

    fn open_remove_from_manifest(&mut self) -> Vec<Effect> {
        let Some(m) = self.current_manifest().cloned() else {
            return Vec::new();
        };
        if !m.is_open() {
            return self.say(format!("manifest {} is already shipped", m.id));
        }
        let orders: Vec<(u64, String)> = m
            .orders
            .iter()
            .map(|o| (o.order_id, format!("{}:{}", o.store, o.name)))
            .collect();
        if orders.is_empty() {
            return self.say(format!("manifest {} has no orders", m.id));
        }
        let f = Form {
            title: format!(" Take an order off manifest {} ", m.id),
            intro: vec!["It stays ready to ship, free for another manifest.".into()],
            fields: vec![Field::choice(
                "order",
                "Order",
                orders.iter().map(|(_, n)| n.clone()).collect(),
            )],
            focus: 0,
            kind: FormKind::RemoveFromManifest {
                manifest_id: m.id,
                orders,
            },
            label: format!("manifest {}", m.id),
            error: None,
            busy: false,
        };
        self.push_modal(ModalBody::Form(f));
        Vec::new()
    }

    fn ask_ship_manifest(&mut self) -> Vec<Effect> {
        let Some(m) = self.current_manifest().cloned() else {
            return Vec::new();
        };
        if !m.is_open() {
            return self.say(format!("manifest {} is already shipped", m.id));
        }
        if m.orders.is_empty() {
            return self.say(format!(
                "manifest {} has no orders: add some with t in Pending orders",
                m.id
            ));
        }
        let lines = vec![
            format!(
                "Hand manifest {} ({}, {} orders) to the carrier?",
                m.id,
                m.carrier,
                m.orders.len()
            ),
            "• each of its orders is marked shipped,".into(),
            "• each shop is told, with the carrier and tracking number.".into(),
        ];
        self.confirm(
            "Mark the manifest shipped",
            lines,
            OnYes::Command {
                label: format!("manifest {}", m.id),
                command: Command::ShipManifest(m.id),
            },
        );
        Vec::new()
    }

    /// Every local carrier name some store maps, sorted, once each.
    pub(super) fn all_carriers(&self) -> Vec<String> {
        let mut carriers: Vec<String> = self
            .settings
            .carriers
            .iter()
            .flat_map(|(_, c)| c.iter().cloned())
            .collect();
        carriers.sort();
        carriers.dedup();
        carriers
    }

    /// The manifests again, and the one shown.
    pub(super) fn manifests_again(&self) -> Vec<Effect> {
        let mut out = vec![Effect::LoadManifests];
        if let View::Manifest { id, .. } = self.view {
            out.push(Effect::LoadManifest(id));
        }
        out
    }

    pub(super) fn manifests_loaded(&mut self, list: Vec<Manifest>) {
        self.manifests = list;
        if let View::Manifests { sel } = &mut self.view {
            *sel = (*sel).min(self.manifests.len().saturating_sub(1));
        }
    }
}
