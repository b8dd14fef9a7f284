//! The Errors pane's window on the open problems: the engine sends a page around what the pane
//! shows (`Query::Problems`), the cursor moves over all of them.

use super::Effect;
use super::pending::Cursor;
use crate::engine::{Problem, ProblemPage};

/// Rows asked for on each side of the screenful, so a few steps need no load.
const MARGIN: usize = 20;

/// The load of a page the window asked for, if it asked.
pub fn load(ask: Option<(usize, usize)>) -> Vec<Effect> {
    ask.map(|(from, limit)| Effect::LoadProblems(from, limit))
        .into_iter()
        .collect()
}

#[derive(Debug, Default)]
pub struct ProblemsWindow {
    /// The rows loaded, and where they sit among all open problems.
    pub page: ProblemPage,
    /// Over all open problems (`page.total`).
    pub cursor: Cursor,
}

impl ProblemsWindow {
    pub fn total(&self) -> usize {
        self.page.total
    }

    /// The `i`th open problem, when loaded.
    pub fn get(&self, i: usize) -> Option<&Problem> {
        i.checked_sub(self.page.from)
            .and_then(|k| self.page.rows.get(k))
    }

    pub fn selected(&self) -> Option<&Problem> {
        self.get(self.cursor.sel)
    }

    /// The page to ask for so that `view` rows from the cursor's offset are loaded:
    /// `(from, limit)`.
    pub fn around(&self, view: usize) -> (usize, usize) {
        let from = self.cursor.offset.saturating_sub(MARGIN);
        (from, self.cursor.offset - from + view + MARGIN)
    }

    /// The page to ask for when the rows the pane shows are not all loaded.
    pub fn wanted(&self, view: usize) -> Option<(usize, usize)> {
        let end = (self.cursor.offset + view).min(self.total());
        let loaded = self.page.from..self.page.from + self.page.rows.len();
        let shown = self.cursor.offset..end;
        let all_loaded = loaded.contains(&shown.start) && end <= loaded.end;
        (!shown.is_empty() && !all_loaded).then(|| self.around(view))
    }

    /// Moves the cursor; the page to ask for if it left the loaded rows.
    pub fn move_by(&mut self, by: isize, view: usize) -> Option<(usize, usize)> {
        self.cursor.move_by(by, self.total(), view);
        self.wanted(view)
    }

    /// A page arrived; the next to ask for if the problems shrank under the cursor and the
    /// pane's rows are not all there. (A page shorter than asked for with the same total is
    /// a change on its way: its event loads again.)
    pub fn arrived(&mut self, page: ProblemPage, view: usize) -> Option<(usize, usize)> {
        let shrank = page.total < self.total();
        self.page = page;
        self.cursor.fix(self.total(), view);
        self.wanted(view).filter(|_| shrank)
    }

    /// The pane's size changed.
    pub fn resized(&mut self, view: usize) -> Option<(usize, usize)> {
        self.cursor.fix(self.total(), view);
        self.wanted(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ProblemKind;

    fn page(total: usize, from: usize, n: usize) -> ProblemPage {
        ProblemPage {
            total,
            from,
            rows: (from..(from + n).min(total))
                .map(|i| Problem {
                    kind: ProblemKind::Parked,
                    store: "web".into(),
                    order_id: Some(i as u64),
                    subject: format!("#{i}"),
                    text: "no customer".into(),
                    at: chrono::Utc::now(),
                    outbox_id: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_page_is_asked_for_only_when_the_cursor_leaves_the_loaded_rows() {
        let mut w = ProblemsWindow::default();
        assert_eq!(w.arrived(page(1000, 0, 30), 10), None);
        assert_eq!(w.selected().map(|p| p.order_id), Some(Some(0)));
        // Within the loaded 30 rows: no load.
        assert_eq!(w.move_by(15, 10), None);
        assert_eq!(w.selected().map(|p| p.order_id), Some(Some(15)));
        // The pane would show rows 21..31: one is missing.
        let ask = w.move_by(15, 10).expect("a page");
        assert_eq!(ask, (1, 50));
        assert!(w.selected().is_none(), "row 30 is not loaded yet");
        assert_eq!(w.arrived(page(1000, ask.0, ask.1), 10), None);
        assert_eq!(w.selected().map(|p| p.order_id), Some(Some(30)));
        // The end of the list.
        let ask = w.move_by(isize::MAX / 2, 10).expect("a page");
        assert_eq!(w.cursor.sel, 999);
        assert_eq!(w.arrived(page(1000, ask.0, ask.1), 10), None);
        assert_eq!(w.selected().map(|p| p.order_id), Some(Some(999)));
    }

    #[test]
    fn problems_shrinking_under_the_cursor_ask_again() {
        let mut w = ProblemsWindow::default();
        w.arrived(page(500, 0, 30), 10);
        let ask = w.move_by(400, 10).expect("a page");
        assert_eq!(w.arrived(page(500, ask.0, ask.1), 10), None);
        // Now only 100 are left and the page sent was asked for at 371.
        let ask = w.arrived(page(100, 100, 0), 10).expect("asked again");
        assert_eq!(w.cursor.sel, 99);
        assert_eq!(w.arrived(page(100, ask.0, ask.1), 10), None);
        assert_eq!(w.selected().map(|p| p.order_id), Some(Some(99)));
        // A page short of what the total promises (changing meanwhile): not asked again.
        let mut short = page(100, 70, 50);
        short.rows.truncate(5);
        assert_eq!(w.arrived(short, 10), None);
        // None left.
        assert_eq!(w.arrived(page(0, 0, 0), 10), None);
        assert!(w.selected().is_none());
    }
}
