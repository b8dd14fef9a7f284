//! CSV import of products and customers (DESIGN.md §4 "CSV"): every row is checked first; a
//! bad row is reported by line number and nothing of that file is imported.

use super::commands::new_id;
use super::{Engine, EngineError, EngineEvent};
use crate::domain::records::default_unit;
use crate::domain::{Customer, Money, Product, limits, phone, text};
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

/// The columns of a products file (what `export` writes too).
pub const PRODUCT_COLUMNS: [&str; 9] = [
    "id",
    "sku",
    "name",
    "description",
    "price",
    "stock",
    "category",
    "unit",
    "components",
];
/// The columns of a customers file (what `export` writes too).
pub const CUSTOMER_COLUMNS: [&str; 10] = [
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

/// A cell of a column the file may lack: `None` when the header has no such column (the field
/// is then left as it is), else the trimmed value, possibly empty.
fn cell(row: &HashMap<String, String>, k: &str) -> Option<String> {
    row.get(k).cloned()
}

/// A cell of a number column: `None` when the column is absent or the cell empty (left as is).
fn number_cell(row: &HashMap<String, String>, k: &str) -> Option<String> {
    cell(row, k).filter(|v| !v.is_empty())
}

/// Builds the error of a bad row of `file`.
fn row_error(file: &str) -> impl Fn(u64, String) -> ImportError + '_ {
    move |line, message| ImportError::Row {
        file: file.into(),
        line,
        message,
    }
}

/// The longest record id a file may give.
const MAX_ID_CHARS: usize = 64;

/// A record id as a file gives it: empty (one is assigned), or up to [`MAX_ID_CHARS`]
/// characters without control characters.
fn check_id(id: &str) -> Result<String, String> {
    if id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) {
        let shown: String = id.chars().filter(|c| !c.is_control()).take(20).collect();
        return Err(format!(
            "id \"{shown}…\" is not an id (at most {MAX_ID_CHARS} characters, no control characters)"
        ));
    }
    Ok(id.to_string())
}

/// One row of a products file. Each field is what the row says of it; `None` leaves the
/// product's field as it is (a column the file lacks, or an empty price or stock cell).
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    pub line: u64,
    /// Empty: a new product with an assigned id.
    pub id: String,
    pub sku: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub price: Option<Money>,
    pub stock: Option<i64>,
    pub category: Option<String>,
    pub unit: Option<String>,
    /// A kit's components as the file names them (`P12*2;MUG-RED`: a product id or a SKU,
    /// times a count, 1 when none); `Some(empty)` makes the product a plain one again.
    pub components: Option<Vec<(String, u32)>>,
}

/// `P12*2;MUG-RED` → `[("P12", 2), ("MUG-RED", 1)]`.
fn read_components(cell: &str) -> Result<Vec<(String, u32)>, String> {
    let mut out = Vec::new();
    for part in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, count) = match part.rsplit_once('*') {
            Some((n, c)) => {
                let c = c
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|c| (1..=10_000).contains(c));
                match c {
                    Some(c) => (n.trim(), c),
                    None => {
                        return Err(format!(
                            "component \"{part}\": the count after * must be a whole number from 1 to 10000"
                        ));
                    }
                }
            }
            None => (part, 1),
        };
        if name.is_empty() {
            return Err(format!("component \"{part}\" names no product"));
        }
        out.push((name.to_string(), count));
    }
    Ok(out)
}

impl ProductRow {
    /// The product after this row: `old` with what the row gives, or a new one (which needs a
    /// name). Remote codes and the oversold flag are never the file's to change.
    pub fn apply(&self, old: Option<Product>) -> Result<Product, String> {
        let mut p = match old {
            Some(old) => old,
            None => Product::blank(self.id.clone()),
        };
        let set = |field: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                field.clone_from(v)
            }
        };
        set(&mut p.sku, &self.sku);
        set(&mut p.name, &self.name);
        set(&mut p.description, &self.description);
        set(&mut p.category, &self.category);
        if let Some(u) = &self.unit {
            p.unit = if u.is_empty() {
                default_unit()
            } else {
                u.clone()
            };
        }
        p.price = self.price.unwrap_or(p.price);
        p.stock = self.stock.unwrap_or(p.stock);
        if p.name.is_empty() {
            return Err(match self.name {
                Some(_) => "name is empty".into(),
                None => "a new product needs a name: the file has no name column".into(),
            });
        }
        p.oversold |= p.stock < 0;
        Ok(p)
    }
}

/// Reads and checks a products CSV (every row; nothing is written): what each row says, or
/// the first bad row by line number.
pub fn read_products(file: &str, data: &str) -> Result<Vec<ProductRow>, ImportError> {
    let parsed = rows(file, data, &PRODUCT_COLUMNS)?;
    let bad = row_error(file);
    let mut products = Vec::with_capacity(parsed.len());
    for (line, r) in &parsed {
        let price = match number_cell(r, "price") {
            None => None,
            Some(p) => Some(
                Money::from_str(&p)
                    .map_err(|_| format!("price \"{p}\" is not a number like 12.50"))
                    .and_then(|m| {
                        if m < Money::ZERO {
                            Err(format!("price \"{p}\" is below zero"))
                        } else {
                            limits::check_amount(m)
                        }
                    })
                    .map_err(|e| bad(*line, e))?,
            ),
        };
        let stock = match number_cell(r, "stock") {
            None => None,
            Some(s) => Some(limits::parse_stock(&s).map_err(|e| bad(*line, e))?),
        };
        if cell(r, "name").is_some_and(|n| n.is_empty()) {
            return Err(bad(*line, "name is empty".into()));
        }
        products.push(ProductRow {
            line: *line,
            id: check_id(&cell(r, "id").unwrap_or_default()).map_err(|e| bad(*line, e))?,
            sku: cell(r, "sku"),
            name: cell(r, "name"),
            description: cell(r, "description"),
            price,
            stock,
            category: cell(r, "category"),
            unit: cell(r, "unit"),
            components: cell(r, "components")
                .map(|c| read_components(&c))
                .transpose()
                .map_err(|e| bad(*line, e))?,
        });
    }
    Ok(products)
}

/// One row of a customers file; `None` leaves the customer's field as it is (a column the
/// file lacks). Remembered links are added and removed one by one, never replaced whole: a
/// link the operator made survives an import that does not name it with a `-`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerRow {
    pub line: u64,
    /// Empty: a new customer with an assigned id.
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `Some(None)`: the file's cell is empty, so the email is cleared.
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    /// `store:remote id` links to add.
    pub links_added: Vec<String>,
    /// Links written `-store:remote id`: to forget.
    pub links_removed: Vec<String>,
}

impl CustomerRow {
    /// The customer after this row: `old` with what the row gives, or a new one.
    pub fn apply(&self, old: Option<Customer>) -> Customer {
        let mut c = old.unwrap_or_else(|| Customer {
            id: self.id.clone(),
            ..Default::default()
        });
        for (field, v) in [
            (&mut c.first_name, &self.first_name),
            (&mut c.last_name, &self.last_name),
            (&mut c.address, &self.address),
            (&mut c.city, &self.city),
            (&mut c.postal_code, &self.postal_code),
            (&mut c.country, &self.country),
        ] {
            if let Some(v) = v {
                field.clone_from(v);
            }
        }
        if let Some(e) = &self.email {
            c.email.clone_from(e);
        }
        if let Some(p) = &self.phone {
            c.phone.clone_from(p);
        }
        c.remote_ids.retain(|l| !self.links_removed.contains(l));
        for link in &self.links_added {
            if !c.remote_ids.contains(link) {
                c.remote_ids.push(link.clone());
            }
        }
        c
    }
}

/// Reads and checks a customers CSV (every row; nothing is written): what each row says, or
/// the first bad row by line number.
pub fn read_customers(
    file: &str,
    data: &str,
    region: Option<&str>,
) -> Result<Vec<CustomerRow>, ImportError> {
    let parsed = rows(file, data, &CUSTOMER_COLUMNS)?;
    let bad = row_error(file);
    let mut customers = Vec::with_capacity(parsed.len());
    for (line, r) in &parsed {
        let email = cell(r, "email").map(|e| Some(e).filter(|e| !e.is_empty()));
        if let Some(Some(e)) = &email
            && !text::looks_like_email(e)
        {
            return Err(bad(*line, format!("email \"{e}\" is not an email address")));
        }
        let phone = match cell(r, "phone") {
            None => None,
            Some(p) if p.is_empty() => Some(None),
            Some(p) => {
                Some(Some(phone::normalize(&p, region).ok_or_else(|| {
                    bad(*line, format!("phone \"{p}\" has no digits"))
                })?))
            }
        };
        let mut row = CustomerRow {
            line: *line,
            id: check_id(&cell(r, "id").unwrap_or_default()).map_err(|e| bad(*line, e))?,
            first_name: cell(r, "first_name"),
            last_name: cell(r, "last_name"),
            email,
            phone,
            address: cell(r, "address"),
            city: cell(r, "city"),
            postal_code: cell(r, "postal_code"),
            country: cell(r, "country"),
            ..Default::default()
        };
        for link in cell(r, "remote_ids")
            .unwrap_or_default()
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (removed, link) = match link.strip_prefix('-') {
                Some(rest) => (true, rest.trim()),
                None => (false, link),
            };
            let link = match link.split_once(':') {
                Some((s, id)) if !s.trim().is_empty() && !id.trim().is_empty() => {
                    format!("{}:{}", s.trim(), id.trim())
                }
                _ => {
                    return Err(bad(
                        *line,
                        format!("remote id \"{link}\" is not STORE:ID (or -STORE:ID to forget it)"),
                    ));
                }
            };
            if removed {
                row.links_removed.push(link);
            } else {
                row.links_added.push(link);
            }
        }
        customers.push(row);
    }
    Ok(customers)
}

impl Engine {
    /// Imports products; returns how many rows were written. Every row is applied to what the
    /// store holds before anything is written, so a row refused there (a new product without
    /// a name) imports nothing either.
    /// A kit's components as product ids: each name a product id (in the store or the file)
    /// or the SKU of exactly one product; never the kit itself.
    fn kit_parts(
        &self,
        kit: &Product,
        parts: &[(String, u32)],
        in_file: &HashMap<String, Product>,
    ) -> Result<Vec<(String, u32)>, String> {
        let mut out: Vec<(String, u32)> = Vec::new();
        for (name, n) in parts {
            let known = |id: &str| {
                in_file.contains_key(id) || self.store().product(id).ok().flatten().is_some()
            };
            if *name == kit.id || (!kit.sku.trim().is_empty() && name == kit.sku.trim()) {
                return Err(format!("component \"{name}\" is the kit itself"));
            }
            let id = if known(name) {
                name.clone()
            } else {
                let mut by_sku = self
                    .store()
                    .products_by_sku(name)
                    .map_err(|e| e.to_string())?;
                by_sku.extend(
                    in_file
                        .values()
                        .filter(|p| p.sku.trim() == name && !by_sku.contains(&p.id))
                        .map(|p| p.id.clone())
                        .collect::<Vec<_>>(),
                );
                match by_sku.as_slice() {
                    [one] => one.clone(),
                    [] => {
                        return Err(format!(
                            "component \"{name}\": no product has that id or SKU"
                        ));
                    }
                    many => {
                        return Err(format!(
                            "component \"{name}\": SKU of {} products ({}); name one by its id",
                            many.len(),
                            many.join(", ")
                        ));
                    }
                }
            };
            match out.iter_mut().find(|(p, _)| *p == id) {
                Some((_, c)) => *c = c.saturating_add(*n),
                None => out.push((id, *n)),
            }
        }
        Ok(out)
    }

    pub fn import_products(&self, file: &str, data: &str) -> Result<usize, ImportError> {
        let rows = read_products(file, data)?;
        let _g = self.lock();
        let mut after: HashMap<String, Product> = HashMap::new();
        let mut products = Vec::with_capacity(rows.len());
        for row in &rows {
            let old = match after.get(&row.id) {
                Some(p) => Some(p.clone()),
                None if row.id.is_empty() => None,
                None => self.store().product(&row.id).map_err(EngineError::from)?,
            };
            let p = row.apply(old).map_err(|e| row_error(file)(row.line, e))?;
            if !p.id.is_empty() {
                after.insert(p.id.clone(), p.clone());
            }
            products.push(p);
        }
        // Components once every row is read: a kit may come before its parts in the file.
        for (row, p) in rows.iter().zip(products.iter_mut()) {
            if let Some(parts) = &row.components {
                p.components = self
                    .kit_parts(p, parts, &after)
                    .map_err(|e| row_error(file)(row.line, e))?;
            }
        }
        for chunk in products.chunks(1000) {
            self.store()
                .write(|tx| {
                    for p in chunk {
                        let mut p = p.clone();
                        if p.id.is_empty() {
                            p.id = new_id(tx, "product", "P", |tx, id| {
                                Ok(tx.get_product(id)?.is_none())
                            })?;
                        }
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
}
