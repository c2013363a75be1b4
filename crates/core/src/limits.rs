//! Bounds on every input whose cost grows with its shape: query strings, filters, field lists,
//! `order_by`, dotted keys and JSON nesting. Each is checked before the input is processed, so
//! no request costs more than a linear pass over its bytes, and a refusal names the limit.
//!
//! The values are generous for ONTAP's API (its deepest field path has 4 parts, its widest
//! record ~40 fields) and small enough that the work they allow stays in microseconds.

use crate::catalog;
use crate::error::OntapError;

/// Bytes of a whole query string (after `?`). ONTAP's own web server refuses request lines
/// beyond 8 KiB; a URL carrying more than this is not a console's.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// Parameters in one query string: every field of a record filtered at once fits easily.
pub const MAX_QUERY_PARAMS: usize = 64;
/// Bytes of one filter expression (`name=...`): long enough for a full PEM-free value.
pub const MAX_FILTER_BYTES: usize = 2 * 1024;
/// `|`-separated alternatives in one filter: a list of names picked in a table.
pub const MAX_FILTER_ALTERNATIVES: usize = 64;
/// Leading `!` of one alternative. `!!x` is `x`; more than a few is never meant. The parser
/// counts them in a loop (no recursion), this bound only says "this is not a filter".
pub const MAX_FILTER_NEGATIONS: usize = 4;
/// Parts of a dotted path (`external.servers.server` has 3), in body keys, `fields`, filters
/// and `order_by`. ONTAP's deepest path has 4; 16 leaves room for new versions.
pub const MAX_PATH_PARTS: usize = 16;
/// Nesting of a JSON body (objects and arrays). ONTAP's bodies nest 4 deep; serde's own limit
/// (128) would still let a hostile body cost stack on every recursive walk after parsing.
pub const MAX_JSON_DEPTH: usize = 32;
/// Entries of `fields=`: every field of the widest record, named one by one, twice over.
pub const MAX_FIELDS: usize = 128;
/// Entries of `order_by=`: sorting by more than a few keys is never meant.
pub const MAX_ORDER_BY: usize = 8;

/// An input beyond one of the bounds above. Its message names the bound and the limit, never
/// the input itself (which may be a pasted secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} exceeds the limit of {max}.")]
pub struct LimitExceeded {
    /// What was too long or too deep, e.g. `The "fields" list`.
    pub what: String,
    /// The bound (one of this module's constants).
    pub max: usize,
    /// The field or parameter it concerns, when there is one.
    pub target: Option<String>,
}

impl LimitExceeded {
    /// A refusal of `what` beyond `max`.
    pub fn new(what: impl Into<String>, max: usize) -> Self {
        LimitExceeded {
            what: what.into(),
            max,
            target: None,
        }
    }

    /// Names the parameter or field concerned.
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// ONTAP's error shape with [`catalog::LIMIT_EXCEEDED`] (an HTTP 400).
    pub fn to_ontap(&self) -> OntapError {
        let mut error = OntapError::new(catalog::LIMIT_EXCEEDED, self.to_string());
        error.target = self.target.clone();
        error
    }
}

/// Refuses `count` beyond `max`.
pub fn at_most(count: usize, max: usize, what: &str) -> Result<(), LimitExceeded> {
    if count > max {
        Err(LimitExceeded::new(what, max))
    } else {
        Ok(())
    }
}

/// Checks a dotted path's number of parts.
pub fn check_path(path: &str) -> Result<(), LimitExceeded> {
    // Counting bytes stops at the first one beyond the bound: a 400,000-part key costs nothing.
    let dots = path
        .bytes()
        .filter(|b| *b == b'.')
        .take(MAX_PATH_PARTS)
        .count();
    if dots >= MAX_PATH_PARTS {
        Err(LimitExceeded::new(
            "The number of parts of a dotted field name",
            MAX_PATH_PARTS,
        ))
    } else {
        Ok(())
    }
}

/// Checks a raw query string's length and number of parameters, before it is decoded.
pub fn check_query(raw: &str) -> Result<(), LimitExceeded> {
    at_most(
        raw.len(),
        MAX_QUERY_BYTES,
        "The length of the query string (bytes)",
    )?;
    let params = raw.split('&').filter(|p| !p.is_empty()).count();
    at_most(params, MAX_QUERY_PARAMS, "The number of query parameters")
}

/// Checks the nesting of a JSON text in one pass over its bytes, before a parser builds
/// values from it. Brackets inside strings do not count; the text need not be valid JSON
/// (the parser refuses what is not).
pub fn check_json_depth(text: &[u8]) -> Result<(), LimitExceeded> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in text {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(LimitExceeded::new(
                        "The nesting of the request body",
                        MAX_JSON_DEPTH,
                    ));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_queries_and_depth() {
        assert!(check_path("external.servers.server").is_ok());
        assert!(check_path(&"a.".repeat(MAX_PATH_PARTS - 1)).is_ok());
        assert!(check_path(&"a.".repeat(400_000)).is_err());
        assert!(check_query("fields=name&name=x").is_ok());
        assert!(check_query(&"a=b&".repeat(MAX_QUERY_PARAMS + 1)).is_err());
        assert!(check_query(&"x".repeat(MAX_QUERY_BYTES + 1)).is_err());
        assert!(
            check_json_depth(br#"{"a":[{"b":{"c":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}}]}"#)
                .is_ok()
        );
        assert!(check_json_depth("[".repeat(MAX_JSON_DEPTH).as_bytes()).is_ok());
        assert!(check_json_depth("[".repeat(MAX_JSON_DEPTH + 1).as_bytes()).is_err());
        assert!(check_json_depth(br#"{"a\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[":1}"#).is_ok());
    }

    #[test]
    fn the_error_names_the_limit_with_the_catalog_code() {
        let e = LimitExceeded::new("The \"fields\" list", MAX_FIELDS).with_target("fields");
        let ontap = e.to_ontap();
        assert_eq!(ontap.code_number(), Some(catalog::LIMIT_EXCEEDED));
        assert_eq!(ontap.target.as_deref(), Some("fields"));
        assert!(ontap.message.unwrap_or_default().contains("128"));
    }
}
