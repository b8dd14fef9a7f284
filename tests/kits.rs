//! Kits (issue: the catalog): a product made of others has no stock of its own; booking one
//! takes its components' stock (each times its count), a refusal gives it back; what can be
//! sold of a kit is the whole kits its components make; bad components are refused by line.

mod engine_common;

use engine_common::*;
use orderdesk::domain::OrderState;
use orderdesk::domain::lifecycle::StatusChange;

const KITS: &str = "id,sku,name,price,components\n\
K1,GIFT,Gift box,30.00,P1*2;CAP\n\
K2,DUO,Two gift boxes,55.00,K1*2\n";

fn kit_store(dir: &std::path::Path) -> orderdesk::engine::Engine {
    let e = seeded(dir);
    e.import_products("kits.csv", KITS).expect("kits");
    e
}

fn listed(e: &orderdesk::engine::Engine, id: &str) -> i64 {
    e.products(None)
        .expect("products")
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| p.stock)
        .unwrap_or_else(|| panic!("{id} listed"))
}

#[test]
fn a_booked_kit_takes_its_components_and_a_refusal_gives_them_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = kit_store(dir.path());
    let (mug, cap) = (stock(&e, "P1"), stock(&e, "P3"));
    let k1 = e.product("K1").expect("read").expect("K1");
    assert_eq!(
        k1.components,
        vec![("P1".to_string(), 2), ("P3".to_string(), 1)],
        "CAP named by its SKU"
    );
    assert_eq!(listed(&e, "K1"), (mug / 2).min(cap));

    feed(&e, &[&order("9101", &[("GIFT", 1), ("MUG", 1)])]);
    let o = get(&e, "9101");
    assert_eq!(o.state, OrderState::Booked, "{:?}", o.problems);
    // Two mugs for the kit and one on its own line; one cap; the kit's own stock untouched.
    assert_eq!(stock(&e, "P1"), mug - 3);
    assert_eq!(stock(&e, "P3"), cap - 1);
    assert_eq!(stock(&e, "K1"), 0);
    assert_eq!(
        o.booked_stock,
        vec![("P1".to_string(), 3), ("P3".to_string(), 1)]
    );
    assert!(e.check().expect("check").is_clean());

    // A kit of kits: two gift boxes are four mugs and two caps.
    feed(&e, &[&order("9102", &[("DUO", 1)])]);
    assert_eq!(get(&e, "9102").state, OrderState::Booked);
    assert_eq!(stock(&e, "P1"), mug - 7);
    assert_eq!(stock(&e, "P3"), cap - 3);

    e.change_status(
        o.id,
        &StatusChange::Refused {
            reason: "changed their mind".into(),
        },
    )
    .expect("refuse");
    assert_eq!(stock(&e, "P1"), mug - 4);
    assert_eq!(stock(&e, "P3"), cap - 2);
    assert!(e.check().expect("check").is_clean());
}

#[test]
fn bad_components_are_refused_by_line_and_nothing_is_imported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    for (cell, words) in [
        ("P404", "no product"),
        ("K9*2", "the kit itself"),
        ("P1*0", "whole number"),
        ("P1*x", "whole number"),
    ] {
        let csv = format!("id,sku,name,components\nK8,OK,Fine,P1\nK9,BOX,Box,{cell}\n");
        let err = e
            .import_products("k.csv", &csv)
            .expect_err(cell)
            .to_string();
        assert!(
            err.contains("line 3") && err.contains(words),
            "{cell}: {err}"
        );
        assert!(
            e.product("K8").expect("read").is_none(),
            "{cell}: nothing imported"
        );
    }
    // A SKU two products share names neither.
    e.import_products("p.csv", "id,sku,name\nP70,TWIN,One\nP71,TWIN,Other\n")
        .expect("twins");
    let err = e
        .import_products("k.csv", "id,sku,name,components\nK9,BOX,Box,TWIN\n")
        .expect_err("ambiguous")
        .to_string();
    assert!(err.contains("P70") && err.contains("P71"), "{err}");
    // An empty cell makes a kit a plain product again.
    e.import_products("k.csv", "id,sku,name,components\nK9,BOX,Box,P1\n")
        .expect("kit");
    e.import_products("k.csv", "id,components\nK9,\n")
        .expect("plain");
    assert!(!e.product("K9").expect("read").expect("K9").is_kit());
}
