//! ONTAP's collection semantics over JSON records: `fields` (defaults, `*`, `**`, lists),
//! field filters in ONTAP's query syntax, `order_by`, `max_records` with `_links.next`,
//! `return_records`, `num_records`, and HAL links.

use std::borrow::Borrow;
use std::cmp::Ordering;

use axum::response::{IntoResponse, Response};
use axum::Json;
use ontap_core::filter::value_at;
use ontap_core::request::encode_query;
use serde_json::{json, Value};

mod endpoint;
mod fields;
mod page;
mod params;

pub use endpoint::{Collection, Resource, Rows};
pub use fields::drop_fields;
pub use params::ListParams;

/// What an endpoint returns by default and what only when asked by name.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Top-level fields returned without `fields` (plus `uuid`/keys and `_links`).
    pub default: &'static [&'static str],
    /// Dotted paths returned only when named (or with `**`).
    pub expensive: &'static [&'static str],
}

/// A value to sort by, prepared once per record: strings compare case-insensitively.
enum SortKey {
    Text(String),
    Other(Value),
}

impl SortKey {
    fn of(value: Value) -> SortKey {
        match value {
            Value::String(s) => SortKey::Text(s.to_lowercase()),
            other => SortKey::Other(other),
        }
    }

    fn cmp_to(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Text(x), SortKey::Text(y)) => x.cmp(y),
            (SortKey::Other(x), SortKey::Other(y)) => compare_values(x, y),
            (SortKey::Text(x), SortKey::Other(y)) => compare_values(&Value::String(x.clone()), y),
            (SortKey::Other(x), SortKey::Text(y)) => compare_values(x, &Value::String(y.clone())),
        }
    }
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (x, y) => x.to_string().cmp(&y.to_string()),
    }
}

/// The body of a collection GET: filter, order, page, project; `_links.next` when more remain.
/// Records may be borrowed or shared (`Arc<Value>`): filtering and sorting move references,
/// only the page is projected.
#[cfg(test)]
fn list_body<R: Borrow<Value>>(
    base_path: &str,
    records: Vec<R>,
    params: &ListParams,
    spec: &FieldSpec,
) -> Value {
    let (page_records, total) = select(records, params);
    page_body(base_path, page_records, total, params, spec)
}

/// The records of the page out of those that match, in order; and how many match.
fn select<R: Borrow<Value>>(records: Vec<R>, params: &ListParams) -> (Vec<R>, usize) {
    let mut matching: Vec<R> = records
        .into_iter()
        .filter(|r| params.matches(r.borrow()))
        .collect();
    if !params.order_by.is_empty() {
        // Each record's keys are read once (not twice per comparison), strings lowercased once.
        let mut keyed: Vec<(Vec<SortKey>, R)> = matching
            .into_iter()
            .map(|record| {
                let keys = params
                    .order_by
                    .iter()
                    .map(|(path, _)| SortKey::of(value_at(record.borrow(), path)))
                    .collect();
                (keys, record)
            })
            .collect();
        keyed.sort_by(|(a, _), (b, _)| {
            a.iter()
                .zip(b)
                .zip(&params.order_by)
                .map(|((x, y), (_, desc))| {
                    let o = x.cmp_to(y);
                    if *desc {
                        o.reverse()
                    } else {
                        o
                    }
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        matching = keyed.into_iter().map(|(_, record)| record).collect();
    }
    let total = matching.len();
    let (start, end) = params.window(total);
    (matching.drain(start..end).collect(), total)
}

/// Answers a collection GET whose page is already chosen (see [`page_body`]), serializing
/// each record from the stored value without a projected copy when the selection allows.
fn page<R: Borrow<Value>>(
    base_path: &str,
    page: Vec<R>,
    total: usize,
    params: &ListParams,
    spec: &FieldSpec,
) -> Response {
    Json(page::PageBody {
        records: &page,
        num_records: counted(total, params),
        links: links(base_path, total, params),
        params,
        spec,
    })
    .into_response()
}

/// The body of a collection GET whose records need no filtering nor ordering
/// ([`ListParams::is_plain`]): `page` holds only the records of [`ListParams::window`] out of
/// `total`, so an endpoint with thousands of records serializes only the page it returns.
fn page_body<R: Borrow<Value>>(
    base_path: &str,
    page: Vec<R>,
    total: usize,
    params: &ListParams,
    spec: &FieldSpec,
) -> Value {
    serde_json::to_value(page::PageBody {
        records: &page,
        num_records: counted(total, params),
        links: links(base_path, total, params),
        params,
        spec,
    })
    .unwrap_or_default()
}

/// `num_records`: the records returned, or all that match when none are returned.
fn counted(total: usize, params: &ListParams) -> usize {
    if !params.return_records {
        return total;
    }
    let (start, end) = params.window(total);
    end - start
}

/// `_links`: `self`, and `next` when more records remain.
fn links(base_path: &str, total: usize, params: &ListParams) -> Value {
    let self_href = if params.raw.is_empty() {
        base_path.to_owned()
    } else {
        format!("{base_path}?{}", encode_query(&params.raw))
    };
    let mut links = json!({"self": {"href": self_href}});
    let (_, end) = params.window(total);
    if params.return_records && end < total {
        links["next"] = json!({"href": params.next_href(base_path, end)});
    }
    links
}

#[cfg(test)]
mod tests;
