//! The Pending pane's window of rows: only what is on screen plus a margin is loaded, with
//! keyset paging on the first and last rows' keys.

use crate::engine::filter::{FilterPage, OrderFilter};
use crate::engine::{OrderRow, PageFrom, RowKey};

/// Rows loaded beyond the viewport, and how close to the edge a move asks for more.
pub const MARGIN: usize = 8;

/// Why a page was asked for, so its answer lands in the right place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The first rows (home, first load).
    Start,
    /// Rows after the last loaded one.
    Next,
    /// Rows before the first loaded one.
    Prev,
    /// The last rows (end).
    End,
    /// The same window again, because orders changed.
    Refresh,
}

/// A page request: executed against `Engine::pending_page(from, limit)`, or
/// `Engine::filter_page(filter, from, limit)` under a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub kind: PageKind,
    pub from: PageFrom,
    pub limit: usize,
    pub filter: Option<OrderFilter>,
}

/// What a page says about the index beyond it, under a filter.
#[derive(Debug, Clone, Default)]
struct Beyond {
    more: bool,
    resume: Option<RowKey>,
    below: Option<RowKey>,
}

#[derive(Debug, Clone, Default)]
pub struct PendingWindow {
    pub rows: Vec<OrderRow>,
    pub sel: usize,
    pub offset: usize,
    pub at_start: bool,
    pub at_end: bool,
    /// The key of the row just before `rows[0]` (None at the start).
    pub anchor: Option<RowKey>,
    /// A Next/Prev page is on its way.
    pub loading: bool,
    /// Moves that went past the loaded rows, applied when the page arrives.
    pub deferred: isize,
    /// The first page has arrived.
    pub loaded: bool,
    /// The filter the rows pass (`/`); pages for another filter are dropped.
    pub filter: Option<OrderFilter>,
    /// Under a filter: where the scan stopped after the last row / before the first one.
    pub resume_next: Option<RowKey>,
    pub resume_prev: Option<RowKey>,
}

impl PendingWindow {
    pub fn limit(view: usize) -> usize {
        view.max(1) + MARGIN
    }
    fn cap(view: usize) -> usize {
        (Self::limit(view) * 3).max(60)
    }

    pub fn selected(&self) -> Option<&OrderRow> {
        self.rows.get(self.sel)
    }

    pub fn start(view: usize) -> PageRequest {
        Self::start_with(None, view)
    }

    pub fn start_with(filter: Option<OrderFilter>, view: usize) -> PageRequest {
        PageRequest {
            kind: PageKind::Start,
            from: PageFrom::Start,
            limit: Self::limit(view),
            filter,
        }
    }

    /// Shows the rows passing `filter` (None: every open order) from the first one.
    pub fn set_filter(&mut self, filter: Option<OrderFilter>, view: usize) -> PageRequest {
        *self = PendingWindow {
            filter: filter.clone(),
            ..PendingWindow::default()
        };
        Self::start_with(filter, view)
    }

    fn next_from(&self) -> PageFrom {
        let key = self
            .resume_next
            .clone()
            .or_else(|| self.rows.last().map(|r| r.key.clone()))
            .unwrap_or(RowKey(Vec::new()));
        PageFrom::After(key)
    }

    fn prev_from(&self) -> PageFrom {
        let key = self
            .resume_prev
            .clone()
            .or_else(|| self.rows.first().map(|r| r.key.clone()))
            .unwrap_or(RowKey(Vec::new()));
        PageFrom::Before(key)
    }

    /// Moves the selection by `delta` rows, asking for pages as needed.
    pub fn move_by(&mut self, delta: isize, view: usize) -> Vec<PageRequest> {
        let mut out = Vec::new();
        if self.rows.is_empty() {
            return out;
        }
        let last = self.rows.len() as isize - 1;
        let target = self.sel as isize + delta;
        // Keys pressed past the loaded rows add up until the page arrives.
        let defer = |d: &mut isize, by: isize| {
            *d = if d.signum() == by.signum() {
                *d + by
            } else {
                by
            }
        };
        if target < 0 {
            self.sel = 0;
            if !self.at_start {
                defer(&mut self.deferred, target);
            }
        } else if target > last {
            self.sel = last as usize;
            if !self.at_end {
                defer(&mut self.deferred, target - last);
            }
        } else {
            self.sel = target as usize;
        }
        if !self.loading {
            // Keep a screenful beyond the selection loaded, so page keys find rows there.
            let ahead = view + MARGIN / 2;
            if !self.at_end && self.sel + ahead > self.rows.len() {
                out.push(self.next(view));
            } else if !self.at_start && self.sel < ahead {
                out.push(self.prev(view));
            }
        }
        self.fix_offset(view);
        out
    }

    fn next(&mut self, view: usize) -> PageRequest {
        self.loading = true;
        PageRequest {
            kind: PageKind::Next,
            from: self.next_from(),
            limit: Self::limit(view),
            filter: self.filter.clone(),
        }
    }

    fn prev(&mut self, view: usize) -> PageRequest {
        self.loading = true;
        // One more than needed: the extra first row becomes the anchor (a filter's page
        // names its anchor instead).
        let extra = usize::from(self.filter.is_none());
        PageRequest {
            kind: PageKind::Prev,
            from: self.prev_from(),
            limit: Self::limit(view) + extra,
            filter: self.filter.clone(),
        }
    }

    pub fn top(&mut self, view: usize) -> Vec<PageRequest> {
        if self.at_start {
            self.sel = 0;
            self.fix_offset(view);
            return Vec::new();
        }
        vec![Self::start_with(self.filter.clone(), view)]
    }

    pub fn bottom(&mut self, view: usize) -> Vec<PageRequest> {
        if self.at_end {
            self.sel = self.rows.len().saturating_sub(1);
            self.fix_offset(view);
            return Vec::new();
        }
        vec![PageRequest {
            kind: PageKind::End,
            from: PageFrom::End,
            limit: Self::limit(view) + usize::from(self.filter.is_none()),
            filter: self.filter.clone(),
        }]
    }

    /// The same window again (orders changed).
    pub fn refresh(&self, view: usize) -> PageRequest {
        let limit = self.rows.len().max(Self::limit(view));
        let from = match (&self.anchor, self.at_start) {
            (Some(k), false) => PageFrom::After(k.clone()),
            _ => PageFrom::Start,
        };
        PageRequest {
            kind: PageKind::Refresh,
            from,
            limit,
            filter: self.filter.clone(),
        }
    }

    /// A filter's page arrived.
    pub fn loaded_filtered(
        &mut self,
        req: &PageRequest,
        page: FilterPage,
        view: usize,
    ) -> Vec<PageRequest> {
        let beyond = Beyond {
            more: page.more,
            resume: page.resume,
            below: page.below,
        };
        self.apply(req, page.rows, Some(beyond), view)
    }

    /// A page arrived. Returns further requests (e.g. a deferred move still short of rows).
    pub fn loaded(
        &mut self,
        req: &PageRequest,
        page: Vec<OrderRow>,
        view: usize,
    ) -> Vec<PageRequest> {
        self.apply(req, page, None, view)
    }

    fn apply(
        &mut self,
        req: &PageRequest,
        mut page: Vec<OrderRow>,
        beyond: Option<Beyond>,
        view: usize,
    ) -> Vec<PageRequest> {
        if req.filter != self.filter {
            return Vec::new(); // asked under another filter
        }
        let filtered = beyond.is_some();
        let beyond = beyond.unwrap_or_default();
        // Whether the index goes on in the direction asked.
        let full = if filtered {
            beyond.more
        } else {
            page.len() >= req.limit
        };
        let resume = if filtered && beyond.more {
            beyond.resume.clone()
        } else {
            None
        };
        match req.kind {
            PageKind::Start => {
                self.loading = false;
                self.deferred = 0;
                self.rows = page;
                self.sel = 0;
                self.offset = 0;
                self.at_start = true;
                self.anchor = None;
                self.at_end = !full;
                self.resume_next = resume;
                self.resume_prev = None;
            }
            PageKind::End => {
                self.loading = false;
                self.deferred = 0;
                if full {
                    self.anchor = if filtered {
                        beyond.below.clone()
                    } else {
                        Some(page.remove(0).key)
                    };
                    self.at_start = false;
                } else {
                    self.anchor = None;
                    self.at_start = true;
                }
                self.rows = page;
                self.at_end = true;
                self.resume_next = None;
                self.resume_prev = resume;
                self.sel = self.rows.len().saturating_sub(1);
            }
            PageKind::Next => {
                if req.from != self.next_from() {
                    return Vec::new(); // the window moved meanwhile
                }
                self.loading = false;
                self.at_end = !full;
                self.resume_next = resume;
                self.rows.extend(page);
                let cap = Self::cap(view);
                if self.rows.len() > cap {
                    let n = self.rows.len() - cap;
                    self.anchor = Some(self.rows[n - 1].key.clone());
                    self.rows.drain(..n);
                    self.sel = self.sel.saturating_sub(n);
                    self.offset = self.offset.saturating_sub(n);
                    self.at_start = false;
                    self.resume_prev = None;
                }
            }
            PageKind::Prev => {
                if req.from != self.prev_from() {
                    return Vec::new();
                }
                self.loading = false;
                if full {
                    self.anchor = if filtered {
                        beyond.below.clone()
                    } else {
                        Some(page.remove(0).key)
                    };
                } else {
                    self.anchor = None;
                    self.at_start = true;
                }
                self.resume_prev = resume;
                let n = page.len();
                page.append(&mut self.rows);
                self.rows = page;
                self.sel += n;
                self.offset += n;
                let cap = Self::cap(view);
                if self.rows.len() > cap {
                    self.rows.truncate(cap);
                    self.at_end = false;
                    self.resume_next = None;
                }
            }
            PageKind::Refresh => {
                let anchor_now = match (&self.anchor, self.at_start) {
                    (Some(k), false) => PageFrom::After(k.clone()),
                    _ => PageFrom::Start,
                };
                if anchor_now != req.from {
                    return Vec::new();
                }
                self.loading = false;
                self.deferred = 0;
                let keep = self.selected().map(|r| r.id);
                self.rows = page;
                self.at_end = !full;
                self.resume_next = resume;
                if self.rows.is_empty() && !self.at_start {
                    return vec![Self::start_with(self.filter.clone(), view)];
                }
                self.sel = keep
                    .and_then(|id| self.rows.iter().position(|r| r.id == id))
                    .unwrap_or(self.sel)
                    .min(self.rows.len().saturating_sub(1));
            }
        }
        self.loaded = true;
        self.fix_offset(view);
        if self.deferred != 0 {
            let d = std::mem::take(&mut self.deferred);
            return self.move_by(d, view);
        }
        // A filter's page may hold few rows: read on (one bounded page at a time) until the
        // screen is full or the index ends.
        if filtered && !self.at_end && !self.loading && self.rows.len() < self.sel + view + MARGIN {
            return vec![self.next(view)];
        }
        Vec::new()
    }

    /// Keeps the selection on screen.
    pub fn fix_offset(&mut self, view: usize) {
        let view = view.max(1);
        if self.sel < self.offset {
            self.offset = self.sel;
        } else if self.sel >= self.offset + view {
            self.offset = self.sel + 1 - view;
        }
        let max_offset = self.rows.len().saturating_sub(view);
        self.offset = self.offset.min(max_offset);
    }
}

/// Selection and scroll of a list held whole (sync runs, problems).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub sel: usize,
    pub offset: usize,
}

impl Cursor {
    pub fn move_by(&mut self, delta: isize, len: usize, view: usize) {
        if len == 0 {
            *self = Cursor::default();
            return;
        }
        self.sel = (self.sel as isize + delta).clamp(0, len as isize - 1) as usize;
        self.fix(len, view);
    }
    pub fn fix(&mut self, len: usize, view: usize) {
        let view = view.max(1);
        self.sel = self.sel.min(len.saturating_sub(1));
        if self.sel < self.offset {
            self.offset = self.sel;
        } else if self.sel >= self.offset + view {
            self.offset = self.sel + 1 - view;
        }
        self.offset = self.offset.min(len.saturating_sub(view));
    }
}
