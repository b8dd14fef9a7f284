//! Who may do what: an operator's role, and the role each command needs.

use super::{Command, CommandError};
use crate::domain::lifecycle::StatusChange;
use serde::{Deserialize, Serialize};

/// An operator's role, each allowing what the one before it does and more.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads only.
    Viewer,
    /// Identifies, fixes, records payments, moves orders (refusing aside).
    #[default]
    Clerk,
    /// Also refuses and refunds, merges products, syncs catalogs.
    Manager,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Clerk, Role::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Clerk => "clerk",
            Role::Manager => "manager",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is none of viewer, clerk, manager.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role \"{0}\" (one of: viewer, clerk, manager)")]
pub struct UnknownRole(pub String);

impl std::str::FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Role, UnknownRole> {
        (Role::ALL.into_iter())
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// Who asks: the name timeline entries carry, and their role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub name: String,
    pub role: Role,
}

impl Operator {
    pub fn new(name: impl Into<String>, role: Role) -> Operator {
        Operator {
            name: name.into(),
            role,
        }
    }

    /// Refuses a command this operator's role does not allow, naming the role it needs.
    pub fn may(&self, cmd: &Command) -> Result<(), CommandError> {
        let (needs, what) = cmd.needs();
        if self.role >= needs {
            return Ok(());
        }
        Err(CommandError::Forbidden(format!(
            "{what} needs the {needs} role; {} is a {}",
            self.name, self.role
        )))
    }
}

impl Command {
    /// The role this command needs, and what it is in words (for a refusal).
    pub fn needs(&self) -> (Role, &'static str) {
        let refusing = |c: &StatusChange| matches!(c, StatusChange::Refused { .. });
        match self {
            Command::SearchCustomers { .. }
            | Command::SearchProducts { .. }
            | Command::CustomerDraft { .. } => (Role::Viewer, "searching"),
            Command::ChangeStatus { change, .. } | Command::BulkStatus { change, .. }
                if refusing(change) =>
            {
                (Role::Manager, "refusing an order")
            }
            Command::MergeProducts { .. } => (Role::Manager, "merging products"),
            Command::CatalogSync { .. } => (Role::Manager, "syncing a store's catalog"),
            Command::Identify { .. } | Command::CreateCustomer { .. } => {
                (Role::Clerk, "identifying a customer")
            }
            Command::UpdateCustomer { .. } => (Role::Clerk, "changing a customer"),
            Command::MapLine { .. } | Command::IntakeAgain { .. } => {
                (Role::Clerk, "fixing an order")
            }
            Command::UpdateProduct { .. } | Command::CreateProduct { .. } => {
                (Role::Clerk, "changing products")
            }
            Command::RecordPayment { .. } => (Role::Clerk, "recording a payment"),
            Command::ChangeStatus { .. } | Command::BulkStatus { .. } => {
                (Role::Clerk, "changing an order's status")
            }
            Command::AddNote { .. } => (Role::Clerk, "adding a note"),
            Command::Acknowledge(_)
            | Command::Dismiss(_)
            | Command::Retry(_)
            | Command::FailedSends { .. } => (Role::Clerk, "clearing a problem"),
            Command::AddToManifest { .. }
            | Command::NewManifest { .. }
            | Command::RemoveFromManifest { .. }
            | Command::ShipManifest(_) => (Role::Clerk, "changing a manifest"),
            Command::PrintReceipt { .. } | Command::PrintManifest(_) => {
                (Role::Clerk, "printing a document")
            }
            Command::GenerateInvoices { .. }
            | Command::SendInvoice(_)
            | Command::ExportInvoice(_) => (Role::Clerk, "invoicing"),
            Command::SyncNow { .. } => (Role::Clerk, "starting a sync"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refuse() -> Command {
        Command::ChangeStatus {
            order_id: 1,
            change: StatusChange::Refused {
                reason: "no stock".into(),
            },
        }
    }

    #[test]
    fn a_viewer_may_search_but_not_change_an_order() {
        let v = Operator::new("vera", Role::Viewer);
        assert!(
            v.may(&Command::SearchProducts { query: "x".into() })
                .is_ok()
        );
        let note = Command::AddNote {
            order_id: 1,
            text: "hi".into(),
        };
        assert_eq!(
            v.may(&note),
            Err(CommandError::Forbidden(
                "adding a note needs the clerk role; vera is a viewer".into()
            ))
        );
    }

    #[test]
    fn refusing_needs_a_manager_and_other_moves_a_clerk() {
        let clerk = Operator::new("anna", Role::Clerk);
        let err = clerk.may(&refuse()).unwrap_err().to_string();
        assert_eq!(
            err,
            "refusing an order needs the manager role; anna is a clerk"
        );
        let ship = Command::ChangeStatus {
            order_id: 1,
            change: StatusChange::ReadyToShip,
        };
        assert!(clerk.may(&ship).is_ok());
        assert!(Operator::new("bo", Role::Manager).may(&refuse()).is_ok());
    }

    #[test]
    fn roles_read_from_their_names() {
        assert_eq!("manager".parse::<Role>(), Ok(Role::Manager));
        assert!("admin".parse::<Role>().is_err());
    }
}
