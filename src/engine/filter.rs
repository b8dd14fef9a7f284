//! The Pending pane's filter (`/`): a query over an index, never a scan of the store.
//!
//! A typed word of three letters or more walks the orders having a word of its first three
//! letters (`idx_order_word`), in display order; otherwise `state:` walks that state's index
//! and anything else the Pending index. Each request reads at most [`SCAN_BUDGET`] index
//! entries from where it starts, keeps what matches, and
//! says where to go on: a keystroke costs one bounded page, however large the store.

use super::{Engine, EngineError, OrderRow, PageFrom, RowKey};
use crate::domain::text::{self, fold};
use crate::domain::{Order, OrderCustomer, OrderState};
use crate::store::OrderIndex;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Index entries one filter request reads at most.
pub const SCAN_BUDGET: usize = 1000;

/// A parsed filter: `state:booked store:web from:2026-11-01 to:2026-11-20 kovacs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    /// Folded words as typed; each must start a word of the order name, the customer name
    /// or a SKU (a word with dashes counts as its parts).
    pub words: Vec<String>,
    /// The parts of `words`, split once here rather than for every order looked at.
    parts: Vec<String>,
    pub state: Option<OrderState>,
    pub store: Option<String>,
    /// Created on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Created on or before this day (UTC).
    pub to: Option<NaiveDate>,
}

/// What a filter looks at of an order: decoded without the rest of the record.
#[derive(Debug, Deserialize)]
pub struct OrderBrief {
    pub id: u64,
    pub store: String,
    pub name: String,
    pub state: OrderState,
    pub created_at: DateTime<Utc>,
    pub customer: OrderCustomer,
    pub lines: Vec<BriefLine>,
}

#[derive(Debug, Deserialize)]
pub struct BriefLine {
    pub sku: Option<String>,
}

impl From<&Order> for OrderBrief {
    fn from(o: &Order) -> Self {
        OrderBrief {
            id: o.id,
            store: o.store.clone(),
            name: o.name.clone(),
            state: o.state,
            created_at: o.created_at,
            customer: o.customer.clone(),
            lines: o
                .lines
                .iter()
                .map(|l| BriefLine { sku: l.sku.clone() })
                .collect(),
        }
    }
}

/// One page of a filter: the matching rows, and where the scan stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterPage {
    /// Matching rows in display order.
    pub rows: Vec<OrderRow>,
    /// The index goes on beyond what was read (in the direction asked).
    pub more: bool,
    /// The last index entry read, to go on from (`After` it forwards, `Before` it backwards).
    pub resume: Option<RowKey>,
    /// Backwards only: the entry just before the lowest one read (the window's anchor).
    pub below: Option<RowKey>,
}

impl OrderFilter {
    /// Parses the filter line. An unknown `term:` or a bad value is an error for the operator.
    pub fn parse(text: &str) -> Result<OrderFilter, String> {
        let mut f = OrderFilter::default();
        for term in text.split_whitespace() {
            let Some((key, value)) = term.split_once(':') else {
                // Only letters and digits count: "#1042" is 1042, a lone "-" is nothing.
                let w = fold(term.trim_start_matches('#'));
                let parts = text::tokens(&w);
                if !parts.is_empty() {
                    f.words.push(w);
                    f.parts.extend(parts);
                }
                continue;
            };
            let date = |v: &str| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| format!("{key}: wants a date like 2026-11-01, not \"{v}\""))
            };
            match key.to_ascii_lowercase().as_str() {
                "state" => {
                    let s = value.parse::<OrderState>().map_err(|e| e.to_string())?;
                    f.state = Some(s);
                }
                "store" if !value.is_empty() => f.store = Some(value.to_string()),
                "store" => return Err("store: wants a store id, e.g. store:web".into()),
                "from" => f.from = Some(date(value)?),
                "to" => f.to = Some(date(value)?),
                _ => {
                    return Err(format!(
                        "unknown filter term \"{key}:\" (one of: state:, store:, from:, to:)"
                    ));
                }
            }
        }
        if let (Some(a), Some(b)) = (f.from, f.to)
            && a > b
        {
            return Err(format!("from:{a} is after to:{b}"));
        }
        Ok(f)
    }

    /// Nothing to filter on.
    pub fn is_empty(&self) -> bool {
        *self == OrderFilter::default()
    }

    /// The filter written back the way it parses.
    pub fn text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.state {
            parts.push(format!("state:{}", s.as_str()));
        }
        if let Some(s) = &self.store {
            parts.push(format!("store:{s}"));
        }
        if let Some(d) = self.from {
            parts.push(format!("from:{d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("to:{d}"));
        }
        parts.extend(self.words.iter().cloned());
        parts.join(" ")
    }

    /// The index a page walks: under the stem of the longest typed word when one is long
    /// enough to have a stem of its own (the fewest candidates), else the whole state or
    /// Pending index. Either way, in display order and with display keys.
    fn index(&self) -> OrderIndex {
        match (self.state, self.walked_word()) {
            (Some(s), Some(w)) => OrderIndex::StateWord(s, text::stem(w).to_string()),
            (Some(s), None) => OrderIndex::State(s),
            (None, Some(w)) => OrderIndex::PendingWord(text::stem(w).to_string()),
            (None, None) => OrderIndex::Pending,
        }
    }

    /// The typed word whose stem the words index is walked by: the longest, when it is long
    /// enough to have a stem of its own.
    fn walked_word(&self) -> Option<&str> {
        self.parts
            .iter()
            .max_by_key(|w| w.chars().count())
            .filter(|w| w.chars().count() >= text::STEM_CHARS)
            .map(String::as_str)
    }

    /// Whether one order passes every term.
    pub fn matches(&self, o: &Order) -> bool {
        self.matches_brief(&OrderBrief::from(o))
    }

    /// The same, on what the index walk decodes.
    pub fn matches_brief(&self, o: &OrderBrief) -> bool {
        if self.state.is_some_and(|s| s != o.state) {
            return false;
        }
        if self
            .store
            .as_deref()
            .is_some_and(|s| !s.eq_ignore_ascii_case(&o.store))
        {
            return false;
        }
        let day = o.created_at.date_naive();
        if self.from.is_some_and(|d| day < d) || self.to.is_some_and(|d| day > d) {
            return false;
        }
        if self.parts.is_empty() {
            return true;
        }
        let skus = o.lines.iter().filter_map(|l| l.sku.as_deref());
        let words = text::order_words(&o.name, &o.customer.name(), skus);
        text::words_match(&self.parts, &words)
    }
}

impl Engine {
    /// Up to `limit` orders matching `filter`, from `from`, reading at most [`SCAN_BUDGET`]
    /// index entries. Fewer rows with `more` set means: ask again from `resume`.
    pub fn filter_page(
        &self,
        filter: &OrderFilter,
        from: PageFrom,
        limit: usize,
    ) -> Result<FilterPage, EngineError> {
        self.filter_page_within(filter, from, limit, SCAN_BUDGET)
    }

    /// [`Engine::filter_page`] with a chosen budget (tests use small ones).
    pub fn filter_page_within(
        &self,
        filter: &OrderFilter,
        from: PageFrom,
        limit: usize,
        budget: usize,
    ) -> Result<FilterPage, EngineError> {
        let index = filter.index();
        let (start, backwards) = match &from {
            PageFrom::Start => (None, false),
            PageFrom::After(k) => (Some(k.0.as_slice()), false),
            PageFrom::Before(k) => (Some(k.0.as_slice()), true),
            PageFrom::End => (None, true),
        };
        let (budget, limit) = (budget.max(1), limit.max(1));
        let (mut read, mut rows, mut resume, mut next) = (0, Vec::new(), None, None);
        // Nearest first; each order is read as the walk reaches it, and the walk stops at the
        // budget or the limit, having looked one entry further to learn whether the index
        // goes on (backwards, that entry is the window's anchor).
        let walked = filter.walked_word();
        self.store()
            .visit_order_index(index, start, backwards, |key, entry| {
                if read == budget || rows.len() >= limit {
                    next = Some(RowKey(key));
                    return Ok(false);
                }
                read += 1;
                resume = Some(RowKey(key.clone()));
                // The words index tells which orders cannot have the word it is walked by:
                // those are passed over without being read.
                if let (Some(w), Some(mut words)) = (walked, entry.words())
                    && !words.any(|x| x.starts_with(w))
                {
                    return Ok(true);
                }
                if entry
                    .order::<OrderBrief>()?
                    .is_some_and(|b| filter.matches_brief(&b))
                    && let Some(o) = entry.order::<Order>()?
                {
                    // Only a matching order is decoded whole (for its row).
                    rows.push(OrderRow::of(key, &o));
                }
                Ok(true)
            })?;
        let more = next.is_some();
        let below = if backwards { next } else { None };
        if backwards {
            rows.reverse();
        }
        Ok(FilterPage {
            rows,
            more,
            resume,
            below,
        })
    }
}
