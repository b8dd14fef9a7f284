//! The fields of the customer and product forms, and the values they give back.

use super::modal::{Field, Form};
use crate::domain::Money;
use crate::domain::forms::CustomerDraft;
use crate::tui::format::money;

pub fn customer_fields(d: &CustomerDraft) -> Vec<Field> {
    vec![
        Field::text("first_name", "First name", d.first_name.clone()),
        Field::text("last_name", "Last name", d.last_name.clone()),
        Field::text("email", "Email", d.email.clone()),
        Field::text("phone", "Phone", d.phone.clone()),
        Field::text("address", "Address", d.address.clone()),
        Field::text("city", "City", d.city.clone()),
        Field::text("postal_code", "Postal code", d.postal_code.clone()),
        Field::text("country", "Country", d.country.clone()),
    ]
}

pub fn draft_of(f: &Form) -> CustomerDraft {
    CustomerDraft {
        first_name: f.value("first_name"),
        last_name: f.value("last_name"),
        email: f.value("email"),
        phone: f.value("phone"),
        address: f.value("address"),
        city: f.value("city"),
        postal_code: f.value("postal_code"),
        country: f.value("country"),
    }
}

pub fn product_fields(sku: &str, name: &str, price: Money, stock: Option<i64>) -> Vec<Field> {
    let mut out = vec![
        Field::text("sku", "SKU", sku),
        Field::text("name", "Name", name),
        Field::text("price", "Price", money(price)),
    ];
    if let Some(s) = stock {
        out.push(Field::text("stock", "Stock", s.to_string()));
    }
    out
}
