//! The storage engines (issue: big stores): a store written by the sled-only orderdesk (a
//! fixture made by `scripts/make-store-fixture` with main at c62b020) opens and keeps working,
//! and `orderdesk store migrate` moves it to redb and back without losing an entry.

mod support;

use serde_json::Value;
use std::path::Path;
use support::pty::{orderdesk, run};

/// `orderdesk --data DATA ARGS`, with no config (the fixture's store needs none to be read).
fn od(home: &Path, data: &Path, args: &[&str]) -> (i32, String, String) {
    run(orderdesk(home).arg("--data").arg(data).args(args))
}

fn json(home: &Path, data: &Path, args: &[&str]) -> Value {
    let (code, out, err) = od(home, data, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
}

/// What a person can read of the store: every order with its lines, state and payments, the
/// products with their stock, the customers, the counts.
fn everything(home: &Path, data: &Path) -> Value {
    let mut orders = json(home, data, &["orders", "--json"]);
    let refs: Vec<String> = orders
        .as_array()
        .expect("orders")
        .iter()
        .filter_map(|o| o["ref"].as_str().map(str::to_string))
        .collect();
    let details: Vec<Value> = refs
        .iter()
        .map(|r| json(home, data, &["order", r, "--json"]))
        .collect();
    let mut status = json(home, data, &["status", "--json"]);
    // The status names the store's size and the time it was read; the rest must be equal.
    for volatile in ["store_bytes", "generated_at", "bytes"] {
        if let Some(o) = status.as_object_mut() {
            o.remove(volatile);
        }
    }
    if let Some(o) = orders.as_array_mut() {
        o.sort_by_key(|v| v["ref"].as_str().unwrap_or_default().to_string());
    }
    serde_json::json!({
        "orders": orders,
        "details": details,
        "products": json(home, data, &["products", "--json"]),
        "customers": json(home, data, &["customers", "--json"]),
        "status": status,
    })
}

fn unpack_fixture(into: &Path) {
    std::fs::create_dir_all(into).expect("data dir");
    let tar =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-sled-layout3.tar.gz");
    let status = std::process::Command::new("tar")
        .arg("-xzf")
        .arg(&tar)
        .arg("-C")
        .arg(into)
        .status()
        .expect("tar runs");
    assert!(status.success(), "the fixture unpacks");
}

fn engine_of(home: &Path, data: &Path) -> String {
    json(home, data, &["store", "info", "--json"])["engine"]
        .as_str()
        .expect("engine")
        .to_string()
}

#[test]
fn a_store_of_the_sled_orderdesk_opens_and_migrates_to_redb_and_back_without_loss() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    unpack_fixture(&data);
    assert_eq!(engine_of(home.path(), &data), "sled");
    let before = everything(home.path(), &data);
    assert_eq!(
        before["orders"].as_array().map(Vec::len),
        Some(36),
        "{before}"
    );
    assert!(
        before["details"]
            .to_string()
            .contains("kept by the fixture"),
        "the operator's note is there"
    );
    assert_eq!(od(home.path(), &data, &["check"]).0, 0);

    let (code, out, err) = od(home.path(), &data, &["store", "migrate", "--to", "redb"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("from sled to redb"), "{out}");
    assert!(
        err.contains("entries of orders"),
        "progress per table: {err}"
    );
    assert_eq!(engine_of(home.path(), &data), "redb");
    assert!(data.join("store.redb").is_file() && !data.join("db").exists());
    let kept: Vec<_> = std::fs::read_dir(&data)
        .expect("dir")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("before-migrate-sled-")
        })
        .collect();
    assert_eq!(kept.len(), 1, "the original is kept");
    assert!(kept[0].path().join("db").is_dir());
    assert_eq!(
        everything(home.path(), &data),
        before,
        "nothing lost or changed"
    );
    assert_eq!(od(home.path(), &data, &["check"]).0, 0);

    // It keeps working: a new note lands and reads back.
    let r = before["orders"][0]["ref"]
        .as_str()
        .expect("ref")
        .to_string();
    assert_eq!(
        od(home.path(), &data, &["order", &r, "note", "after the move"]).0,
        0
    );
    let after_note = everything(home.path(), &data);
    assert!(after_note["details"].to_string().contains("after the move"));

    let (code, out, err) = od(home.path(), &data, &["store", "migrate", "--to", "redb"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("already a redb store"), "{err}");

    let (code, out, err) = od(home.path(), &data, &["store", "migrate", "--to", "sled"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(engine_of(home.path(), &data), "sled");
    assert_eq!(
        everything(home.path(), &data),
        after_note,
        "and back, nothing lost"
    );
    assert_eq!(od(home.path(), &data, &["check"]).0, 0);
}

#[test]
fn migrate_refuses_what_it_cannot_do_and_changes_nothing() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    let (code, _, err) = od(home.path(), &data, &["store", "migrate", "--to", "redb"]);
    assert_eq!(code, 1);
    assert!(err.contains("there is no store"), "{err}");
    assert!(!data.exists(), "no store is made");
    let (code, _, err) = od(home.path(), &data, &["store", "migrate", "--to", "lmdb"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the storage engines are redb and sled"),
        "{err}"
    );
}

/// What a kill may not change: the orders, products, customers and counts, and `check`.
fn summary(home: &Path, data: &Path) -> Value {
    assert_eq!(od(home, data, &["check"]).0, 0, "check is clean");
    serde_json::json!({
        "orders": json(home, data, &["orders", "--json"]),
        "products": json(home, data, &["products", "--json"]),
        "customers": json(home, data, &["customers", "--json"]),
    })
}

/// A store of `engine` in `data`: the fixture, migrated first when it is to be redb. It is
/// opened once first, which raises its layout to this binary's, so that every migration of it
/// passes the same kill points.
fn store_of(home: &Path, data: &Path, engine: &str) {
    unpack_fixture(data);
    assert_eq!(od(home, data, &["check"]).0, 0, "the fixture opens");
    if engine == "redb" {
        assert_eq!(od(home, data, &["store", "migrate", "--to", "redb"]).0, 0);
        let kept = std::fs::read_dir(data)
            .expect("dir")
            .flatten()
            .find(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("before-migrate-")
            })
            .expect("the original");
        std::fs::remove_dir_all(kept.path()).expect("tidy");
    }
}

#[test]
fn a_migration_to_redb_killed_at_any_point_leaves_a_store_that_opens_whole() {
    killed_migrations("sled", "redb");
}

#[test]
fn a_migration_to_sled_killed_at_any_point_leaves_a_store_that_opens_whole() {
    killed_migrations("redb", "sled");
}

/// Migrations from `from` to `to`, each killed at one of its kill points (every fifth, the
/// switch and the last): the store opens whole every time, and the migration either finishes
/// when run again or, once the copy was put in place, says what is left to do.
fn killed_migrations(from: &str, to: &str) {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    store_of(home.path(), &data, from);
    let before = summary(home.path(), &data);
    // An unkilled migration, counting its kill points.
    let log = home.path().join("points");
    let (code, _, err) = run(orderdesk(home.path())
        .env("ORDERDESK_KILL_LOG", &log)
        .arg("--data")
        .arg(&data)
        .args(["store", "migrate", "--to", to]));
    assert_eq!(code, 0, "{err}");
    let points = std::fs::read_to_string(&log).expect("kill log");
    let labels: Vec<&str> = points.lines().collect();
    let in_place = labels
        .iter()
        .position(|l| l.ends_with("store migrate: copy in place"))
        .expect("the switch is a kill point")
        + 1;
    let mut chosen: Vec<usize> = (1..=labels.len()).step_by(5).collect();
    chosen.extend([in_place, labels.len()]);
    for n in chosen {
        let data = home.path().join(format!("store-{n}"));
        store_of(home.path(), &data, from);
        let (code, _, err) = run(orderdesk(home.path())
            .env("ORDERDESK_KILL_AT", n.to_string())
            .arg("--data")
            .arg(&data)
            .args(["store", "migrate", "--to", to]));
        let at = labels[n - 1];
        assert_ne!(code, 0, "killed at point {n} ({at}): {err}");
        assert_eq!(
            summary(home.path(), &data),
            before,
            "killed at point {n} ({at}): the store opens whole"
        );
        let both = data.join("db").exists() && data.join("store.redb").exists();
        let (_, info, _) = od(home.path(), &data, &["store", "info"]);
        assert_eq!(info.contains("also here"), both, "after point {n}: {info}");
        let (code, out, err) = od(home.path(), &data, &["store", "migrate", "--to", to]);
        if n < in_place {
            // Cut short before the switch: run again, it finishes.
            assert_eq!(code, 0, "after point {n}: {out}{err}");
        } else if both && to == "sled" {
            // The copy in place beside the original, which is still the store in use (a
            // directory with both opens redb's file): the operator is told to move it.
            assert!(err.contains("is in the way"), "after point {n}: {err}");
            std::fs::remove_dir_all(data.join("db")).expect("move it away");
            assert_eq!(
                od(home.path(), &data, &["store", "migrate", "--to", to]).0,
                0
            );
        } else {
            assert!(
                err.contains(&format!("already a {to} store")),
                "after point {n}: {err}"
            );
        }
        assert_eq!(engine_of(home.path(), &data), to, "after point {n}");
        assert_eq!(summary(home.path(), &data), before, "after point {n}");
    }
}

/// A store written before manifests and invoices (layout 3) opens, is raised to this layout,
/// and takes them: the new tables start empty.
#[test]
fn an_older_store_opens_with_no_manifests_or_invoices_and_takes_them() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    unpack_fixture(&data);
    assert_eq!(
        json(home.path(), &data, &["manifest", "list", "--json"]),
        serde_json::json!([])
    );
    assert_eq!(
        json(home.path(), &data, &["invoice", "list", "--json"]),
        serde_json::json!([])
    );
    let info = json(home.path(), &data, &["store", "info", "--json"]);
    assert_eq!(
        info["layout"].as_u64(),
        Some(u64::from(orderdesk::store::STORE_LAYOUT)),
        "{info}"
    );
    let booked = json(
        home.path(),
        &data,
        &["orders", "--state", "booked", "--json"],
    );
    let r = booked[0]["ref"].as_str().expect("a booked order");
    let out = json(home.path(), &data, &["invoice", "generate", r, "--json"]);
    assert_eq!(out[0]["invoice"]["seq"], 1, "{out}");
    assert_eq!(od(home.path(), &data, &["check"]).0, 0);
}

#[test]
fn a_compacted_store_gives_space_back_and_keeps_every_entry() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    // Customers imported, then imported again with other names: the first versions' pages
    // are free in the file.
    for round in ["Anna", "Béla"] {
        let csv: String = std::iter::once("id,first_name,last_name,email\n".to_string())
            .chain((0..20_000).map(|i| format!("C{i},{round} {i},Kovács,c{i}@example.com\n")))
            .collect();
        let file = home.path().join("customers.csv");
        std::fs::write(&file, csv).expect("csv");
        let (code, _, err) = od(
            home.path(),
            &data,
            &["import", "customers", file.to_str().expect("utf-8")],
        );
        assert_eq!(code, 0, "{err}");
    }
    let before = everything(home.path(), &data);
    let done = json(home.path(), &data, &["store", "compact", "--json"]);
    let (was, now) = (
        done["bytes_before"].as_u64().expect("bytes_before"),
        done["bytes_after"].as_u64().expect("bytes_after"),
    );
    if engine_of(home.path(), &data) == "redb" {
        assert!(now < was, "{done}");
    } else {
        assert!(now <= was, "{done}");
    }
    assert_eq!(everything(home.path(), &data), before);
    assert_eq!(od(home.path(), &data, &["check"]).0, 0);
    let (code, _, err) = od(
        home.path(),
        &home.path().join("none"),
        &["store", "compact"],
    );
    assert_eq!(code, 1, "no store there: {err}");
}

/// `bench-data` holds its writes in one transaction until each batch's flush: each of the
/// operator's commands sees the ones before it (an order reaches completed through ready and
/// shipped, each change refused unless the one before it is seen), and the store it leaves
/// is whole.
#[test]
fn a_bench_data_fill_leaves_a_whole_store_with_its_orders_worked_through() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("store");
    let (code, out, err) = od(
        home.path(),
        &data,
        &[
            "bench-data",
            "--orders",
            "300",
            "--customers",
            "60",
            "--products",
            "30",
            "--batch",
            "50",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("with 300 orders"), "{out}");
    assert_eq!(od(home.path(), &data, &["check"]).0, 0);
    let all = json(home.path(), &data, &["orders", "--json"]);
    assert_eq!(all.as_array().expect("orders").len(), 300);
    let done = json(
        home.path(),
        &data,
        &["orders", "--json", "--state", "completed"],
    );
    let done = done.as_array().expect("orders").len();
    assert!((150..300).contains(&done), "{done} completed");
}
