//! Each effect the state machine hands out, asked of the desk (the engine in this process or
//! the service) as a query or a command; the answer comes back as a message.

use super::app::{Effect, Msg};
use crate::engine::command::{CommandError, Query, QueryAnswer};
use crate::service::Desk;

/// A failed load, for the footer (and the log).
fn failed(what: &str, e: CommandError) -> Msg {
    tracing::warn!("{what}: {e}");
    Msg::Failed(format!("{what}: {e}"))
}

/// Asks `$query`; an answer of `$variant` becomes `$msg`, anything else a failure of `$what`.
macro_rules! ask {
    ($desk:expr, $query:expr, $what:expr, $variant:ident($v:ident) => $msg:expr) => {
        match $desk.ask($query).await {
            Ok(QueryAnswer::$variant($v)) => $msg,
            Ok(_) => failed(
                $what,
                CommandError::Other("an answer of another kind".into()),
            ),
            Err(e) => failed($what, e),
        }
    };
}

/// The message answering `effect`; `None` for the effects the loop runs itself.
pub async fn load(effect: Effect, desk: &Desk) -> Option<Msg> {
    Some(match effect {
        Effect::LoadCounts => {
            ask!(desk, Query::Counts, "loading the counts", Counts(c) => Msg::Counts(c))
        }
        Effect::LoadPending(req) => match req.filter.clone() {
            Some(filter) => {
                let q = Query::Filter {
                    filter,
                    from: req.from.clone(),
                    limit: req.limit,
                };
                ask!(desk, q, "filtering orders", Filtered(page) => Msg::Filtered(req, page))
            }
            None => {
                let q = Query::Pending {
                    from: req.from.clone(),
                    limit: req.limit,
                };
                ask!(desk, q, "loading orders", Rows(rows) => Msg::Pending(req, rows))
            }
        },
        Effect::FindOrder { seq, name } => {
            let found = match desk.ask(Query::FindOrder(name.clone())).await {
                Ok(QueryAnswer::Found(f)) => Ok(f),
                Ok(_) => Err("an answer of another kind".to_string()),
                Err(e) => Err(e.to_string()),
            };
            Msg::OrdersNamed { found, seq, name }
        }
        Effect::LoadDetail(id) => {
            ask!(desk, Query::OrderDetail(id), "loading the order", Detail(d) => Msg::Detail(id, d))
        }
        Effect::LoadRuns => {
            let q = Query::SyncRuns {
                limit: super::app::RUNS_SHOWN,
            };
            ask!(desk, q, "loading the sync log", Runs(runs) => Msg::SyncRuns(runs))
        }
        Effect::LoadPictures => {
            ask!(desk, Query::Pictures, "loading the sync log's pictures", Pictures(p) => Msg::Pictures(p))
        }
        Effect::LoadRunDetail(id) => {
            ask!(desk, Query::SyncRun(id), "loading the sync run", Run(r) => Msg::RunDetail(id, r))
        }
        Effect::LoadProblems => {
            ask!(desk, Query::Problems, "loading the errors", Problems(p) => Msg::Problems(p))
        }
        Effect::LoadStores => {
            ask!(desk, Query::Stores, "loading the stores", Stores(s) => Msg::Stores(s))
        }
        Effect::LoadManifests => {
            ask!(desk, Query::Manifests, "loading the manifests", Manifests(l) => Msg::Manifests(l))
        }
        Effect::LoadManifest(id) => {
            ask!(desk, Query::Manifest(id), "loading the manifest", Manifest(d) => Msg::ManifestDetail(id, d))
        }
        Effect::LoadInvoices => {
            ask!(desk, Query::Invoices, "loading the invoices", Invoices(l) => Msg::Invoices(l))
        }
        Effect::SelectAll(filter) => {
            let q = Query::Matching {
                filter,
                cap: super::app::SELECT_MAX + 1,
            };
            Msg::SelectedAll(match desk.ask(q).await {
                Ok(QueryAnswer::Rows(rows)) => Ok(rows),
                Ok(_) => Err("an answer of another kind".to_string()),
                Err(e) => Err(e.to_string()),
            })
        }
        Effect::LoadOrderFor(id, intent) => {
            ask!(desk, Query::OrderDetail(id), "loading the order", Detail(d) => Msg::OrderFor(intent, id, d))
        }
        Effect::Command {
            modal,
            seq,
            label,
            command,
        } => {
            let result = desk.execute(&label, command.clone()).await;
            if let Err(e) = &result {
                tracing::info!("{command:?}: {e:?}");
            }
            Msg::Answer {
                modal,
                seq,
                command,
                result,
            }
        }
        Effect::Sync(_) | Effect::Redraw | Effect::Quit | Effect::Title(_) | Effect::Bell => {
            return None;
        }
    })
}
