//! Shipping manifests (DESIGN.md §1 "Shipping"): ready-to-ship orders grouped for one carrier,
//! each with its tracking number; `in_preparation` until handed to the carrier, then `shipped`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManifestState {
    /// Orders are still being added; nothing has reached the shops.
    InPreparation,
    /// Handed to the carrier: its orders are shipped and their shops told.
    Shipped,
}

impl ManifestState {
    pub fn as_str(self) -> &'static str {
        match self {
            ManifestState::InPreparation => "in_preparation",
            ManifestState::Shipped => "shipped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ManifestState::InPreparation => "in preparation",
            ManifestState::Shipped => "shipped",
        }
    }
}

/// One order on a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestOrder {
    pub order_id: u64,
    pub store: String,
    /// The shop's name without a leading `#` (as in a REF).
    pub name: String,
    pub tracking: String,
    /// The customer and where it goes, for the driver's sheet.
    pub recipient: String,
    pub address: String,
    pub added_at: DateTime<Utc>,
    /// The shipping notification queued for its shop when the manifest shipped (none for a
    /// read-only store).
    pub outbox_id: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub id: u64,
    /// The local carrier name (a key of the stores' `[store.carriers]`).
    pub carrier: String,
    pub state: ManifestState,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub shipped_at: Option<DateTime<Utc>>,
    pub shipped_by: Option<String>,
    pub orders: Vec<ManifestOrder>,
}

impl Manifest {
    pub fn is_open(&self) -> bool {
        self.state == ManifestState::InPreparation
    }

    /// The manifest as text for the carrier's driver: one line per parcel and a signature line.
    pub fn driver_sheet(&self, zone: impl Fn(DateTime<Utc>) -> String) -> String {
        let mut out = format!(
            "SHIPPING MANIFEST {}\nCarrier: {}\nState: {}\nCreated: {} by {}\n",
            self.id,
            self.carrier,
            self.state.label(),
            zone(self.created_at),
            self.created_by
        );
        if let (Some(at), Some(by)) = (self.shipped_at, &self.shipped_by) {
            out.push_str(&format!("Shipped: {} by {by}\n", zone(at)));
        }
        out.push_str(&format!("Parcels: {}\n\n", self.orders.len()));
        let width = self
            .orders
            .iter()
            .map(|o| o.store.chars().count() + o.name.chars().count() + 1)
            .max()
            .unwrap_or(5)
            .max(5);
        let tw = self
            .orders
            .iter()
            .map(|o| o.tracking.chars().count())
            .max()
            .unwrap_or(8)
            .max(8);
        out.push_str(&format!(
            " #  {:width$}  {:tw$}  Recipient\n",
            "Order", "Tracking"
        ));
        for (i, o) in self.orders.iter().enumerate() {
            let reference = format!("{}:{}", o.store, o.name);
            out.push_str(&format!(
                "{:>2}  {reference:width$}  {:tw$}  {}{}\n",
                i + 1,
                o.tracking,
                o.recipient,
                if o.address.is_empty() {
                    String::new()
                } else {
                    format!(", {}", o.address)
                }
            ));
        }
        out.push_str("\nHanded over: ____________   Driver's signature: ____________\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_driver_sheet_lists_every_parcel_with_its_tracking() {
        let at = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("time");
        let order = |name: &str, tracking: &str| ManifestOrder {
            order_id: 1,
            store: "web".into(),
            name: name.into(),
            tracking: tracking.into(),
            recipient: "Anna Kovács".into(),
            address: "Fő utca 1, Budapest".into(),
            added_at: at,
            outbox_id: None,
        };
        let m = Manifest {
            id: 7,
            carrier: "DHL".into(),
            state: ManifestState::InPreparation,
            created_at: at,
            created_by: "anna".into(),
            shipped_at: None,
            shipped_by: None,
            orders: vec![order("1001", "JD014600"), order("1002", "JD014601")],
        };
        let text = m.driver_sheet(|t| t.to_rfc3339());
        assert!(
            text.starts_with("SHIPPING MANIFEST 7\nCarrier: DHL\n"),
            "{text}"
        );
        assert!(text.contains("Parcels: 2"));
        assert!(text.contains(" 1  web:1001  JD014600  Anna Kovács, Fő utca 1, Budapest"));
        assert!(text.contains(" 2  web:1002  JD014601"));
        assert!(!text.contains("Shipped:"));
    }
}
