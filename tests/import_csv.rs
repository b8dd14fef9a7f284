//! CSV imports change only what the file says: a column the file lacks leaves its field as it
//! is, and links the operator made survive a re-import (issue: bad input never loses data).

mod engine_common;

use engine_common::*;
use orderdesk::domain::OrderState;
use orderdesk::engine::ImportError;
use proptest::prelude::*;

#[test]
fn a_products_file_without_some_columns_leaves_those_fields_as_they_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    e.import_products(
        "p.csv",
        "id,sku,name,price,stock,category,description\nP1,MUG,Mug,9.50,10,Kitchen,White\n",
    )
    .expect("full row");

    let n = e
        .import_products("p.csv", "id,sku,name\nP1,TEA-001,Renamed\n")
        .expect("three columns");
    assert_eq!(n, 1);
    let p1 = e.product("P1").expect("read").expect("P1");
    assert_eq!((p1.sku.as_str(), p1.name.as_str()), ("TEA-001", "Renamed"));
    assert_eq!(p1.price.to_string(), "9.50", "price kept");
    assert_eq!(p1.stock, 10, "stock kept");
    assert_eq!(p1.category, "Kitchen", "category kept");
    assert_eq!(p1.description, "White", "description kept");

    // An empty price or stock cell leaves the figure too; an empty text cell clears it.
    e.import_products("p.csv", "id,name,price,stock,category\nP1,Mug,,,\n")
        .expect("empty cells");
    let p1 = e.product("P1").expect("read").expect("P1");
    assert_eq!((p1.price.to_string().as_str(), p1.stock), ("9.50", 10));
    assert_eq!(p1.category, "");
    check_counts(&e);
}

#[test]
fn a_new_product_needs_a_name_even_when_the_file_has_no_name_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let before = e.products(None).expect("products");
    let err = e
        .import_products("p.csv", "id,stock\nP1,4\nP77,3\n")
        .expect_err("P77 is new and has no name");
    match &err {
        ImportError::Row { line, message, .. } => {
            assert_eq!(*line, 3);
            assert!(message.contains("needs a name"), "{message}");
        }
        other => panic!("expected a row error, got {other:?}"),
    }
    assert!(err.to_string().contains("nothing was imported"));
    assert_eq!(
        e.products(None).expect("products"),
        before,
        "P1's stock kept"
    );
}

#[test]
fn a_customers_file_without_some_columns_leaves_contacts_and_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    e.import_customers(
        "c.csv",
        "id,first_name,last_name,city\nC1,Anna,Kovács,Szeged\n",
        None,
    )
    .expect("city");
    e.import_customers("c.csv", "id,first_name,last_name\nC1,Anna,Kovácsné\n", None)
        .expect("names only");
    let c1 = e.customer("C1").expect("read").expect("C1");
    assert_eq!(c1.last_name, "Kovácsné");
    assert_eq!(c1.email.as_deref(), Some("anna@example.com"), "email kept");
    assert!(c1.phone.is_some(), "phone kept");
    assert_eq!(c1.city, "Szeged", "city kept");
    assert_eq!(c1.remote_ids, vec!["web:900".to_string()], "link kept");
}

#[test]
fn reimporting_customers_keeps_the_links_the_operator_made() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    feed(&e, &[&stranger(order("8101", &[("MUG", 1)]))]);
    let parked = get(&e, "8101");
    assert_eq!(parked.state, OrderState::CustomerIdNeeded);
    e.identify_customer(parked.id, "C2").expect("identify");
    let linked = e.customer("C2").expect("read").expect("C2").remote_ids;
    assert_eq!(linked, vec!["web:777".to_string()]);

    // The same file again: C2's remote_ids cell is empty.
    e.import_customers("customers.csv", CUSTOMERS, None)
        .expect("again");
    assert_eq!(
        e.customer("C2").expect("read").expect("C2").remote_ids,
        linked
    );
    feed(&e, &[&stranger(order("8102", &[("MUG", 1)]))]);
    assert_eq!(
        get(&e, "8102").state,
        OrderState::Booked,
        "not parked again"
    );

    // A link the file names is added; one written with a leading '-' is forgotten.
    e.import_customers(
        "c.csv",
        "id,first_name,remote_ids\nC2,Béla,web:778\nC1,Anna,-web:900\n",
        None,
    )
    .expect("links");
    let c2 = e.customer("C2").expect("read").expect("C2");
    assert_eq!(c2.remote_ids, vec!["web:777".to_string(), "web:778".into()]);
    assert!(
        e.customer("C1")
            .expect("read")
            .expect("C1")
            .remote_ids
            .is_empty()
    );
    check_counts(&e);
}

#[test]
fn stock_and_prices_out_of_range_are_refused_by_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let before = e.products(None).expect("products");
    for (csv, says) in [
        (
            "id,name,stock\nP1,Mug,-9223372036854775808\n",
            "out of range",
        ),
        ("id,name,stock\nP1,Mug,1000000001\n", "out of range"),
        (
            "id,name,price\nP1,Mug,79228162514264337593543950335\n",
            "too large",
        ),
        ("id,name,price\nP1,Mug,-1\n", "below zero"),
    ] {
        let err = e.import_products("p.csv", csv).expect_err(csv);
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(err.to_string().contains(says), "{csv}: {err}");
    }
    assert_eq!(e.products(None).expect("products"), before);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any text as a CSV either imports or is refused with a message, never panics, and a
    /// refused file changes nothing in the store.
    #[test]
    fn any_csv_loads_or_is_refused_and_a_refused_one_changes_nothing(
        header in prop::sample::subsequence(
            vec!["id", "sku", "name", "price", "stock", "category", "first_name", "email",
                 "phone", "remote_ids", "bogus"], 1..6),
        cells in prop::collection::vec(
            prop::collection::vec("[ -~éő;:,\"\\n-]{0,12}", 6), 0..4),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = seeded(dir.path());
        let mut csv = header.join(",");
        csv.push('\n');
        for row in &cells {
            csv.push_str(&row[..header.len()].join(","));
            csv.push('\n');
        }
        let products = e.products(None).expect("products");
        let customers = e.customers(None).expect("customers");
        if let Err(err) = e.import_products("p.csv", &csv) {
            prop_assert!(!err.to_string().is_empty());
            prop_assert_eq!(e.products(None).expect("products"), products);
        }
        if let Err(err) = e.import_customers("c.csv", &csv, Some("HU")) {
            prop_assert!(!err.to_string().is_empty());
            prop_assert_eq!(e.customers(None).expect("customers"), customers);
        }
        check_counts(&e);
    }
}

#[test]
fn a_customer_row_without_an_id_goes_to_the_person_the_store_knows_by_email_or_phone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    let before = e.customers(None).expect("customers").len();
    // Anna by her email (other case), Béla by his phone written another way, and a new
    // person twice in the file (by email): one record for her.
    e.import_customers(
        "c.csv",
        "id,first_name,last_name,email,phone,city\n\
         ,Anna,Kovács,ANNA@example.com,,Szeged\n\
         ,Béla,Nagy,,+36302222222,Pécs\n\
         ,Cecília,Tóth,cili@example.com,,Győr\n\
         ,Cili,Tóth,cili@example.com,+36 30 333 3333,\n",
        None,
    )
    .expect("import");
    let all = e.customers(None).expect("customers");
    assert_eq!(all.len(), before + 1, "{all:#?}");
    let anna = e.customer("C1").expect("read").expect("C1");
    assert_eq!(anna.city, "Szeged");
    assert_eq!(
        anna.remote_ids,
        vec!["web:900".to_string()],
        "her link kept"
    );
    assert_eq!(e.customer("C2").expect("read").expect("C2").city, "Pécs");
    let cili: Vec<_> = all.iter().filter(|c| c.last_name == "Tóth").collect();
    assert_eq!(cili.len(), 1, "{cili:#?}");
    assert_eq!(
        cili[0].first_name, "Cili",
        "the later row updates the first"
    );
    assert!(cili[0].phone.is_some());
    // The same file again makes nothing new.
    e.import_customers(
        "c.csv",
        "id,first_name,email\n,Cili,cili@example.com\n",
        None,
    )
    .expect("again");
    assert_eq!(e.customers(None).expect("customers").len(), before + 1);
}

#[test]
fn a_row_that_gives_a_new_id_is_a_new_person_even_with_an_email_the_store_knows() {
    // Two people may share an email (a household): the file says so by giving an id.
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    e.import_customers(
        "c.csv",
        "id,first_name,last_name,email\nC99,Ádám,Kovács,anna@example.com\n",
        None,
    )
    .expect("import");
    assert_eq!(
        e.customer("C99").expect("read").expect("C99").first_name,
        "Ádám"
    );
    assert_eq!(
        e.customer("C1").expect("read").expect("C1").first_name,
        "Anna"
    );
}
