//! The seam the command line (and later the console) works through: the engine in this
//! process, or the service over its socket. Both take the same commands and queries.

use super::client::{Client, ClientError};
use super::protocol::{Reply, Request};
use crate::engine::command::{Answer, Command, CommandError, Operator, Query, QueryAnswer};
use crate::engine::{Engine, EngineEvent};
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

    /// The engine's events, from this process or pushed by the service.
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        match self {
            Desk::Local { engine, .. } => engine.subscribe(),
            Desk::Remote(c) => c.subscribe(),
        }
    }
}

fn unexpected() -> CommandError {
    CommandError::Other("the service answered another kind of request".into())
}
