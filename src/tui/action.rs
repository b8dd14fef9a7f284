//! What a key asks the console to do. Keys become actions only through the keymap.

/// One operator action, named in keymap files by its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Redraw,
    NextPane,
    PrevPane,
    FocusPending,
    FocusSyncLog,
    FocusErrors,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Sync,
    SyncAll,
    /// `/`: filter the Pending orders.
    Filter,
    /// `:`: the command line.
    CommandLine,
    // Forms, pickers and confirmations.
    NextField,
    PrevField,
    Submit,
    Cancel,
    Confirm,
    NewRecord,
    EditRecord,
    // Operator actions on an order (DESIGN.md §1).
    Identify,
    FixMatch,
    IntakeAgain,
    EditCustomer,
    RecordPayment,
    ChangeStatus,
    AddNote,
    // The Errors pane.
    Acknowledge,
    Dismiss,
    Retry,
    // Many orders at once, and shipping manifests.
    /// Select or unselect the order under the cursor.
    ToggleSelect,
    /// Select every order the Pending pane (and its filter) shows.
    SelectAll,
    /// The selected orders (or the one under the cursor) onto a manifest, with tracking.
    AddToManifest,
    /// The Manifests view.
    Manifests,
    /// Hand the open manifest to the carrier (after a question).
    ShipManifest,
    /// Write the manifest as text for the driver.
    PrintManifest,
    /// Take an order off the manifest (asks which).
    RemoveFromManifest,
    /// Print the order's receipt (config `receipt_command`, else a file).
    PrintReceipt,
    /// Invoice the selected orders (or the one under the cursor).
    GenerateInvoices,
    /// The Invoices view.
    Invoices,
    /// Tell the shop of the invoice under the cursor (again, once failed).
    SendInvoice,
    /// Sync the catalog of the store whose run is under the cursor (asks first).
    CatalogSync,
    /// Write the invoice under the cursor as text and JSON.
    ExportInvoice,
    /// The Duplicates view: products sharing a SKU.
    Duplicates,
    /// Keep the product under the cursor, merging another of its SKU into it (asks first).
    MergeProducts,
    /// Unbinds a key in a user keymap.
    None,
}

impl Action {
    pub const ALL: [Action; 53] = [
        Action::Quit,
        Action::Help,
        Action::Redraw,
        Action::NextPane,
        Action::PrevPane,
        Action::FocusPending,
        Action::FocusSyncLog,
        Action::FocusErrors,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::Open,
        Action::Back,
        Action::Sync,
        Action::SyncAll,
        Action::Filter,
        Action::CommandLine,
        Action::NextField,
        Action::PrevField,
        Action::Submit,
        Action::Cancel,
        Action::Confirm,
        Action::NewRecord,
        Action::EditRecord,
        Action::Identify,
        Action::FixMatch,
        Action::IntakeAgain,
        Action::EditCustomer,
        Action::RecordPayment,
        Action::ChangeStatus,
        Action::AddNote,
        Action::Acknowledge,
        Action::Dismiss,
        Action::Retry,
        Action::ToggleSelect,
        Action::SelectAll,
        Action::AddToManifest,
        Action::Manifests,
        Action::ShipManifest,
        Action::PrintManifest,
        Action::RemoveFromManifest,
        Action::PrintReceipt,
        Action::GenerateInvoices,
        Action::Invoices,
        Action::SendInvoice,
        Action::ExportInvoice,
        Action::CatalogSync,
        Action::Duplicates,
        Action::MergeProducts,
        Action::None,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Redraw => "redraw",
            Action::NextPane => "next_pane",
            Action::PrevPane => "prev_pane",
            Action::FocusPending => "focus_pending",
            Action::FocusSyncLog => "focus_sync_log",
            Action::FocusErrors => "focus_errors",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Open => "open",
            Action::Back => "back",
            Action::Sync => "sync",
            Action::SyncAll => "sync_all",
            Action::Filter => "filter",
            Action::CommandLine => "command_line",
            Action::NextField => "next_field",
            Action::PrevField => "prev_field",
            Action::Submit => "submit",
            Action::Cancel => "cancel",
            Action::Confirm => "confirm",
            Action::NewRecord => "new_record",
            Action::EditRecord => "edit_record",
            Action::Identify => "identify",
            Action::FixMatch => "fix_match",
            Action::IntakeAgain => "intake_again",
            Action::EditCustomer => "edit_customer",
            Action::RecordPayment => "record_payment",
            Action::ChangeStatus => "change_status",
            Action::AddNote => "add_note",
            Action::Acknowledge => "acknowledge",
            Action::Dismiss => "dismiss",
            Action::Retry => "retry",
            Action::ToggleSelect => "toggle_select",
            Action::SelectAll => "select_all",
            Action::AddToManifest => "add_to_manifest",
            Action::Manifests => "manifests",
            Action::ShipManifest => "ship_manifest",
            Action::PrintManifest => "print_manifest",
            Action::RemoveFromManifest => "remove_from_manifest",
            Action::PrintReceipt => "print_receipt",
            Action::GenerateInvoices => "generate_invoices",
            Action::Invoices => "invoices",
            Action::SendInvoice => "send_invoice",
            Action::CatalogSync => "catalog_sync",
            Action::ExportInvoice => "export_invoice",
            Action::Duplicates => "duplicates",
            Action::MergeProducts => "merge_products",
            Action::None => "none",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
        }
        assert_eq!(Action::from_name("frobnicate"), None);
    }
}
