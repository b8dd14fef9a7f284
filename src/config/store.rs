//! One `[[store]]` table: checked against its platform's row in the registry
//! (`crate::platforms`): the credentials it needs, the statuses it knows, the options it takes.

use super::checks::{self, Place};
use super::secret::{Secret, Source};
use super::{ConfigError, loose_permissions};
use crate::channels::Connection;
use crate::domain::intake::{IntakeOptions, NoContact, UnknownCustomer};
use crate::domain::matching::ProductKey;
use crate::domain::platform::{LocalChange, Platform, StatusMap};
use crate::engine::StoreSettings;
use crate::platforms::{self, Row};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use toml::Spanned;

#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub id: String,
    pub platform: String,
    pub url: String,
    /// The platform's credentials by key (`token`; `key` and `secret`; ...), in its order.
    pub credentials: Credentials,
    pub currency: String,
    pub poll_seconds: u64,
    pub initial_days: u32,
    pub overlap_seconds: i64,
    pub product_key: ProductKey,
    pub unknown_customer: UnknownCustomer,
    pub no_contact: NoContact,
    pub read_only: bool,
    /// Products met in orders that the catalog lacks join it.
    pub catalog_from_orders: bool,
    pub carriers: BTreeMap<String, String>,
    /// Where stock levels are set, on a platform with locations (a Shopify location's name
    /// or id, a Magento source's code or name); `None`: the shop's primary location, the
    /// default source.
    pub stock_location: Option<String>,
    /// Which remote statuses are fetched and which each local change sets (platforms with
    /// status names only).
    pub statuses: StatusMap,
    /// The platform's own switches (`shipment_tracking`, ...), each off unless set.
    pub options: BTreeMap<&'static str, bool>,
}

impl StoreConfig {
    /// A store with every option at its default (as an empty `[[store]]` table gives); the
    /// defaults that differ per platform come from its registry row.
    pub fn new(id: &str, platform: &str, url: &str, credentials: Credentials) -> StoreConfig {
        let row = platforms::find(platform);
        StoreConfig {
            id: id.to_string(),
            platform: platform.to_string(),
            url: url.to_string(),
            credentials,
            currency: "EUR".into(),
            poll_seconds: 60,
            initial_days: 60,
            overlap_seconds: 60,
            product_key: ProductKey::default(),
            unknown_customer: UnknownCustomer::default(),
            no_contact: row.map_or(NoContact::Reject, |r| r.platform.no_contact),
            read_only: false,
            catalog_from_orders: false,
            carriers: BTreeMap::new(),
            stock_location: None,
            statuses: row
                .map(|r| StatusMap::defaults(&r.platform))
                .unwrap_or_default(),
            options: BTreeMap::new(),
        }
    }

    /// The credential of this key, if the store has it.
    pub fn credential(&self, key: &str) -> Option<&Secret> {
        self.credentials
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| s)
    }

    /// What its connector needs, credentials read now (an error names the config's line).
    pub fn connection(&self) -> Result<Connection, ConfigError> {
        let mut credentials = BTreeMap::new();
        for (key, secret) in &self.credentials {
            credentials.insert(*key, secret.resolve()?);
        }
        Ok(Connection {
            store: self.id.clone(),
            url: self.url.clone(),
            credentials,
            statuses: self.statuses.clone(),
            options: self.options.clone(),
            currency: self.currency.clone(),
            stock_location: self.stock_location.clone(),
        })
    }

    pub fn settings(&self, phone_region: Option<&str>) -> StoreSettings {
        StoreSettings {
            id: self.id.clone(),
            platform: self.platform.clone(),
            read_only: self.read_only,
            initial_days: self.initial_days,
            carriers: self.carriers.clone(),
            statuses: platforms::find(&self.platform)
                .filter(|r| r.platform.statuses.is_some())
                .map(|_| self.statuses.clone()),
            order_notes: platforms::find(&self.platform).is_some_and(|r| r.platform.order_notes),
            catalog_from_orders: self.catalog_from_orders,
            intake: IntakeOptions {
                product_key: self.product_key,
                unknown_customer: self.unknown_customer,
                no_contact: self.no_contact,
                currency: self.currency.clone(),
                phone_region: phone_region.map(str::to_string),
            },
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStore {
    id: Spanned<String>,
    platform: Spanned<String>,
    url: Spanned<String>,
    token_env: Option<Spanned<String>>,
    token_file: Option<Spanned<PathBuf>>,
    key_env: Option<Spanned<String>>,
    key_file: Option<Spanned<PathBuf>>,
    secret_env: Option<Spanned<String>>,
    secret_file: Option<Spanned<PathBuf>>,
    code_env: Option<Spanned<String>>,
    code_file: Option<Spanned<PathBuf>>,
    user_env: Option<Spanned<String>>,
    user_file: Option<Spanned<PathBuf>>,
    password_env: Option<Spanned<String>>,
    password_file: Option<Spanned<PathBuf>>,
    currency: Option<Spanned<String>>,
    poll_seconds: Option<Spanned<i64>>,
    initial_days: Option<Spanned<i64>>,
    overlap_seconds: Option<Spanned<i64>>,
    product_key: Option<ProductKey>,
    unknown_customer: Option<UnknownCustomer>,
    no_contact: Option<NoContact>,
    read_only: Option<bool>,
    catalog_from_orders: Option<bool>,
    stock_location: Option<Spanned<String>>,
    #[serde(default)]
    carriers: BTreeMap<String, String>,
    statuses: Option<Spanned<RawStatuses>>,
    query_string_auth: Option<Spanned<bool>>,
    shipment_tracking: Option<Spanned<bool>>,
    all_store_views: Option<Spanned<bool>>,
}

/// `[store.statuses]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatuses {
    /// Statuses this shop added to its platform's own.
    #[serde(default)]
    custom: Vec<String>,
    fetch: Option<Vec<Spanned<String>>>,
    ready_for_pickup: Option<Spanned<String>>,
    ready_to_ship: Option<Spanned<String>>,
    shipped: Option<Spanned<String>>,
    completed: Option<Spanned<String>>,
    refused: Option<Spanned<String>>,
    invoiced: Option<Spanned<String>>,
}

/// A store's credentials by key, in its platform's order.
type Credentials = Vec<(&'static str, Secret)>;

/// Every credential key a platform may ask for, as `{key}_env` / `{key}_file`.
type Given<'a> = (Option<&'a Spanned<String>>, Option<&'a Spanned<PathBuf>>);

impl RawStore {
    fn credential(&self, key: &str) -> Given<'_> {
        match key {
            "token" => (self.token_env.as_ref(), self.token_file.as_ref()),
            "key" => (self.key_env.as_ref(), self.key_file.as_ref()),
            "secret" => (self.secret_env.as_ref(), self.secret_file.as_ref()),
            "code" => (self.code_env.as_ref(), self.code_file.as_ref()),
            "user" => (self.user_env.as_ref(), self.user_file.as_ref()),
            "password" => (self.password_env.as_ref(), self.password_file.as_ref()),
            _ => (None, None),
        }
    }

    fn option(&self, key: &str) -> Option<&Spanned<bool>> {
        match key {
            "query_string_auth" => self.query_string_auth.as_ref(),
            "shipment_tracking" => self.shipment_tracking.as_ref(),
            "all_store_views" => self.all_store_views.as_ref(),
            _ => None,
        }
    }
}

const CREDENTIAL_KEYS: [&str; 6] = ["token", "key", "secret", "code", "user", "password"];
const OPTION_KEYS: [&str; 3] = ["query_string_auth", "shipment_tracking", "all_store_views"];

/// One store table, checked; with the warnings it gives (a secret file others can read).
pub(super) fn parse(
    place: &Place,
    ids: &mut checks::StoreIds,
    s: Spanned<RawStore>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(StoreConfig, Vec<String>), ConfigError> {
    let span = s.span();
    let s = s.into_inner();
    let id = ids.add(place, &s.id)?;
    let row = platform_row(place, &s.platform)?;
    let url = s.url.get_ref().trim().trim_end_matches('/').to_string();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(place.error(
            s.url.span(),
            format!("url \"{url}\" must start with https:// (or http:// for a local simulator)"),
        ));
    }
    let (credentials, warnings) = credentials(place, &id, span, &s, &row.platform, env)?;
    let mut store = StoreConfig::new(&id, row.platform.name, &url, credentials);
    store.currency = checks::currency(place, s.currency.as_ref())?;
    store.poll_seconds =
        checks::POLL_SECONDS.check(place, s.poll_seconds.as_ref(), store.poll_seconds)?;
    store.initial_days =
        checks::INITIAL_DAYS.check(place, s.initial_days.as_ref(), store.initial_days)?;
    store.overlap_seconds =
        checks::OVERLAP_SECONDS.check(place, s.overlap_seconds.as_ref(), store.overlap_seconds)?;
    store.product_key = s.product_key.unwrap_or_default();
    store.unknown_customer = s.unknown_customer.unwrap_or_default();
    store.catalog_from_orders = s.catalog_from_orders.unwrap_or(false);
    if let Some(n) = s.no_contact {
        store.no_contact = n;
    }
    store.read_only = s.read_only.unwrap_or(false);
    if let Some(raw) = &s.statuses {
        statuses(place, &row.platform, raw, &mut store.statuses)?;
    }
    for key in OPTION_KEYS {
        if let Some(v) = s.option(key) {
            let Some(known) = row.platform.options.iter().find(|o| **o == key) else {
                return Err(place.error(
                    v.span(),
                    format!("{key} is not a setting of a {} store", row.platform.title),
                ));
            };
            store.options.insert(known, *v.get_ref());
        }
    }
    if let Some(at) = &s.stock_location {
        store.stock_location = Some(stock_location(place, &row.platform, at)?);
    }
    store.carriers = s.carriers;
    Ok((store, warnings))
}

/// `stock_location`: a name, on a platform that keeps stock by location.
fn stock_location(
    place: &Place,
    platform: &Platform,
    at: &Spanned<String>,
) -> Result<String, ConfigError> {
    if !platform.has_locations {
        return Err(place.error(
            at.span(),
            format!(
                "stock_location is not a setting of a {} store (it keeps one stock per product)",
                platform.title
            ),
        ));
    }
    let name = at.get_ref().trim();
    if name.is_empty() {
        return Err(place.error(
            at.span(),
            "stock_location is empty: name a location of the shop, or leave the key out for \
             its primary one"
                .into(),
        ));
    }
    Ok(name.to_string())
}

/// The registry row of a store's platform: known, and connected in this version.
fn platform_row(place: &Place, platform: &Spanned<String>) -> Result<&'static Row, ConfigError> {
    let name = platform.get_ref().trim().to_lowercase();
    let Some(row) = platforms::find(&name) else {
        return Err(place.error(
            platform.span(),
            format!(
                "unknown platform \"{name}\" (one of: {})",
                platforms::names().join(", ")
            ),
        ));
    };
    if row.connect.is_none() {
        return Err(place.error(
            platform.span(),
            format!(
                "platform \"{name}\" has no connector in this version yet (supported: {})",
                platforms::connected().join(", ")
            ),
        ));
    }
    Ok(row)
}

/// Each credential the platform needs, from exactly one of `{key}_env` and `{key}_file`;
/// a credential key the platform does not use is refused (a likely mix-up of platforms).
fn credentials(
    place: &Place,
    store: &str,
    store_span: std::ops::Range<usize>,
    s: &RawStore,
    platform: &Platform,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(Credentials, Vec<String>), ConfigError> {
    let needed: Vec<&str> = platform.credentials.iter().map(|c| c.key).collect();
    let wants = || {
        needed
            .iter()
            .map(|k| format!("{k}_env or {k}_file"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for key in CREDENTIAL_KEYS.iter().filter(|k| !needed.contains(k)) {
        let (name, file) = s.credential(key);
        if let Some(span) = name.map(Spanned::span).or(file.map(Spanned::span)) {
            return Err(place.error(
                span,
                format!(
                    "a {} store takes {}, not {key}_env or {key}_file",
                    platform.title,
                    wants()
                ),
            ));
        }
    }
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for c in platform.credentials {
        let (name, file) = s.credential(c.key);
        let at = |span: std::ops::Range<usize>| (place.file().to_string(), place.line(span.start));
        let source = match (name, file) {
            (Some(_), Some(path)) => {
                return Err(place.error(
                    path.span(),
                    format!(
                        "store {store} has both {k}_env and {k}_file: keep one",
                        k = c.key
                    ),
                ));
            }
            (Some(name), None) => Source::Env {
                key: c.key,
                name: name.get_ref().clone(),
                value: env(name.get_ref()),
                store: store.to_string(),
                at: at(name.span()),
            },
            (None, Some(path)) => {
                if let Some(w) = loose_permissions(path.get_ref()) {
                    warnings.push(format!("{}: {w}", path.get_ref().display()));
                }
                Source::File {
                    key: c.key,
                    path: path.get_ref().clone(),
                    store: store.to_string(),
                    at: at(path.span()),
                }
            }
            (None, None) => {
                return Err(place.error(
                    store_span,
                    format!(
                        "store {store} has no {k}_env or {k}_file (its {})",
                        c.what,
                        k = c.key
                    ),
                ));
            }
        };
        out.push((c.key, Secret(source)));
    }
    Ok((out, warnings))
}

/// `[store.statuses]` over the platform's defaults: every name one the platform knows or the
/// table declares under `custom`; an empty name sets nothing on that change.
fn statuses(
    place: &Place,
    platform: &Platform,
    raw: &Spanned<RawStatuses>,
    map: &mut StatusMap,
) -> Result<(), ConfigError> {
    if platform.statuses.is_none() {
        return Err(place.error(
            raw.span(),
            format!(
                "a {} store has no order statuses to map: leave [store.statuses] out",
                platform.title
            ),
        ));
    }
    let r = raw.get_ref();
    let known = |name: &Spanned<String>| {
        let n = name.get_ref().trim();
        if platform.knows_status(n, &r.custom) {
            Ok(n.to_string())
        } else {
            Err(place.error(
                name.span(),
                format!(
                    "unknown {} status \"{n}\" (one of: {}; a status of this shop's own goes \
                     under custom = [...])",
                    platform.title,
                    platform
                        .statuses
                        .as_ref()
                        .map(|s| s.known.join(", "))
                        .unwrap_or_default()
                ),
            ))
        }
    };
    if let Some(fetch) = &r.fetch {
        map.fetch = fetch.iter().map(known).collect::<Result<_, _>>()?;
    }
    let given = [
        (LocalChange::ReadyForPickup, &r.ready_for_pickup),
        (LocalChange::ReadyToShip, &r.ready_to_ship),
        (LocalChange::Shipped, &r.shipped),
        (LocalChange::Completed, &r.completed),
        (LocalChange::Refused, &r.refused),
        (LocalChange::Invoiced, &r.invoiced),
    ];
    for (change, value) in given {
        match value {
            None => {}
            Some(v) if v.get_ref().trim().is_empty() => {
                map.on_change.remove(&change);
            }
            Some(v) => {
                map.on_change.insert(change, known(v)?);
            }
        }
    }
    Ok(())
}
