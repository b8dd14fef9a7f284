//! What each action does to the state, and the effects it asks for.

use super::{App, Effect, Pane, View};
use crate::tui::action::Action;

impl App {
    /// What an action does; the heart of the console.
    pub fn action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            Action::Redraw => return vec![Effect::Redraw],
            _ => {}
        }
        if let Some(current) = self.help {
            if matches!(action, Action::Back | Action::Help) {
                self.help = None;
                return Vec::new();
            }
            let page = self.size.1.saturating_sub(6).max(1) as isize;
            let Some(by) = scroll_step(action, page) else {
                return Vec::new();
            };
            let max = crate::tui::ui::help::max_scroll(self);
            let scroll = (current as isize).saturating_add(by).clamp(0, max as isize) as usize;
            self.help = Some(scroll);
            return Vec::new();
        }
        if self.prompt.is_some() {
            return self.prompt_action(action);
        }
        if !self.modals.is_empty() {
            if action == Action::Help {
                self.help = Some(0);
                return Vec::new();
            }
            return self.modal_action(action);
        }
        if matches!(self.view, View::Duplicates { .. })
            && !matches!(
                action,
                Action::Help | Action::Sync | Action::SyncAll | Action::CommandLine
            )
        {
            return self.duplicates_action(action);
        }
        if matches!(self.view, View::Invoices { .. })
            && !matches!(
                action,
                Action::Help | Action::Sync | Action::SyncAll | Action::CommandLine
            )
        {
            return self.invoices_action(action);
        }
        if matches!(self.view, View::Manifests { .. } | View::Manifest { .. })
            && !matches!(
                action,
                Action::Help | Action::Sync | Action::SyncAll | Action::CommandLine
            )
        {
            return self.manifests_action(action);
        }
        if App::is_operator(action) {
            return self.operator_action(action);
        }
        match action {
            Action::Help => {
                self.help = Some(0);
                Vec::new()
            }
            Action::Sync => vec![self.sync_effect()],
            Action::CatalogSync => self.ask_catalog_sync(),
            Action::CommandLine => self.open_command_line(),
            Action::SyncAll => {
                self.notice = Some("sync requested for every store".into());
                vec![Effect::Sync(None)]
            }
            Action::Manifests => self.open_manifests(),
            Action::Invoices => self.open_invoices(),
            Action::Duplicates => self.open_duplicates(),
            Action::PrintReceipt => self.print_receipt(),
            _ if self.view != View::Main => self.detail_action(action),
            Action::ToggleSelect => self.toggle_select(),
            Action::SelectAll => self.select_all(),
            Action::AddToManifest => self.open_add_to_manifest(),
            Action::GenerateInvoices => self.generate_invoices(),
            Action::Back if !self.selected.is_empty() => {
                let n = self.selected.len();
                self.selected.clear();
                self.say(format!("{n} unselected"))
            }
            Action::NextPane => {
                self.focus = self.focus.step(1);
                Vec::new()
            }
            Action::PrevPane => {
                self.focus = self.focus.step(-1);
                Vec::new()
            }
            Action::FocusPending => self.focus_on(Pane::Pending),
            Action::FocusSyncLog => self.focus_on(Pane::SyncLog),
            Action::FocusErrors => self.focus_on(Pane::Errors),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.focused_view() as isize)),
            Action::PageDown => self.move_by(self.focused_view() as isize),
            Action::Top => self.jump(true),
            Action::Bottom => self.jump(false),
            Action::Open => self.open(),
            Action::Filter => self.open_filter(),
            Action::Back => self.clear_filter(),
            _ => Vec::new(),
        }
    }

    fn focus_on(&mut self, pane: Pane) -> Vec<Effect> {
        self.focus = pane;
        Vec::new()
    }

    /// The store of the run under the cursor (the Sync log) or shown.
    fn store_in_view(&self) -> Option<String> {
        match (self.focus, &self.view) {
            (Pane::SyncLog, View::Main) => {
                self.runs.get(self.runs_cursor.sel).map(|r| r.store.clone())
            }
            (_, View::Run { run: Some(r), .. }) => Some(r.store.clone()),
            _ => None,
        }
    }

    /// `c`: asks before syncing the catalog of the store in view.
    fn ask_catalog_sync(&mut self) -> Vec<Effect> {
        let Some(store) = self.store_in_view() else {
            return self.say("select a run of the store in the Sync log (2), then c".into());
        };
        if let Some(bar) = self.catalog.as_ref().filter(|b| b.store == store) {
            return self.say(format!(
                "{}: its catalog sync is running ({} done)",
                store, bar.done
            ));
        }
        let lines = vec![
            format!("Pull every product of {store}'s shop into the catalog?"),
            "It rewrites product names, prices and categories from the shop;".into(),
            "it runs in the background and resumes where it stopped.".into(),
        ];
        let command = crate::engine::command::Command::CatalogSync {
            store: store.clone(),
        };
        let label = format!("catalog sync of {store}");
        self.confirm(
            "Sync the catalog",
            lines,
            super::modal::OnYes::Command { label, command },
        );
        Vec::new()
    }

    fn sync_effect(&mut self) -> Effect {
        let store = self.store_in_view();
        self.notice = Some(match &store {
            Some(s) => format!("sync requested for {s}"),
            None => "sync requested for every store".to_string(),
        });
        Effect::Sync(store)
    }

    fn focused_view(&self) -> usize {
        match self.focus {
            Pane::Pending => self.pending_view(),
            Pane::SyncLog => self.runs_view(),
            Pane::Errors => self.problems_view(),
        }
        .max(1)
    }

    pub(super) fn move_by(&mut self, by: isize) -> Vec<Effect> {
        match self.focus {
            Pane::Pending => {
                let view = self.pending_view();
                self.pending
                    .move_by(by, view)
                    .into_iter()
                    .map(Effect::LoadPending)
                    .collect()
            }
            Pane::SyncLog => {
                let view = self.runs_view();
                self.runs_cursor.move_by(by, self.runs.len(), view);
                Vec::new()
            }
            Pane::Errors => {
                let view = self.problems_view();
                super::problems::load(self.problems.move_by(by, view))
            }
        }
    }

    fn jump(&mut self, top: bool) -> Vec<Effect> {
        let view = self.pending_view();
        match (self.focus, top) {
            (Pane::Pending, true) => self
                .pending
                .top(view)
                .into_iter()
                .map(Effect::LoadPending)
                .collect(),
            (Pane::Pending, false) => self
                .pending
                .bottom(view)
                .into_iter()
                .map(Effect::LoadPending)
                .collect(),
            (_, true) => self.move_by(isize::MIN / 2),
            (_, false) => self.move_by(isize::MAX / 2),
        }
    }

    fn open(&mut self) -> Vec<Effect> {
        match self.focus {
            Pane::Pending => match self.pending.selected() {
                Some(row) => self.open_order(row.id),
                None => Vec::new(),
            },
            Pane::SyncLog => match self.runs.get(self.runs_cursor.sel) {
                Some(run) => {
                    let id = run.id;
                    // Show what we have at once; the full run follows.
                    self.view = View::Run {
                        id,
                        run: Some(Box::new(run.clone())),
                        scroll: 0,
                    };
                    vec![Effect::LoadRunDetail(id)]
                }
                None => Vec::new(),
            },
            Pane::Errors => match self.problems.selected().and_then(|p| p.order_id) {
                Some(id) => self.open_order(id),
                None => Vec::new(),
            },
        }
    }

    pub(super) fn open_order(&mut self, id: u64) -> Vec<Effect> {
        self.view = View::Order {
            id,
            detail: None,
            scroll: 0,
        };
        vec![Effect::LoadDetail(id)]
    }

    fn detail_action(&mut self, action: Action) -> Vec<Effect> {
        if action == Action::Back {
            self.view = View::Main;
            return Vec::new();
        }
        if let Some(by) = scroll_step(action, self.body_height().max(1) as isize) {
            self.scroll_detail(by);
        }
        Vec::new()
    }

    /// Scrolls the detail shown (an order, a run, a manifest) by `by` lines, within it.
    pub(super) fn scroll_detail(&mut self, by: isize) {
        let max = crate::tui::ui::detail_line_count(self).saturating_sub(self.body_height());
        if let View::Order { scroll, .. }
        | View::Run { scroll, .. }
        | View::Manifest { scroll, .. } = &mut self.view
        {
            *scroll = ((*scroll as isize).saturating_add(by)).clamp(0, max as isize) as usize;
        }
    }
}

/// How far a moving key goes, `page` rows being a page; `None` for a key that does not move.
pub(super) fn scroll_step(action: Action, page: isize) -> Option<isize> {
    Some(match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return None,
    })
}

/// A list cursor `sel` moved by `by` within `len` rows.
pub(super) fn moved(sel: usize, by: isize, len: usize) -> usize {
    (sel as isize)
        .saturating_add(by)
        .clamp(0, len.saturating_sub(1) as isize) as usize
}
