//! Modals over the panes, kept as a stack (the top one gets keys first): forms of tui-input
//! fields, pickers (a search field or a plain list, and its rows) and confirmations that carry
//! the action they stand before.

use crate::domain::forms::FieldError;
use crate::domain::{Customer, Money, Order, OrderState, Product};
use crate::engine::command::Command;
use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

/// What a field holds.
#[derive(Debug, Clone)]
pub enum FieldKind {
    Text(Input),
    /// One of a few values, changed with left/right.
    Choice {
        options: Vec<String>,
        sel: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The name the engine and the domain use in their field errors (`email`, `amount`).
    pub name: &'static str,
    pub label: String,
    pub kind: FieldKind,
    /// Why the value was refused, shown under the field.
    pub error: Option<String>,
    initial: String,
    /// The text is selected, as a prefilled search is: typing replaces it.
    selected: bool,
}

impl Field {
    pub fn text(name: &'static str, label: impl Into<String>, value: impl Into<String>) -> Field {
        let value = value.into();
        Field {
            name,
            label: label.into(),
            kind: FieldKind::Text(Input::new(value.clone())),
            error: None,
            initial: value,
            selected: false,
        }
    }

    /// A picker's search field, prefilled with `value` selected: the first character typed
    /// (or pasted) replaces it; backspace or delete first only drops the selection, a key
    /// that moves the cursor drops it and moves.
    pub fn search(value: impl Into<String>) -> Field {
        let mut f = Field::text("query", "Search", value);
        f.selected = !f.initial.is_empty();
        f
    }

    pub fn choice(name: &'static str, label: impl Into<String>, options: Vec<String>) -> Field {
        let initial = options.first().cloned().unwrap_or_default();
        Field {
            name,
            label: label.into(),
            kind: FieldKind::Choice { options, sel: 0 },
            error: None,
            initial,
            selected: false,
        }
    }

    /// Whether its whole text is selected (shown reversed).
    pub fn selected(&self) -> bool {
        self.selected
    }

    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text(i) => i.value().to_string(),
            FieldKind::Choice { options, sel } => options.get(*sel).cloned().unwrap_or_default(),
        }
    }

    /// Whether the operator changed it.
    pub fn changed(&self) -> bool {
        self.value() != self.initial
    }

    /// A key the keymap left unclaimed. Returns whether the value changed.
    pub fn key(&mut self, ev: &KeyEvent) -> bool {
        match &mut self.kind {
            FieldKind::Text(input) => {
                let Some(request) = to_input_request(&Event::Key(*ev)) else {
                    return false;
                };
                if std::mem::take(&mut self.selected) {
                    match request {
                        InputRequest::InsertChar(_) => *input = Input::default(),
                        // Moving the cursor, or clearing the whole line (ctrl-u).
                        InputRequest::DeleteLine
                        | InputRequest::SetCursor(_)
                        | InputRequest::GoToPrevChar
                        | InputRequest::GoToNextChar
                        | InputRequest::GoToPrevWord
                        | InputRequest::GoToNextWord
                        | InputRequest::GoToStart
                        | InputRequest::GoToEnd => {}
                        // Backspace, delete and the like keep the text as it is.
                        _ => return false,
                    }
                }
                input.handle(request).is_some_and(|c| c.value)
            }
            FieldKind::Choice { options, sel } => {
                let n = options.len().max(1);
                let before = *sel;
                match ev.code {
                    KeyCode::Left => *sel = (*sel + n - 1) % n,
                    KeyCode::Right | KeyCode::Char(' ') => *sel = (*sel + 1) % n,
                    _ => {}
                }
                *sel != before
            }
        }
    }

    /// Pasted text, whole, at the cursor (line breaks become spaces).
    pub fn paste(&mut self, text: &str) -> bool {
        let FieldKind::Text(input) = &mut self.kind else {
            return false;
        };
        let mut changed = false;
        if self.selected && !text.is_empty() {
            // Pasted text replaces the selected text, as typing does.
            self.selected = false;
            *input = Input::default();
            changed = true;
        }
        for c in text.chars() {
            let c = if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            };
            if c.is_control() {
                continue;
            }
            changed |= input
                .handle(tui_input::InputRequest::InsertChar(c))
                .is_some_and(|s| s.value);
        }
        changed
    }
}

/// What a form does when it is submitted.
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    CreateCustomer {
        order_id: u64,
    },
    EditCustomer {
        customer_id: String,
    },
    CreateProduct,
    EditProduct {
        product_id: String,
    },
    Payment {
        order: Box<Order>,
    },
    Shipped {
        order: Box<Order>,
    },
    Refuse {
        order: Box<Order>,
    },
    Note {
        order_id: u64,
    },
    /// The same status for many orders: `(id, name)` of each.
    BulkStatus {
        orders: Vec<(u64, String)>,
    },
    /// Orders onto a manifest (one of `targets`), a tracking field per order.
    AddToManifest {
        orders: Vec<(u64, String)>,
        targets: Vec<crate::engine::command::ManifestTarget>,
    },
    /// A new manifest: its carrier.
    NewManifest,
    /// An order off a manifest in preparation: `(id, STORE:NAME)` of each on it.
    RemoveFromManifest {
        manifest_id: u64,
        orders: Vec<(u64, String)>,
    },
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    /// Lines above the fields (what the form is about).
    pub intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub kind: FormKind,
    /// What the order is called in notices (`#1042`).
    pub label: String,
    /// A refusal not about one field.
    pub error: Option<String>,
    /// A command is on its way; submitting again waits.
    pub busy: bool,
}

impl Form {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    pub fn value(&self, name: &str) -> String {
        self.field(name).map(Field::value).unwrap_or_default()
    }
    pub fn touched(&self) -> bool {
        self.fields.iter().any(Field::changed)
    }
    pub fn clear_errors(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }
    /// Shows each error under its field; those naming no field of this form above them all.
    pub fn show_errors(&mut self, errors: &[FieldError]) {
        self.clear_errors();
        let mut first = None;
        for e in errors {
            match self.fields.iter().position(|f| f.name == e.field) {
                Some(i) => {
                    let f = &mut self.fields[i];
                    if f.error.is_none() {
                        f.error = Some(e.message.clone());
                    }
                    first = first.or(Some(i));
                }
                None => self.error = Some(e.message.clone()),
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
    }
    pub fn error_on(&mut self, name: &'static str, message: impl Into<String>) {
        self.show_errors(&[FieldError {
            field: name.into(),
            message: message.into(),
        }]);
    }
}

/// A failing line of an order, as the fix-product-match picker works through them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailingLine {
    pub line: u32,
    pub sku: String,
    pub name: String,
    pub price: Money,
    /// Why it failed, in plain words.
    pub why: String,
}

#[derive(Debug, Clone)]
pub enum PickerKind {
    Customers {
        order_id: u64,
        results: Vec<Customer>,
    },
    Products {
        order_id: u64,
        lines: Vec<FailingLine>,
        at: usize,
        results: Vec<Product>,
    },
    Status {
        order: Box<Order>,
        targets: Vec<OrderState>,
    },
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub kind: PickerKind,
    /// The search field; `None` for a plain list.
    pub query: Option<Field>,
    pub sel: usize,
    /// The newest search asked for; older answers are dropped.
    pub seq: u64,
    pub searching: bool,
    pub label: String,
    pub error: Option<String>,
    pub busy: bool,
}

impl Picker {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn len(&self) -> usize {
        match &self.kind {
            PickerKind::Customers { results, .. } => results.len(),
            PickerKind::Products { results, .. } => results.len(),
            PickerKind::Status { targets, .. } => targets.len(),
        }
    }
    pub fn move_by(&mut self, by: isize) {
        let n = self.len();
        self.sel = if n == 0 {
            0
        } else {
            (self.sel as isize + by).clamp(0, n as isize - 1) as usize
        };
    }
    pub fn query_text(&self) -> String {
        self.query.as_ref().map(Field::value).unwrap_or_default()
    }
    pub fn touched(&self) -> bool {
        self.query.as_ref().is_some_and(Field::changed)
    }
}

/// What yes does.
#[derive(Debug, Clone, PartialEq)]
pub enum OnYes {
    /// Close the modal under the question without saving.
    Discard,
    /// Run the command for the modal that asked (it shows the answer).
    Run { owner: u64, command: Command },
    /// Run a command no modal waits for (its answer goes to the footer).
    Command { label: String, command: Command },
    /// Nothing to decide: a report, closed by either key.
    Close,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub on_yes: OnYes,
}

#[derive(Debug, Clone)]
pub enum ModalBody {
    Form(Form),
    Picker(Picker),
    Confirm(Confirm),
}

#[derive(Debug, Clone)]
pub struct Modal {
    pub id: u64,
    pub body: ModalBody,
}

impl Modal {
    /// The text field keys go to, if any.
    pub fn focused_field(&mut self) -> Option<&mut Field> {
        match &mut self.body {
            ModalBody::Form(f) => {
                let i = f.focus;
                f.fields.get_mut(i)
            }
            ModalBody::Picker(p) => p.query.as_mut(),
            ModalBody::Confirm(_) => None,
        }
    }
    pub fn touched(&self) -> bool {
        match &self.body {
            ModalBody::Form(f) => f.touched(),
            ModalBody::Picker(p) => p.touched(),
            ModalBody::Confirm(_) => false,
        }
    }
}
