//! Harnesses for the parsers that read hostile input: the filter parser, the query parser and
//! the dotted-key expansion. Each takes arbitrary bytes and panics only when an invariant
//! breaks. The cargo-fuzz targets in `fuzz/` call them for long runs; the proptests in
//! `tests/robustness.rs` call them in CI with bounded cases (see docs/hardening.md).

use ontap_core::filter::Filter;
use ontap_core::limits::{self, LimitExceeded};
use serde_json::{json, Value};

use crate::collection::ListParams;

/// Top-level names a fuzzed query may filter on (the certificates' main fields).
const KNOWN: &[&str] = &["uuid", "name", "type", "svm", "expiry_time", "key_size"];

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn is_a_limit(error: &LimitExceeded) -> bool {
    [
        limits::MAX_FILTER_BYTES,
        limits::MAX_FILTER_ALTERNATIVES,
        limits::MAX_FILTER_NEGATIONS,
        limits::MAX_PATH_PARTS,
        limits::MAX_JSON_DEPTH,
        limits::MAX_QUERY_BYTES,
        limits::MAX_QUERY_PARAMS,
        limits::MAX_FIELDS,
        limits::MAX_ORDER_BY,
    ]
    .contains(&error.max)
}

/// The filter parser: bounded parsing agrees with unbounded parsing, refusals name a limit,
/// matching any value never panics.
pub fn filter(data: &[u8]) {
    let expression = text(data);
    match Filter::try_parse(&expression) {
        Ok(filter) => {
            assert_eq!(filter, Filter::parse(&expression));
            for value in [json!(expression), json!(2048), Value::Null, json!(["a", 1])] {
                let _ = filter.matches(&value);
            }
        }
        Err(e) => assert!(is_a_limit(&e), "{e:?}"),
    }
}

/// The query parser: any query string is parsed or refused with an ONTAP-shaped 400/413,
/// never a panic; what is accepted is within the limits.
pub fn query(data: &[u8]) {
    let raw = text(data);
    match ListParams::parse(Some(&raw), KNOWN) {
        Ok(_) => assert!(raw.len() <= limits::MAX_QUERY_BYTES),
        Err(e) => assert!(e.status.is_client_error() && e.error.code_number().is_some()),
    }
}

/// The dotted-key expansion of a JSON body: after the depth check and the expansion, a value
/// nests at most `MAX_JSON_DEPTH * MAX_PATH_PARTS` deep (and its drop cannot overflow).
pub fn dotted(data: &[u8]) {
    if limits::check_json_depth(data).is_err() {
        return;
    }
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    match ontap_core::try_expand_dotted_keys(value) {
        Ok(expanded) => {
            let depth = depth_of(&expanded);
            assert!(
                depth <= limits::MAX_JSON_DEPTH * limits::MAX_PATH_PARTS,
                "{depth}"
            );
        }
        Err(e) => assert!(is_a_limit(&e), "{e:?}"),
    }
}

/// Nesting of a value, measured without recursion.
fn depth_of(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 1usize)];
    while let Some((v, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match v {
            Value::Object(map) => stack.extend(map.values().map(|c| (c, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    deepest
}
