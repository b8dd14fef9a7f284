//! Where each part of the screen goes. The app uses the same numbers for paging.

use ratatui::layout::{Constraint, Layout, Rect};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 20;
/// From this width on, Sync log and Errors sit side by side under Pending.
pub const WIDE: u16 = 100;

#[derive(Debug, Clone, Copy)]
pub struct MainAreas {
    pub header: Rect,
    pub body: Rect,
    pub footer: Rect,
    pub pending: Rect,
    pub sync: Rect,
    pub errors: Rect,
}

impl MainAreas {
    /// Order rows visible in Pending (borders and the column header taken off).
    pub fn pending_rows(&self) -> usize {
        self.pending.height.saturating_sub(3).max(1) as usize
    }
    /// Run rows visible in the Sync log, below its column header and above the rows of
    /// `stores` stores' sync durations ([`MainAreas::duration_rows`]).
    pub fn sync_rows(&self, stores: usize) -> usize {
        (self.sync.height.saturating_sub(3) as usize)
            .saturating_sub(self.duration_rows(stores))
            .max(1)
    }
    /// Rows at the foot of the Sync log for each store's sync durations: one a store, at most
    /// a third of the pane, none in a short pane (there the runs come first).
    pub fn duration_rows(&self, stores: usize) -> usize {
        duration_rows(self.sync.height, stores)
    }
    pub fn errors_rows(&self) -> usize {
        self.errors.height.saturating_sub(2).max(1) as usize
    }
}

/// See [`MainAreas::duration_rows`]: for a Sync log `height` high, borders included.
pub fn duration_rows(height: u16, stores: usize) -> usize {
    let rows = height.saturating_sub(3) as usize;
    if rows < 9 { 0 } else { stores.min(rows / 3) }
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn main_areas(area: Rect) -> MainAreas {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (pending, sync, errors) = if area.width >= WIDE {
        let [pending, bottom] =
            Layout::vertical([Constraint::Fill(3), Constraint::Fill(2)]).areas(body);
        let [sync, errors] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(bottom);
        (pending, sync, errors)
    } else {
        let [pending, sync, errors] = Layout::vertical([
            Constraint::Fill(5),
            Constraint::Fill(3),
            Constraint::Fill(3),
        ])
        .areas(body);
        (pending, sync, errors)
    };
    MainAreas {
        header,
        body,
        footer,
        pending,
        sync,
        errors,
    }
}

/// A box in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
