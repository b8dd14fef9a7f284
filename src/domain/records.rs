//! The store's own records: products and customers.

use super::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub sku: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub price: Money,
    /// Stock at the default location; may go below zero when a shop oversold.
    pub stock: i64,
    #[serde(default)]
    pub category: String,
    #[serde(default = "default_unit")]
    pub unit: String,
    /// Stock went below zero through a booking and the operator has not acknowledged it.
    #[serde(default)]
    pub oversold: bool,
    /// Remote codes per store (store id -> the shop's product or variant id).
    #[serde(default)]
    pub remote_codes: BTreeMap<String, String>,
}

pub fn default_unit() -> String {
    "piece".to_string()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// Normalised (E.164 where the number allows it).
    pub phone: Option<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub country: String,
    /// Remembered links: `store:remote customer id`.
    #[serde(default)]
    pub remote_ids: Vec<String>,
    /// The store's "unspecified customer" for orders without customer data.
    #[serde(default)]
    pub unspecified_for: Option<String>,
}

impl Customer {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name.trim(), self.last_name.trim())
            .trim()
            .to_string()
    }
}
