//! A Shoprenter store in the config: its API user and password, its statuses by their
//! `order_status_id`, and the connector it gives.

use orderdesk::config::{Config, ConfigError};
use orderdesk::domain::platform::LocalChange;

const SR: &str = "[[store]]\nid = \"hu\"\nplatform = \"shoprenter\"\nurl = \"https://bolt.api.myshoprenter.hu\"\nuser_env = \"SR_USER\"\npassword_file = \"/run/secrets/sr\"\n";

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse("o.toml", text, |name| Some(format!("value-of-{name}")))
}

#[test]
fn a_shoprenter_store_takes_a_user_and_a_password_and_status_ids() {
    let c = parse(SR).expect("parses");
    let s = &c.stores[0];
    assert_eq!(s.statuses.fetch, ["1", "2", "3", "4", "5"]);
    assert_eq!(s.statuses.status_for(LocalChange::Refused), Some("5"));
    let text = format!("{SR}[store.statuses]\ncustom = [\"9\"]\nready_for_pickup = \"9\"\n");
    let c = parse(&text).expect("parses");
    assert_eq!(
        c.stores[0].statuses.status_for(LocalChange::ReadyForPickup),
        Some("9")
    );
    let bad = format!("{SR}[store.statuses]\nshipped = \"Kiszállítva\"\n");
    let e = parse(&bad).expect_err("a name, not an id").to_string();
    assert!(e.starts_with("o.toml:8: ") && e.contains("custom"), "{e}");
    let no_user = SR.replace("user_env = \"SR_USER\"\n", "");
    let e = parse(&no_user).expect_err("no user").to_string();
    assert!(e.contains("user_env"), "{e}");
}
