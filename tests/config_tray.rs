//! A Tray store in the config: its consumer key, secret and code, its status mappings (by the
//! names the store gives its statuses), and the connector it gives.

use orderdesk::config::{Config, ConfigError};
use orderdesk::domain::platform::LocalChange;

const TRAY: &str = "[[store]]\nid = \"br\"\nplatform = \"tray\"\nurl = \"https://loja.example.com.br/web_api\"\nkey_env = \"TRAY_KEY\"\nsecret_env = \"TRAY_SECRET\"\ncode_env = \"TRAY_CODE\"\n";

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse("o.toml", text, |name| Some(format!("value-of-{name}")))
}

#[test]
fn a_tray_store_takes_its_three_credentials_and_the_five_mappings_default() {
    let c = parse(TRAY).expect("parses");
    let s = &c.stores[0];
    assert_eq!(s.platform, "tray");
    for status in ["A ENVIAR", "AGUARDANDO PAGAMENTO", "CANCELADO", "ENVIADO"] {
        assert!(s.statuses.fetch.iter().any(|f| f == status), "{status}");
    }
    assert_eq!(s.statuses.status_for(LocalChange::Shipped), Some("ENVIADO"));
    assert_eq!(
        s.statuses.status_for(LocalChange::Refused),
        Some("CANCELADO")
    );
    assert_eq!(s.statuses.status_for(LocalChange::Invoiced), None);
    assert!(!format!("{c:?}").contains("value-of-TRAY_CODE"));
    assert!(orderdesk::platforms::connect(s).is_ok());
}

#[test]
fn a_store_maps_its_own_statuses_for_each_of_the_five() {
    let text = format!(
        "{TRAY}[store.statuses]\ncustom = [\"FATURADO\", \"ESTORNADO\", \"PAGO\"]\nfetch = [\"PAGO\", \"ESTORNADO\"]\nshipped = \"ENVIADO\"\nrefused = \"ESTORNADO\"\ninvoiced = \"FATURADO\"\n"
    );
    let c = parse(&text).expect("parses");
    let m = &c.stores[0].statuses;
    assert_eq!(m.fetch, ["PAGO", "ESTORNADO"]);
    assert_eq!(m.status_for(LocalChange::Invoiced), Some("FATURADO"));
    assert_eq!(m.status_for(LocalChange::Refused), Some("ESTORNADO"));
    let channel = orderdesk::channels::tray::TrayStatuses::from_map(m);
    assert!(channel.is_cancelled("ESTORNADO") && channel.is_cancelled("CANCELADO"));
}

#[test]
fn a_status_the_store_does_not_have_is_refused_with_its_line() {
    let text = format!("{TRAY}[store.statuses]\ninvoiced = \"FATURADO\"\n");
    let e = parse(&text).expect_err("not declared").to_string();
    assert!(
        e.starts_with("o.toml:9: ") && e.contains("FATURADO") && e.contains("custom"),
        "{e}"
    );
    let empty = format!("{TRAY}[store.statuses]\nfetch = []\n");
    let c = parse(&empty).expect("parses");
    let e = orderdesk::platforms::connect(&c.stores[0])
        .err()
        .expect("nothing fetched")
        .to_string();
    assert!(e.contains("no Tray status is fetched"), "{e}");
}

#[test]
fn a_missing_code_names_its_keys() {
    let text = TRAY.replace("code_env = \"TRAY_CODE\"\n", "");
    let e = parse(&text).expect_err("no code").to_string();
    assert!(e.contains("code_env") && e.contains("code_file"), "{e}");
}
