//! The seam the command line (and later the console) works through: the engine in this
//! process, or the service over its socket. Both take the same commands and queries.

use super::client::{Client, ClientError};
use super::protocol::{Reply, Request};
use crate::domain::catalog::CatalogProgress;
use crate::domain::{Customer, Order, OrderState, Product};
use crate::engine::command::{Answer, Command, CommandError, Operator, Query, QueryAnswer};
use crate::engine::{Engine, EngineEvent, OrderDetail, SyncRun};
use tokio::sync::broadcast;

/// Where commands go.
#[derive(Clone)]
pub enum Desk {
    /// The engine in this process, acting for `operator`.
    Local { engine: Engine, operator: Operator },
    /// The service, which knows who we are from our user id.
    Remote(Client),
}

impl From<ClientError> for CommandError {
    fn from(e: ClientError) -> CommandError {
        CommandError::Failed {
            code: "service".into(),
            message: e.to_string(),
        }
    }
}

impl Desk {
    pub fn operator(&self) -> &Operator {
        match self {
            Desk::Local { operator, .. } => operator,
            Desk::Remote(c) => c.operator(),
        }
    }

    /// Runs one command; `label` names what it is about (`#1042`) in the answer.
    pub async fn execute(&self, label: &str, command: Command) -> Result<Answer, CommandError> {
        match self {
            Desk::Local { engine, operator } => {
                let (engine, operator, label) =
                    (engine.clone(), operator.clone(), label.to_string());
                tokio::task::spawn_blocking(move || engine.execute(&operator, &label, command))
                    .await
                    .map_err(|e| CommandError::Other(format!("internal error: {e}")))?
            }
            Desk::Remote(c) => {
                let label = label.to_string();
                match c.request(Request::Command { label, command }).await? {
                    Reply::Answer(a) => Ok(*a),
                    Reply::Failed(e) => Err(e),
                    Reply::Query(_) => Err(unexpected()),
                }
            }
        }
    }

    /// Answers one read.
    pub async fn ask(&self, query: Query) -> Result<QueryAnswer, CommandError> {
        match self {
            Desk::Local { engine, .. } => {
                let engine = engine.clone();
                tokio::task::spawn_blocking(move || engine.ask(query))
                    .await
                    .map_err(|e| CommandError::Other(format!("internal error: {e}")))?
                    .map_err(CommandError::from)
            }
            Desk::Remote(c) => match c.request(Request::Query(query)).await? {
                Reply::Query(a) => Ok(*a),
                Reply::Failed(e) => Err(e),
                Reply::Answer(_) => Err(unexpected()),
            },
        }
    }

    /// `status --json`'s document.
    pub async fn status(&self) -> Result<serde_json::Value, CommandError> {
        match self.ask(Query::Status).await? {
            QueryAnswer::Status(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    /// Every stored order, or those in one state.
    pub async fn orders(&self, state: Option<OrderState>) -> Result<Vec<Order>, CommandError> {
        match self.ask(Query::Orders { state }).await? {
            QueryAnswer::Orders(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    /// The order a `STORE:NAME` reference names.
    pub async fn order_by_ref(&self, reference: &str) -> Result<Option<u64>, CommandError> {
        match self.ask(Query::OrderByRef(reference.into())).await? {
            QueryAnswer::Order(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    pub async fn order_detail(&self, id: u64) -> Result<Option<OrderDetail>, CommandError> {
        match self.ask(Query::OrderDetail(id)).await? {
            QueryAnswer::Detail(v) => Ok(v.map(|d| *d)),
            _ => Err(unexpected()),
        }
    }

    /// The newest sync runs, newest first.
    pub async fn sync_runs(&self, limit: usize) -> Result<Vec<SyncRun>, CommandError> {
        match self.ask(Query::SyncRuns { limit }).await? {
            QueryAnswer::Runs(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    /// Every product, or those `search` finds.
    pub async fn products(&self, search: Option<&str>) -> Result<Vec<Product>, CommandError> {
        let search = search.map(str::to_string);
        match self.ask(Query::Products { search }).await? {
            QueryAnswer::Products(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    /// One product by its id.
    pub async fn product(&self, id: &str) -> Result<Option<Product>, CommandError> {
        match self.ask(Query::Product(id.to_string())).await? {
            QueryAnswer::Product(p) => Ok(p.map(|p| *p)),
            _ => Err(unexpected()),
        }
    }

    /// Every customer, or those `search` finds.
    pub async fn customers(&self, search: Option<&str>) -> Result<Vec<Customer>, CommandError> {
        let search = search.map(str::to_string);
        match self.ask(Query::Customers { search }).await? {
            QueryAnswer::Customers(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    /// The products that share a SKU, by SKU.
    pub async fn duplicates(&self) -> Result<Vec<(String, Vec<Product>)>, CommandError> {
        match self.ask(Query::Duplicates).await? {
            QueryAnswer::Duplicates(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    /// Where store `store`'s catalog sync stands.
    pub async fn catalog_progress(
        &self,
        store: &str,
    ) -> Result<Option<CatalogProgress>, CommandError> {
        match self.ask(Query::CatalogProgress(store.into())).await? {
            QueryAnswer::Catalog(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    /// The engine's events, from this process or pushed by the service.
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        match self {
            Desk::Local { engine, .. } => engine.subscribe(),
            Desk::Remote(c) => c.subscribe(),
        }
    }
}

fn unexpected() -> CommandError {
    CommandError::Other("the service answered another kind of request (a version mismatch?)".into())
}
