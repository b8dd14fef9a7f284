//! A Magento 2 store in the config: its token, its status defaults, its `all_store_views`
//! switch (a WooCommerce store does not take it), and the connector it gives.

use orderdesk::config::{Config, ConfigError};
use orderdesk::domain::platform::LocalChange;

const MAG: &str = "[[store]]\nid = \"mag\"\nplatform = \"magento\"\nurl = \"https://shop.example.com\"\ntoken_env = \"MAG_TOKEN\"\n";

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse("o.toml", text, |name| Some(format!("value-of-{name}")))
}

#[test]
fn a_magento_store_takes_a_token_and_its_platform_s_defaults() {
    let c = parse(MAG).expect("parses");
    let s = &c.stores[0];
    assert_eq!(s.platform, "magento");
    assert_eq!(s.no_contact, orderdesk::domain::intake::NoContact::Reject);
    for status in ["pending", "processing", "complete", "closed", "canceled"] {
        assert!(s.statuses.fetch.iter().any(|f| f == status), "{status}");
    }
    assert_eq!(
        s.statuses.status_for(LocalChange::Refused),
        Some("canceled")
    );
    assert_eq!(s.statuses.status_for(LocalChange::Shipped), None);
    assert!(s.options.is_empty());
    assert!(!format!("{c:?}").contains("value-of-MAG_TOKEN"));
    assert!(orderdesk::platforms::connect(s).is_ok());
}

#[test]
fn all_store_views_is_magento_s_switch_only() {
    let c = parse(&format!("{MAG}all_store_views = true\n")).expect("parses");
    assert_eq!(c.stores[0].options.get("all_store_views"), Some(&true));
    let woo = "[[store]]\nid = \"woo\"\nplatform = \"woocommerce\"\nurl = \"https://w.example\"\nkey_env = \"K\"\nsecret_env = \"S\"\nall_store_views = true\n";
    let e = parse(woo).expect_err("not WooCommerce's").to_string();
    assert!(
        e.starts_with("o.toml:7: ") && e.contains("all_store_views"),
        "{e}"
    );
}

#[test]
fn a_status_magento_does_not_know_is_refused_with_its_line() {
    let text = format!("{MAG}[store.statuses]\nrefused = \"cancelled\"\n");
    let e = parse(&text)
        .expect_err("Magento spells it canceled")
        .to_string();
    assert!(
        e.starts_with("o.toml:7: ") && e.contains("cancelled"),
        "{e}"
    );
}
