//! ONTAP's collection semantics over JSON records: `fields` (defaults, `*`, `**`, lists),
//! field filters in ONTAP's query syntax, `order_by`, `max_records` with `_links.next`,
//! `return_records`, `num_records`, and HAL links.

use std::borrow::Borrow;
use std::cmp::Ordering;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ontap_core::filter::{value_at, Filter};
use ontap_core::limits;
use ontap_core::request::{encode_query, parse_query};
use serde_json::{json, Map, Value};

use crate::error::{codes, SimError};

/// What an endpoint returns by default and what only when asked by name.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Top-level fields returned without `fields` (plus `uuid`/keys and `_links`).
    pub default: &'static [&'static str],
    /// Dotted paths returned only when named (or with `**`).
    pub expensive: &'static [&'static str],
}

/// Which fields to return.
#[derive(Debug, Clone, PartialEq)]
enum Selection {
    Default,
    AllCheap,
    All,
    List(FieldTree),
}

/// The `fields=` list as a tree of path parts, built once per request: projecting a record
/// is then one walk over the record, whatever the length of the list.
#[derive(Debug, Clone, PartialEq, Default)]
struct FieldTree {
    /// This path was named itself: everything below it is kept.
    whole: bool,
    children: std::collections::HashMap<String, FieldTree>,
}

impl FieldTree {
    fn insert(&mut self, path: &str) {
        let mut node = self;
        for part in path.split('.') {
            node = node.children.entry(part.to_owned()).or_default();
        }
        node.whole = true;
    }

    /// Whether `path` is named, is below a named path, or has a named path below it.
    fn touches(&self, path: &str) -> bool {
        let mut node = self;
        for part in path.split('.') {
            match node.children.get(part) {
                Some(child) if child.whole => return true,
                Some(child) => node = child,
                None => return false,
            }
        }
        true
    }
}

/// The parsed query of a request.
#[derive(Debug, Clone)]
pub struct ListParams {
    selection: Selection,
    filters: Vec<(String, Filter)>,
    order_by: Vec<(String, bool)>,
    max_records: Option<usize>,
    start: usize,
    return_records: bool,
    /// Seconds to wait for a job (0 to 120).
    pub return_timeout: Option<u32>,
    /// Every path `fields` names, as given (also beside `*`).
    named: Vec<String>,
    raw: Vec<(String, String)>,
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

    /// The record with only the selected fields.
    pub fn project(&self, record: &Value, spec: &FieldSpec) -> Value {
        let Value::Object(map) = record else {
            return record.clone();
        };
        let mut out = Map::new();
        for (key, value) in map {
            let keep_always = key == "uuid" || key == "_links";
            let keep = keep_always
                || match &self.selection {
                    Selection::All => true,
                    Selection::AllCheap => true,
                    Selection::Default => spec.default.contains(&key.as_str()),
                    Selection::List(tree) => tree.children.contains_key(key),
                };
            if keep {
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

    fn next_href(&self, base_path: &str, next_start: usize) -> String {
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

/// Keeps, below each kept key, only the listed sub-paths (when the list names sub-paths).
fn narrow(value: &mut Value, tree: &FieldTree, top: bool) {
    match value {
        Value::Object(map) => map.retain(|key, child| {
            if key == "_links" {
                return true;
            }
            match tree.children.get(key) {
                Some(node) if node.whole => true,
                Some(node) => {
                    narrow(child, node, false);
                    true
                }
                None => top && key == "uuid",
            }
        }),
        Value::Array(items) => {
            for item in items {
                narrow(item, tree, top);
            }
        }
        _ => {}
    }
}

/// Removes each dotted path from a record: what the cluster's release does not have.
pub fn drop_fields(value: &mut Value, paths: &[&str]) {
    for path in paths {
        remove_path(value, path);
    }
}

fn remove_path(value: &mut Value, path: &str) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    match value {
        Value::Object(map) => match rest {
            None => {
                map.remove(head);
            }
            Some(rest) => {
                if let Some(child) = map.get_mut(head) {
                    remove_path(child, rest);
                    if child.as_object().is_some_and(Map::is_empty) {
                        map.remove(head);
                    }
                }
            }
        },
        Value::Array(items) => {
            for item in items {
                remove_path(item, path);
            }
        }
        _ => {}
    }
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

/// Answers a collection GET: filter, order, page, project; `_links.next` when more remain.
pub fn list<R: Borrow<Value>>(
    base_path: &str,
    records: Vec<R>,
    params: &ListParams,
    spec: &FieldSpec,
) -> Response {
    Json(list_body(base_path, records, params, spec)).into_response()
}

/// The body of a collection GET (see [`list`]). Records may be borrowed or shared
/// (`Arc<Value>`): filtering and sorting move references, only the page is projected.
pub fn list_body<R: Borrow<Value>>(
    base_path: &str,
    records: Vec<R>,
    params: &ListParams,
    spec: &FieldSpec,
) -> Value {
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
    let page = matching.drain(start..end).collect();
    page_body(base_path, page, total, params, spec)
}

/// The body of a collection GET whose records need no filtering nor ordering
/// ([`ListParams::is_plain`]): `page` holds only the records of [`ListParams::window`] out of
/// `total`, so an endpoint with thousands of records serializes only the page it returns.
pub fn page_body<R: Borrow<Value>>(
    base_path: &str,
    page: Vec<R>,
    total: usize,
    params: &ListParams,
    spec: &FieldSpec,
) -> Value {
    let self_href = if params.raw.is_empty() {
        base_path.to_owned()
    } else {
        format!("{base_path}?{}", encode_query(&params.raw))
    };
    if !params.return_records {
        return json!({"num_records": total, "_links": {"self": {"href": self_href}}});
    }
    let (start, end) = params.window(total);
    let page: Vec<Value> = page
        .iter()
        .map(|r| params.project(r.borrow(), spec))
        .collect();
    let mut links = json!({"self": {"href": self_href}});
    if end < total {
        links["next"] = json!({"href": params.next_href(base_path, end)});
    }
    json!({"records": page, "num_records": end - start, "_links": links})
}

/// Answers a GET of one record, projected.
pub fn one(record: &Value, params: &ListParams, spec: &FieldSpec) -> Response {
    Json(params.project(record, spec)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SPEC: FieldSpec = FieldSpec {
        default: &["name", "svm"],
        expensive: &["status.code", "status.message", "connectivity"],
    };
    const KNOWN: &[&str] = &["uuid", "name", "svm", "status", "size", "connectivity"];

    fn records(n: usize) -> Vec<Value> {
        (0..n)
            .map(|i| json!({"uuid": format!("u{i:03}"), "name": format!("cert{}", i % 7), "size": i, "svm": {"name": if i % 2 == 0 {"vs0"} else {"vs1"}, "uuid": "s"}, "status": {"code": 0, "message": "ok"}, "_links": {"self": {"href": format!("/api/x/u{i:03}")}}}))
            .collect()
    }

    fn params(q: &str) -> ListParams {
        ListParams::parse(Some(q), KNOWN).unwrap()
    }

    #[test]
    fn fields_defaults_star_and_lists() {
        let r = &records(1)[0];
        let d = params("").project(r, &SPEC);
        assert!(d.get("name").is_some() && d.get("size").is_none() && d.get("status").is_none());
        let star = params("fields=*").project(r, &SPEC);
        assert!(star.get("size").is_some() && star.get("status").is_none());
        let all = params("fields=**").project(r, &SPEC);
        assert_eq!(all["status"]["code"], 0);
        let list = params("fields=svm.name,status.code").project(r, &SPEC);
        assert_eq!(list["svm"], json!({"name": "vs0"}));
        assert_eq!(list["status"], json!({"code": 0}));
        assert!(list.get("name").is_none());
        assert!(list.get("uuid").is_some() && list.get("_links").is_some());
    }

    #[test]
    fn filters_order_and_unknown_names() {
        let body = list_body(
            "/api/x",
            records(20),
            &params("svm.name=vs1&size=>10&order_by=size desc&fields=size"),
            &SPEC,
        );
        let sizes: Vec<i64> = body["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["size"].as_i64().unwrap())
            .collect();
        assert_eq!(sizes, vec![19, 17, 15, 13, 11]);
        let err = ListParams::parse(Some("colour=red"), KNOWN).unwrap_err();
        assert_eq!(err.error.code_number(), Some(codes::UNEXPECTED_ARGUMENT));
        assert!(ListParams::parse(Some("max_records=0"), KNOWN).is_err());
        assert!(ListParams::parse(Some("return_timeout=121"), KNOWN).is_err());
        assert!(ListParams::parse(Some("name=%FF"), KNOWN).is_err());
        let counted = list_body(
            "/api/x",
            records(20),
            &params("return_records=false&svm.name=vs0"),
            &SPEC,
        );
        assert_eq!(counted["num_records"], 10);
        assert!(counted.get("records").is_none());
    }

    #[test]
    fn mentions_sees_selection_filters_and_order() {
        assert!(!params("fields=name,svm.name").mentions("size"));
        assert!(params("fields=*").mentions("size"));
        assert!(params("fields=status.code").mentions("status"));
        assert!(params("size=>3&fields=name").mentions("size"));
        assert!(params("order_by=size desc").mentions("size"));
        assert!(!params("").mentions("size"));
    }

    #[test]
    fn a_plain_page_is_the_same_as_the_whole_list() {
        for query in [
            "",
            "max_records=3",
            "max_records=3&start=18",
            "start=25",
            "return_records=false",
            "fields=size&max_records=7&start=7",
        ] {
            let p = params(query);
            assert!(p.is_plain());
            let all = records(20);
            let (start, end) = p.window(all.len());
            let page = all[start..end].to_vec();
            assert_eq!(
                page_body("/api/x", page, 20, &p, &SPEC),
                list_body("/api/x", all, &p, &SPEC),
                "{query}"
            );
        }
        assert!(!params("size=>3").is_plain());
        assert!(!params("order_by=size").is_plain());
    }

    proptest! {
        #[test]
        fn following_next_yields_every_record_once_in_order(n in 0usize..60, page in 1usize..15) {
            let all = records(n);
            let mut seen = Vec::new();
            let mut query = format!("max_records={page}&order_by=uuid");
            for _ in 0..100 {
                let body = list_body("/api/x", all.clone(), &params(&query), &SPEC);
                for r in body["records"].as_array().unwrap() { seen.push(r["uuid"].as_str().unwrap().to_owned()); }
                match body["_links"]["next"]["href"].as_str() {
                    Some(next) => query = next.split_once('?').unwrap().1.to_owned(),
                    None => break,
                }
            }
            let expected: Vec<String> = all.iter().map(|r| r["uuid"].as_str().unwrap().to_owned()).collect();
            prop_assert_eq!(seen, expected);
        }
    }
}
