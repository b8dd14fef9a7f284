//! Sync runs, cursors, unreadable orders, status.json, CSV import and determinism through the
//! engine (DESIGN.md §1 "Sync runs", "Problems", §4 "status --json", "CSV").

mod engine_common;

use engine_common::*;
use orderdesk::domain::intake::NoContact;
use orderdesk::domain::{OrderState, ShopOrder};
use orderdesk::engine::{Engine, ImportError, IntakeTally, ProblemKind};
use std::collections::BTreeMap;

#[test]
fn an_unreadable_order_stays_in_problems_until_it_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let t = e
        .intake_batch(
            "web",
            vec![
                unreadable("5001", "line_items: expected a list, got null"),
                incoming(&order("5002", &[("MUG", 1)])),
            ],
        )
        .expect("batch");
    assert_eq!(
        (t.fetched, t.errors, t.booked),
        (2, 1, 1),
        "one bad order blocks nothing"
    );
    assert!(t.error_lines[0].contains("line_items: expected a list, got null"));
    assert!(find(&e, "5001").is_none());
    assert_eq!(e.unreadable_ids("web").expect("ids"), ["5001"]);
    let problems = e.problems().expect("problems");
    let u: Vec<_> = problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Unreadable)
        .collect();
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].store, "web");
    assert!(
        u[0].text.contains("line_items: expected a list, got null"),
        "{}",
        u[0].text
    );
    assert_eq!(
        e.status_json().expect("status")["problems"]["unreadable"],
        1
    );

    // Still unreadable on the next run: still one problem.
    e.intake_batch("web", vec![unreadable("5001", "still garbled")])
        .expect("batch");
    assert_eq!(e.unreadable_ids("web").expect("ids"), ["5001"]);
    assert!(
        e.problems().expect("problems")[0]
            .text
            .contains("still garbled")
    );

    // It reads now: taken, and the problem is gone.
    let t = feed(&e, &[&order("5001", &[("TEE", 1)])]);
    assert_eq!(t.booked, 1);
    assert_eq!(get(&e, "5001").state, OrderState::Booked);
    assert!(e.unreadable_ids("web").expect("ids").is_empty());
    assert!(e.problems().expect("problems").is_empty());
    assert_eq!(
        e.status_json().expect("status")["problems"]["unreadable"],
        0
    );

    // One that reads as dealt with elsewhere leaves the problems too, and is not stored.
    e.intake_batch("web", vec![unreadable("5003", "bad money")])
        .expect("batch");
    let mut gone = order("5003", &[("MUG", 1)]);
    gone.cancelled = true;
    assert_eq!(feed(&e, &[&gone]).skipped, 1);
    assert!(e.unreadable_ids("web").expect("ids").is_empty());
    assert!(find(&e, "5003").is_none());
    check_counts(&e);
}

#[test]
fn the_cursor_moves_only_when_a_run_succeeds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    assert_eq!(e.cursor("web").expect("cursor"), None);

    let run = e.begin_run("web").expect("begin");
    let tally = feed(&e, &[&order("6001", &[("MUG", 1)])]);
    let done = e.finish_run(run, tally, None, Some(at(5))).expect("finish");
    assert!(done.ok);
    assert_eq!((done.fetched, done.booked), (1, 1));
    assert_eq!(e.cursor("web").expect("cursor"), Some(at(5)));

    // The shop could not be read: the cursor is kept, the store shows as failed.
    let run = e.begin_run("web").expect("begin");
    let failed = e
        .finish_run(
            run,
            IntakeTally::default(),
            Some("HTTP 401: invalid token".into()),
            Some(at(9)),
        )
        .expect("finish");
    assert!(!failed.ok);
    assert_eq!(e.cursor("web").expect("cursor"), Some(at(5)));
    let p = e.problems().expect("problems");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].kind, ProblemKind::StoreFailed);
    assert!(p[0].text.contains("HTTP 401"), "{}", p[0].text);
    let s = e.status_json().expect("status");
    assert_eq!(s["stores"][0]["last_sync"]["ok"], false);
    assert_eq!(
        s["stores"][0]["last_sync"]["message"],
        "HTTP 401: invalid token"
    );

    // The next good run moves it to the newest updated_at given and clears the failure.
    let run = e.begin_run("web").expect("begin");
    e.finish_run(run, IntakeTally::default(), None, Some(at(7)))
        .expect("finish");
    assert_eq!(e.cursor("web").expect("cursor"), Some(at(7)));
    assert!(e.problems().expect("problems").is_empty());

    // A run that saw only older orders (the overlap) never moves it back.
    let run = e.begin_run("web").expect("begin");
    e.finish_run(run, IntakeTally::default(), None, Some(at(6)))
        .expect("finish");
    assert_eq!(e.cursor("web").expect("cursor"), Some(at(7)));
    let runs = e.sync_runs(10).expect("runs");
    assert_eq!(runs.len(), 4);
    assert_eq!(runs.iter().filter(|r| r.ok).count(), 3);
}

#[test]
fn the_sync_pictures_follow_every_run_though_kept_between_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let runs_of = |e: &Engine| {
        let p = e.sync_pictures().expect("pictures");
        (p.durations.iter())
            .find(|(s, _)| s == "web")
            .map_or(0, |(_, d)| d.len())
    };
    assert_eq!(runs_of(&e), 0);
    for n in 1..=3 {
        let run = e.begin_run("web").expect("begin");
        e.finish_run(run, IntakeTally::default(), None, Some(at(n)))
            .expect("finish");
        // Asked twice, as many consoles do after one change: the same, and up to date.
        assert_eq!(runs_of(&e), n as usize);
        assert_eq!(runs_of(&e), n as usize);
    }
}

#[test]
fn status_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let s = e.status_json().expect("status");
    let by_state = s["orders"]["by_state"].as_object().expect("by_state");
    let names: Vec<&str> = by_state.keys().map(String::as_str).collect();
    let mut want: Vec<&str> = OrderState::ALL.iter().map(|s| s.as_str()).collect();
    want.sort();
    let mut got = names.clone();
    got.sort();
    assert_eq!(got, want, "every state, zeros included");
    assert!(by_state.values().all(|v| v == 0));
    assert_eq!(s["orders"]["total"], 0);
    assert_eq!(s["needs_action"], 0);
    for k in [
        "rejected",
        "oversold",
        "conflicts",
        "outbox_failed",
        "unreadable",
    ] {
        assert_eq!(s["problems"][k], 0, "problems.{k}");
    }
    assert_eq!(s["outbox"]["pending"], 0);
    assert_eq!(s["outbox"]["failed"], 0);
    assert!(s["generated_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    let stores = s["stores"].as_array().expect("stores");
    assert_eq!(stores.len(), 1, "{stores:?}");
    assert_eq!(stores[0]["id"], "web");
    assert_eq!(stores[0]["platform"], "shopify");
    assert_eq!(stores[0]["read_only"], false);
    assert!(
        stores[0]["last_sync"].is_null(),
        "null before the first run"
    );

    let run = e.begin_run("web").expect("begin");
    let tally = feed(
        &e,
        &[
            &order("7001", &[("MUG", 1)]),
            &stranger(order("7002", &[("MUG", 1)])),
            &order("7003", &[("NOPE", 1)]),
            &no_contact(order("7004", &[("MUG", 1)])),
        ],
    );
    e.finish_run(run, tally, None, Some(at(0))).expect("finish");
    let s = e.status_json().expect("status");
    assert_eq!(s["orders"]["total"], 4);
    assert_eq!(s["orders"]["by_state"]["booked"], 1);
    assert_eq!(s["orders"]["by_state"]["customer_id_needed"], 1);
    assert_eq!(s["orders"]["by_state"]["product_match_failed"], 1);
    assert_eq!(s["orders"]["by_state"]["rejected"], 1);
    assert_eq!(s["orders"]["by_state"]["cancelled"], 0);
    assert_eq!(s["needs_action"], 2);
    assert_eq!(s["problems"]["rejected"], 1);
    let last = &s["stores"][0]["last_sync"];
    assert_eq!(last["ok"], true);
    assert_eq!(last["fetched"], 4);
    assert_eq!(last["booked"], 1);
    assert_eq!(last["parked"], 2);
    assert_eq!(last["rejected"], 1);
    assert_eq!(last["skipped"], 0);
    assert!(last["message"].is_null());
    check_counts(&e);
}

fn row_error(r: Result<usize, ImportError>) -> (u64, String) {
    match r {
        Err(ImportError::Row { line, message, .. }) => (line, message),
        other => panic!("expected a row error, got {other:?}"),
    }
}

#[test]
fn a_bad_csv_row_is_reported_by_line_and_nothing_of_the_file_is_imported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let before_products = e.products(None).expect("products");
    let before_customers = e.customers(None).expect("customers");

    let (line, msg) = row_error(e.import_products(
        "p.csv",
        "id,sku,name,price,stock\nP1,MUG,Renamed,1.00,99\n,NEW,New,12,50,1\n",
    ));
    assert_eq!(line, 3);
    assert!(!msg.is_empty());
    let (line, msg) = row_error(e.import_products(
        "p.csv",
        "id,sku,name,price,stock\nP1,MUG,Renamed,1.00,99\n,NEW,New,12;50,1\n",
    ));
    assert_eq!(line, 3);
    assert!(msg.contains("12;50"), "{msg}");
    let (line, msg) = row_error(e.import_products("p.csv", "id,sku,name,colour\nP8,X,Y,red\n"));
    assert_eq!(line, 1);
    assert!(msg.contains("colour"), "{msg}");
    let (line, msg) = row_error(e.import_customers(
        "c.csv",
        "id,first_name,email\nC1,Renamed,anna@example.com\nC8,Dora,dora.example.com\n",
        None,
    ));
    assert_eq!(line, 3);
    assert!(msg.contains("dora.example.com"), "{msg}");
    let err = e
        .import_customers("c.csv", "id,first_name,email\n,Dora,dora@x\n", None)
        .expect_err("a bad email");
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(err.to_string().contains("nothing was imported"), "{err}");

    assert_eq!(e.products(None).expect("products"), before_products);
    assert_eq!(e.customers(None).expect("customers"), before_customers);
}

#[test]
fn csv_ids_update_existing_records_and_empty_ids_are_assigned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let n = e
        .import_products(
            "p.csv",
            "id,sku,name,price,stock\nP1,MUG-2,Big mug,11.00,3\n,BAG,Bag,5.5,2\nX9,PEN,Pen,1,1\n",
        )
        .expect("import");
    assert_eq!(n, 3);
    let p1 = e.product("P1").expect("read").expect("P1");
    assert_eq!(
        (p1.sku.as_str(), p1.name.as_str(), p1.stock),
        ("MUG-2", "Big mug", 3)
    );
    let bag = e.products(Some("Bag")).expect("products");
    assert_eq!(bag.len(), 1);
    assert_eq!(bag[0].id, "P4", "the next free P id");
    assert!(e.product("X9").expect("read").is_some());
    assert_eq!(e.products(None).expect("products").len(), 5);

    // The SKU index follows the update: the old SKU finds nothing now.
    feed(
        &e,
        &[
            &order("8001", &[("MUG", 1)]),
            &order("8002", &[("MUG-2", 1)]),
        ],
    );
    assert_eq!(get(&e, "8001").state, OrderState::ProductMatchFailed);
    assert_eq!(get(&e, "8002").state, OrderState::Booked);

    e.import_customers(
        "c.csv",
        "id,first_name,last_name,email\nC2,Béla,Nagy,new@example.com\n,Dóra,Kiss,\n",
        None,
    )
    .expect("import");
    assert_eq!(
        e.customer("C2")
            .expect("read")
            .expect("C2")
            .email
            .as_deref(),
        Some("new@example.com")
    );
    let dora = e.customers(Some("dora")).expect("customers");
    assert_eq!(dora.len(), 1);
    assert_eq!(dora[0].id, "C3");
    // The email index follows the update too.
    let mut old_mail = order("8003", &[("MUG-2", 1)]);
    old_mail.customer = None;
    old_mail.email = Some("bela@example.com".into());
    feed(&e, &[&old_mail]);
    assert_eq!(get(&e, "8003").state, OrderState::CustomerIdNeeded);
}

/// A day of one shop: new orders, repeats, changes, cancellations, unreadable ones.
fn script() -> Vec<Vec<ShopOrder>> {
    let a = order("9001", &[("MUG", 2), ("TEE", 1)]);
    let b = stranger(order("9002", &[("CAP", 1)]));
    let c = order("9003", &[("NOPE", 1), ("MUG", 1)]);
    let d = no_contact(order("9004", &[("TEE", 2)]));
    let mut skipped = order("9005", &[("MUG", 1)]);
    skipped.cancelled = true;
    let mut a2 = a.clone();
    a2.updated_at = at(5);
    a2.lines[0].quantity = 4;
    let mut c2 = c.clone();
    c2.updated_at = at(6);
    c2.lines[0].sku = Some("CAP".into());
    let mut b2 = b.clone();
    b2.updated_at = at(7);
    b2.cancelled = true;
    let mut a3 = a2.clone();
    a3.updated_at = at(8);
    a3.cancelled = true;
    let oversold = order("9006", &[("CAP", 2)]);
    vec![
        vec![a.clone(), b.clone(), c.clone(), d.clone(), skipped.clone()],
        // The same page again (an interrupted run repeated).
        vec![a.clone(), b.clone(), c.clone(), d.clone(), skipped.clone()],
        vec![a2, c2.clone(), oversold],
        vec![c2, b2, a3, skipped],
    ]
}

fn play(dir: &std::path::Path) -> (Engine, Vec<IntakeTally>) {
    let mut opts = options();
    opts.no_contact = NoContact::Unspecified;
    let e = open_with(dir, opts);
    e.import_products("p.csv", PRODUCTS).expect("import");
    e.import_customers("c.csv", CUSTOMERS, None)
        .expect("import");
    let mut tallies = Vec::new();
    for (i, batch) in script().into_iter().enumerate() {
        let mut incs: Vec<_> = batch.iter().map(incoming).collect();
        if i == 1 {
            incs.push(unreadable("9999", "not an order"));
        }
        let mut t = e.intake_batch("web", incs).expect("batch");
        t.touched.sort();
        tallies.push(t);
    }
    (e, tallies)
}

type Picture = BTreeMap<String, (OrderState, Vec<String>, Vec<String>)>;

fn picture(e: &Engine) -> Picture {
    e.all_orders(None)
        .expect("orders")
        .into_iter()
        .map(|o| (o.remote_id.clone(), (o.state, kinds(e, o.id), o.conflicts)))
        .collect()
}

#[test]
fn the_same_fetches_give_the_same_states_stock_and_timelines() {
    let one = tempfile::tempdir().expect("tempdir");
    let two = tempfile::tempdir().expect("tempdir");
    let (a, ta) = play(one.path());
    let (b, tb) = play(two.path());
    assert_eq!(picture(&a), picture(&b));
    assert_eq!(stocks(&a), stocks(&b));
    assert_eq!(ta, tb);
    assert_eq!(a.customers(None).expect("c"), b.customers(None).expect("c"));

    // And what that day gives, so the sameness is not of two empty stores.
    let p = picture(&a);
    assert_eq!(p["9001"].0, OrderState::Cancelled);
    assert_eq!(p["9001"].2.len(), 1, "the quantity change after booking");
    assert_eq!(p["9002"].0, OrderState::Cancelled);
    assert_eq!(p["9003"].0, OrderState::Booked);
    assert_eq!(p["9004"].0, OrderState::Booked);
    assert_eq!(p["9006"].0, OrderState::Booked);
    assert!(!p.contains_key("9005"));
    // 9001 gave back 2 MUG + 1 TEE; 9003 took 1 CAP + 1 MUG, 9006 took 2 CAP, 9004 2 TEE.
    let s = stocks(&a);
    assert_eq!((s["P1"], s["P2"], s["P3"]), (9, 3, -2));
    assert_eq!(ta[1].fetched, 6);
    assert_eq!((ta[1].booked, ta[1].skipped, ta[1].errors), (0, 1, 1));
    check_counts(&a);
    check_counts(&b);
}
