//! What a person reads when the store is damaged, missing or misnamed, and references in any
//! case (issue: bad input never loses data or crashes it).

mod engine_common;
mod support;

use engine_common::*;
use std::path::Path;
use support::pty::{orderdesk, run};

/// A store in `data` holding two products, made by `engine`.
fn store_with_products(home: &Path, data: &Path, engine: &str) {
    let csv = home.join("p.csv");
    std::fs::write(
        &csv,
        "id,sku,name,price,stock\nP1,MUG,Mug,9.50,10\nP2,TEE,Tee,19,5\n",
    )
    .expect("csv");
    let csv = csv.display().to_string();
    let (code, _, err) = on(home, data, engine, &["import", "products", &csv]);
    assert_eq!(code, 0, "{err}");
}

/// Runs `orderdesk ARGS` on the store in `data`, with new stores made by `engine`.
fn on(home: &Path, data: &Path, engine: &str, args: &[&str]) -> (i32, String, String) {
    run(orderdesk(home)
        .env("ORDERDESK_NEW_STORE_ENGINE", engine)
        .arg("--data")
        .arg(data)
        .args(args))
}

/// What each command says of the damaged store in `data`: exit 1, its directory, what to do,
/// no debug text.
fn says_damaged(home: &Path, data: &Path, how: &str) {
    for args in [&["products"][..], &["status"], &["check"]] {
        let (code, out, err) = on(home, data, "redb", args);
        assert_eq!(code, 1, "{how}, {args:?}: {out}{err}");
        assert!(err.contains("is damaged"), "{how}, {args:?}: {err}");
        assert!(err.contains(&data.display().to_string()), "{err}");
        assert!(err.contains("backup"), "{err}");
        for debug_text in ["Inline(", "backtrace", "panicked", "None"] {
            assert!(!err.contains(debug_text), "{how}, {args:?}: {err}");
        }
    }
}

#[test]
fn a_damaged_sled_store_says_so_with_its_directory_and_what_to_do() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    store_with_products(home.path(), &data, "sled");
    // A second open writes sled's snapshot; a flipped byte in it is damage sled detects.
    let (code, _, err) = on(home.path(), &data, "sled", &["products"]);
    assert_eq!(code, 0, "{err}");
    let snap = std::fs::read_dir(data.join("db"))
        .expect("db dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("snap."))
        })
        .expect("a snapshot");
    let mut bytes = std::fs::read(&snap).expect("snapshot");
    bytes[2] ^= 0xff;
    std::fs::write(&snap, bytes).expect("damage");
    says_damaged(home.path(), &data, "a flipped byte in sled's snapshot");
}

#[test]
fn a_damaged_or_truncated_redb_store_says_so_with_its_directory_and_what_to_do() {
    type Damage = fn(&mut Vec<u8>);
    let cases: [(&str, Damage); 3] = [
        ("its header overwritten", |b| {
            b[..64].iter_mut().for_each(|x| *x ^= 0xff)
        }),
        ("cut to half its length", |b| b.truncate(b.len() / 2)),
        ("its pages scrambled", |b| {
            b[4096..].iter_mut().for_each(|x| *x ^= 0x5a)
        }),
    ];
    for (how, damage) in cases {
        let home = tempfile::tempdir().expect("tempdir");
        let data = home.path().join("store");
        store_with_products(home.path(), &data, "redb");
        let file = data.join("store.redb");
        let mut bytes = std::fs::read(&file).expect("store.redb");
        damage(&mut bytes);
        std::fs::write(&file, bytes).expect("damage");
        says_damaged(home.path(), &data, how);
    }
}

#[test]
fn data_naming_a_file_says_so() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("not-a-dir");
    std::fs::write(&file, "x").expect("file");
    std::fs::write(home.path().join("p.csv"), "id,name\nP1,Mug\n").expect("csv");
    for args in [&["status"][..], &["import", "products", "p.csv"]] {
        let (code, _, err) = run(orderdesk(home.path())
            .current_dir(home.path())
            .arg("--data")
            .arg(&file)
            .args(args));
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("is a file, not a directory"), "{err}");
        assert!(!err.contains("os error"), "{err}");
    }
}

#[test]
fn reading_commands_on_a_directory_without_a_store_say_so_and_make_none() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("empty");
    for args in [
        &["status"][..],
        &["status", "--json"],
        &["orders"],
        &["products"],
        &["customers"],
        &["check"],
        &["order", "web:1001"],
    ] {
        let (code, out, err) = run(orderdesk(home.path()).arg("--data").arg(&data).args(args));
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        assert!(err.contains("there is no store in"), "{args:?}: {err}");
        assert!(!data.join("db").exists(), "{args:?} made a store");
    }
    let (_, out, _) = run(orderdesk(home.path())
        .arg("--data")
        .arg(&data)
        .args(["status", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON error");
    assert_eq!(v["code"], "no_store");
}

#[test]
fn references_compare_store_ids_in_any_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    feed(&e, &[&order("8001", &[("MUG", 1)])]);
    let id = get(&e, "8001").id;
    for reference in ["web:8001", "WEB:8001", "Web:#8001", " wEb : 8001 "] {
        assert_eq!(
            e.order_by_ref(reference).expect("reference"),
            Some(id),
            "{reference}"
        );
    }
    assert_eq!(e.order_by_ref("shop:8001").expect("reference"), None);
}

#[test]
fn what_a_person_types_is_refused_out_of_range_and_nothing_changes() {
    use orderdesk::domain::Money;
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    feed(&e, &[&order("8001", &[("MUG", 1)])]);
    let o = get(&e, "8001");
    let timeline = kinds(&e, o.id);
    for (note, says) in [
        ("a\u{1b}[2Jb", "control character"),
        (&"x".repeat(3_000_000)[..], "at most 2000"),
    ] {
        let err = e.add_note(o.id, note).expect_err("refused");
        assert!(err.to_string().contains(says), "{err}");
    }
    let huge = Money::MAX;
    let err = e
        .record_payment(o.id, "VISA", huge, "", true)
        .expect_err("refused");
    assert!(err.to_string().contains("too large"), "{err}");
    let err = e
        .record_payment(o.id, "VISA", Money::ONE, "ok\u{7}", true)
        .expect_err("refused");
    assert!(err.to_string().contains("control character"), "{err}");
    let err = e
        .update_product(
            "P1",
            &orderdesk::engine::ProductEdit {
                stock: Some(i64::MIN),
                ..Default::default()
            },
        )
        .expect_err("refused");
    assert!(err.to_string().contains("out of range"), "{err}");
    assert_eq!(kinds(&e, o.id), timeline, "nothing was written");
    assert_eq!(get(&e, "8001").paid(), Money::ZERO);
    assert_eq!(stock(&e, "P1"), 9);
}

#[test]
fn money_on_the_timeline_has_two_decimals() {
    use orderdesk::domain::Money;
    let dir = tempfile::tempdir().expect("tempdir");
    let e = seeded(dir.path());
    feed(&e, &[&order("8001", &[("MUG", 2)])]);
    let o = get(&e, "8001");
    e.record_payment(o.id, "VISA", Money::ONE, "", false)
        .expect("payment");
    let texts: Vec<String> = e
        .order_detail(o.id)
        .expect("detail")
        .expect("order")
        .timeline
        .into_iter()
        .map(|t| t.text)
        .collect();
    assert!(
        texts.iter().any(|t| t.starts_with("payment VISA 1.00 EUR")),
        "{texts:?}"
    );
    let booked = texts
        .iter()
        .find(|t| t.starts_with("booked"))
        .expect("booked");
    let total = booked.rsplit("total ").next().unwrap_or_default();
    assert!(
        total.ends_with(" EUR") && total.split('.').nth(1).is_some_and(|d| d.len() == 6),
        "two decimals then the currency: {booked}"
    );
}
