//! The Errors pane's pages of open problems (DESIGN.md §1 "Problems and the Errors pane"): the
//! orders that need action are counted from the index and read only for the page shown.

mod engine_common;

use engine_common::*;
use orderdesk::engine::ProblemKind;

#[test]
fn pages_of_problems_add_up_to_the_whole_list_in_its_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let mut shop = vec![unreadable("4999", "line_items: expected a list, got null")];
    for i in 0..30 {
        let mut o = stranger(order(&format!("50{i:02}"), &[("MUG", 1)]));
        o.created_at = at(i);
        shop.push(incoming(&o));
    }
    let t = e.intake_batch("web", shop).expect("batch");
    assert_eq!((t.errors, t.parked), (1, 30));

    let all = e.problem_page(0, usize::MAX).expect("all");
    assert_eq!(all.total, 31);
    assert_eq!(all.rows.len(), 31);
    assert_eq!(all.rows[0].kind, ProblemKind::Unreadable);
    // Oldest first, one row per order.
    let names: Vec<_> = all.rows[1..].iter().map(|p| p.subject.clone()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(all.rows[1..].iter().all(|p| p.kind == ProblemKind::Parked));
    assert_eq!(all.rows, e.problems().expect("problems"));

    // Any window is that slice of the whole.
    for (from, limit) in [(0, 1), (1, 5), (10, 7), (29, 10), (30, 1)] {
        let page = e.problem_page(from, limit).expect("page");
        assert_eq!(page.total, 31);
        assert_eq!(page.from, from);
        let end = (from + limit).min(31);
        assert_eq!(page.rows, all.rows[from..end], "{from}+{limit}");
    }
    // Past the end: nothing, and where the end is.
    let past = e.problem_page(100, 5).expect("past");
    assert_eq!((past.total, past.from, past.rows.len()), (31, 31, 0));

    // An order dealt with leaves the count and the pages at once.
    let first = get(&e, "5000");
    e.identify_customer(first.id, "C1").expect("identify");
    let after = e.problem_page(0, usize::MAX).expect("after");
    assert_eq!(after.total, 30);
    assert!(after.rows.iter().all(|p| p.order_id != Some(first.id)));
}
