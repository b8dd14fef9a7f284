//! The console's state and its one update function: messages in, effects out. Nothing here
//! does I/O; the event loop runs the effects against the engine and feeds the answers back.

mod actions;
mod answers;
mod bulk;
mod duplicates;
mod events;
mod fields;
pub mod forms;
mod invoices;
mod manifests;
pub mod modal;
mod modals;
mod msg;
mod operator;
pub mod pending;
pub mod problems;
pub mod prompt;
mod submit;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_bulk;
#[cfg(test)]
pub(crate) mod tests_forms;
#[cfg(test)]
mod tests_picker_search;
#[cfg(test)]
mod tests_prompt;
#[cfg(test)]
mod tests_status;
#[cfg(test)]
mod tests_terminal;

pub use bulk::SELECT_MAX;
pub use forms::Intent;
pub use modal::{Modal, ModalBody};
pub use msg::{Effect, Msg};
pub use pending::{Cursor, PageKind, PageRequest, PendingWindow};
pub use prompt::{Prompt, PromptKind};

use super::format::Zone;
use super::keymap::{Context, KeyHandler, Keymap};
use super::theme::Theme;
use super::ui::layout;
use crate::domain::manifest::Manifest;
use crate::engine::{
    Counts, InvoiceView, ManifestDetail, OrderDetail, OrderRow, StoreInfo, SyncRun,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// How many sync runs the Sync log shows.
pub const RUNS_SHOWN: usize = 200;

/// The three panes of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Pending,
    SyncLog,
    Errors,
}

impl Pane {
    const ORDER: [Pane; 3] = [Pane::Pending, Pane::SyncLog, Pane::Errors];
    fn step(self, by: isize) -> Pane {
        let i = Self::ORDER.iter().position(|p| *p == self).unwrap_or(0) as isize;
        Self::ORDER[(i + by).rem_euclid(3) as usize]
    }
}

/// What fills the body: the three panes, or one detail.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    Main,
    Order {
        id: u64,
        detail: Option<Box<OrderDetail>>,
        scroll: usize,
    },
    Run {
        id: u64,
        run: Option<Box<SyncRun>>,
        scroll: usize,
    },
    /// The shipping manifests, newest first; `sel` is the cursor.
    Manifests {
        sel: usize,
    },
    Manifest {
        id: u64,
        detail: Option<Box<ManifestDetail>>,
        scroll: usize,
    },
    /// Every invoice by store and number; `sel` is the cursor.
    Invoices {
        sel: usize,
    },
    /// The products sharing a SKU; `sel` is the cursor over their rows.
    Duplicates {
        sel: usize,
    },
}

/// Display settings that do not change while running.
#[derive(Debug, Clone)]
pub struct Settings {
    pub zone: Zone,
    pub theme: Theme,
    pub configured_stores: usize,
    pub log_file: PathBuf,
    /// Who is at the keyboard (shown in the header).
    pub operator: String,
    /// The payment methods the payment form offers (config `payment_methods`).
    pub payment_methods: Vec<String>,
    /// Per store, its local carrier names (config `[store.carriers]`).
    pub carriers: Vec<(String, Vec<String>)>,
    /// The default country for phone numbers written without one (config `phone_region`).
    pub phone_region: Option<String>,
    /// Config `terminal_title`: the terminal's title says how many orders need action.
    pub terminal_title: bool,
    /// Config `bell`: one bell when a new order needs action.
    pub bell: bool,
    /// Config `receipt_command`: what prints a receipt (none: a file in the data directory).
    pub receipt_command: Option<String>,
}

/// What the footer shows of a catalog sync running in the background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogBar {
    pub store: String,
    pub done: u64,
    pub total: Option<u64>,
    pub per_second: u64,
    pub seconds_left: Option<u64>,
}

pub struct App {
    pub settings: Settings,
    pub keymap: Keymap,
    pub keys: KeyHandler,
    pub size: (u16, u16),
    pub focus: Pane,
    pub view: View,
    /// The help overlay and its scroll.
    pub help: Option<usize>,
    pub counts: Counts,
    /// Whether counts came from the engine yet.
    counted: bool,
    pub pending: PendingWindow,
    pub runs: Vec<SyncRun>,
    pub runs_cursor: Cursor,
    /// The Sync log's pictures, and the outbox backlog's peak since it was last empty (how
    /// far it has drained).
    pub pictures: crate::engine::pictures::SyncPictures,
    pub outbox_peak: u64,
    pub problems: problems::ProblemsWindow,
    pub stores: Vec<StoreInfo>,
    /// Stores whose sync is running now.
    pub running: BTreeSet<String>,
    pub spinner: usize,
    /// One line for the footer: what just happened or failed.
    pub notice: Option<String>,
    /// Forms, pickers and confirmations over the panes; the last one gets keys first.
    pub modals: Vec<Modal>,
    /// The filter line or the command line at the bottom, while open.
    pub prompt: Option<Prompt>,
    /// The Pending filter in force, as typed (empty: none).
    pub filter_text: String,
    /// The orders selected in the Pending pane (space, select all), by id.
    pub selected: BTreeMap<u64, OrderRow>,
    /// Every manifest, newest first (the Manifests view, the add-to-manifest form).
    pub manifests: Vec<Manifest>,
    /// Every invoice (the Invoices view), loaded when it opens and as invoices change.
    pub invoices: Vec<InvoiceView>,
    /// The products sharing a SKU, by SKU (the Duplicates view), loaded when it opens and
    /// after each change.
    pub duplicates: Vec<(String, Vec<crate::domain::Product>)>,
    /// A bulk action under way: `(done, total)` orders.
    pub bulk: Option<(usize, usize)>,
    /// A store's catalog sync under way, as its last progress event told.
    pub catalog: Option<CatalogBar>,
    next_modal: u64,
    /// Numbers searches and commands, so a stale search answer is dropped.
    seq: u64,
    pub quit: bool,
}

impl App {
    pub fn new(settings: Settings, keymap: Keymap, size: (u16, u16)) -> App {
        App {
            settings,
            keymap,
            keys: KeyHandler::default(),
            size,
            focus: Pane::Pending,
            view: View::Main,
            help: None,
            counts: Counts::default(),
            counted: false,
            pending: PendingWindow::default(),
            runs: Vec::new(),
            runs_cursor: Cursor::default(),
            pictures: Default::default(),
            outbox_peak: 0,
            problems: problems::ProblemsWindow::default(),
            stores: Vec::new(),
            running: BTreeSet::new(),
            spinner: 0,
            notice: None,
            modals: Vec::new(),
            prompt: None,
            filter_text: String::new(),
            selected: BTreeMap::new(),
            manifests: Vec::new(),
            invoices: Vec::new(),
            duplicates: Vec::new(),
            bulk: None,
            catalog: None,
            next_modal: 0,
            seq: 0,
            quit: false,
        }
    }

    /// What to ask the engine first.
    pub fn init(&self) -> Vec<Effect> {
        vec![
            Effect::LoadStores,
            Effect::LoadCounts,
            Effect::LoadPending(PendingWindow::start_with(
                self.pending.filter.clone(),
                self.pending_view(),
            )),
            Effect::LoadRuns,
            Effect::LoadPictures,
            self.load_problems(),
            Effect::LoadManifests,
        ]
    }

    /// The keymap contexts keys are looked up in, most specific first. A modal takes only
    /// its own contexts, so what is typed into a field never quits or syncs.
    pub fn contexts(&self) -> Vec<Context> {
        if self.help.is_some() {
            vec![Context::Help, Context::Global]
        } else if self.prompt.is_some() {
            vec![Context::Prompt]
        } else if self.modals.is_empty() {
            vec![self.body_context(), Context::Global]
        } else {
            self.modal_contexts()
        }
    }

    /// The contexts of the modal on top (none without one).
    pub fn modal_contexts(&self) -> Vec<Context> {
        match self.modals.last().map(|m| &m.body) {
            None => Vec::new(),
            Some(ModalBody::Form(_)) => vec![Context::Form],
            Some(ModalBody::Picker(_)) => vec![Context::Picker, Context::Form],
            Some(ModalBody::Confirm(_)) => vec![Context::Confirm],
        }
    }

    /// The context of the view under the modals and the help overlay.
    pub fn body_context(&self) -> Context {
        match self.view {
            View::Main => Context::List,
            View::Manifests { .. } | View::Manifest { .. } => Context::Manifests,
            View::Invoices { .. } => Context::Invoices,
            View::Duplicates { .. } => Context::Duplicates,
            _ => Context::Detail,
        }
    }

    pub fn syncing(&self) -> bool {
        !self.running.is_empty()
    }

    fn areas(&self) -> layout::MainAreas {
        layout::main_areas(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1))
    }
    /// Rows of orders the Pending pane shows.
    pub fn pending_view(&self) -> usize {
        self.areas().pending_rows()
    }
    fn runs_view(&self) -> usize {
        self.areas().sync_rows(self.pictures.durations.len())
    }
    fn problems_view(&self) -> usize {
        self.areas().errors_rows()
    }
    /// The Errors pane's rows again, around its cursor.
    pub(super) fn load_problems(&self) -> Effect {
        let (from, limit) = self.problems.around(self.problems_view());
        Effect::LoadProblems(from, limit)
    }
    fn body_height(&self) -> usize {
        self.areas().body.height.saturating_sub(2) as usize
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(ev) => {
                let contexts = self.contexts();
                match self.keys.feed(&self.keymap, &contexts, &ev) {
                    Some(action) => {
                        self.notice = None;
                        self.action(action)
                    }
                    None if self.prompt.is_some()
                        && self.help.is_none()
                        && self.keys.pending().is_empty() =>
                    {
                        self.prompt_key(&ev)
                    }
                    // A focused field takes the keys the keymap leaves unclaimed.
                    None if !self.modals.is_empty()
                        && self.help.is_none()
                        && self.keys.pending().is_empty() =>
                    {
                        self.modal_key(&ev)
                    }
                    None => Vec::new(),
                }
            }
            Msg::Action(a) => self.action(a),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                let view = self.pending_view();
                self.pending.fix_offset(view);
                self.runs_cursor.fix(self.runs.len(), self.runs_view());
                let mut out = problems::load(self.problems.resized(self.problems_view()));
                let p = &self.pending;
                if p.loaded
                    && !p.at_end
                    && !p.loading
                    && p.rows.len() < p.offset + view + pending::MARGIN / 2
                {
                    out.push(Effect::LoadPending(self.pending.refresh(view)));
                }
                out
            }
            Msg::Engine(ev) => self.engine_event(ev),
            Msg::Resync => {
                let mut out = self.init();
                out[2] = Effect::LoadPending(self.pending.refresh(self.pending_view()));
                out.extend(self.reload_view());
                out
            }
            Msg::Counts(c) => self.counted(c),
            Msg::Pending(req, rows) => {
                let view = self.pending_view();
                self.pending
                    .loaded(&req, rows, view)
                    .into_iter()
                    .map(Effect::LoadPending)
                    .collect()
            }
            Msg::Filtered(req, page) => {
                let view = self.pending_view();
                self.pending
                    .loaded_filtered(&req, page, view)
                    .into_iter()
                    .map(Effect::LoadPending)
                    .collect()
            }
            Msg::OrdersNamed { seq, name, found } => self.orders_named(seq, &name, found),
            Msg::Detail(id, detail) => {
                if let View::Order {
                    id: open,
                    detail: d,
                    ..
                } = &mut self.view
                    && *open == id
                {
                    if detail.is_none() {
                        self.notice = Some(format!("order {id} is no longer stored"));
                    }
                    *d = detail;
                }
                Vec::new()
            }
            Msg::SyncRuns(runs) => {
                self.runs = runs;
                self.runs_cursor.fix(self.runs.len(), self.runs_view());
                Vec::new()
            }
            Msg::Pictures(p) => {
                self.outbox_backlog(p.outbox_waiting, p.outbox_failed);
                self.pictures = p;
                // The durations' rows take from the runs' rows.
                self.runs_cursor.fix(self.runs.len(), self.runs_view());
                Vec::new()
            }
            Msg::OutboxCounts(waiting, failed) => {
                self.outbox_backlog(waiting, failed);
                self.pictures.outbox_waiting = waiting;
                self.pictures.outbox_failed = failed;
                Vec::new()
            }
            Msg::RunDetail(id, run) => {
                if let View::Run {
                    id: open, run: r, ..
                } = &mut self.view
                    && *open == id
                {
                    *r = run.map(Box::new);
                }
                Vec::new()
            }
            Msg::Problems(page) => {
                problems::load(self.problems.arrived(page, self.problems_view()))
            }
            Msg::Stores(s) => {
                self.stores = s;
                Vec::new()
            }
            Msg::Manifests(list) => {
                self.manifests_loaded(list);
                Vec::new()
            }
            Msg::ManifestDetail(id, detail) => {
                if let View::Manifest {
                    id: open,
                    detail: d,
                    ..
                } = &mut self.view
                    && *open == id
                {
                    if detail.is_none() {
                        self.notice = Some(format!("manifest {id} is no longer stored"));
                    }
                    *d = detail;
                }
                Vec::new()
            }
            Msg::SelectedAll(rows) => self.selected_all(rows),
            Msg::Invoices(list) => {
                self.invoices_loaded(list);
                Vec::new()
            }
            Msg::Duplicates(groups) => {
                self.duplicates_loaded(groups);
                Vec::new()
            }
            Msg::Failed(text) => {
                self.notice = Some(text);
                Vec::new()
            }
            Msg::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                Vec::new()
            }
            Msg::Paste(text) if self.help.is_none() && self.prompt.is_some() => {
                self.prompt_paste(&text)
            }
            Msg::Paste(text) if self.help.is_none() => self.paste(&text),
            Msg::Paste(_) => Vec::new(),
            Msg::OrderFor(intent, id, detail) => match detail {
                // Opened only over the screen it was asked from.
                Some(d) if self.modals.is_empty() && self.view == View::Main => {
                    self.open_intent(intent, &d.order)
                }
                Some(_) => Vec::new(),
                None => {
                    self.notice = Some(format!("order {id} is no longer stored"));
                    Vec::new()
                }
            },
            Msg::Answer {
                modal,
                seq,
                command,
                result,
            } => self.answer(modal, seq, command, result),
        }
    }
}
