//! The line at the bottom: the Pending filter (`/`) and the command line (`:`).
//!
//! The filter applies as it is typed (each change asks for one bounded page); enter keeps it
//! and returns to the list, esc clears it. The command line matches every action by name and
//! description, and takes `order NAME` and `store ID`. A store neither line knows is said so
//! under the line, never a silently empty list.

use super::{App, Effect, Pane, View};
use crate::engine::filter::OrderFilter;
use crate::tui::action::Action;
use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

/// Suggestions the command line shows at most.
pub const SHOWN: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Filter,
    Command,
}

/// What choosing a suggestion does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    Action(Action),
    /// Open this order (a choice among stores for `:order NAME`).
    Order(u64),
    /// Put this text on the line, to go on typing (`order `).
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub name: String,
    pub keys: String,
    pub desc: String,
    pub run: Run,
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Input,
    /// A bad filter term or an unknown command, shown under the line.
    pub error: Option<String>,
    /// A line of help under the input when there is no error.
    pub hint: Option<String>,
    pub suggestions: Vec<Suggestion>,
    pub sel: usize,
    /// The `:order` look-up on its way.
    pub seq: u64,
}

impl Prompt {
    fn new(kind: PromptKind, text: &str) -> Prompt {
        Prompt {
            kind,
            input: Input::new(text.to_string()),
            error: None,
            hint: None,
            suggestions: Vec::new(),
            sel: 0,
            seq: 0,
        }
    }
    pub fn text(&self) -> &str {
        self.input.value()
    }
}

/// How well `pattern` matches `text` as a subsequence (case-insensitive; spaces in the pattern
/// ignored): higher is better, None when it does not.
pub fn fuzzy(pattern: &str, text: &str) -> Option<i32> {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let mut score = 0;
    let mut at = 0usize;
    let mut last: Option<usize> = None;
    for p in pattern
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
    {
        let found = (at..text.len()).find(|&i| text[i] == p)?;
        score += 1;
        if found == 0 {
            score += 8;
        } else if matches!(text[found - 1], ' ' | '_' | '-') {
            score += 5;
        }
        if last.is_some_and(|l| l + 1 == found) {
            score += 4;
        }
        score -= (found - at).min(5) as i32;
        last = Some(found);
        at = found + 1;
    }
    Some(score)
}

impl App {
    /// Every action the command line offers, with the keymap's keys and description.
    pub fn commands(&self) -> Vec<Suggestion> {
        let mut out = vec![
            Suggestion {
                name: "order".into(),
                keys: String::new(),
                desc: "open an order: order 1042, order web:1042".into(),
                run: Run::Text("order ".into()),
            },
            Suggestion {
                name: "store".into(),
                keys: String::new(),
                desc: "filter the Pending orders to a store: store web".into(),
                run: Run::Text("store ".into()),
            },
        ];
        for a in Action::ALL {
            if matches!(a, Action::None | Action::CommandLine) {
                continue;
            }
            let bound: Vec<_> = super::super::keymap::Context::ALL
                .iter()
                .flat_map(|c| self.keymap.bindings(*c))
                .filter(|b| b.action == a)
                .collect();
            let desc = bound
                .first()
                .map(|b| b.desc.clone())
                .unwrap_or_else(|| a.name().replace('_', " "));
            let mut keys: Vec<String> = bound.iter().map(|b| b.key_text()).collect();
            keys.dedup();
            keys.truncate(2);
            out.push(Suggestion {
                name: a.name().to_string(),
                keys: keys.join(" "),
                desc,
                run: Run::Action(a),
            });
        }
        out
    }

    fn suggest(&self, text: &str) -> Vec<Suggestion> {
        let all = self.commands();
        if text.trim().is_empty() {
            return all;
        }
        let mut scored: Vec<(i32, usize, Suggestion)> = all
            .into_iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let by_name = fuzzy(text, &s.name.replace('_', " "));
                let by_desc = fuzzy(text, &s.desc).map(|x| x - 20);
                by_name.max(by_desc).map(|score| (score, i, s))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, _, s)| s).collect()
    }

    /// `/`: the filter line over the Pending pane, holding the filter in force.
    pub(super) fn open_filter(&mut self) -> Vec<Effect> {
        self.focus = Pane::Pending;
        let mut p = Prompt::new(PromptKind::Filter, &self.filter_text);
        p.hint = Some("terms: words (order, customer, SKU), state:, store:, from:, to:".into());
        self.prompt = Some(p);
        Vec::new()
    }

    /// `:`: the command line.
    pub(super) fn open_command_line(&mut self) -> Vec<Effect> {
        let mut p = Prompt::new(PromptKind::Command, "");
        p.suggestions = self.suggest("");
        self.prompt = Some(p);
        Vec::new()
    }

    /// A key the prompt's keymap left unclaimed goes to the text.
    pub(super) fn prompt_key(&mut self, ev: &KeyEvent) -> Vec<Effect> {
        let Some(p) = self.prompt.as_mut() else {
            return Vec::new();
        };
        let changed = p
            .input
            .handle_event(&Event::Key(*ev))
            .is_some_and(|c| c.value);
        if changed {
            self.prompt_changed()
        } else {
            Vec::new()
        }
    }

    pub(super) fn prompt_paste(&mut self, text: &str) -> Vec<Effect> {
        let Some(p) = self.prompt.as_mut() else {
            return Vec::new();
        };
        for c in text.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if !c.is_control() {
                p.input.handle(InputRequest::InsertChar(c));
            }
        }
        self.prompt_changed()
    }

    fn prompt_changed(&mut self) -> Vec<Effect> {
        let Some(p) = self.prompt.as_ref() else {
            return Vec::new();
        };
        let text = p.text().to_string();
        match p.kind {
            PromptKind::Filter => match self.parse_filter(&text) {
                Ok(f) => {
                    if let Some(p) = self.prompt.as_mut() {
                        p.error = None;
                    }
                    self.apply_filter(&text, f)
                }
                Err(e) => {
                    if let Some(p) = self.prompt.as_mut() {
                        p.error = Some(e);
                    }
                    Vec::new()
                }
            },
            PromptKind::Command => {
                let list = self.suggest(&text);
                if let Some(p) = self.prompt.as_mut() {
                    p.error = None;
                    p.hint = None;
                    p.suggestions = list;
                    p.sel = 0;
                }
                Vec::new()
            }
        }
    }

    /// The filter `text` means; refused when it names a store the console does not know (it
    /// would show no order and not say why).
    fn parse_filter(&self, text: &str) -> Result<OrderFilter, String> {
        let filter = OrderFilter::parse(text)?;
        let known: Vec<&str> = self.stores.iter().map(|s| s.id.as_str()).collect();
        match &filter.store {
            Some(store) if !known.iter().any(|k| k.eq_ignore_ascii_case(store)) => {
                Err(match known.is_empty() {
                    true => format!("unknown store \"{store}\" (no store is configured yet)"),
                    false => format!("unknown store \"{store}\" (stores: {})", known.join(", ")),
                })
            }
            _ => Ok(filter),
        }
    }

    /// Shows the Pending rows passing `filter` (typed as `text`), from the first.
    fn apply_filter(&mut self, text: &str, filter: OrderFilter) -> Vec<Effect> {
        let filter = (!filter.is_empty()).then_some(filter);
        self.filter_text = if filter.is_some() {
            text.trim().to_string()
        } else {
            String::new()
        };
        if filter == self.pending.filter {
            return Vec::new();
        }
        let view = self.pending_view();
        vec![Effect::LoadPending(self.pending.set_filter(filter, view))]
    }

    /// Shows every Pending row again (esc on the filter line, or on the list under a filter).
    pub(super) fn clear_filter(&mut self) -> Vec<Effect> {
        self.apply_filter("", OrderFilter::default())
    }

    /// An action while the prompt is open.
    pub(super) fn prompt_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(p) = self.prompt.as_mut() else {
            return Vec::new();
        };
        let kind = p.kind;
        match action {
            // On the filter line, ↑/↓ move through the rows it shows.
            Action::Down | Action::Up if kind == PromptKind::Filter => {
                self.move_by(if action == Action::Down { 1 } else { -1 })
            }
            Action::Down | Action::Up => {
                let n = p.suggestions.len().max(1);
                p.sel = if action == Action::Down {
                    (p.sel + 1) % n
                } else {
                    (p.sel + n - 1) % n
                };
                Vec::new()
            }
            Action::Cancel | Action::Back => {
                self.prompt = None;
                if kind == PromptKind::Filter {
                    return self.clear_filter();
                }
                Vec::new()
            }
            Action::Submit => match kind {
                PromptKind::Filter if p.error.is_some() => Vec::new(),
                PromptKind::Filter => {
                    self.prompt = None;
                    Vec::new()
                }
                PromptKind::Command => self.run_command(),
            },
            _ => Vec::new(),
        }
    }

    fn run_command(&mut self) -> Vec<Effect> {
        let Some(p) = self.prompt.as_mut() else {
            return Vec::new();
        };
        let text = p.text().trim().to_string();
        let chosen = p.suggestions.get(p.sel).map(|s| s.run.clone());
        if let Some(Run::Order(id)) = chosen {
            return self.run_choice(Run::Order(id));
        }
        let (word, arg) = match text.split_once(char::is_whitespace) {
            Some((w, a)) => (w, a.trim()),
            None => (text.as_str(), ""),
        };
        match (word, arg.is_empty()) {
            ("order" | "o", false) => {
                self.seq += 1;
                p.seq = self.seq;
                p.error = None;
                p.hint = Some(format!("looking for order {arg}…"));
                return vec![Effect::FindOrder {
                    seq: self.seq,
                    name: arg.to_string(),
                }];
            }
            ("store", false) => {
                let mut terms: Vec<&str> = self
                    .filter_text
                    .split_whitespace()
                    .filter(|t| !t.to_ascii_lowercase().starts_with("store:"))
                    .collect();
                let store = format!("store:{arg}");
                terms.insert(0, &store);
                let text = terms.join(" ");
                return self.filter_from_command(&text);
            }
            ("filter", _) => return self.filter_from_command(arg),
            _ => {}
        }
        match chosen {
            Some(run) if !text.is_empty() || matches!(run, Run::Text(_)) => self.run_choice(run),
            _ => {
                let p = self.prompt.as_mut().expect("open");
                p.error = Some(if text.is_empty() {
                    "type a command, e.g. order 1042, store web, sync".into()
                } else {
                    format!("unknown command \"{text}\"")
                });
                Vec::new()
            }
        }
    }

    fn filter_from_command(&mut self, text: &str) -> Vec<Effect> {
        match self.parse_filter(text) {
            Ok(f) => {
                self.prompt = None;
                self.view = View::Main;
                self.focus = Pane::Pending;
                self.apply_filter(text, f)
            }
            Err(e) => {
                if let Some(p) = self.prompt.as_mut() {
                    p.error = Some(e);
                }
                Vec::new()
            }
        }
    }

    fn run_choice(&mut self, run: Run) -> Vec<Effect> {
        match run {
            Run::Action(a) => {
                self.prompt = None;
                self.action(a)
            }
            Run::Order(id) => {
                self.prompt = None;
                self.open_order(id)
            }
            Run::Text(t) => {
                if let Some(p) = self.prompt.as_mut() {
                    p.input = Input::new(t);
                }
                self.prompt_changed()
            }
        }
    }

    /// `:order NAME` found these.
    pub(super) fn orders_named(
        &mut self,
        seq: u64,
        name: &str,
        found: Result<Vec<(String, u64)>, String>,
    ) -> Vec<Effect> {
        let Some(p) = self.prompt.as_mut().filter(|p| p.seq == seq) else {
            return Vec::new();
        };
        p.hint = None;
        match found {
            Err(e) => p.error = Some(e),
            Ok(list) if list.is_empty() => p.error = Some(format!("no order named {name}")),
            Ok(list) if list.len() == 1 => {
                let id = list[0].1;
                self.prompt = None;
                return self.open_order(id);
            }
            Ok(list) => {
                p.hint = Some(format!(
                    "{} stores have an order {name}: choose one",
                    list.len()
                ));
                p.suggestions = list
                    .into_iter()
                    .map(|(reference, id)| Suggestion {
                        name: reference,
                        keys: String::new(),
                        desc: "open this order".into(),
                        run: Run::Order(id),
                    })
                    .collect();
                p.sel = 0;
            }
        }
        Vec::new()
    }
}
