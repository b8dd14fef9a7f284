//! The screen: ratatui's terminal, resized without a full clear.
//!
//! ratatui's own `Terminal::resize` (and the `autoresize` inside every `draw` of a fullscreen
//! viewport) clears the whole screen (`ESC[2J`) and then repaints every cell: between the two
//! the terminal shows a blank screen, which flickers. Here the terminal has a fixed viewport
//! that only a resize event changes, and a resize paints every cell of the new size over what
//! is there, with no clear: each cell goes straight from its old content to its new one.
//!
//! Every cell, not only those that differ from the last frame, because what a terminal keeps
//! across a resize is its own business: xterm, tmux and VTE scroll the content up when the
//! height shrinks below the cursor's row, some reflow long lines; a diff against a guess would
//! leave stale cells.

use crossterm::{execute, terminal};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::{Frame, Terminal, TerminalOptions, Viewport};
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A symbol no frame contains, so a cell believed to hold it is always written.
const UNKNOWN: &str = "\u{FFFF}";

pub struct Screen {
    term: Terminal<CrosstermBackend<Out>>,
    /// Silences `term`'s output (see [`Screen::replace`]).
    muted: Arc<AtomicBool>,
    area: Rect,
}

impl Screen {
    /// A screen of `width` x `height`: the alternate screen, blank.
    pub fn new(width: u16, height: u16) -> io::Result<Screen> {
        let area = Rect::new(0, 0, width, height);
        let (term, muted) = fixed(area, &Cell::EMPTY)?;
        Ok(Screen { term, muted, area })
    }

    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        self.term.draw(render)?;
        Ok(())
    }

    /// Lays out at the new size: the next draw writes every cell, over whatever the terminal
    /// kept of the old frame.
    pub fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        let area = Rect::new(0, 0, width, height);
        if area == self.area {
            return Ok(());
        }
        self.replace(area, &Cell::new(UNKNOWN))
    }

    /// Clears the terminal and repaints everything at the next draw (ctrl-r: for a screen some
    /// other program wrote on).
    pub fn clear(&mut self) -> io::Result<()> {
        execute!(io::stdout(), terminal::Clear(terminal::ClearType::All))?;
        self.replace(self.area, &Cell::EMPTY)
    }

    /// A new terminal of `area` that believes every cell of the screen holds `shown`. The old
    /// one goes quietly: its drop would show the cursor for a moment.
    fn replace(&mut self, area: Rect, shown: &Cell) -> io::Result<()> {
        let (term, muted) = fixed(area, shown)?;
        self.muted.store(true, Ordering::Relaxed);
        self.term = term;
        self.muted = muted;
        self.area = area;
        Ok(())
    }
}

/// A terminal with a fixed viewport of `area` whose previous frame is `shown` in every cell,
/// and the switch that silences it.
fn fixed(
    area: Rect,
    shown: &Cell,
) -> io::Result<(Terminal<CrosstermBackend<Out>>, Arc<AtomicBool>)> {
    let muted = Arc::new(AtomicBool::new(false));
    let mut term = Terminal::with_options(
        CrosstermBackend::new(Out {
            muted: muted.clone(),
        }),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )?;
    *term.current_buffer_mut() = Buffer::filled(area, shown.clone());
    // The filled buffer becomes the previous frame; the next one is drawn on a blank buffer.
    term.swap_buffers();
    Ok((term, muted))
}

/// Standard output, or nothing once muted.
struct Out {
    muted: Arc<AtomicBool>,
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.muted.load(Ordering::Relaxed) {
            return Ok(buf.len());
        }
        io::stdout().write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.muted.load(Ordering::Relaxed) {
            return Ok(());
        }
        io::stdout().flush()
    }
}
