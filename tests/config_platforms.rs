//! A store's platform decides what its config takes (the registry, `orderdesk::platforms`):
//! its credentials, its status names, its own switches. Errors name the file and the line.

use orderdesk::config::{Config, ConfigError};
use orderdesk::domain::platform::LocalChange;

const WOO: &str = "[[store]]\nid = \"woo\"\nplatform = \"woocommerce\"\nurl = \"https://shop.example.com\"\nkey_env = \"WOO_KEY\"\nsecret_file = \"/etc/orderdesk/woo.secret\"\n";

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse("o.toml", text, |name| Some(format!("value-of-{name}")))
}

fn refused(text: &str, line: usize, words: &[&str]) {
    let e = match parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    };
    assert!(e.starts_with(&format!("o.toml:{line}: ")), "{e}\n{text}");
    for w in words {
        assert!(e.contains(w), "{w:?} missing from: {e}");
    }
}

#[test]
fn a_woocommerce_store_takes_a_key_and_a_secret_with_its_platform_s_defaults() {
    let c = parse(WOO).expect("parses");
    let s = &c.stores[0];
    assert_eq!(s.platform, "woocommerce");
    let keys: Vec<&str> = s.credentials.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, ["key", "secret"]);
    let key = s.credential("key").expect("key").resolve().expect("set");
    assert_eq!(key, "value-of-WOO_KEY");
    assert!(
        !format!("{c:?}").contains("value-of-WOO_KEY"),
        "never printed"
    );
    // WooCommerce's defaults (DESIGN.md §1): reject orders without contact; its statuses.
    assert_eq!(s.no_contact, orderdesk::domain::intake::NoContact::Reject);
    assert!(s.statuses.fetch.iter().any(|f| f == "processing"));
    assert_eq!(
        s.statuses.status_for(LocalChange::Shipped),
        Some("completed")
    );
    assert_eq!(s.statuses.status_for(LocalChange::ReadyForPickup), None);
    assert!(s.options.is_empty());
}

#[test]
fn credentials_must_be_the_platform_s_own() {
    refused(
        &WOO.replace("key_env = \"WOO_KEY\"", "token_env = \"WOO_KEY\""),
        5,
        &[
            "WooCommerce store takes key_env or key_file",
            "not token_env",
        ],
    );
    refused(
        &WOO.replace("secret_file = \"/etc/orderdesk/woo.secret\"\n", ""),
        1,
        &["no secret_env or secret_file", "consumer secret"],
    );
    refused(
        &format!("{WOO}secret_env = \"S\"\n"),
        6,
        &["both secret_env and secret_file"],
    );
}

#[test]
fn statuses_are_mapped_by_name_and_an_unknown_one_names_its_line() {
    let text = format!(
        "{WOO}\n[store.statuses]\ncustom = [\"ready-pickup\"]\nfetch = [\"processing\", \"on-hold\"]\nready_for_pickup = \"ready-pickup\"\nshipped = \"\"\n"
    );
    let c = parse(&text).expect("parses");
    let m = &c.stores[0].statuses;
    assert_eq!(m.fetch, ["processing", "on-hold"]);
    assert_eq!(
        m.status_for(LocalChange::ReadyForPickup),
        Some("ready-pickup")
    );
    assert_eq!(
        m.status_for(LocalChange::Shipped),
        None,
        "empty: nothing set"
    );
    assert_eq!(
        m.status_for(LocalChange::Refused),
        Some("cancelled"),
        "default kept"
    );
    refused(
        &format!("{WOO}\n[store.statuses]\nshipped = \"sent-off\"\n"),
        9,
        &["unknown WooCommerce status \"sent-off\"", "custom = [...]"],
    );
    refused(
        &format!("{WOO}\n[store.statuses]\nfetch = [\"processing\",\n  \"nope\"]\n"),
        10,
        &["\"nope\""],
    );
    refused(
        "[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"https://x.myshopify.com\"\ntoken_env = \"T\"\n[store.statuses]\nshipped = \"completed\"\n",
        6,
        &["Shopify store has no order statuses"],
    );
}

#[test]
fn a_platform_s_own_switches_are_refused_elsewhere() {
    let c = parse(&format!(
        "{WOO}shipment_tracking = true\nquery_string_auth = true\n"
    ))
    .expect("parses");
    assert_eq!(c.stores[0].options.get("shipment_tracking"), Some(&true));
    assert_eq!(c.stores[0].options.get("query_string_auth"), Some(&true));
    refused(
        "[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"https://x.myshopify.com\"\ntoken_env = \"T\"\nshipment_tracking = true\n",
        6,
        &["shipment_tracking is not a setting of a Shopify store"],
    );
}

#[test]
fn every_platform_connects_and_an_unknown_one_is_refused_naming_them() {
    assert_eq!(
        orderdesk::platforms::connected(),
        orderdesk::platforms::names(),
        "Tray and Shoprenter have their connectors"
    );
    parse(
        "[[store]]\nid = \"tr\"\nplatform = \"tray\"\nurl = \"https://x.example\"\nkey_env = \"K\"\nsecret_env = \"S\"\ncode_env = \"C\"\n",
    )
    .expect("a Tray store");
    refused(
        "[[store]]\nid = \"x\"\nplatform = \"bigcartel\"\nurl = \"https://x.example\"\ntoken_env = \"T\"\n",
        3,
        &["unknown platform \"bigcartel\"", "tray, shoprenter"],
    );
}

#[test]
fn stock_location_is_taken_where_the_platform_has_locations() {
    let shopify = "[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"https://x.myshopify.com\"\ntoken_env = \"T\"\n";
    let c = parse(&format!("{shopify}stock_location = \" Shop floor \"\n")).expect("parses");
    assert_eq!(c.stores[0].stock_location.as_deref(), Some("Shop floor"));
    let conn = c.stores[0].connection().expect("a connection");
    assert_eq!(conn.stock_location.as_deref(), Some("Shop floor"));
    assert_eq!(
        parse(shopify).expect("parses").stores[0].stock_location,
        None
    );
    refused(
        &format!("{WOO}stock_location = \"Main\"\n"),
        7,
        &[
            "stock_location is not a setting of a WooCommerce store",
            "one stock per product",
        ],
    );
    refused(
        &format!("{shopify}stock_location = \"  \"\n"),
        6,
        &["stock_location is empty"],
    );
    refused(
        &format!("{shopify}stock_location = 3\n"),
        6,
        &["invalid type", "string"],
    );
}
