//! `orderdesk export`: a store's products (kits included) and customers as CSV in the columns
//! `import` reads, so what one store exports another imports as the same records.

mod support;

use serde_json::Value;
use std::path::Path;
use support::pty::{orderdesk, run};

fn od(home: &Path, data: &Path, args: &[&str]) -> (i32, String, String) {
    run(orderdesk(home).arg("--data").arg(data).args(args))
}

fn listed(home: &Path, data: &Path, what: &str) -> Value {
    let (code, out, err) = od(home, data, &[what, "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("json")
}

#[test]
fn what_one_store_exports_another_imports_as_the_same_records() {
    let home = tempfile::tempdir().expect("tempdir");
    let (a, b) = (home.path().join("a"), home.path().join("b"));
    let products = home.path().join("p.csv");
    std::fs::write(
        &products,
        "id,sku,name,description,price,stock,category,unit,components\n\
         P1,MUG,\"Mug, \"\"the big one\"\"\",\"Holds tea\n\nand coffee\",12.50,7,Kitchen,piece,\n\
         P2,CAP,Cap,,9.90,-2,,piece,\n\
         K1,GIFT,Gift box,,30.00,,Gifts,box,P1*2;CAP\n",
    )
    .expect("products");
    let customers = home.path().join("c.csv");
    std::fs::write(
        &customers,
        "id,first_name,last_name,email,phone,address,city,postal_code,country,remote_ids\n\
         C1,Anna,Kovács,anna@example.com,+36301111111,\"Fő utca 1, II/3\",Szeged,6720,HU,web:900;woo:17\n\
         C2,Béla,Nagy,,,,,,,\n",
    )
    .expect("customers");
    for (kind, file) in [("products", &products), ("customers", &customers)] {
        let (code, _, err) = od(
            home.path(),
            &a,
            &["import", kind, file.to_str().expect("utf-8")],
        );
        assert_eq!(code, 0, "{kind}: {err}");
    }
    for kind in ["products", "customers"] {
        let out = home.path().join(format!("{kind}-export.csv"));
        let (code, _, err) = od(
            home.path(),
            &a,
            &["export", kind, "--out", out.to_str().expect("utf-8")],
        );
        assert_eq!(code, 0, "{kind}: {err}");
        let (code, _, err) = od(
            home.path(),
            &b,
            &["import", kind, out.to_str().expect("utf-8")],
        );
        assert_eq!(code, 0, "{kind} back in: {err}");
        assert_eq!(
            listed(home.path(), &b, kind),
            listed(home.path(), &a, kind),
            "{kind}"
        );
    }
    // To stdout as well, header first.
    let (code, out, _) = od(home.path(), &a, &["export", "products"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("id,sku,name,description,price,stock,category,unit,components\n"));
    assert!(
        out.contains("K1,GIFT,Gift box,,30.00,0,Gifts,box,P1*2;P2*1"),
        "{out}"
    );
}
