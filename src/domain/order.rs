//! An order as orderdesk keeps it.

use super::shop_order::{RemoteFinancial, RemoteFulfillment, ShopAddress};
use super::{Money, OrderState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Local id, assigned by the store.
    pub id: u64,
    pub store: String,
    pub remote_id: String,
    pub name: String,
    pub state: OrderState,
    pub test: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub currency: String,
    pub total: Money,
    pub subtotal: Money,
    pub tax_total: Money,
    pub discount_total: Money,
    pub taxes_included: bool,
    pub financial: RemoteFinancial,
    pub financial_label: String,
    pub fulfillment: RemoteFulfillment,
    pub remote_cancelled: bool,
    pub customer: OrderCustomer,
    pub billing_address: Option<ShopAddress>,
    pub shipping: Option<Shipping>,
    pub lines: Vec<OrderLine>,
    pub authorization: Option<String>,
    pub payments: Vec<Payment>,
    /// What booking took from stock: (product id, quantity), given back on refusal/cancel.
    #[serde(default)]
    pub booked_stock: Vec<(String, i64)>,
    /// Plain-language problems, as the Errors pane shows them.
    #[serde(default)]
    pub problems: Vec<String>,
    /// The import rule that rejected the order.
    #[serde(default)]
    pub rejected_by: Option<String>,
    #[serde(default)]
    pub dismissed: bool,
    /// Remote changes after booking that were not applied, not yet acknowledged.
    #[serde(default)]
    pub conflicts: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCustomer {
    /// The matched local customer, when there is one.
    pub id: Option<String>,
    pub remote_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl OrderCustomer {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name.trim(), self.last_name.trim())
            .trim()
            .to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipping {
    pub title: String,
    pub carrier: Option<String>,
    pub cost: Money,
    pub pickup: bool,
    pub address: Option<ShopAddress>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// 1-based.
    pub line: u32,
    pub remote_id: String,
    pub variant_id: Option<String>,
    pub sku: Option<String>,
    pub name: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub total: Money,
    #[serde(rename = "match")]
    pub matched: LineMatch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineMatch {
    pub status: MatchStatus,
    pub product_id: Option<String>,
    pub candidates: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    Matched,
    NoProduct,
    Ambiguous,
    EmptySku,
    Mapped,
}

impl MatchStatus {
    pub fn is_ok(self) -> bool {
        matches!(self, MatchStatus::Matched | MatchStatus::Mapped)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            MatchStatus::Matched => "matched",
            MatchStatus::NoProduct => "no_product",
            MatchStatus::Ambiguous => "ambiguous",
            MatchStatus::EmptySku => "empty_sku",
            MatchStatus::Mapped => "mapped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub method: String,
    pub amount: Money,
    pub comment: String,
    pub operator: String,
    pub at: DateTime<Utc>,
}

impl Order {
    pub fn paid(&self) -> Money {
        self.payments.iter().map(|p| p.amount).sum()
    }
    pub fn balance(&self) -> Money {
        self.total - self.paid()
    }
    /// `STORE:NAME`, the way the command line names an order.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.store, self.name)
    }
    /// `#1042` as the shop shows it on screen.
    pub fn display_name(&self) -> String {
        if self.name.chars().all(|c| c.is_ascii_digit()) {
            format!("#{}", self.name)
        } else {
            self.name.clone()
        }
    }
}
