//! Who placed a planned order, in neutral terms every simulator renders in its own shapes:
//! an account (the shop's customer id) or none, the name, the contact the order carries and
//! whose address it ships to.

use super::cases::{Spec, Who};
use super::catalog::{Customer, LINK_ONLY, PHONE_ONLY};

#[derive(Debug, Clone)]
pub struct Buyer {
    /// The shop's customer id; `None` for a guest.
    pub account: Option<u64>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The customer whose address the order has.
    pub address: Option<Customer>,
}

/// The buyer of order `index` planned as `spec` over the store's `customers`.
pub fn buyer(spec: &Spec, customers: &[Customer], index: usize) -> Buyer {
    let at = |i: usize| customers[i % customers.len()].clone();
    let account = |c: Customer, email: Option<String>, phone: Option<String>| Buyer {
        account: Some(c.shop_id),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email,
        phone,
        address: Some(c),
    };
    match &spec.who {
        Who::Known(i) => {
            let c = at(*i);
            let (e, p) = (Some(c.email.clone()), Some(c.phone.clone()));
            account(c, e, p)
        }
        Who::KnownEmailCase(i) => {
            let c = at(*i);
            let e = format!(" {} ", c.email.to_uppercase());
            account(c, Some(e), None)
        }
        Who::PhoneOnly => {
            let c = at(PHONE_ONLY);
            let p = format!(
                "{} {}",
                c.phone.get(..3).unwrap_or(""),
                c.phone.get(3..).unwrap_or("")
            );
            account(c, None, Some(p))
        }
        Who::LinkOnly => account(
            at(LINK_ONLY),
            Some("odon.lakatos.new@example.org".into()),
            Some("+36705550000".into()),
        ),
        Who::Unknown => {
            let mut c = at(0);
            c.first_name = "Hedda".into();
            c.last_name = "Gabler".into();
            c.shop_id = 900 + index as u64;
            let e = format!("hedda.gabler.{index}@example.no");
            account(c, Some(e), Some("+4722334455".into()))
        }
        Who::Guest(i) => {
            let c = at(*i);
            Buyer {
                account: None,
                first_name: String::new(),
                last_name: String::new(),
                email: Some(c.email.to_uppercase()),
                phone: None,
                address: Some(c),
            }
        }
        Who::Nobody => Buyer {
            account: None,
            first_name: String::new(),
            last_name: String::new(),
            email: None,
            phone: None,
            address: None,
        },
    }
}

/// What line `j` of a planned order sells: its name, unit price and the product's number in
/// the catalog (`90 +` its place; a custom item 0, an unknown SKU `900 + j`).
pub fn sold(
    products: &[super::catalog::Product],
    line: &super::cases::Line,
    j: usize,
) -> (String, rust_decimal::Decimal, u64) {
    let trimmed = line.sku.as_deref().map(str::trim);
    match (
        products
            .iter()
            .position(|p| Some(p.sku.as_str()) == trimmed),
        &line.sku,
    ) {
        (Some(k), _) => (products[k].name.clone(), products[k].price, 90 + k as u64),
        (None, None) => (
            "Gift wrapping".into(),
            rust_decimal::Decimal::new(300, 2),
            0,
        ),
        (None, Some(_)) => (
            "Mystery item".into(),
            rust_decimal::Decimal::new(1500, 2),
            900 + j as u64,
        ),
    }
}
