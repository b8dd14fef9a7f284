//! The messages on the service's socket. A client opens with [`ClientFrame::Hello`]; the
//! service answers [`ServiceFrame::Welcome`] (or [`ServiceFrame::Refused`] and closes), then
//! answers each request by its id and pushes the engine's events as they happen.

use crate::engine::EngineEvent;
use crate::engine::command::{Answer, Command, CommandError, Operator, Query, QueryAnswer};
use serde::{Deserialize, Serialize};

/// Raised when a message changes shape; both sides must speak the same one.
pub const PROTOCOL_VERSION: u32 = 2;

/// From a client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ClientFrame {
    Hello {
        protocol: u32,
        /// The client's orderdesk version, for the log.
        version: String,
    },
    Request {
        id: u64,
        request: Request,
    },
}

/// What a client asks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// An operator action; `label` names what it is about (`#1042`) in the answer.
    Command {
        label: String,
        command: Command,
    },
    Query(Query),
}

/// From the service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ServiceFrame {
    Welcome {
        protocol: u32,
        version: String,
        /// Who the service takes the client for (from its user id) and their role.
        operator: Operator,
        /// The service's process id.
        pid: u32,
    },
    /// The hello was refused (another protocol); the connection closes after it.
    Refused {
        message: String,
    },
    Reply {
        id: u64,
        reply: Reply,
    },
    Event {
        event: EngineEvent,
    },
}

/// The answer to one request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Answer(Box<Answer>),
    Query(Box<QueryAnswer>),
    Failed(CommandError),
}

/// The words for two sides of different protocols, naming both.
pub fn mismatch(service: u32, client: u32) -> String {
    format!(
        "the service speaks protocol {service} and this client protocol {client}: \
         run the same orderdesk version for both (restart the service after an upgrade)"
    )
}
