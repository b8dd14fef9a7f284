//! The help overlay, generated from the keymap: the keys of what is under it, then the
//! keys that work everywhere.

use super::chrome::{applies, key_label};
use super::layout::centered;
use crate::tui::app::App;
use crate::tui::format::{pad, width};
use crate::tui::keymap::{Binding, Context};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// One line of help before it is fitted to the box: a title, or text whose continuation lines
/// start `indent` cells in (under a key's description).
struct Entry {
    text: String,
    title: bool,
    indent: usize,
}

impl Entry {
    fn text(text: impl Into<String>) -> Entry {
        Entry {
            text: text.into(),
            title: false,
            indent: 2,
        }
    }
}

/// Where a key's description starts: two cells, the keys' column, a space.
const KEYS: usize = 22;
const DESC_AT: usize = 2 + KEYS + 1;

fn section<'a>(title: &str, bindings: impl IntoIterator<Item = &'a Binding>, out: &mut Vec<Entry>) {
    out.push(Entry {
        text: title.to_string(),
        title: true,
        indent: 0,
    });
    // One line per (action, description), its keys together.
    let mut rows: Vec<(Vec<String>, String)> = Vec::new();
    for b in bindings {
        match rows.iter_mut().find(|(_, d)| *d == b.desc) {
            Some((keys, _)) => keys.push(key_label(b)),
            None => rows.push((vec![key_label(b)], b.desc.clone())),
        }
    }
    for (keys, desc) in rows {
        out.push(Entry {
            text: format!("  {} {desc}", pad(&keys.join(" "), KEYS)),
            title: false,
            indent: DESC_AT,
        });
    }
    out.push(Entry::text(""));
}

fn entries(app: &App) -> Vec<Entry> {
    let mut out = Vec::new();
    for ctx in app.modal_contexts() {
        let title = match ctx {
            Context::Picker => "In this list",
            Context::Confirm => "In this question",
            _ if app.modal_contexts().len() > 1 => "In its search field",
            _ => "In this form",
        };
        // Only what works in the modal on top, as its footer offers (a customer list has
        // no product to edit).
        let working = app.keymap.bindings(ctx).iter();
        section(title, working.filter(|b| applies(app, b.action)), &mut out);
    }
    if !app.modals.is_empty() {
        out.push(Entry::text(
            "A text field takes every other key: letters, ←/→, backspace, home/end, ctrl-w, ctrl-u.",
        ));
        out.push(Entry::text(""));
    }
    let under = app.body_context();
    let title = match under {
        Context::List => "In the lists",
        Context::Manifests => "In the Manifests view",
        Context::Invoices => "In the Invoices view",
        Context::Duplicates => "In the Duplicates view",
        _ => "In a detail view",
    };
    section(title, app.keymap.bindings(under), &mut out);
    section("Everywhere", app.keymap.bindings(Context::Global), &mut out);
    section("In this help", app.keymap.bindings(Context::Help), &mut out);
    out.push(Entry::text(
        "Your own keys: $XDG_CONFIG_HOME/orderdesk/keymap.toml",
    ));
    out.push(Entry::text(format!(
        "Log file: {}",
        app.settings.log_file.display()
    )));
    out
}

/// `text` in lines of at most `w` cells, broken at spaces where it can be (a word longer
/// than a line is cut), each line after the first starting `indent` cells in.
fn wrap(text: &str, w: usize, indent: usize) -> Vec<String> {
    let w = w.max(1);
    let indent = if indent * 2 > w { 0 } else { indent };
    let mut out = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        let ww = width(word.trim_end());
        if used + ww > w && !line.trim().is_empty() {
            out.push(line.trim_end().to_string());
            line = " ".repeat(indent);
            used = indent;
        }
        for c in word.chars() {
            let cw = width(c.encode_utf8(&mut [0; 4]));
            if used + cw > w && c != ' ' {
                out.push(std::mem::replace(&mut line, " ".repeat(indent)));
                used = indent;
            }
            line.push(c);
            used += cw;
        }
    }
    out.push(line.trim_end().to_string());
    out
}

/// The box on a screen of `area` and its lines: as wide as its longest line needs (at least
/// 64, at most the screen less two columns each side), two rows clear above and below; a
/// line longer than the box goes on under itself.
fn fitted(app: &App, area: Rect) -> (Rect, Vec<Line<'static>>) {
    let entries = entries(app);
    let longest = entries.iter().map(|e| width(&e.text)).max().unwrap_or(0);
    let most = area.width.saturating_sub(4).max(64);
    let wanted = u16::try_from(longest + 2)
        .unwrap_or(u16::MAX)
        .clamp(64, most);
    let area = centered(area, wanted, area.height.saturating_sub(4));
    let inside = usize::from(area.width.saturating_sub(2));
    let header = app.settings.theme.header();
    let mut lines = Vec::new();
    for e in entries {
        for part in wrap(&e.text, inside, e.indent) {
            lines.push(if e.title {
                Line::styled(part, header)
            } else {
                Line::from(part)
            });
        }
    }
    (area, lines)
}

/// How far the help scrolls: to where its last line is at the bottom of the box.
pub fn max_scroll(app: &App) -> usize {
    let (w, h) = app.size;
    let (area, lines) = fitted(app, Rect::new(0, 0, w, h));
    scroll_end(area, &lines)
}

/// `max_scroll` of `lines` fitted to the box `area`.
fn scroll_end(area: Rect, lines: &[Line]) -> usize {
    let inside = area.height.saturating_sub(2);
    lines.len().saturating_sub(inside.max(1) as usize)
}

pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let (box_area, lines) = fitted(app, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.settings.theme.border(true))
        .title(" Help — keys ");
    // Clamped here too: a taller screen shows more of it.
    let scroll = app
        .help
        .unwrap_or(0)
        .min(scroll_end(box_area, &lines))
        .min(u16::MAX as usize) as u16;
    f.render_widget(Clear, box_area);
    f.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        box_area,
    );
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn a_long_line_goes_on_under_its_description_and_loses_nothing() {
        let text = "  P                      print the receipt (receipt_command, else a file)";
        let lines = wrap(text, 50, 25);
        assert_eq!(
            lines,
            [
                "  P                      print the receipt",
                "                         (receipt_command, else a",
                "                         file)",
            ]
        );
        assert!(lines.iter().all(|l| super::width(l) <= 50));
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&lines.join(" ")), words(text));
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut_and_a_short_line_stays() {
        let path = "Log file: /var/lib/orderdesk/a-very-long-directory-name/orderdesk.log";
        let lines = wrap(path, 30, 2);
        assert!(lines.iter().all(|l| super::width(l) <= 30), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), path.replace(' ', ""));
        assert_eq!(wrap("In the lists", 30, 0), ["In the lists"]);
        assert_eq!(wrap("", 30, 0), [""]);
    }
}
