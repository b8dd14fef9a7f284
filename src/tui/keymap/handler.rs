//! Turns key presses into actions through the keymap, following sequences such as `g g`.

use super::{Chord, Context, Keymap};
use crate::tui::action::Action;
use crossterm::event::KeyEvent;

/// Remembers the keys typed so far of a sequence.
#[derive(Debug, Default, Clone)]
pub struct KeyHandler {
    pending: Vec<Chord>,
}

impl KeyHandler {
    /// The keys of an unfinished sequence (shown in the footer).
    pub fn pending(&self) -> &[Chord] {
        &self.pending
    }

    pub fn reset(&mut self) {
        self.pending.clear();
    }

    /// Feeds one key event; returns the action it completes, if any.
    pub fn feed(&mut self, keymap: &Keymap, contexts: &[Context], ev: &KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(ev)?;
        self.feed_chord(keymap, contexts, chord)
    }

    pub fn feed_chord(
        &mut self,
        keymap: &Keymap,
        contexts: &[Context],
        chord: Chord,
    ) -> Option<Action> {
        self.pending.push(chord);
        if let Some(b) = keymap.lookup(contexts, &self.pending) {
            let action = b.action;
            self.pending.clear();
            return Some(action);
        }
        if keymap.is_prefix(contexts, &self.pending) {
            return None;
        }
        // Not a sequence after all: start again from this key alone.
        let started = self.pending.len() > 1;
        self.pending.clear();
        if started {
            return self.feed_chord(keymap, contexts, chord);
        }
        None
    }
}
