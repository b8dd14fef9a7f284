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
    let mut spans = vec![Span::styled(" orderdesk ", t.header())];
    if app.stores.is_empty() {
        let text = if app.settings.configured_stores == 0 {
            "no store connected"
        } else {
            "no sync yet"
        };
        spans.push(Span::styled(format!("│ {text}"), t.dim()));
    }
    for s in &app.stores {
        spans.push(Span::styled("│ ", t.dim()));
        spans.push(Span::styled(s.id.clone(), t.title(true)));
        spans.push(Span::raw(format!(" {}", s.platform)));
        if s.read_only {
            spans.push(Span::styled(" read-only", t.needs_action()));
        }
        if app.running.contains(&s.id) {
            let frame = SPINNER[app.spinner % SPINNER.len()];
            spans.push(Span::styled(format!(" {frame} syncing"), t.running()));
        } else {
            match &s.last_sync {
                None => spans.push(Span::styled(" never synced", t.dim())),
                Some(run) if run.ok => spans.push(Span::styled(
                    format!(" ✓ {}", app.settings.zone.format(run.started_at, "%H:%M")),
                    t.ok(),
                )),
                Some(run) => spans.push(Span::styled(
                    format!(
                        " ✗ failed {}",
                        app.settings.zone.format(run.started_at, "%H:%M")
                    ),
                    t.failed(),
                )),
            }
        }
        spans.push(Span::raw(" "));
    }
    let left = Line::from(spans);
    let operator = format!("{} ", app.settings.operator);
    let room = (area.width as usize).saturating_sub(left.width());
    f.render_widget(Paragraph::new(left), area);
    if !app.settings.operator.is_empty() && room > operator.len() + 1 {
        let w = operator.len() as u16;
        let right = Rect::new(area.x + area.width - w, area.y, w, 1);
        f.render_widget(Paragraph::new(Span::styled(operator, t.dim())), right);
    }
}

pub fn footer(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.settings.theme;
    if let Some(n) = &app.notice {
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {n}"), t.needs_action())),
            area,
        );
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    if !app.keys.pending().is_empty() {
        let typed: Vec<String> = app.keys.pending().iter().map(|k| k.to_string()).collect();
        spans.push(Span::styled(format!("{} … ", typed.join(" ")), t.key()));
    }
    let contexts = app.contexts();
    let mut used = 1;
    for (keys, desc) in hints(app, &contexts) {
        let w = crate::tui::format::width(&keys) + 1 + crate::tui::format::width(&desc) + 2;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(keys, t.key()));
        spans.push(Span::raw(format!(" {desc}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The actions worth a hint, most useful first.
const HINTED: [Action; 9] = [
    Action::Open,
    Action::Back,
    Action::Down,
    Action::Up,
    Action::NextPane,
    Action::Sync,
    Action::Help,
    Action::Quit,
    Action::PageDown,
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

fn hints(app: &App, contexts: &[Context]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // Switching panes only means something on the main screen.
    let panes = app.help.is_none() && app.view == crate::tui::app::View::Main;
    let modal = app.help.is_none() && !app.modals.is_empty();
    let list: &[Action] = if modal { &HINTED_MODAL } else { &HINTED };
    for &action in list {
        if modal && !applies(app, action) {
            continue;
        }
        if action == Action::NextPane && !panes {
            continue;
        }
        for ctx in contexts {
            let found: Vec<&Binding> = app
                .keymap
                .bindings(*ctx)
                .iter()
                .filter(|b| b.action == action)
                .collect();
            if let Some(first) = found.first() {
                let keys: Vec<String> = found.iter().take(2).map(|b| key_label(b)).collect();
                out.push((keys.join("/"), first.desc.clone()));
                break;
            }
        }
    }
    out
}

/// Whether a modal key means something in the modal on top (so the footer offers it).
fn applies(app: &App, action: Action) -> bool {
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
