//! Importing customers without making a second record for the same person: a row without an
//! id goes to the customer that already has its email, else its phone (in the store or
//! earlier in the same file). A row that gives an id is that record, as before: two people
//! may share an email or a phone (a household), and the file says so by giving each an id.

use super::commands::new_id;
use super::import::{CustomerRow, ImportError, read_customers};
use super::{Engine, EngineError};
use crate::domain::text;
use crate::store::Store;
use std::collections::HashMap;

/// Where a row of a customers file is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A customer the store holds, or a new one with this id.
    Id(String),
    /// A new customer with an assigned id.
    New,
    /// The customer an earlier row of the file makes (its index).
    SameAs(usize),
}

/// The keys a person is known by: email (folded), then phone (normalized).
fn person_keys(row: &CustomerRow) -> Vec<(&'static str, String)> {
    let email = row
        .email
        .clone()
        .flatten()
        .and_then(|e| text::email_key(&e));
    let phone = row.phone.clone().flatten();
    email
        .map(|e| ("email", e))
        .into_iter()
        .chain(phone.map(|p| ("phone", p)))
        .collect()
}

fn known_by(store: &Store, kind: &str, key: &str) -> Result<Option<String>, EngineError> {
    let mut ids = match kind {
        "email" => store.customers_by_email(key)?,
        _ => store.customers_by_phone(key)?,
    };
    ids.sort();
    Ok(ids.into_iter().next())
}

/// Each row's target.
fn targets(store: &Store, rows: &[CustomerRow]) -> Result<Vec<Target>, ImportError> {
    let mut seen: HashMap<(&'static str, String), usize> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let keys = person_keys(row);
        let mut known = None;
        if row.id.is_empty() {
            for (kind, key) in &keys {
                if let Some(id) = known_by(store, kind, key).map_err(ImportError::Engine)? {
                    known = Some(id);
                    break;
                }
            }
        }
        let target = match (row.id.as_str(), known) {
            ("", Some(id)) => Target::Id(id),
            ("", None) => match keys.iter().find_map(|k| seen.get(k)) {
                Some(&first) => Target::SameAs(first),
                None => Target::New,
            },
            (id, _) => Target::Id(id.to_string()),
        };
        for k in keys {
            seen.entry(k).or_insert(i);
        }
        out.push(target);
    }
    Ok(out)
}

impl Engine {
    /// Imports customers; returns how many rows were written. Nothing is written when a row
    /// is bad.
    pub fn import_customers(
        &self,
        file: &str,
        data: &str,
        region: Option<&str>,
    ) -> Result<usize, ImportError> {
        let rows = read_customers(file, data, region)?;
        let _g = self.lock();
        let targets = targets(self.store(), &rows)?;
        // The ids given to new customers, by row (for the rows that are the same person).
        let mut made: Vec<Option<String>> = vec![None; rows.len()];
        for (start, chunk) in (0..rows.len()).step_by(1000).map(|s| (s, &rows[s..])) {
            let chunk = &chunk[..chunk.len().min(1000)];
            let ids = self
                .store()
                .write(|tx| {
                    let mut ids = Vec::with_capacity(chunk.len());
                    for (j, row) in chunk.iter().enumerate() {
                        let id = match &targets[start + j] {
                            Target::Id(id) => Some(id.clone()),
                            Target::SameAs(first) => made[*first]
                                .clone()
                                .or_else(|| ids.get(first.wrapping_sub(start)).cloned().flatten()),
                            Target::New => None,
                        };
                        let old = match &id {
                            Some(id) => tx.get_customer(id)?,
                            None => None,
                        };
                        let mut c = row.apply(old);
                        if let Some(id) = id {
                            c.id = id;
                        }
                        if c.id.is_empty() {
                            c.id = new_id(tx, "customer", "C", |tx, id| {
                                Ok(tx.get_customer(id)?.is_none())
                            })?;
                        }
                        tx.put_customer(&c)?;
                        ids.push(Some(c.id));
                    }
                    Ok(ids)
                })
                .map_err(EngineError::from)?;
            for (j, id) in ids.into_iter().enumerate() {
                made[start + j] = id;
            }
        }
        self.store().flush().map_err(EngineError::from)?;
        Ok(rows.len())
    }
}
