//! The config loader on bad input (issue #18): what should be refused is refused naming the
//! file and the line, nothing panics, a large config loads in linear time, and what does not
//! connect to a shop does not need the shop's token.

mod support;

use orderdesk::config::{Config, ConfigError};
use proptest::prelude::*;
use support::pty::{orderdesk, run};

const STORE: &str = "[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"https://example.myshopify.com\"\ntoken_env = \"SHOP_TOKEN\"\n";

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse("o.toml", text, |_| Some("shpat_t".into()))
}

/// The error for `text`, which must name `o.toml`, `line` and each of `words`.
fn refused(text: &str, line: usize, words: &[&str]) {
    let e = match parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    };
    assert!(e.starts_with(&format!("o.toml:{line}: ")), "{e}\n{text}");
    for w in words {
        assert!(e.contains(w), "{w:?} missing from: {e}");
    }
    assert!(!e.contains('\n'), "one line: {e}");
}

#[test]
fn the_terminal_title_is_on_and_the_bell_off_unless_the_config_says_otherwise() {
    let c = parse("").expect("empty config");
    assert!(c.terminal_title && !c.bell);
    let c = parse("terminal_title = false\nbell = true\n").expect("both set");
    assert!(!c.terminal_title && c.bell);
    refused("operator = \"anna\"\nbell = \"yes\"\n", 2, &["boolean"]);
}

#[test]
fn a_currency_not_in_iso_4217_is_refused() {
    for bad in ["EURO", "XYZ", "€", "", "E U", "XAU", "HRK"] {
        refused(
            &format!("{STORE}currency = \"{bad}\"\n"),
            6,
            &["currency", "ISO 4217"],
        );
    }
    for good in ["EUR", "HUF", "USD", "JPY", "XOF", " eur "] {
        let c = parse(&format!("{STORE}currency = \"{good}\"\n")).expect(good);
        assert_eq!(c.stores[0].currency, good.trim().to_uppercase());
    }
}

#[test]
fn token_env_and_token_file_together_are_refused() {
    refused(
        &format!("{STORE}token_file = \"/etc/t\"\n"),
        6,
        &["store web", "both token_env and token_file"],
    );
}

#[test]
fn empty_blank_or_repeated_payment_methods_are_refused() {
    let list = |l: &str| format!("operator = \"a\"\npayment_methods = [\n{l}]\n");
    refused(&list("\"VISA\",\n\"\",\n"), 4, &["payment method is empty"]);
    refused(
        &list("\"VISA\",\n\"   \",\n"),
        4,
        &["payment method is empty"],
    );
    refused(
        &list("\"VISA\",\n\"MC\",\n\" visa\",\n"),
        5,
        &["\"visa\"", "twice", "line 3"],
    );
    refused(&list(""), 2, &["payment_methods is empty"]);
    let c = parse(&list("\" Bank transfer \", \"VISA\"")).expect("good");
    assert_eq!(c.payment_methods, ["Bank transfer", "VISA"]);
}

#[test]
fn numbers_out_of_range_are_refused_naming_key_and_range() {
    for (key, value, range) in [
        ("poll_seconds", "0", "5 ..= 86400"),
        ("poll_seconds", "4", "5 ..= 86400"),
        ("poll_seconds", "86401", "5 ..= 86400"),
        ("poll_seconds", "-1", "5 ..= 86400"),
        ("initial_days", "100000000", "1 ..= 3650"),
        ("initial_days", "0", "1 ..= 3650"),
        ("initial_days", "-5", "1 ..= 3650"),
        ("overlap_seconds", "-1", "0 ..= 31536000"),
        ("overlap_seconds", "9223372036854775807", "0 ..= 31536000"),
    ] {
        refused(
            &format!("{STORE}{key} = {value}\n"),
            6,
            &[&format!("{key} = {value}"), range],
        );
    }
    let c = parse(&format!(
        "{STORE}poll_seconds = 5\ninitial_days = 3650\noverlap_seconds = 0\n"
    ))
    .expect("the edges are in range");
    let s = &c.stores[0];
    assert_eq!(
        (s.poll_seconds, s.initial_days, s.overlap_seconds),
        (5, 3650, 0)
    );
    let c = parse(&format!(
        "{STORE}poll_seconds = 86400\ninitial_days = 1\noverlap_seconds = 31536000\n"
    ))
    .expect("the edges are in range");
    let s = &c.stores[0];
    assert_eq!(
        (s.poll_seconds, s.initial_days, s.overlap_seconds),
        (86400, 1, 31_536_000)
    );
}

#[test]
fn store_ids_that_differ_only_in_case_are_refused_naming_both_lines() {
    let upper = STORE.replace("\"web\"", "\"WEB\"");
    refused(
        &format!("{STORE}\n{upper}"),
        8,
        &["\"WEB\"", "\"web\"", "line 2", "only in case"],
    );
    refused(
        &format!("{STORE}\n{STORE}"),
        8,
        &["\"web\"", "twice", "lines 2 and"],
    );
    for bad in ["", "  ", "web:2", "w eb", "w\\teb"] {
        refused(
            &STORE.replace("\"web\"", &format!("\"{bad}\"")),
            2,
            &["store id", "without ':' or spaces"],
        );
    }
}

/// `n` stores, each with every key.
fn many_stores(n: usize) -> String {
    let mut text = String::from("operator = \"anna\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "\n[[store]]\nid = \"s{i}\"\nplatform = \"shopify\"\nurl = \"https://s{i}.example\"\n\
             token_env = \"SHOP_TOKEN\"\ncurrency = \"EUR\"\npoll_seconds = 60\n"
        ));
    }
    text
}

#[test]
fn a_config_of_100000_stores_loads() {
    let text = many_stores(100_000);
    let cfg = parse(&text).map_err(|e| e.to_string());
    assert_eq!(cfg.map(|c| c.stores.len()), Ok(100_000));
    // The last store repeating the first, case aside, is found and named.
    let text = format!("{text}\n{}", STORE.replace("\"web\"", "\"S0\""));
    let e = parse(&text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("\"S0\"") && e.contains("line 4"), "{e}");
}

/// Loaded, or refused at a line the text has.
fn loads_or_names_a_line(text: &str) -> Result<(), TestCaseError> {
    let lines = text.lines().count().max(1);
    match parse(text) {
        Ok(_) => Ok(()),
        Err(ConfigError::At { line, message, .. }) => {
            prop_assert!(
                (1..=lines).contains(&line),
                "line {line} of {lines}: {message}"
            );
            prop_assert!(!message.is_empty());
            Ok(())
        }
        Err(e) => Err(TestCaseError::fail(format!("not at a line: {e}"))),
    }
}

#[test]
fn an_error_at_the_end_of_the_text_names_its_last_line() {
    refused("id = \"\"\"\n", 1, &[]);
    refused("operator = \"anna\"\nx = \"\"\"\n\n", 3, &[]);
    refused("operator = \"anna\"\n[[store]]\n", 2, &["id"]);
}

/// Lines a config might hold, good and bad, for the generator to shuffle.
fn config_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "id",
        "platform",
        "url",
        "token_env",
        "token_file",
        "currency",
        "poll_seconds",
        "initial_days",
        "overlap_seconds",
        "product_key",
        "unknown_customer",
        "no_contact",
        "read_only",
        "operator",
        "keymap",
        "timezone",
        "phone_region",
        "payment_methods",
        "mouse",
        "terminal_title",
        "bell",
        "DHL",
    ]);
    let value = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        (0i64..100_000).prop_map(|n| n.to_string()),
        "[a-zA-Z :/.é€\\t-]{0,12}".prop_map(|s| format!("{s:?}")),
        prop::sample::select(vec![
            "\"shopify\"",
            "\"https://x.example\"",
            "\"EUR\"",
            "\"WEB\"",
            "\"web\"",
            "[\"VISA\", \"\"]",
            "[",
            "[\"VISA\",",
            "\"open",
            "{",
            "\"\"\"",
            "[]",
            "true",
            "1.5",
            "\"HU\"",
            "\"Europe/Budapest\"",
        ])
        .prop_map(str::to_string),
    ];
    prop_oneof![
        3 => (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => prop::sample::select(vec!["[[store]]", "[store.carriers]", "[store]", ""])
            .prop_map(str::to_string),
        1 => "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_loads_or_names_an_existing_line(text in "\\PC*(\n\\PC*){0,8}") {
        loads_or_names_a_line(&text)?;
    }

    #[test]
    fn config_like_text_loads_or_names_an_existing_line(
        lines in prop::collection::vec(config_line(), 0..30),
        end in prop::sample::select(vec!["", "\n", "\r\n"]),
    ) {
        loads_or_names_a_line(&format!("{}{end}", lines.join("\n")))?;
    }
}

/// A config of store `web` whose token comes from `$SHOP_TOKEN`.
fn config_file(home: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = home.join(name);
    std::fs::write(&path, text).expect("config");
    path
}

#[test]
fn status_answers_without_the_shops_token_and_sync_names_the_missing_variable() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("data");
    // A store made first (by an import, with no stores configured).
    let products = home.path().join("products.csv");
    std::fs::write(
        &products,
        "id,sku,name,description,price,stock,category,unit\nP1,S1,Soap,,1.00,3,,pc\n",
    )
    .expect("csv");
    let empty = config_file(home.path(), "empty.toml", "operator = \"anna\"\n");
    let (code, out, err) = run(orderdesk(home.path())
        .arg("--config")
        .arg(&empty)
        .arg("--data")
        .arg(&data)
        .args(["import", "products"])
        .arg(&products));
    assert_eq!(code, 0, "{out}{err}");

    let cfg = config_file(home.path(), "orderdesk.toml", STORE);
    let od = |args: &[&str]| {
        run(orderdesk(home.path())
            .env_remove("SHOP_TOKEN")
            .arg("--config")
            .arg(&cfg)
            .arg("--data")
            .arg(&data)
            .args(args))
    };
    let (code, out, err) = od(&["status", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let status: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(status["stores"][0]["id"], "web", "{out}");

    let (code, out, err) = od(&["sync", "--once"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("store web")
            && err.contains(&format!("{}:5:", cfg.display()))
            && err.contains("environment variable SHOP_TOKEN"),
        "{err}"
    );
}

/// Numbers no config lets through still do not panic a sync run (the run's date arithmetic
/// is checked): the first run with `initial_days` at its type's maximum, a later one with
/// the largest overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_run_survives_numbers_beyond_the_config_ranges() {
    use orderdesk::config::{Secret, StoreConfig};
    use orderdesk::sync::{RunOptions, run_once};
    let sim = support::sim::start(orderdesk::sim::shopify::SimOptions {
        orders: 5,
        bucket: 2000,
        restore: 2000,
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sc = StoreConfig::new(
        "web",
        "shopify",
        &sim.url(),
        vec![("token", Secret::new("shpat_t"))],
    );
    sc.initial_days = u32::MAX;
    let cfg = Config {
        stores: vec![sc],
        ..Config::empty()
    };
    let engine = orderdesk::engine::Engine::open(dir.path(), "anna", cfg.settings()).expect("open");
    let channel = orderdesk::platforms::connect(&cfg.stores[0]).expect("channel");
    for overlap_seconds in [0, i64::MAX] {
        let run = run_once(
            &engine,
            channel.as_ref(),
            "web",
            RunOptions { overlap_seconds },
        )
        .await
        .expect("run recorded");
        assert!(run.ok, "{:?}", run.message);
    }
}
