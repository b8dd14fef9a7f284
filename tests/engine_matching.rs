//! Customer and product matching through the engine (DESIGN.md §1 intake rules 2-4).

mod engine_common;

use engine_common::*;
use orderdesk::domain::intake::UnknownCustomer;
use orderdesk::domain::matching::ProductKey;
use orderdesk::domain::{MatchStatus, OrderState, ShopCustomer};
use orderdesk::engine::ProblemKind;

/// An order of a customer the shop knows as `remote` with this email, no phone.
fn by(remote_id: &str, remote: &str, email: Option<&str>) -> orderdesk::domain::ShopOrder {
    let mut o = order(remote_id, &[("MUG", 1)]);
    o.email = email.map(str::to_string);
    o.customer = Some(ShopCustomer {
        remote_id: remote.into(),
        first_name: "Someone".into(),
        last_name: "Else".into(),
        email: email.map(str::to_string),
        phone: None,
    });
    o
}

/// An order with only a phone on it.
fn phoned(remote_id: &str, phone: &str) -> orderdesk::domain::ShopOrder {
    let mut o = no_contact(order(remote_id, &[("MUG", 1)]));
    o.phone = Some(phone.into());
    o
}

fn matched_by(e: &orderdesk::engine::Engine, remote_id: &str) -> (Option<String>, String) {
    let o = get(e, remote_id);
    let detail = e.order_detail(o.id).expect("detail").expect("order");
    let how = detail
        .timeline
        .iter()
        .find(|t| t.kind == "matched")
        .map(|t| t.text.clone())
        .unwrap_or_default();
    (o.customer.id, how)
}

#[test]
fn the_remembered_link_comes_before_email() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    // Remote customer 900 is linked to C1, though the email is C2's.
    feed(&e, &[&by("4001", "900", Some("bela@example.com"))]);
    let (id, how) = matched_by(&e, "4001");
    assert_eq!(id.as_deref(), Some("C1"));
    assert!(how.contains("remembered link"), "{how}");
    assert_eq!(get(&e, "4001").state, OrderState::Booked);
}

#[test]
fn email_matches_trimmed_and_case_insensitive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    feed(&e, &[&by("4002", "555", Some("  BELA@Example.COM "))]);
    let (id, how) = matched_by(&e, "4002");
    assert_eq!(id.as_deref(), Some("C2"));
    assert!(how.contains("email"), "{how}");
}

#[test]
fn phone_matches_in_e164_and_a_national_number_takes_the_region() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.phone_region = Some("HU".into());
    let e = seeded_with(dir.path(), opts);
    feed(
        &e,
        &[
            &phoned("4003", "06 30 222 2222"),
            &phoned("4004", "+36-30-111-1111"),
        ],
    );
    let (id, how) = matched_by(&e, "4003");
    assert_eq!(id.as_deref(), Some("C2"));
    assert!(how.contains("phone"), "{how}");
    assert_eq!(matched_by(&e, "4004").0.as_deref(), Some("C1"));
}

#[test]
fn without_a_region_a_national_number_matches_only_the_same_digits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    e.import_customers(
        "more.csv",
        "id,first_name,phone\nC5,Cili,06 30 333 3333\n",
        None,
    )
    .expect("import");
    feed(
        &e,
        &[
            &phoned("4005", "06 30 222 2222"),
            &phoned("4006", "06/30/333-3333"),
        ],
    );
    let o = get(&e, "4005");
    assert_eq!(o.state, OrderState::CustomerIdNeeded);
    assert_eq!(o.problems, ["no customer with phone 06302222222"]);
    assert_eq!(matched_by(&e, "4006").0.as_deref(), Some("C5"));
}

#[test]
fn a_link_dropped_from_a_customer_no_longer_matches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    // C1 is imported again, the file forgetting its link to remote customer 900.
    e.import_customers(
        "fix.csv",
        "id,first_name,last_name,email,remote_ids\nC1,Anna,Kovács,anna@example.com,-web:900\n",
        None,
    )
    .expect("import");
    assert!(
        e.customer("C1")
            .expect("read")
            .expect("C1")
            .remote_ids
            .is_empty()
    );
    feed(&e, &[&by("4007", "900", Some("bela@example.com"))]);
    assert_eq!(matched_by(&e, "4007").0.as_deref(), Some("C2"));

    // A link moved to another customer follows it.
    e.import_customers(
        "move.csv",
        "id,first_name,email,remote_ids\nC2,Béla,bela@example.com,web:901\n",
        None,
    )
    .expect("import");
    feed(&e, &[&by("4008", "901", Some("nobody@example.com"))]);
    assert_eq!(matched_by(&e, "4008").0.as_deref(), Some("C2"));
    e.import_customers(
        "steal.csv",
        "id,first_name,email,remote_ids\nC9,Cecil,cecil@example.com,web:901\n",
        None,
    )
    .expect("import");
    let c2 = e.customer("C2").expect("read").expect("C2");
    assert!(
        c2.remote_ids.is_empty(),
        "the link left C2: {:?}",
        c2.remote_ids
    );
    feed(&e, &[&by("4009", "901", Some("bela@example.com"))]);
    assert_eq!(matched_by(&e, "4009").0.as_deref(), Some("C9"));
}

#[test]
fn unknown_customer_create_makes_one_customer_and_remembers_the_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.unknown_customer = UnknownCustomer::Create;
    let e = seeded_with(dir.path(), opts);
    let first = stranger(order("4101", &[("MUG", 1)]));
    let mut second = stranger(order("4102", &[("TEE", 1)]));
    second.email = None;
    if let Some(c) = second.customer.as_mut() {
        c.email = Some("zsofia@new.example".into());
    }
    feed(&e, &[&first]);
    feed(&e, &[&second]);
    let created: Vec<_> = e
        .customers(None)
        .expect("customers")
        .into_iter()
        .filter(|c| !["C1", "C2"].contains(&c.id.as_str()))
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    let c = &created[0];
    assert_eq!(c.id, "C3", "the next free customer id");
    assert_eq!(
        (c.first_name.as_str(), c.last_name.as_str()),
        ("Zsófia", "Tündér")
    );
    assert_eq!(c.email.as_deref(), Some("stranger@example.org"));
    assert_eq!(c.city, "Budapest");
    assert_eq!(c.remote_ids, ["web:777"]);
    for rid in ["4101", "4102"] {
        let o = get(&e, rid);
        assert_eq!(o.state, OrderState::Booked, "{rid}");
        assert_eq!(o.customer.id.as_deref(), Some("C3"), "{rid}");
    }
    assert!(matched_by(&e, "4102").1.contains("remembered link"));
    check_counts(&e);
}

#[test]
fn skus_match_exactly_after_trimming_and_case_sensitively() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let mut o = order("4201", &[("MUG", 1), ("tee", 1)]);
    o.lines[0].sku = Some("  MUG\t".into());
    feed(&e, &[&o]);
    let got = get(&e, "4201");
    assert_eq!(got.state, OrderState::ProductMatchFailed);
    assert_eq!(got.lines[0].matched.status, MatchStatus::Matched);
    assert_eq!(got.lines[0].matched.product_id.as_deref(), Some("P1"));
    assert_eq!(got.lines[1].matched.status, MatchStatus::NoProduct);
    assert_eq!(got.problems, [r#"line 2: no product with SKU "tee""#]);
    assert_eq!(stock(&e, "P1"), 10, "nothing booked");
}

#[test]
fn several_products_or_an_empty_sku_park_the_order_naming_each_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    e.import_products("dup.csv", "id,sku,name\nP6,M,Small\nP7,M,Medium\n")
        .expect("import");
    let mut o = order("4202", &[("M", 1), ("", 1), ("MUG", 1)]);
    o.lines[2].sku = None;
    feed(&e, &[&o]);
    let got = get(&e, "4202");
    assert_eq!(got.state, OrderState::ProductMatchFailed);
    assert_eq!(got.lines[0].matched.status, MatchStatus::Ambiguous);
    assert_eq!(got.lines[0].matched.candidates, ["P6", "P7"]);
    assert_eq!(got.lines[1].matched.status, MatchStatus::EmptySku);
    assert_eq!(got.lines[2].matched.status, MatchStatus::EmptySku);
    assert_eq!(
        got.problems,
        [
            r#"line 1: SKU "M" matches products P6 and P7"#,
            "line 2: empty SKU (item 4202-2)",
            "line 3: empty SKU (item 4202-3)",
        ]
    );
    let texts: Vec<_> = e
        .problems()
        .expect("problems")
        .into_iter()
        .filter(|p| p.kind == ProblemKind::Parked)
        .map(|p| p.text)
        .collect();
    assert_eq!(texts, vec![got.problems.join("; ")]);
    assert_eq!(e.status_json().expect("status")["needs_action"], 1);
    check_counts(&e);
}

#[test]
fn product_key_name_matches_by_the_line_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.product_key = ProductKey::Name;
    let e = seeded_with(dir.path(), opts);
    let mut o = order("4301", &[("whatever", 2), ("", 1)]);
    o.lines[0].name = " Mug ".into();
    o.lines[1].name = "mug".into();
    feed(&e, &[&o]);
    let got = get(&e, "4301");
    assert_eq!(got.lines[0].matched.product_id.as_deref(), Some("P1"));
    assert_eq!(got.state, OrderState::ProductMatchFailed);
    assert_eq!(got.problems, [r#"line 2: no product with name "mug""#]);

    let mut fixed = o.clone();
    fixed.updated_at = at(2);
    fixed.lines[1].name = "Cap".into();
    feed(&e, &[&fixed]);
    assert_eq!(get(&e, "4301").state, OrderState::Booked);
    assert_eq!((stock(&e, "P1"), stock(&e, "P3")), (8, 0));
}

/// A store that matches products by the shop's id, with the standard records.
fn remote_id_store(dir: &std::path::Path) -> orderdesk::engine::Engine {
    let mut opts = options();
    opts.product_key = ProductKey::RemoteId;
    let e = open_with(dir, opts);
    e.import_products("p.csv", PRODUCTS).expect("import");
    e.import_customers("c.csv", CUSTOMERS, None)
        .expect("import");
    e
}

#[test]
fn product_key_remote_id_names_the_shop_id_it_looked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = remote_id_store(dir.path());
    let mut o = order("4302", &[("MUG", 1), ("MUG", 1)]);
    o.lines[0].variant_id = Some("gid-v-1".into());
    o.lines[1].product_remote_id = Some("gid-p-2".into());
    feed(&e, &[&o]);
    let got = get(&e, "4302");
    assert_eq!(got.state, OrderState::ProductMatchFailed);
    assert_eq!(
        got.problems,
        [
            r#"line 1: no product with shop id "gid-v-1""#,
            r#"line 2: no product with shop id "gid-p-2""#,
        ]
    );
}

#[test]
fn a_line_mapped_by_hand_gives_the_product_its_shop_id_and_later_orders_match_by_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = remote_id_store(dir.path());
    let mut o = order("4303", &[("MUG", 1), ("CAP", 1)]);
    o.lines[0].variant_id = Some("gid-v-1".into());
    o.lines[1].product_remote_id = Some("gid-p-3".into());
    feed(&e, &[&o]);
    let parked = get(&e, "4303");
    assert_eq!(parked.state, OrderState::ProductMatchFailed);
    e.map_line(parked.id, 1, "P1").expect("map line 1");
    e.map_line(parked.id, 2, "P3").expect("map line 2");
    assert_eq!(get(&e, "4303").state, OrderState::Booked);
    let code = |id: &str| e.product(id).expect("read").expect("product").remote_codes;
    assert_eq!(code("P1").get("web").map(String::as_str), Some("gid-v-1"));
    assert_eq!(code("P3").get("web").map(String::as_str), Some("gid-p-3"));
    // A later order sells the same shop product under another SKU: no mapping names that
    // SKU, the shop's id finds the product.
    let mut later = order("4304", &[("CAP-NEW", 2)]);
    later.lines[0].product_remote_id = Some("gid-p-3".into());
    feed(&e, &[&later]);
    let got = get(&e, "4304");
    assert_eq!(got.state, OrderState::Booked, "{:?}", got.problems);
    assert_eq!(got.lines[0].matched.status, MatchStatus::Matched);
    assert_eq!(got.lines[0].matched.product_id.as_deref(), Some("P3"));
    // A product keeps the shop id it has: mapping another of the shop's ids to it later
    // does not replace it.
    let mut other = order("4305", &[("MUG-2", 1)]);
    other.lines[0].variant_id = Some("gid-v-9".into());
    feed(&e, &[&other]);
    e.map_line(get(&e, "4305").id, 1, "P1").expect("map");
    assert_eq!(code("P1").get("web").map(String::as_str), Some("gid-v-1"));
}

#[test]
fn too_little_stock_still_books_and_flags_the_product_oversold() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    feed(&e, &[&order("4401", &[("CAP", 3)])]);
    let got = get(&e, "4401");
    assert_eq!(got.state, OrderState::Booked);
    let cap = e.product("P3").expect("read").expect("P3");
    assert_eq!(cap.stock, -2);
    assert!(cap.oversold);
    let oversold: Vec<_> = e
        .problems()
        .expect("problems")
        .into_iter()
        .filter(|p| p.kind == ProblemKind::Oversold)
        .collect();
    assert_eq!(oversold.len(), 1);
    assert_eq!(oversold[0].subject, "P3");
    assert!(
        oversold[0].text.contains("stock -2"),
        "{}",
        oversold[0].text
    );
    assert_eq!(e.status_json().expect("status")["problems"]["oversold"], 1);
    let detail = e.order_detail(got.id).expect("detail").expect("order");
    let booked = detail
        .timeline
        .iter()
        .find(|t| t.kind == "booked")
        .expect("booked entry");
    assert!(booked.text.contains("oversold"), "{}", booked.text);

    // Cancelling gives the stock back; the flag waits for the operator.
    let mut c = order("4401", &[("CAP", 3)]);
    c.cancelled = true;
    c.updated_at = at(1);
    feed(&e, &[&c]);
    assert_eq!(stock(&e, "P3"), 1);
    check_counts(&e);
}

#[test]
fn a_line_fixed_by_hand_is_remembered_by_variant_id_and_by_sku() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let mut first = order("4501", &[("MUG", 1), ("NOPE-404", 1)]);
    first.lines[1].variant_id = Some("v-404-a".into());
    feed(&e, &[&first]);
    let o = get(&e, "4501");
    assert_eq!(o.state, OrderState::ProductMatchFailed);
    assert_eq!(e.map_line(o.id, 2, "P2").expect("map"), OrderState::Booked);

    // Later orders: the same SKU under another variant id or none, and the variant id alone.
    let mut other_variant = order("4502", &[("NOPE-404", 1)]);
    other_variant.lines[0].variant_id = Some("v-404-b".into());
    let no_variant = order("4503", &[(" NOPE-404 ", 2)]);
    let mut no_sku = order("4504", &[("", 1)]);
    no_sku.lines[0].variant_id = Some("v-404-a".into());
    feed(&e, &[&other_variant, &no_variant, &no_sku]);
    for rid in ["4502", "4503", "4504"] {
        let got = get(&e, rid);
        assert_eq!(got.state, OrderState::Booked, "{rid}: {:?}", got.problems);
        assert_eq!(got.lines[0].matched.status, MatchStatus::Mapped, "{rid}");
        assert_eq!(got.lines[0].matched.product_id.as_deref(), Some("P2"));
    }
    assert_eq!(stock(&e, "P2"), 5 - 1 - 1 - 2 - 1);

    // A line with neither is mapped for its own order only: an empty SKU is never remembered.
    feed(&e, &[&order("4505", &[("", 1)])]);
    let o = get(&e, "4505");
    assert_eq!(e.map_line(o.id, 1, "P3").expect("map"), OrderState::Booked);
    feed(&e, &[&order("4506", &[("", 1)])]);
    assert_eq!(get(&e, "4506").state, OrderState::ProductMatchFailed);
    let report = e.check().expect("check");
    assert!(report.is_clean(), "{:?}", report.differences);
}

#[test]
fn a_line_mapped_for_this_order_only_maps_that_line_and_no_other_without_sku() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    // Two lines with neither a variant id nor a SKU: each needs its own choice.
    feed(&e, &[&order("4511", &[("", 1), ("", 2)])]);
    let o = get(&e, "4511");
    assert_eq!(o.state, OrderState::ProductMatchFailed);
    assert_eq!(
        e.map_line(o.id, 1, "P3").expect("map"),
        OrderState::ProductMatchFailed,
        "line 2 has no product yet"
    );
    let o = get(&e, "4511");
    assert_eq!(o.lines[0].matched.status, MatchStatus::Mapped);
    assert_eq!(o.lines[0].matched.product_id.as_deref(), Some("P3"));
    assert_eq!(o.lines[1].matched.status, MatchStatus::EmptySku);
    assert_eq!(o.lines[1].matched.product_id, None);
    assert_eq!(o.problems, ["line 2: empty SKU (item 4511-2)"]);
    // The order fetched again keeps the first choice on its line only.
    let mut again = order("4511", &[("", 1), ("", 2)]);
    again.updated_at = at(1);
    feed(&e, &[&again]);
    let o = get(&e, "4511");
    assert_eq!(o.state, OrderState::ProductMatchFailed);
    assert_eq!(o.lines[0].matched.product_id.as_deref(), Some("P3"));
    assert_eq!(o.lines[1].matched.product_id, None);
    // The second line mapped to another product books the order with each line's own.
    assert_eq!(e.map_line(o.id, 2, "P2").expect("map"), OrderState::Booked);
    let o = get(&e, "4511");
    let products: Vec<_> = o
        .lines
        .iter()
        .map(|l| l.matched.product_id.clone())
        .collect();
    assert_eq!(products, [Some("P3".to_string()), Some("P2".to_string())]);
    assert_eq!(stock(&e, "P3"), 1 - 1);
    assert_eq!(stock(&e, "P2"), 5 - 2);
    let report = e.check().expect("check");
    assert!(report.is_clean(), "{:?}", report.differences);
}

#[test]
fn an_email_or_phone_several_customers_share_parks_the_order_naming_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.unknown_customer = UnknownCustomer::Create;
    let e = seeded_with(dir.path(), opts);
    e.import_customers(
        "more.csv",
        "id,first_name,last_name,email,phone\n\
         C7,Anna,K.,ANNA@example.com,+36 30 999 9999\n\
         C8,Cili,,cili@example.com,+36 30 999 9999\n",
        None,
    )
    .expect("import");
    feed(
        &e,
        &[
            &by("4601", "555", Some("Anna@Example.com")),
            &phoned("4602", "+36 30 999 9999"),
        ],
    );
    let o = get(&e, "4601");
    assert_eq!(o.state, OrderState::CustomerIdNeeded);
    assert_eq!(
        o.problems,
        [
            "email Anna@Example.com is shared by C1 Anna Kovács and C7 Anna K.: identify the customer"
        ]
    );
    let o = get(&e, "4602");
    assert_eq!(o.state, OrderState::CustomerIdNeeded);
    assert_eq!(
        o.problems,
        ["phone +36309999999 is shared by C7 Anna K. and C8 Cili: identify the customer"]
    );
    assert_eq!(
        e.customers(None).expect("customers").len(),
        4,
        "none created"
    );

    // A contact of one customer still matches beside a shared one.
    let mut o = by("4603", "556", Some("anna@example.com"));
    o.phone = Some("+36 30 222 2222".into());
    feed(&e, &[&o]);
    assert_eq!(matched_by(&e, "4603").0.as_deref(), Some("C2"));
    check_counts(&e);
}

#[test]
fn in_one_page_the_orders_after_one_that_creates_a_customer_match_that_customer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.unknown_customer = UnknownCustomer::Create;
    opts.phone_region = Some("HU".into());
    let e = open_with(dir.path(), opts);
    e.import_products("p.csv", PRODUCTS).expect("import");
    let taken = "C4,Dóra,Kis,dora@example.com,,\n";
    e.import_customers("c.csv", &format!("{CUSTOMERS}{taken}"), None)
        .expect("import");
    let first = stranger(order("4701", &[("MUG", 1)]));
    let by_email = by("4702", "778", Some(" Stranger@Example.ORG"));
    let mut by_link = by("4703", "777", None);
    by_link.email = None;
    by_link.phone = Some("+36 30 777 7777".into());
    let by_phone = phoned("4704", "+36 30 555 0000");
    let same_phone = phoned("4705", "06 30 555 0000");
    let again = first.clone();
    feed(
        &e,
        &[&first, &by_email, &by_link, &by_phone, &same_phone, &again],
    );
    let ids: Vec<_> = (e.customers(None).expect("customers").into_iter())
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["C1", "C2", "C3", "C4", "C5"], "C4 was taken");
    for (rid, customer, how) in [
        ("4701", "C3", "created from the order"),
        ("4702", "C3", "matched by email"),
        ("4703", "C3", "matched by remembered link"),
        ("4704", "C5", "created from the order"),
        ("4705", "C5", "matched by phone"),
    ] {
        assert_eq!(get(&e, rid).state, OrderState::Booked, "{rid}");
        let (id, text) = matched_by(&e, rid);
        assert_eq!(id.as_deref(), Some(customer), "{rid}");
        assert!(text.contains(how), "{rid}: {text}");
    }
    let c5 = e.customer("C5").expect("read").expect("created");
    assert_eq!(c5.phone.as_deref(), Some("+36305550000"));
    assert_eq!(e.all_orders(None).expect("orders").len(), 5, "4701 once");

    // The next page reads them from the store: no customer made twice.
    feed(&e, &[&by("4706", "779", Some("stranger@example.org"))]);
    assert_eq!(matched_by(&e, "4706").0.as_deref(), Some("C3"));
    assert_eq!(e.customers(None).expect("customers").len(), 5);
    check_counts(&e);
}

#[test]
fn an_order_fetched_again_that_creates_a_customer_ends_the_run_and_the_next_matches_anew() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options();
    opts.unknown_customer = UnknownCustomer::Create;
    let e = seeded_with(dir.path(), opts);
    let mut dollars = stranger(order("4801", &[("MUG", 1)]));
    dollars.currency = "USD".into();
    feed(&e, &[&dollars]);
    assert_eq!(get(&e, "4801").state, OrderState::Rejected);
    // In euros now, beside a new order of another new customer and one of the first.
    let mut euros = stranger(order("4801", &[("MUG", 1)]));
    euros.updated_at = at(60);
    let mut other = by("4802", "778", Some("other@new.example"));
    other.updated_at = at(60);
    let mut same = by("4803", "777", None);
    same.phone = Some("+36 30 777 7777".into());
    feed(&e, &[&euros, &other, &same]);
    for (rid, customer) in [("4801", "C3"), ("4802", "C4"), ("4803", "C3")] {
        assert_eq!(get(&e, rid).state, OrderState::Booked, "{rid}");
        assert_eq!(matched_by(&e, rid).0.as_deref(), Some(customer), "{rid}");
    }
    assert_eq!(e.customers(None).expect("customers").len(), 4);
    check_counts(&e);
}
