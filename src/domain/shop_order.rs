//! An order as a shop sent it, in the platform-neutral shape every connector produces.
//! Amounts are the shop's own figures (never recomputed here).

use super::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One order as a connector fetched it and intake takes it: its raw payload always, the order
/// when it reads. The one type from every connector to the engine.
#[derive(Debug, Clone)]
pub struct FetchedOrder {
    /// The shop's id of the order (always known, even when the rest does not read).
    pub remote_id: String,
    /// The order's name as the shop shows it without `#`, when it could be read.
    pub name: Option<String>,
    /// The shop's `updated_at`, when it could be read (the cursor follows it).
    pub updated_at: Option<DateTime<Utc>>,
    /// Exactly what the shop sent for this order (JSON text), kept beside the order.
    pub raw: String,
    /// The order, or the reason it could not be read, in the shop's words where there are any.
    pub order: Result<ShopOrder, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopOrder {
    /// The shop's own id of the order (Shopify: the numeric legacy id).
    pub remote_id: String,
    /// The order's name as the shop shows it, without a leading `#`.
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// The shop's clock: the sync cursor is the newest of these.
    pub updated_at: DateTime<Utc>,
    pub test: bool,
    /// The shop's own currency (Shopify: shop money, not presentment).
    pub currency: String,
    pub total: Money,
    pub subtotal: Money,
    pub tax_total: Money,
    pub discount_total: Money,
    pub shipping_total: Money,
    pub taxes_included: bool,
    pub financial: RemoteFinancial,
    /// The shop's payment status as it names it, shown beside orderdesk's own `paid`.
    pub financial_label: String,
    pub fulfillment: RemoteFulfillment,
    /// The shop cancelled the order.
    pub cancelled: bool,
    /// The order's own contact, beside the customer's.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub customer: Option<ShopCustomer>,
    pub billing_address: Option<ShopAddress>,
    pub shipping_address: Option<ShopAddress>,
    pub shipping: Option<ShopShipping>,
    /// Lines with the quantity still on the order (after removals and refunds); a line whose
    /// quantity is 0 has been removed.
    pub lines: Vec<ShopLine>,
    /// The shop's approval / authorization code of the payment, when it has one.
    pub authorization: Option<String>,
    pub payment_gateways: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteFinancial {
    Pending,
    Authorized,
    PartiallyPaid,
    Paid,
    PartiallyRefunded,
    Refunded,
    Voided,
    Expired,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteFulfillment {
    Unfulfilled,
    PartiallyFulfilled,
    Fulfilled,
    /// Other states the shop may report (scheduled, on hold, in progress...).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopCustomer {
    /// The shop's id of the customer (the remembered link is keyed by it).
    pub remote_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopAddress {
    pub first_name: String,
    pub last_name: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 when the shop gives it.
    pub country: String,
    pub phone: Option<String>,
}

impl ShopAddress {
    /// One line for the screen: "street, postal code city, country".
    pub fn one_line(&self) -> String {
        let street = [self.address1.trim(), self.address2.trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let town = format!("{} {}", self.postal_code.trim(), self.city.trim());
        [street.as_str(), town.trim(), self.country.trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopShipping {
    /// The shipping method's title as the shop shows it.
    pub title: String,
    /// The carrier, when the shop names one.
    pub carrier: Option<String>,
    pub cost: Money,
    /// Local pickup rather than delivery.
    pub pickup: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopLine {
    pub remote_id: String,
    /// The shop's variant id, when there is one (line mappings are remembered by it).
    pub variant_id: Option<String>,
    pub product_remote_id: Option<String>,
    pub sku: Option<String>,
    pub name: String,
    /// What is still on the order (after removals and refunds).
    pub quantity: u32,
    pub unit_price: Money,
    /// The line's total as the shop computed it (discounts applied).
    pub total: Money,
}

impl ShopLine {
    /// The shop's id of what the line sold (its variant's, else its product's) and, for a
    /// variant, the id of its product: what the product's remote code for the store becomes.
    pub fn shop_code(&self) -> Option<(String, Option<String>)> {
        let some = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        match (some(&self.variant_id), some(&self.product_remote_id)) {
            (Some(v), product) => Some((v, product)),
            (None, Some(p)) => Some((p, None)),
            (None, None) => None,
        }
    }
}

impl ShopOrder {
    /// A contact anywhere on the order (DESIGN.md §1, import rules).
    pub fn has_contact(&self) -> bool {
        let some = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        some(&self.email)
            || some(&self.phone)
            || self
                .customer
                .as_ref()
                .is_some_and(|c| some(&c.email) || some(&c.phone))
            || self
                .billing_address
                .as_ref()
                .is_some_and(|a| some(&a.phone))
            || self
                .shipping_address
                .as_ref()
                .is_some_and(|a| some(&a.phone))
    }

    /// Why an order orderdesk has never seen was dealt with elsewhere (so is skipped).
    pub fn dealt_with_elsewhere(&self) -> Option<&'static str> {
        if self.cancelled {
            Some("cancelled at the shop")
        } else if self.fulfillment == RemoteFulfillment::Fulfilled {
            Some("fulfilled at the shop")
        } else if self.financial == RemoteFinancial::Refunded {
            Some("refunded at the shop")
        } else if self.financial == RemoteFinancial::Voided {
            Some("voided at the shop")
        } else {
            None
        }
    }

    /// The best email the order carries: the customer's, else the order's own.
    pub fn best_email(&self) -> Option<&str> {
        self.customer
            .as_ref()
            .and_then(|c| c.email.as_deref())
            .or(self.email.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// Every phone on the order, best first.
    pub fn phones(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let cands = [
            self.customer.as_ref().and_then(|c| c.phone.as_deref()),
            self.phone.as_deref(),
            self.billing_address
                .as_ref()
                .and_then(|a| a.phone.as_deref()),
            self.shipping_address
                .as_ref()
                .and_then(|a| a.phone.as_deref()),
        ];
        for p in cands.into_iter().flatten() {
            let p = p.trim();
            if !p.is_empty() && !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// First and last name: the customer's, else the billing, else the shipping address's.
    pub fn person_name(&self) -> (String, String) {
        if let Some(c) = &self.customer
            && !(c.first_name.trim().is_empty() && c.last_name.trim().is_empty())
        {
            return (
                c.first_name.trim().to_string(),
                c.last_name.trim().to_string(),
            );
        }
        for a in [&self.billing_address, &self.shipping_address]
            .into_iter()
            .flatten()
        {
            if !(a.first_name.trim().is_empty() && a.last_name.trim().is_empty()) {
                return (
                    a.first_name.trim().to_string(),
                    a.last_name.trim().to_string(),
                );
            }
        }
        (String::new(), String::new())
    }
}
