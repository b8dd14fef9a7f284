//! CSV import of products and customers (DESIGN.md §4 "CSV"): every row is checked first; a
//! bad row is reported by line number and nothing of that file is imported.

use super::{Engine, EngineError, EngineEvent};
use crate::domain::records::default_unit;
use crate::domain::{Customer, Money, Product, phone, text};
use std::collections::HashMap;
use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: line {line}: {message}; nothing was imported")]
    Row {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: {message}; nothing was imported")]
    File { file: String, message: String },
    #[error(transparent)]
    Engine(#[from] EngineError),
}

const PRODUCT_COLUMNS: [&str; 8] = [
    "id",
    "sku",
    "name",
    "description",
    "price",
    "stock",
    "category",
    "unit",
];
const CUSTOMER_COLUMNS: [&str; 10] = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "city",
    "postal_code",
    "country",
    "remote_ids",
];

/// A CSV row: its line number and its values by column.
type Row = (u64, HashMap<String, String>);

/// Rows of a CSV as maps column -> value, with their line numbers.
fn rows(file: &str, data: &str, columns: &[&str]) -> Result<Vec<Row>, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(data.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| ImportError::File {
            file: file.into(),
            message: format!("cannot read the header row: {e}"),
        })?
        .clone();
    for h in headers.iter() {
        if !columns.contains(&h.trim()) {
            return Err(ImportError::Row {
                file: file.into(),
                line: 1,
                message: format!("unknown column \"{h}\" (columns: {})", columns.join(",")),
            });
        }
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ImportError::Row {
            file: file.into(),
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let map = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.trim().to_string(), v.trim().to_string()))
            .collect();
        out.push((line, map));
    }
    Ok(out)
}

fn field<'a>(row: &'a HashMap<String, String>, k: &str) -> &'a str {
    row.get(k).map(String::as_str).unwrap_or("")
}

/// Builds the error of a bad row of `file`.
fn row_error(file: &str) -> impl Fn(u64, String) -> ImportError + '_ {
    move |line, message| ImportError::Row {
        file: file.into(),
        line,
        message,
    }
}

/// Reads and checks a products CSV (every row; nothing is written): the products it holds,
/// or the first bad row by line number.
pub fn read_products(file: &str, data: &str) -> Result<Vec<Product>, ImportError> {
    let parsed = rows(file, data, &PRODUCT_COLUMNS)?;
    let bad = row_error(file);
    let mut products = Vec::with_capacity(parsed.len());
    for (line, r) in &parsed {
        let price = match field(r, "price") {
            "" => Money::ZERO,
            p => Money::from_str(p)
                .map_err(|_| bad(*line, format!("price \"{p}\" is not a number like 12.50")))?,
        };
        let stock = match field(r, "stock") {
            "" => 0,
            s => s
                .parse::<i64>()
                .map_err(|_| bad(*line, format!("stock \"{s}\" is not a whole number")))?,
        };
        if field(r, "name").is_empty() {
            return Err(bad(*line, "name is empty".into()));
        }
        products.push(Product {
            id: field(r, "id").to_string(),
            sku: field(r, "sku").to_string(),
            name: field(r, "name").to_string(),
            description: field(r, "description").to_string(),
            price,
            stock,
            category: field(r, "category").to_string(),
            unit: Some(field(r, "unit"))
                .filter(|u| !u.is_empty())
                .map(str::to_string)
                .unwrap_or_else(default_unit),
            oversold: false,
            remote_codes: Default::default(),
        });
    }
    Ok(products)
}

/// Reads and checks a customers CSV (every row; nothing is written): the customers it holds,
/// or the first bad row by line number.
pub fn read_customers(
    file: &str,
    data: &str,
    region: Option<&str>,
) -> Result<Vec<Customer>, ImportError> {
    let parsed = rows(file, data, &CUSTOMER_COLUMNS)?;
    let bad = row_error(file);
    let mut customers = Vec::with_capacity(parsed.len());
    for (line, r) in &parsed {
        let email = Some(field(r, "email")).filter(|e| !e.is_empty());
        if let Some(e) = email
            && !text::looks_like_email(e)
        {
            return Err(bad(*line, format!("email \"{e}\" is not an email address")));
        }
        let phone = match field(r, "phone") {
            "" => None,
            p => Some(
                phone::normalize(p, region)
                    .ok_or_else(|| bad(*line, format!("phone \"{p}\" has no digits")))?,
            ),
        };
        let mut remote_ids = Vec::new();
        for link in field(r, "remote_ids")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match link.split_once(':') {
                Some((s, id)) if !s.trim().is_empty() && !id.trim().is_empty() => {
                    remote_ids.push(format!("{}:{}", s.trim(), id.trim()))
                }
                _ => return Err(bad(*line, format!("remote id \"{link}\" is not STORE:ID"))),
            }
        }
        customers.push(Customer {
            id: field(r, "id").to_string(),
            first_name: field(r, "first_name").to_string(),
            last_name: field(r, "last_name").to_string(),
            email: email.map(str::to_string),
            phone,
            address: field(r, "address").to_string(),
            city: field(r, "city").to_string(),
            postal_code: field(r, "postal_code").to_string(),
            country: field(r, "country").to_string(),
            remote_ids,
            unspecified_for: None,
        });
    }
    Ok(customers)
}

impl Engine {
    /// Imports products; returns how many were written.
    pub fn import_products(&self, file: &str, data: &str) -> Result<usize, ImportError> {
        let products = read_products(file, data)?;
        let _g = self.lock();
        for chunk in products.chunks(1000) {
            self.store()
                .write(|tx| {
                    for p in chunk {
                        let mut p = p.clone();
                        if p.id.is_empty() {
                            p.id = loop {
                                let id = format!("P{}", tx.next_id("product")?);
                                if tx.get_product(&id)?.is_none() {
                                    break id;
                                }
                            };
                        } else if let Some(old) = tx.get_product(&p.id)? {
                            p.remote_codes = old.remote_codes;
                            // Oversold stays until the operator acknowledges it.
                            p.oversold = old.oversold;
                        }
                        p.oversold |= p.stock < 0;
                        tx.put_product(&p)?;
                    }
                    Ok(())
                })
                .map_err(EngineError::from)?;
        }
        self.store().flush().map_err(EngineError::from)?;
        drop(_g);
        self.emit(EngineEvent::ProblemsChanged);
        Ok(products.len())
    }

    /// Imports customers; returns how many were written.
    pub fn import_customers(
        &self,
        file: &str,
        data: &str,
        region: Option<&str>,
    ) -> Result<usize, ImportError> {
        let customers = read_customers(file, data, region)?;
        let _g = self.lock();
        for chunk in customers.chunks(1000) {
            self.store()
                .write(|tx| {
                    for c in chunk {
                        let mut c = c.clone();
                        if c.id.is_empty() {
                            c.id = loop {
                                let id = format!("C{}", tx.next_id("customer")?);
                                if tx.get_customer(&id)?.is_none() {
                                    break id;
                                }
                            };
                        }
                        tx.put_customer(&c)?;
                    }
                    Ok(())
                })
                .map_err(EngineError::from)?;
        }
        self.store().flush().map_err(EngineError::from)?;
        Ok(customers.len())
    }
}
