//! The query of a request: `fields`, filters, `order_by`, `max_records`/`start`,
//! `return_records`, `return_timeout`, checked into [`ListParams`].

use axum::http::StatusCode;
use ontap_core::filter::{value_at, Filter};
use ontap_core::limits;
use ontap_core::request::{encode_query, parse_query};
use serde_json::{Map, Value};

use super::fields::{narrow, remove_path, FieldTree, Selection};
use super::FieldSpec;
use crate::error::{codes, SimError};

/// The parsed query of a request.
#[derive(Debug, Clone)]
pub struct ListParams {
    pub(super) selection: Selection,
    pub(super) filters: Vec<(String, Filter)>,
    pub(super) order_by: Vec<(String, bool)>,
    pub(super) max_records: Option<usize>,
    pub(super) start: usize,
    pub(super) return_records: bool,
    /// Seconds to wait for a job (0 to 120).
    pub return_timeout: Option<u32>,
    /// Every path `fields` names, as given (also beside `*`).
    pub(super) named: Vec<String>,
    pub(super) raw: Vec<(String, String)>,
}

impl ListParams {
    /// Parses a raw query string. Unknown parameter names give ONTAP's "Unexpected argument";
    /// `known` lists the top-level fields a filter may name.
    pub fn parse(raw_query: Option<&str>, known: &[&str]) -> Result<ListParams, SimError> {
        let raw_query = raw_query.unwrap_or("");
        ontap_core::limits::check_query(raw_query)?;
        if raw_query
            .split('&')
            .any(|p| ontap_core::request::decode_component(&p.replace('+', " ")).is_none())
        {
            return Err(SimError::new(
                StatusCode::BAD_REQUEST,
                codes::INVALID_INPUT,
                "The query is not valid percent-encoded UTF-8.",
            ));
        }
        let raw = parse_query(raw_query);
        let mut params = ListParams {
            selection: Selection::Default,
            filters: Vec::new(),
            order_by: Vec::new(),
            max_records: None,
            start: 0,
            return_records: true,
            return_timeout: None,
            named: Vec::new(),
            raw: raw.clone(),
        };
        for (name, value) in raw {
            match name.as_str() {
                "fields" => {
                    let list: Vec<&str> = value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .take(limits::MAX_FIELDS + 1)
                        .collect();
                    limits::at_most(list.len(), limits::MAX_FIELDS, "The number of \"fields\"")
                        .map_err(|e| e.with_target("fields"))?;
                    for field in &list {
                        limits::check_path(field).map_err(|e| e.with_target("fields"))?;
                    }
                    params.named = list.iter().map(|f| (*f).to_owned()).collect();
                    params.selection = if list.contains(&"**") {
                        Selection::All
                    } else if list.contains(&"*") {
                        Selection::AllCheap
                    } else if list.is_empty() {
                        Selection::Default
                    } else {
                        let mut tree = FieldTree::default();
                        list.iter().for_each(|f| tree.insert(f));
                        Selection::List(tree)
                    };
                }
                "max_records" => {
                    params.max_records = Some(number(&name, &value, 1, u32::MAX as u64)? as usize);
                }
                "start" => params.start = number(&name, &value, 0, u32::MAX as u64)? as usize,
                "return_timeout" => {
                    params.return_timeout = Some(number(&name, &value, 0, 120)? as u32)
                }
                "return_records" => {
                    params.return_records = match value.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(invalid(&name)),
                    }
                }
                "order_by" => {
                    let parts = value.split(',').map(str::trim).filter(|s| !s.is_empty());
                    limits::at_most(
                        parts.clone().take(limits::MAX_ORDER_BY + 1).count(),
                        limits::MAX_ORDER_BY,
                        "The number of \"order_by\" fields",
                    )
                    .map_err(|e| e.with_target("order_by"))?;
                    for part in parts {
                        let mut words = part.split_whitespace();
                        let field = words.next().unwrap_or_default().to_owned();
                        let descending = match words.next() {
                            None | Some("asc") => false,
                            Some("desc") => true,
                            Some(_) => return Err(invalid("order_by")),
                        };
                        limits::check_path(&field).map_err(|e| e.with_target("order_by"))?;
                        check_known(&field, known)?;
                        params.order_by.push((field, descending));
                    }
                }
                _ => {
                    limits::check_path(&name)?;
                    check_known(&name, known)?;
                    let filter = Filter::try_parse(&value).map_err(|e| e.with_target(&name))?;
                    params.filters.push((name, filter));
                }
            }
        }
        Ok(params)
    }

    /// Whether the records should be returned (`return_records`).
    pub fn return_records(&self) -> bool {
        self.return_records
    }

    /// Whether the answer can depend on the top-level field `name`: it is selected (by name,
    /// `*` or `**`), filtered on or ordered by. Lets an endpoint skip serializing large fields
    /// nobody asked for (certificates' PEMs, when listing thousands).
    pub fn mentions(&self, name: &str) -> bool {
        let top = |path: &str| path.split('.').next() == Some(name);
        let selected = match &self.selection {
            Selection::All | Selection::AllCheap => true,
            Selection::Default => false,
            Selection::List(tree) => tree.children.contains_key(name),
        };
        selected
            || self.filters.iter().any(|(path, _)| top(path))
            || self.order_by.iter().any(|(path, _)| top(path))
    }

    /// Removes each of `paths` from `projected` unless `fields` names it exactly or is `**`.
    /// For what ONTAP leaves out of a reference unless asked: a key manager's certificate
    /// references are `{uuid, _links}` as the reference shows them, `name` only on request.
    pub fn hide_unless_named(&self, projected: &mut Value, paths: &[&str]) {
        for path in paths {
            let named = self.selection == Selection::All || self.named.iter().any(|f| f == path);
            if !named {
                remove_path(projected, path);
            }
        }
    }

    /// Whether the answer needs no record but those it returns: no filter, no order.
    pub fn is_plain(&self) -> bool {
        self.filters.is_empty() && self.order_by.is_empty()
    }

    /// The records a page returns out of `total` (after filtering): `start` to `start` +
    /// `max_records`, or none when only the count is asked for.
    pub fn window(&self, total: usize) -> (usize, usize) {
        if !self.return_records {
            return (0, 0);
        }
        let start = self.start.min(total);
        let end = self.max_records.map_or(total, |n| (start + n).min(total));
        (start, end)
    }

    /// Whether a record passes every filter.
    pub fn matches(&self, record: &Value) -> bool {
        self.filters
            .iter()
            .all(|(path, filter)| filter.matches(&value_at(record, path)))
    }

    /// Whether the top-level field `key` of a record is in the answer (wholly or in part).
    pub(super) fn keeps_key(&self, key: &str, spec: &FieldSpec) -> bool {
        key == "uuid"
            || key == "_links"
            || match &self.selection {
                Selection::All | Selection::AllCheap => true,
                Selection::Default => spec.default.contains(&key),
                Selection::List(tree) => tree.children.contains_key(key),
            }
    }

    /// Whether projecting a record only picks top-level keys ([`Self::keeps_key`]): no
    /// sub-path is narrowed and no expensive field is to be removed. Records can then be
    /// serialized from the stored value without a projected copy.
    pub(super) fn selects_whole_keys(&self, spec: &FieldSpec) -> bool {
        spec.expensive.is_empty()
            && match &self.selection {
                Selection::List(tree) => tree.children.values().all(|node| node.whole),
                _ => true,
            }
    }

    /// The record with only the selected fields.
    pub fn project(&self, record: &Value, spec: &FieldSpec) -> Value {
        let Value::Object(map) = record else {
            return record.clone();
        };
        let mut out = Map::new();
        for (key, value) in map {
            if self.keeps_key(key, spec) {
                out.insert(key.clone(), value.clone());
            }
        }
        let mut projected = Value::Object(out);
        if let Selection::List(tree) = &self.selection {
            narrow(&mut projected, tree, true);
        }
        for path in spec.expensive {
            let asked = match &self.selection {
                Selection::All => true,
                Selection::List(tree) => tree.touches(path),
                _ => false,
            };
            if !asked {
                remove_path(&mut projected, path);
            }
        }
        projected
    }

    pub(super) fn next_href(&self, base_path: &str, next_start: usize) -> String {
        let mut pairs: Vec<(String, String)> = self
            .raw
            .iter()
            .filter(|(k, _)| k != "start")
            .cloned()
            .collect();
        pairs.push(("start".to_owned(), next_start.to_string()));
        format!("{base_path}?{}", encode_query(&pairs))
    }
}

fn number(name: &str, value: &str, min: u64, max: u64) -> Result<u64, SimError> {
    match value.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(invalid(name)),
    }
}

fn invalid(name: &str) -> SimError {
    SimError::new(
        StatusCode::BAD_REQUEST,
        codes::INVALID_INPUT,
        format!("Invalid value for \"{name}\"."),
    )
    .with_target(name)
}

fn check_known(path: &str, known: &[&str]) -> Result<(), SimError> {
    let top = path.split('.').next().unwrap_or_default();
    if known.contains(&top) {
        Ok(())
    } else {
        Err(SimError::unexpected(path))
    }
}
