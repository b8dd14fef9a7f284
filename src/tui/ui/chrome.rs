//! The header (stores and sync status) and the footer (key hints or a notice).

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::{Binding, Context};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn header(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.settings.theme;
    // The most that fits: platforms and times, then times, then each store's mark alone.
    let left = [Detail::Full, Detail::Time, Detail::Mark]
        .into_iter()
        .map(|d| Line::from(header_spans(app, d)))
        .find(|l| l.width() + app.settings.operator.len() + 2 <= area.width as usize)
        .unwrap_or_else(|| Line::from(header_spans(app, Detail::Mark)));
    let operator = format!("{} ", app.settings.operator);
    let room = (area.width as usize).saturating_sub(left.width());
    f.render_widget(Paragraph::new(left), area);
    if !app.settings.operator.is_empty() && room > operator.len() + 1 {
        let w = operator.len() as u16;
        let right = Rect::new(area.x + area.width - w, area.y, w, 1);
        f.render_widget(Paragraph::new(Span::styled(operator, t.dim())), right);
    }
}

/// How much the header says of each store.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// `web shopify ✓ 06:00`
    Full,
    /// `web ✓ 06:00`
    Time,
    /// `web ✓`
    Mark,
}

fn header_spans(app: &App, detail: Detail) -> Vec<Span<'static>> {
    let t = &app.settings.theme;
    let mut spans = vec![Span::styled(" orderdesk ", t.header())];
    if app.stores.is_empty() {
        let text = if app.settings.configured_stores == 0 {
            "no store connected"
        } else {
            "no sync yet"
        };
        spans.push(Span::styled(format!("│ {text}"), t.dim()));
    }
    let time = |at| match detail {
        Detail::Mark => String::new(),
        _ => format!(" {}", app.settings.zone.format(at, "%H:%M")),
    };
    for s in &app.stores {
        spans.push(Span::styled("│ ", t.dim()));
        spans.push(Span::styled(s.id.clone(), t.title(true)));
        if detail == Detail::Full {
            spans.push(Span::raw(format!(" {}", s.platform)));
        }
        if s.read_only {
            spans.push(Span::styled(" read-only", t.needs_action()));
        }
        if app.running.contains(&s.id) {
            let frame = SPINNER[app.spinner % SPINNER.len()];
            let word = if detail == Detail::Mark {
                ""
            } else {
                " syncing"
            };
            spans.push(Span::styled(format!(" {frame}{word}"), t.running()));
        } else {
            match &s.last_sync {
                None if detail == Detail::Mark => spans.push(Span::styled(" –", t.dim())),
                None => spans.push(Span::styled(" never synced", t.dim())),
                Some(run) if run.ok => {
                    spans.push(Span::styled(format!(" ✓{}", time(run.started_at)), t.ok()))
                }
                Some(run) => {
                    let word = if detail == Detail::Mark {
                        ""
                    } else {
                        " failed"
                    };
                    spans.push(Span::styled(
                        format!(" ✗{word}{}", time(run.started_at)),
                        t.failed(),
                    ))
                }
            }
        }
        spans.push(Span::raw(" "));
    }
    spans
}

/// A catalog sync's progress on the footer's right: store, done of total, a bar, the rate
/// and the time left; the rest of the footer is what is left of `area`.
fn catalog_progress(f: &mut Frame, area: Rect, app: &App) -> Rect {
    let Some(c) = &app.catalog else {
        return area;
    };
    let of = c.total.map(|t| format!("/{t}")).unwrap_or_default();
    let left = c
        .seconds_left
        .map(|s| format!(" {} left", crate::tui::format::duration_short(s)))
        .unwrap_or_default();
    let text = format!(
        "{} catalog {}{of} {}/s{left} ",
        c.store, c.done, c.per_second
    );
    let bar_w = 12;
    let width = (crate::tui::format::width(&text) + bar_w + 1).min(area.width as usize / 2) as u16;
    if width == 0 {
        return area;
    }
    let right = Rect::new(area.x + area.width - width, area.y, width, 1);
    let bar = super::pictures::gauge(c.done, c.total.unwrap_or(0).max(c.done), bar_w);
    let t = &app.settings.theme;
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(text),
            Span::styled(bar, t.running()),
        ])),
        right,
    );
    Rect::new(area.x, area.y, area.width - width, 1)
}

pub fn footer(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.settings.theme;
    let area = catalog_progress(f, area, app);
    if let Some((done, total)) = app.bulk {
        // A bulk action's progress, over what the footer says otherwise.
        let bar_w = (area.width as usize / 3).clamp(10, 40);
        let bar = super::pictures::gauge(done as u64, total as u64, bar_w);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(format!(" {done} of {total} orders  ")),
                Span::styled(bar, t.running()),
            ])),
            area,
        );
        return;
    }
    if let Some(n) = &app.notice {
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {n}"), t.needs_action())),
            area,
        );
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    if !app.keys.pending().is_empty() {
        let typed: Vec<String> = app.keys.pending().iter().map(|k| k.to_string()).collect();
        let text = format!("{} … ", typed.join(" "));
        used += crate::tui::format::width(&text);
        spans.push(Span::styled(text, t.key()));
    }
    // Most useful first; one that does not fit makes room for shorter ones after it.
    for (keys, desc) in hints(app) {
        let w = crate::tui::format::width(&keys) + 1 + crate::tui::format::width(&desc);
        if used + w > area.width as usize {
            continue;
        }
        used += w + 2;
        spans.push(Span::styled(keys, t.key()));
        spans.push(Span::raw(format!(" {desc}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The actions worth a hint on the main screen, most useful first.
const HINTED_LIST: [Action; 11] = [
    Action::Open,
    Action::Back,
    Action::Filter,
    Action::CommandLine,
    Action::Help,
    Action::NextPane,
    Action::Sync,
    Action::Quit,
    Action::Down,
    Action::Up,
    Action::PageDown,
];

/// The same in an order's or a sync run's detail.
const HINTED_DETAIL: [Action; 8] = [
    Action::Back,
    Action::CommandLine,
    Action::Down,
    Action::Up,
    Action::Help,
    Action::Sync,
    Action::Quit,
    Action::PageDown,
];

/// The same in the Manifests view.
const HINTED_MANIFESTS: [Action; 7] = [
    Action::Open,
    Action::Back,
    Action::NewRecord,
    Action::ShipManifest,
    Action::PrintManifest,
    Action::Help,
    Action::Quit,
];

/// The same in the Invoices view.
const HINTED_INVOICES: [Action; 5] = [
    Action::Back,
    Action::SendInvoice,
    Action::ExportInvoice,
    Action::Help,
    Action::Quit,
];

/// The same in the Duplicates view.
const HINTED_DUPLICATES: [Action; 4] = [
    Action::Back,
    Action::MergeProducts,
    Action::Help,
    Action::Quit,
];

/// The same over help (where other keys do nothing).
const HINTED_HELP: [Action; 5] = [
    Action::Back,
    Action::Down,
    Action::Up,
    Action::PageDown,
    Action::Quit,
];

/// The same for a modal on top.
const HINTED_MODAL: [Action; 9] = [
    Action::Submit,
    Action::Confirm,
    Action::Cancel,
    Action::NextField,
    Action::Down,
    Action::Up,
    Action::NewRecord,
    Action::EditRecord,
    Action::Help,
];

/// (keys, what they do) for the footer, from the active contexts' bindings.
fn hints(app: &App) -> Vec<(String, String)> {
    use crate::tui::app::View;
    let contexts = app.contexts();
    let modal = app.help.is_none() && !app.modals.is_empty();
    let main = app.help.is_none() && !modal && app.view == View::Main;
    let list: &[Action] = if app.help.is_some() {
        &HINTED_HELP
    } else if modal {
        &HINTED_MODAL
    } else if main {
        &HINTED_LIST
    } else if matches!(app.view, View::Manifests { .. } | View::Manifest { .. }) {
        &HINTED_MANIFESTS
    } else if matches!(app.view, View::Invoices { .. }) {
        &HINTED_INVOICES
    } else if matches!(app.view, View::Duplicates { .. }) {
        &HINTED_DUPLICATES
    } else {
        &HINTED_DETAIL
    };
    let mut out = Vec::new();
    for &action in list {
        if modal && !applies(app, action) {
            continue;
        }
        // On the main screen, esc only clears a filter.
        if main && action == Action::Back && app.filter_text.is_empty() && app.selected.is_empty() {
            continue;
        }
        let found = bindings_for(app, &contexts, action);
        if let Some(first) = found.first() {
            let keys: Vec<String> = found.iter().take(2).map(|b| key_label(b)).collect();
            out.push((keys.join("/"), short(&first.desc)));
        }
    }
    out
}

/// The bindings that run `action` in these contexts, from the first context that has one;
/// a key an earlier context takes for something else is left out.
fn bindings_for<'a>(app: &'a App, contexts: &[Context], action: Action) -> Vec<&'a Binding> {
    let reaches = |b: &Binding| {
        app.keymap
            .lookup(contexts, &b.keys)
            .is_some_and(|x| x.action == action)
    };
    contexts
        .iter()
        .map(|ctx| -> Vec<&Binding> {
            app.keymap
                .bindings(*ctx)
                .iter()
                .filter(|b| b.action == action && reaches(b))
                .collect()
        })
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

/// The first key that runs `action` in the active contexts, as the footer shows it.
pub fn first_key(app: &App, action: Action) -> Option<String> {
    bindings_for(app, &app.contexts(), action)
        .first()
        .map(|b| key_label(b))
}

/// A description without its parenthesised examples: "command line (:order 1042, …)" →
/// "command line".
fn short(desc: &str) -> String {
    desc.split(" (").next().unwrap_or(desc).trim().to_string()
}

/// Whether a modal key means something in the modal on top (so the footer and the help offer
/// it).
pub(super) fn applies(app: &App, action: Action) -> bool {
    use crate::tui::app::ModalBody;
    use crate::tui::app::modal::PickerKind;
    let Some(top) = app.modals.last() else {
        return false;
    };
    match (&top.body, action) {
        (ModalBody::Form(f), Action::NextField) => f.fields.len() > 1,
        (ModalBody::Picker(_), Action::NextField) => false,
        (ModalBody::Picker(p), Action::NewRecord) => !matches!(p.kind, PickerKind::Status { .. }),
        (ModalBody::Picker(p), Action::EditRecord) => matches!(p.kind, PickerKind::Products { .. }),
        (_, Action::NewRecord | Action::EditRecord) => false,
        _ => true,
    }
}

/// A binding's keys for people: arrows as arrows.
pub fn key_label(b: &Binding) -> String {
    let text = b.key_text();
    match text.as_str() {
        "up" => "↑".into(),
        "down" => "↓".into(),
        "left" => "←".into(),
        "right" => "→".into(),
        _ => text,
    }
}
