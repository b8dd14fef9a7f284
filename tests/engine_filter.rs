//! The Pending pane's filter as an engine query: terms, and bounded pages with a
//! continuation (DESIGN.md §2, the console's latency on a large store).

mod engine_common;

use engine_common::*;
use orderdesk::domain::OrderState;
use orderdesk::engine::PageFrom;
use orderdesk::engine::filter::OrderFilter;

#[test]
fn terms_parse_and_unknown_terms_are_refused() {
    let f =
        OrderFilter::parse("state:booked  Kovács store:web from:2026-11-01 to:2026-11-20").unwrap();
    assert_eq!(f.state, Some(OrderState::Booked));
    assert_eq!(f.store.as_deref(), Some("web"));
    assert_eq!(f.words, ["kovacs"]);
    assert_eq!(
        f.text(),
        "state:booked store:web from:2026-11-01 to:2026-11-20 kovacs"
    );
    assert!(OrderFilter::parse("").unwrap().is_empty());
    assert!(
        OrderFilter::parse("- & #").unwrap().is_empty(),
        "no letter or digit: nothing to match"
    );
    let e = OrderFilter::parse("colour:red").unwrap_err();
    assert!(e.contains("unknown filter term \"colour:\""), "{e}");
    assert!(OrderFilter::parse("state:lost").is_err());
    assert!(OrderFilter::parse("from:yesterday").is_err());
    assert!(OrderFilter::parse("from:2026-11-20 to:2026-11-01").is_err());
}

#[test]
fn pages_are_bounded_and_go_on_from_where_they_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    // 30 orders: every third one for a customer the store does not know (parked), the
    // others booked; orders 1010..1019 sell a cap.
    let orders: Vec<_> = (0..30)
        .map(|i| {
            let id = format!("{}", 1000 + i);
            let sku = if (10..20).contains(&i) { "CAP" } else { "MUG" };
            let mut o = order(&id, &[(sku, 1)]);
            o.created_at = at(i);
            if i % 3 == 0 { stranger(o) } else { o }
        })
        .collect();
    feed(&e, &orders.iter().collect::<Vec<_>>());

    let f = OrderFilter::parse("state:booked").unwrap();
    let p = e.filter_page(&f, PageFrom::Start, 100).unwrap();
    assert_eq!(p.rows.len(), 20);
    assert!(p.rows.iter().all(|r| r.state == OrderState::Booked));
    assert!(!p.more);

    // Text: SKU, customer name folded, order name.
    let cap = OrderFilter::parse("cap").unwrap();
    assert_eq!(
        e.filter_page(&cap, PageFrom::Start, 100)
            .unwrap()
            .rows
            .len(),
        10
    );
    let zs = OrderFilter::parse("zsofia").unwrap();
    assert_eq!(
        e.filter_page(&zs, PageFrom::Start, 100).unwrap().rows.len(),
        10
    );
    let one = OrderFilter::parse("#1017").unwrap();
    let p = e.filter_page(&one, PageFrom::Start, 100).unwrap();
    assert_eq!(
        p.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["#1017"]
    );

    // A budget of 4 index entries per request: a page reads no more, and says where to go on.
    // "ca" is too short for a stem: the 30 open orders are walked. "cap" has one: only the 10
    // orders with a word starting "cap" are.
    let walk = |f: &OrderFilter| {
        let (mut from, mut seen, mut requests) = (PageFrom::Start, Vec::new(), 0);
        loop {
            let p = e.filter_page_within(f, from, 100, 4).unwrap();
            requests += 1;
            assert!(p.rows.len() <= 4);
            seen.extend(p.rows.iter().map(|r| r.name.clone()));
            if !p.more {
                break;
            }
            from = PageFrom::After(p.resume.unwrap());
        }
        seen.sort();
        (requests, seen)
    };
    let (requests, seen) = walk(&OrderFilter::parse("ca").unwrap());
    assert_eq!(requests, 8, "30 entries, 4 at a time");
    assert_eq!(seen.len(), 10);
    assert_eq!(seen[0], "#1010");
    let (requests, by_word) = walk(&cap);
    assert_eq!(requests, 3, "10 entries, 4 at a time");
    assert_eq!(by_word, seen);

    // Backwards from the end, with the anchor just below what was read.
    let p = e.filter_page_within(&cap, PageFrom::End, 3, 100).unwrap();
    assert_eq!(p.rows.len(), 3);
    assert!(p.more);
    assert!(p.below.is_some());
    assert!(
        p.rows.windows(2).all(|w| w[0].key < w[1].key),
        "display order"
    );

    // A limit stops the scan early and leaves `more`.
    let p = e.filter_page(&cap, PageFrom::Start, 2).unwrap();
    assert_eq!(p.rows.len(), 2);
    assert!(p.more);
    let next = e
        .filter_page(&cap, PageFrom::After(p.resume.unwrap()), 100)
        .unwrap();
    assert_eq!(next.rows.len(), 8);
}

/// What one keystroke costs on a larger store: a filter that matches nothing, too short for
/// the words index, reads one bounded page (SCAN_BUDGET index entries), however many orders
/// there are.
/// `cargo test --release --test engine_filter -- --ignored --nocapture`
#[test]
#[ignore]
fn one_keystroke_costs_one_bounded_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let n = 20_000;
    let orders: Vec<_> = (0..n)
        .map(|i| {
            let mut o = order(&format!("{}", 100_000 + i), &[("MUG", 1)]);
            o.created_at = at(i as i64);
            o
        })
        .collect();
    for chunk in orders.chunks(500) {
        feed(&e, &chunk.iter().collect::<Vec<_>>());
    }
    let none = OrderFilter::parse(&std::env::var("F").unwrap_or("zz".into())).unwrap();
    let mut times = Vec::new();
    let mut from = PageFrom::Start;
    for _ in 0..10 {
        let t = std::time::Instant::now();
        let p = e.filter_page(&none, from.clone(), 30).unwrap();
        times.push(t.elapsed());
        assert!(p.rows.is_empty() && p.more);
        from = PageFrom::After(p.resume.unwrap());
    }
    times.sort();
    eprintln!(
        "{n} orders, a filter matching nothing: one page of {} index entries takes {:?} (median of 10), {:?} at most",
        orderdesk::engine::filter::SCAN_BUDGET,
        times[5],
        times[9]
    );
    // One order's name under the words index: every page it takes, until the index ends.
    let one = OrderFilter::parse("110123").unwrap();
    let mut took = Vec::new();
    for _ in 0..10 {
        let t = std::time::Instant::now();
        let (mut from, mut rows, mut requests) = (PageFrom::Start, 0, 0);
        loop {
            let p = e.filter_page(&one, from, 30).unwrap();
            requests += 1;
            rows += p.rows.len();
            if !p.more {
                break;
            }
            from = PageFrom::After(p.resume.unwrap());
        }
        assert_eq!(rows, 1);
        took.push((t.elapsed(), requests));
    }
    took.sort();
    eprintln!(
        "{n} orders, one order's name (110123): all of it in {} request(s), {:?} (median of 10)",
        took[5].1, took[5].0
    );
}

/// A typed word of three letters or more walks only the orders with a word of that stem
/// (`idx_order_word`), in display order: one request finds a single match among hundreds of
/// orders, the entries follow the order's state, and `check` recounts them.
#[test]
fn a_word_walks_only_the_orders_that_have_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let orders: Vec<_> = (0..600)
        .map(|i| {
            let mut o = order(&format!("{}", 5000 + i), &[("MUG", 1)]);
            o.created_at = at(i);
            if i == 300 { stranger(o) } else { o }
        })
        .collect();
    feed(&e, &orders.iter().collect::<Vec<_>>());
    let rows = |e: &orderdesk::engine::Engine, text: &str, budget: usize| {
        let p = e
            .filter_page_within(
                &OrderFilter::parse(text).unwrap(),
                PageFrom::Start,
                50,
                budget,
            )
            .unwrap();
        let names: Vec<String> = p.rows.iter().map(|r| r.name.clone()).collect();
        (names, p.more)
    };
    // Four index entries per request: enough, since only one order has a word "zso...".
    assert_eq!(rows(&e, "zsof", 4), (vec!["#5300".to_string()], false));
    assert_eq!(
        rows(&e, "Tündér zsófia", 4),
        (vec!["#5300".to_string()], false)
    );
    assert_eq!(
        rows(&e, "zsofiak", 4),
        (vec![], false),
        "a longer word than hers"
    );
    // Two letters have no stem of their own: the Pending index is walked, 4 entries a time
    // (she is parked, so first), and it cannot know there is nobody else.
    assert_eq!(rows(&e, "zs", 4), (vec!["#5300".to_string()], true));
    // The state index under a word: she is parked, not booked.
    assert_eq!(rows(&e, "state:booked zsof", 4), (vec![], false));
    assert_eq!(rows(&e, "state:customer_id_needed zsof", 4).0, ["#5300"]);

    // Paging under a word, forwards and backwards, in display order.
    let kov = OrderFilter::parse("kovacs").unwrap();
    let (mut from, mut seen) = (PageFrom::Start, Vec::new());
    loop {
        let p = e.filter_page_within(&kov, from, 100, 100).unwrap();
        seen.extend(p.rows.iter().map(|r| r.key.clone()));
        if !p.more {
            break;
        }
        from = PageFrom::After(p.resume.unwrap());
    }
    assert_eq!(seen.len(), 599);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "display order");
    let last = e.filter_page_within(&kov, PageFrom::End, 3, 100).unwrap();
    let tail: Vec<_> = last.rows.iter().map(|r| r.key.clone()).collect();
    assert_eq!(tail, seen[596..].to_vec());
    assert!(last.more && last.below.is_some());

    // An open state under a word reads the open orders' entries, with that state's keys:
    // the same rows and keys as the state index walked without a word, forwards and back.
    let keys_of = |text: &str, from: PageFrom| {
        let f = OrderFilter::parse(text).unwrap();
        let (mut from, mut keys) = (from, Vec::new());
        loop {
            let p = e.filter_page_within(&f, from.clone(), 100, 50).unwrap();
            let mut got: Vec<_> = p.rows.iter().map(|r| r.key.clone()).collect();
            if matches!(from, PageFrom::Before(_) | PageFrom::End) {
                got.extend(keys);
                keys = got;
                match (p.more, p.below) {
                    (true, Some(b)) => from = PageFrom::Before(p.resume.unwrap_or(b)),
                    _ => break,
                }
            } else {
                keys.extend(got);
                if !p.more {
                    break;
                }
                from = PageFrom::After(p.resume.unwrap());
            }
        }
        keys
    };
    let booked = keys_of("state:booked", PageFrom::Start);
    assert_eq!(booked.len(), 599);
    assert_eq!(keys_of("state:booked kovacs", PageFrom::Start), booked);
    assert_eq!(keys_of("state:booked kovacs", PageFrom::End), booked);

    // Once completed she leaves the Pending words and stays under her state's.
    let e = force_state(
        dir.path(),
        e,
        "5300",
        orderdesk::domain::OrderState::Completed,
    );
    assert_eq!(rows(&e, "zsof", 4), (vec![], false));
    assert_eq!(rows(&e, "state:completed zsof", 4).0, ["#5300"]);
    let report = e.check().unwrap();
    assert!(report.is_clean(), "{:?}", report.differences);
    // An entry no order explains is a difference.
    e.tamper_for_tests("idx_order_word", b"szzz\0\x05", Some(b""))
        .unwrap();
    let report = e.check().unwrap();
    assert!(
        report
            .differences
            .iter()
            .any(|d| d.area == "idx_order_word"),
        "{:?}",
        report.differences
    );
}

/// A store from before the words index (layout 1, no done mark) gets it built when opened and
/// is raised to the current layout; a store of a later layout is refused, since this binary
/// would not keep that layout's indexes.
#[test]
fn an_older_store_gets_the_words_at_open_and_a_later_layout_is_refused() {
    use orderdesk::store::{STORE_LAYOUT, Store, StoreError};
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let orders: Vec<_> = (0..40)
        .map(|i| stranger(order(&format!("{}", 7000 + i), &[("MUG", 1)])))
        .collect();
    feed(&e, &orders.iter().collect::<Vec<_>>());
    // What an older binary leaves: its layout, the mark of its own build of the index (not
    // the current one), and entries of its own (a stem of a short word, say).
    e.tamper_for_tests("meta", b"done:idx_order_word.3", None)
        .unwrap();
    e.tamper_for_tests("meta", b"done:idx_order_word", Some(&[1]))
        .unwrap();
    e.tamper_for_tests("meta", b"schema", Some(&[1])).unwrap();
    e.tamper_for_tests("idx_order_word", b"szzz\0\x05", Some(b""))
        .unwrap();
    drop(e);
    let open = |dir: &std::path::Path| loop {
        match Store::open(dir) {
            Err(StoreError::Locked { .. }) => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            other => break other,
        }
    };
    let store = open(dir.path()).expect("the older store opens");
    assert_eq!(
        store.layout().unwrap(),
        Some(STORE_LAYOUT),
        "raised once built"
    );
    drop(store);
    let e = retry(|| {
        orderdesk::engine::Engine::open(dir.path(), "anna", vec![settings("web", options())])
    });
    let report = e.check().unwrap();
    assert!(report.is_clean(), "rebuilt: {:?}", report.differences);
    let found = e
        .filter_page(&OrderFilter::parse("7012").unwrap(), PageFrom::Start, 10)
        .unwrap();
    assert_eq!(found.rows.len(), 1);

    // Raised to the current layout; one beyond it is refused, naming both.
    let later = STORE_LAYOUT + 1;
    e.tamper_for_tests("meta", b"schema", Some(&[later]))
        .unwrap();
    drop(e);
    let err = open(dir.path()).err().expect("a later layout is refused");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Refused(_)), "{msg}");
    assert!(
        msg.contains(&format!("layout {later}")) && msg.contains(&format!("up to {STORE_LAYOUT}")),
        "{msg}"
    );
}

/// The words index ends each entry with the order's words of its stem: a walk passes over an
/// order that cannot have the typed word without reading it. An order whose record no longer
/// reads shows it: a filter for another order of the same stem never touches it, one for that
/// order does and says so.
#[test]
fn a_word_walk_reads_only_the_orders_whose_words_can_match() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let orders: Vec<_> = (0..10)
        .map(|i| order(&format!("{}", 5300 + i), &[("MUG", 1)]))
        .collect();
    feed(&e, &orders.iter().collect::<Vec<_>>());
    let broken = e
        .order_by_ref("web:5301")
        .expect("a reference")
        .expect("the order");
    e.tamper_for_tests("orders", &broken.to_be_bytes(), Some(b"\x03not a record"))
        .expect("tampered");
    let page = |text: &str| {
        e.filter_page(&OrderFilter::parse(text).unwrap(), PageFrom::Start, 50)
            .map(|p| p.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
    };
    assert_eq!(page("5300").expect("never reads #5301"), ["#5300"]);
    assert_eq!(page("5309").expect("never reads #5301"), ["#5309"]);
    assert!(page("5301").is_err(), "#5301 is read, and does not read");
}
