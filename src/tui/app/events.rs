//! What the engine's events ask the console to load again.

use super::{App, Effect, View};
use crate::engine::{Counts, EngineEvent};

impl App {
    pub(super) fn engine_event(&mut self, ev: EngineEvent) -> Vec<Effect> {
        match ev {
            EngineEvent::OrdersChanged => {
                let mut out = vec![
                    Effect::LoadCounts,
                    Effect::LoadPending(self.pending.refresh(self.pending_view())),
                ];
                if let View::Order { id, .. } = self.view {
                    out.push(Effect::LoadDetail(id));
                }
                if let View::Manifest { id, .. } = self.view {
                    out.push(Effect::LoadManifest(id));
                }
                // A merge of products changes orders.
                if let View::Duplicates { .. } = self.view {
                    out.push(Effect::LoadDuplicates);
                }
                // A change of an order may have queued something for its shop.
                out.push(Effect::LoadOutboxCounts);
                out
            }
            EngineEvent::SyncRun { store, running } => {
                if running {
                    self.running.insert(store);
                } else {
                    self.running.remove(&store);
                }
                let mut out = self.runs_again();
                out.push(Effect::LoadStores);
                out.push(Effect::LoadPictures);
                out
            }
            // The running run's counts so far.
            EngineEvent::SyncProgress { .. } => self.runs_again(),
            // The sync loop answers it with `SyncRun`.
            EngineEvent::SyncRequested { .. } | EngineEvent::CatalogRequested { .. } => Vec::new(),
            EngineEvent::ProblemsChanged => {
                let mut out = vec![self.load_problems(), Effect::LoadOutboxCounts];
                // A shop's answer to an invoice's notification.
                out.extend(self.invoices_again());
                // A shop's answer to a manifest's notification.
                if let View::Manifest { id, .. } = self.view {
                    out.push(Effect::LoadManifest(id));
                }
                out
            }
            EngineEvent::ManifestsChanged => self.manifests_again(),
            EngineEvent::InvoicesChanged => self.invoices_again(),
            EngineEvent::BulkProgress { done, total } => {
                self.bulk = (done < total).then_some((done, total));
                Vec::new()
            }
            EngineEvent::CatalogProgress {
                store,
                done,
                total,
                per_second,
                seconds_left,
            } => {
                self.catalog = Some(super::CatalogBar {
                    store,
                    done,
                    total,
                    per_second,
                    seconds_left,
                });
                Vec::new()
            }
            EngineEvent::CatalogDone { store, message } => {
                self.catalog = None;
                self.notice = Some(format!("{store}: {message}"));
                self.runs_again()
            }
        }
    }

    /// The outbox's backlog now: the gauge's peak grows with it and starts again once it is
    /// empty.
    pub(super) fn outbox_backlog(&mut self, waiting: u64, failed: u64) {
        let backlog = waiting + failed;
        self.outbox_peak = if backlog == 0 {
            0
        } else {
            self.outbox_peak.max(backlog)
        };
    }

    /// New counts: the terminal's title when the number needing action changed, and the bell
    /// when it grew (not for the first counts: those are what was there before).
    pub(super) fn counted(&mut self, c: Counts) -> Vec<Effect> {
        let (was, now) = (self.counts.needs_action(), c.needs_action());
        let first = !self.counted;
        self.counts = c;
        self.counted = true;
        let mut out = Vec::new();
        if self.settings.terminal_title && (first || was != now) {
            out.push(Effect::Title(format!("orderdesk: {now} need action")));
        }
        if self.settings.bell && !first && now > was {
            out.push(Effect::Bell);
        }
        out
    }

    /// The sync log again, and the run shown, if one is.
    pub(super) fn runs_again(&self) -> Vec<Effect> {
        let mut out = vec![Effect::LoadRuns];
        if let View::Run { id, .. } = self.view {
            out.push(Effect::LoadRunDetail(id));
        }
        out
    }

    pub(super) fn reload_view(&self) -> Vec<Effect> {
        match self.view {
            View::Main => Vec::new(),
            View::Order { id, .. } => vec![Effect::LoadDetail(id)],
            View::Run { id, .. } => vec![Effect::LoadRunDetail(id)],
            View::Manifests { .. } | View::Manifest { .. } => self.manifests_again(),
            View::Invoices { .. } => vec![Effect::LoadInvoices],
            View::Duplicates { .. } => vec![Effect::LoadDuplicates],
        }
    }

    /// The invoices again, while their view is open.
    fn invoices_again(&self) -> Vec<Effect> {
        match self.view {
            View::Invoices { .. } => vec![Effect::LoadInvoices],
            _ => Vec::new(),
        }
    }
}
