//! How a REST connector's push (WooCommerce, PrestaShop, Magento) reports its steps: each
//! step did something (its summary) or the shop refused it (the shop's words), and a push
//! refused half-way says what was made before.

use crate::channels::PushOutcome;

/// What a step did, or the shop's refusal in its own words.
pub type Step = Result<String, String>;

/// A refusal after some of the change was made: what was made, then the shop's words.
pub fn then(done: &[String], words: String) -> String {
    if done.is_empty() {
        words
    } else {
        format!("{} done, then: {words}", done.join("; "))
    }
}

/// A one-step change's outcome: its summary, or the shop's refusal.
pub fn outcome(step: Step) -> PushOutcome {
    match step {
        Ok(summary) => PushOutcome::Done(summary),
        Err(words) => PushOutcome::Refused(words),
    }
}

/// A note with `line` added at its end, for a platform that keeps one free-text note per
/// order; `None` when a line of the note already says it (the note's calls take no
/// idempotency key, so a push read first and sent again adds nothing).
pub fn note_with(old: &str, line: &str) -> Option<String> {
    let line = line.trim();
    if old.lines().any(|l| l.trim() == line) {
        None
    } else if old.trim().is_empty() {
        Some(line.to_string())
    } else {
        Some(format!("{}\n{line}", old.trim_end()))
    }
}

/// The refusal of a change to an order the shop shows cancelled (`status` as people read it).
pub fn cancelled_there(status: &str) -> PushOutcome {
    PushOutcome::Refused(format!("the order is {status} at the shop"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_half_way_says_what_was_made_first() {
        assert_eq!(then(&[], "no".into()), "no");
        let done = ["tracking JD1".to_string(), "status completed".to_string()];
        assert_eq!(
            then(&done, "no".into()),
            "tracking JD1; status completed done, then: no"
        );
        assert_eq!(outcome(Ok("ok".into())), PushOutcome::Done("ok".into()));
        assert_eq!(outcome(Err("no".into())), PushOutcome::Refused("no".into()));
    }

    #[test]
    fn a_note_gains_a_line_once() {
        assert_eq!(
            note_with("", " Invoice A-1 ").as_deref(),
            Some("Invoice A-1")
        );
        assert_eq!(
            note_with("Gift wrap\n", "Invoice A-1").as_deref(),
            Some("Gift wrap\nInvoice A-1")
        );
        assert_eq!(note_with("Gift wrap\n Invoice A-1", "Invoice A-1"), None);
        // Only a whole line counts: a longer number that starts the same is another invoice.
        assert!(note_with("Invoice A-10", "Invoice A-1").is_some());
    }
}
