//! The operator's keys on an order (Pending pane or detail) and on the Errors pane.

use super::forms::Intent;
use super::{App, Effect, Pane, View};
use crate::domain::OrderState;
use crate::engine::command::Command;
use crate::engine::{ProblemKind, ProblemRef};
use crate::tui::action::Action;

impl App {
    /// Whether this action is one of the operator's order or Errors actions.
    pub(super) fn is_operator(action: Action) -> bool {
        matches!(
            action,
            Action::Identify
                | Action::FixMatch
                | Action::IntakeAgain
                | Action::EditCustomer
                | Action::RecordPayment
                | Action::ChangeStatus
                | Action::AddNote
                | Action::Acknowledge
                | Action::Dismiss
                | Action::Retry
        )
    }

    pub(super) fn operator_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Acknowledge | Action::Dismiss => return self.problem_action(action),
            Action::Retry if self.view == View::Main && self.focus == Pane::Errors => {
                return self.problem_action(action);
            }
            Action::Retry => {
                // Outside the Errors pane the key keeps its global meaning: sync every store.
                self.notice = Some("sync requested for every store".into());
                return vec![Effect::Sync(None)];
            }
            _ => {}
        }
        let intent = match action {
            Action::Identify => Intent::Identify,
            Action::FixMatch => Intent::FixMatch,
            Action::EditCustomer => Intent::EditCustomer,
            Action::RecordPayment => Intent::Payment,
            Action::ChangeStatus => Intent::Status,
            Action::AddNote => Intent::Note,
            _ => Intent::Note,
        };
        match &self.view {
            View::Order {
                detail: Some(d), ..
            } => {
                let order = d.order.clone();
                if action == Action::IntakeAgain {
                    let label = order.display_name();
                    let c = self.command(None, &label, Command::IntakeAgain { order_id: order.id });
                    self.notice = Some(format!("{label}: running intake again…"));
                    return vec![c];
                }
                self.open_intent(intent, &order)
            }
            View::Order { detail: None, .. } => self.say("the order is still loading".into()),
            View::Run { .. }
            | View::Manifests { .. }
            | View::Manifest { .. }
            | View::Invoices { .. }
            | View::Duplicates { .. } => Vec::new(),
            View::Main if self.focus != Pane::Pending => {
                self.say("select an order in Pending orders first (1)".into())
            }
            View::Main if action == Action::ChangeStatus && !self.selected.is_empty() => {
                self.open_bulk_status()
            }
            View::Main => {
                let Some(row) = self.pending.selected() else {
                    return Vec::new();
                };
                let (id, label, state) = (row.id, row.name.clone(), row.state);
                let fits = match action {
                    Action::Identify => state == OrderState::CustomerIdNeeded,
                    Action::FixMatch | Action::IntakeAgain => state.needs_action(),
                    _ => true,
                };
                if !fits {
                    let what = match action {
                        Action::Identify => "does not need a customer ID",
                        Action::FixMatch => "has no product match to fix",
                        _ => "is not parked",
                    };
                    return self.say(format!("{label} {what} ({})", state.label()));
                }
                if action == Action::IntakeAgain {
                    let c = self.command(None, &label, Command::IntakeAgain { order_id: id });
                    self.notice = Some(format!("{label}: running intake again…"));
                    return vec![c];
                }
                vec![Effect::LoadOrderFor(id, intent)]
            }
        }
    }

    /// A, D, R on the selected problem of the Errors pane.
    fn problem_action(&mut self, action: Action) -> Vec<Effect> {
        if self.view != View::Main || self.focus != Pane::Errors {
            return self.say("acknowledge and dismiss work in the Errors pane (3)".into());
        }
        let Some(p) = self.problems.selected().cloned() else {
            return Vec::new();
        };
        let label = p.subject.clone();
        let command = match (action, p.kind, p.order_id) {
            (Action::Acknowledge, ProblemKind::Oversold, _) => {
                Command::Acknowledge(ProblemRef::Product(p.subject.clone()))
            }
            (Action::Acknowledge, ProblemKind::Conflict, Some(id)) => {
                Command::Acknowledge(ProblemRef::Order(id))
            }
            (Action::Dismiss, ProblemKind::Rejected, Some(id)) => {
                Command::Dismiss(ProblemRef::Order(id))
            }
            // The problem names its outbox item; without one, the order's failed items.
            (Action::Dismiss, ProblemKind::OutboxFailed, _) if p.outbox_id.is_some() => {
                Command::Dismiss(ProblemRef::Outbox(p.outbox_id.unwrap_or_default()))
            }
            (Action::Retry, ProblemKind::OutboxFailed, _) if p.outbox_id.is_some() => {
                Command::Retry(p.outbox_id.unwrap_or_default())
            }
            (Action::Dismiss | Action::Retry, ProblemKind::OutboxFailed, Some(order_id)) => {
                Command::FailedSends {
                    order_id,
                    retry: action == Action::Retry,
                }
            }
            (Action::Acknowledge, ..) => {
                return self.say(format!(
                    "{label}: only oversold products and conflicts are acknowledged"
                ));
            }
            (Action::Dismiss, ..) => {
                return self.say(format!(
                    "{label}: only rejected orders and failed sends are dismissed"
                ));
            }
            _ => return self.say(format!("{label}: only a failed send can be retried")),
        };
        self.notice = Some(format!("{label}: working…"));
        vec![self.command(None, &label, command)]
    }
}
