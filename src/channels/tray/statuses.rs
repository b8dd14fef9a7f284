//! Tray's order statuses and what a store maps onto orderdesk's life cycle.
//!
//! A Tray store names its statuses (`A ENVIAR`, `FINALIZADO`, ...) and numbers them itself:
//! the config names them, the connector finds each one's id in the store
//! (`GET /orders/statuses`) before it sets one (`status_id`). The five mappings a Tray store
//! needs are the statuses fetched (`fetch`), the status set on update (`shipped`, with the
//! tracking code; `ready_to_ship`, `completed` when mapped), the cancelled statuses read
//! (Tray's `CANCELADO` and the store's `refused`), the cancelled status set (`refused`) and
//! the status set when invoiced (`invoiced`).

use crate::domain::platform::{LocalChange, StatusMap};

/// The statuses a Tray store has out of the box.
pub const KNOWN: [&str; 6] = [
    "AGUARDANDO PAGAMENTO",
    "A ENVIAR",
    "ENVIADO",
    "ENTREGUE",
    "FINALIZADO",
    "CANCELADO",
];

/// Pulled by default: every one (an order moved to an ending status must come back).
pub const FETCHED: [&str; 6] = KNOWN;

/// Tray's own cancelled status (what `PUT /orders/cancel/:id` leaves).
pub const CANCELLED: &str = "CANCELADO";

/// What each local change sets by default.
pub const ON_CHANGE: [(LocalChange, &str); 3] = [
    (LocalChange::Shipped, "ENVIADO"),
    (LocalChange::Completed, "FINALIZADO"),
    (LocalChange::Refused, CANCELLED),
];

/// Statuses in which an order has left the shop.
const SENT: [&str; 3] = ["ENVIADO", "ENTREGUE", "FINALIZADO"];

/// One store's statuses, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayStatuses {
    pub fetched: Vec<String>,
    pub map: StatusMap,
}

impl TrayStatuses {
    pub fn from_map(map: &StatusMap) -> TrayStatuses {
        TrayStatuses {
            fetched: map.fetch.iter().map(|s| name(s)).collect(),
            map: map.clone(),
        }
    }

    /// The status a local change sets, by name.
    pub fn set_on(&self, change: LocalChange) -> Option<String> {
        self.map.status_for(change).map(name)
    }

    pub fn is_fetched(&self, status: &str) -> bool {
        self.fetched.iter().any(|f| *f == name(status))
    }

    /// `CANCELADO`, or the store's own refused status.
    pub fn is_cancelled(&self, status: &str) -> bool {
        let s = name(status);
        s == CANCELLED || self.set_on(LocalChange::Refused).as_deref() == Some(s.as_str())
    }

    /// Shipped, delivered or finished (or the store's shipped / completed status).
    pub fn is_sent(&self, status: &str) -> bool {
        let s = name(status);
        SENT.contains(&s.as_str())
            || [LocalChange::Shipped, LocalChange::Completed]
                .iter()
                .any(|c| self.set_on(*c).as_deref() == Some(s.as_str()))
    }
}

/// A status name as Tray compares it: trimmed, in capitals.
pub fn name(s: &str) -> String {
    s.trim().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancelled_and_sent_follow_the_store_s_mapping() {
        let d = TrayStatuses::from_map(&StatusMap::from_parts(&FETCHED, &ON_CHANGE));
        assert!(d.is_cancelled("cancelado ") && !d.is_cancelled("A ENVIAR"));
        assert!(d.is_sent("ENTREGUE") && !d.is_sent("A ENVIAR"));
        assert!(d.is_fetched("a enviar"));
        let own = StatusMap::from_parts(&["A ENVIAR"], &[(LocalChange::Refused, "ESTORNADO")]);
        let s = TrayStatuses::from_map(&own);
        assert!(s.is_cancelled("ESTORNADO") && s.is_cancelled("CANCELADO"));
        assert!(!s.is_fetched("ENVIADO"));
    }
}
