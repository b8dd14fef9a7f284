//! Each effect the state machine hands out, asked of the desk (the engine in this process or
//! the service) as a query or a command; the answer comes back as a message.

use super::app::{Effect, Msg};
use crate::engine::command::{CommandError, Query, QueryAnswer};
use crate::service::Desk;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Loads of one kind (and subject) one at a time: asked again while one runs, the newest
/// waits and runs next, those in between are dropped (their answers would be stale at once).
/// A sync announces a change per batch; without this every console asked again per batch,
/// faster than a service with many consoles answers.
#[derive(Clone, Default)]
pub struct InFlight(Arc<Mutex<HashMap<String, Option<Effect>>>>);

/// What to do with an effect asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Turn {
    /// Run it now.
    Now,
    /// It waits behind one of its kind: a new answer to wait for (`true`), or it took the
    /// place of one already waiting (`false`).
    Waits(bool),
}

impl InFlight {
    pub fn ask(&self, effect: &Effect) -> Turn {
        let Some(key) = kind(effect) else {
            return Turn::Now;
        };
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(&key) {
            None => {
                map.insert(key, None);
                Turn::Now
            }
            Some(waiting) => Turn::Waits(waiting.replace(effect.clone()).is_none()),
        }
    }

    /// After an effect of this kind answered: the one waiting behind it, if any.
    pub fn next(&self, done: &Effect) -> Option<Effect> {
        let key = kind(done)?;
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let next = map.get_mut(&key).and_then(Option::take);
        if next.is_none() {
            map.remove(&key);
        }
        next
    }
}

/// The kind of a load that can wait behind another (`None`: every one runs).
fn kind(effect: &Effect) -> Option<String> {
    Some(match effect {
        Effect::LoadCounts => "counts".into(),
        Effect::LoadPending(_) => "pending".into(),
        Effect::LoadDetail(id) => format!("detail {id}"),
        Effect::LoadRuns => "runs".into(),
        Effect::LoadPictures => "pictures".into(),
        Effect::LoadRunDetail(id) => format!("run {id}"),
        Effect::LoadProblems(..) => "problems".into(),
        Effect::LoadStores => "stores".into(),
        Effect::LoadManifests => "manifests".into(),
        Effect::LoadManifest(id) => format!("manifest {id}"),
        Effect::LoadInvoices => "invoices".into(),
        Effect::LoadDuplicates => "duplicates".into(),
        _ => return None,
    })
}

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
        Effect::LoadOutboxCounts => {
            ask!(desk, Query::OutboxCounts, "counting the outbox", OutboxCounts(c) => Msg::OutboxCounts(c.0, c.1))
        }
        Effect::LoadRunDetail(id) => {
            ask!(desk, Query::SyncRun(id), "loading the sync run", Run(r) => Msg::RunDetail(id, r))
        }
        Effect::LoadProblems(from, limit) => {
            ask!(desk, Query::Problems { from, limit }, "loading the errors", Problems(p) => Msg::Problems(p))
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
        Effect::LoadDuplicates => {
            ask!(desk, Query::Duplicates, "loading the duplicate SKUs", Duplicates(d) => Msg::Duplicates(d))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_asked_again_while_one_runs_waits_and_only_the_newest() {
        let f = InFlight::default();
        assert_eq!(f.ask(&Effect::LoadCounts), Turn::Now);
        assert_eq!(f.ask(&Effect::LoadDetail(1)), Turn::Now, "another subject");
        assert_eq!(f.ask(&Effect::LoadCounts), Turn::Waits(true));
        assert_eq!(f.ask(&Effect::LoadCounts), Turn::Waits(false));
        assert_eq!(f.next(&Effect::LoadCounts), Some(Effect::LoadCounts));
        assert_eq!(f.next(&Effect::LoadCounts), None);
        assert_eq!(f.ask(&Effect::LoadCounts), Turn::Now, "none running now");
        assert_eq!(f.ask(&Effect::Redraw), Turn::Now);
    }
}
