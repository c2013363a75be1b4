//! ONTAP's query syntax for field filters (`?type=server|client`, `?name=*kmip*`,
//! `?key_size=<2048`, `?scope=!svm`), parsed into a [`Filter`] and matched against JSON values.
//! The simulator filters with it; tools can use it to filter what they fetched.

use serde_json::Value;

use crate::limits::{self, LimitExceeded};

/// A parsed filter expression: alternatives separated by `|`, any of which may match.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    alternatives: Vec<Term>,
}

/// One alternative of a filter: a test, negated by an odd number of leading `!`. Negations
/// are counted, not nested, so no expression makes parsing or matching recurse.
#[derive(Debug, Clone, PartialEq)]
struct Term {
    negated: bool,
    test: Test,
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// `<x`, `<=x`, `>x`, `>=x`.
    Compare(Comparison, Bound),
    /// `a..b`, both ends included.
    Range(Bound, Bound),
    /// A value with `*` wildcards (or none), compared case-insensitively (kept lowercased).
    Pattern(String),
}

/// A comparison bound, read once at parse time (not once per record compared).
#[derive(Debug, Clone, PartialEq)]
struct Bound {
    lower: String,
    number: Option<f64>,
    time: Option<jiff::Timestamp>,
}

impl Bound {
    fn new(text: &str) -> Bound {
        Bound {
            lower: text.to_lowercase(),
            number: text.trim().parse().ok(),
            time: crate::certificates::expiry::parse_timestamp(text),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Filter {
    /// Parses an expression. Every text is a valid expression (an exact value at worst); the
    /// cost is linear in its length. Untrusted input goes through [`Filter::try_parse`].
    pub fn parse(expression: &str) -> Filter {
        Filter {
            alternatives: expression.split('|').map(parse_term).collect(),
        }
    }

    /// Parses an expression within [`crate::limits`]: its length, its number of alternatives
    /// and of leading `!` per alternative.
    pub fn try_parse(expression: &str) -> Result<Filter, LimitExceeded> {
        limits::at_most(
            expression.len(),
            limits::MAX_FILTER_BYTES,
            "The length of a filter (bytes)",
        )?;
        let alternatives = expression
            .split('|')
            .take(limits::MAX_FILTER_ALTERNATIVES + 1);
        limits::at_most(
            alternatives.count(),
            limits::MAX_FILTER_ALTERNATIVES,
            "The number of alternatives of a filter",
        )?;
        for alternative in expression.split('|') {
            let bangs = alternative.bytes().take_while(|b| *b == b'!').count();
            limits::at_most(
                bangs,
                limits::MAX_FILTER_NEGATIONS,
                "The number of negations of a filter",
            )?;
        }
        Ok(Filter::parse(expression))
    }

    /// Whether a field's value matches. Arrays match when any element does; a missing field is
    /// `Value::Null`, matched only by negations and by an explicit `null`.
    pub fn matches(&self, value: &Value) -> bool {
        self.alternatives
            .iter()
            .any(|term| term_matches(term, value))
    }
}

fn parse_term(text: &str) -> Term {
    let rest = text.trim_start_matches('!');
    let negated = (text.len() - rest.len()) % 2 == 1;
    Term {
        negated,
        test: parse_test(rest),
    }
}

fn parse_test(text: &str) -> Test {
    for (prefix, comparison) in [
        ("<=", Comparison::LessOrEqual),
        (">=", Comparison::GreaterOrEqual),
        ("<", Comparison::Less),
        (">", Comparison::Greater),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return Test::Compare(comparison, Bound::new(rest));
        }
    }
    if let Some((low, high)) = text.split_once("..") {
        if !low.is_empty() && !high.is_empty() {
            return Test::Range(Bound::new(low), Bound::new(high));
        }
    }
    Test::Pattern(text.to_lowercase())
}

fn term_matches(term: &Term, value: &Value) -> bool {
    let found = match value {
        Value::Array(items) => items.iter().any(|item| test_matches(&term.test, item)),
        other => test_matches(&term.test, other),
    };
    found != term.negated
}

fn test_matches(test: &Test, value: &Value) -> bool {
    match test {
        Test::Pattern(pattern) => match value {
            Value::Null => pattern == "null",
            Value::Object(_) | Value::Array(_) => false,
            other => wildcard(pattern, &text_of(other).to_lowercase()),
        },
        Test::Compare(comparison, bound) => {
            let Some(order) = compare(value, bound) else {
                return false;
            };
            match comparison {
                Comparison::Less => order.is_lt(),
                Comparison::LessOrEqual => order.is_le(),
                Comparison::Greater => order.is_gt(),
                Comparison::GreaterOrEqual => order.is_ge(),
            }
        }
        Test::Range(low, high) => {
            compare(value, low).is_some_and(|o| o.is_ge())
                && compare(value, high).is_some_and(|o| o.is_le())
        }
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Orders a value against a bound: numbers as numbers, date-times as instants, else text.
fn compare(value: &Value, bound: &Bound) -> Option<std::cmp::Ordering> {
    match value {
        Value::Number(n) => n.as_f64()?.partial_cmp(&bound.number?),
        Value::String(s) => {
            let time = match bound.time {
                Some(b) => crate::certificates::expiry::parse_timestamp(s).map(|a| a.cmp(&b)),
                None => None,
            };
            time.or_else(|| Some(s.to_lowercase().as_str().cmp(bound.lower.as_str())))
        }
        _ => None,
    }
}

/// `*` matches any run of characters (including none); everything else literally.
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

/// The value at a dotted path (`svm.name`, `external.servers.server`): through objects, and
/// through arrays by collecting every element's value. Missing gives `Value::Null`.
pub fn value_at(record: &Value, path: &str) -> Value {
    let mut current: Vec<&Value> = match values_at(record, path) {
        found if found.len() == 1 => return found[0].clone(),
        found => found,
    };
    match current.len() {
        0 => Value::Null,
        _ => Value::Array(current.drain(..).cloned().collect()),
    }
}

/// The values at a dotted path, borrowed (see [`value_at`]): walking a record clones nothing.
pub fn values_at<'a>(record: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![record];
    for key in path.split('.') {
        let mut next = Vec::new();
        for value in current {
            match value {
                Value::Object(map) => next.extend(map.get(key)),
                Value::Array(items) => next.extend(
                    items
                        .iter()
                        .filter_map(|item| item.as_object().and_then(|m| m.get(key))),
                ),
                _ => {}
            }
        }
        current = next;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn ontap_syntax() {
        assert!(Filter::parse("server|client").matches(&json!("client")));
        assert!(!Filter::parse("server|client").matches(&json!("root_ca")));
        assert!(Filter::parse("!root_ca").matches(&json!("server")));
        assert!(!Filter::parse("!root_ca").matches(&json!("root_ca")));
        assert!(Filter::parse("*kmip*").matches(&json!("vs0-KMIP-client")));
        assert!(Filter::parse("vs*").matches(&json!("vs1")));
        assert!(!Filter::parse("vs*").matches(&json!("svm1")));
        assert!(Filter::parse("<2048").matches(&json!(1024)));
        assert!(!Filter::parse("<2048").matches(&json!(2048)));
        assert!(Filter::parse(">=2048").matches(&json!(2048)));
        assert!(Filter::parse("1024..2048").matches(&json!(1536)));
        assert!(Filter::parse("true").matches(&json!(true)));
        assert!(Filter::parse("<2027-01-01T00:00:00Z").matches(&json!("2026-12-25 10:00:00 +0000")));
        assert!(
            !Filter::parse(">2027-01-01T00:00:00Z").matches(&json!("2026-12-25 10:00:00 +0000"))
        );
        assert!(Filter::parse("10.0.0.2:5696").matches(&json!(["10.0.0.1:5696", "10.0.0.2:5696"])));
        assert!(
            Filter::parse("!null").matches(&json!("x"))
                && !Filter::parse("!null").matches(&Value::Null)
        );
    }

    #[test]
    fn dotted_paths_reach_through_arrays() {
        let km = json!({"svm": {"name": "vs0"}, "external": {"servers": [{"server": "a:1"}, {"server": "b:2"}]}});
        assert_eq!(value_at(&km, "svm.name"), json!("vs0"));
        assert_eq!(
            value_at(&km, "external.servers.server"),
            json!(["a:1", "b:2"])
        );
        assert_eq!(value_at(&km, "onboard.enabled"), Value::Null);
    }

    #[test]
    fn negations_are_counted_not_nested() {
        let many = format!("{}root_ca", "!".repeat(20_000));
        // Parsing and matching take one pass (it used to recurse once per `!` and overflow).
        assert!(Filter::parse(&many).matches(&json!("root_ca")));
        assert!(!Filter::parse(&format!("!{many}")).matches(&json!("root_ca")));
        assert!(Filter::parse("!!x").matches(&json!("x")));
        assert!(Filter::try_parse(&many).is_err());
        let refused = Filter::try_parse("!!!!!x").unwrap_err();
        assert_eq!(refused.max, limits::MAX_FILTER_NEGATIONS);
        assert!(Filter::try_parse("!!!!x").is_ok());
        assert!(Filter::try_parse(&"a|".repeat(limits::MAX_FILTER_ALTERNATIVES)).is_err());
        assert!(Filter::try_parse(&"a".repeat(limits::MAX_FILTER_BYTES + 1)).is_err());
    }

    proptest! {
        #[test]
        fn never_panics(expr in "[!|<>=.*a-z0-9]{0,40}|.{0,20}", text in ".{0,20}", n in any::<i64>()) {
            let f = Filter::parse(&expr);
            prop_assert_eq!(Filter::try_parse(&expr).map(|g| g == f).unwrap_or(true), true);
            let _ = f.matches(&json!(text));
            let _ = f.matches(&json!(n));
        }

        #[test]
        fn star_matches_any_string(text in ".{0,20}") {
            prop_assert!(Filter::parse("*").matches(&json!(text)));
        }

        #[test]
        fn alternatives_and_negation_are_or_and_not(a in "[a-z*]{0,5}", b in "[a-z*]{0,5}", text in "[a-z]{0,6}") {
            let v = json!(text);
            let either = Filter::parse(&format!("{a}|{b}")).matches(&v);
            prop_assert_eq!(either, Filter::parse(&a).matches(&v) || Filter::parse(&b).matches(&v));
            prop_assert_eq!(Filter::parse(&format!("!{a}")).matches(&v), !Filter::parse(&a).matches(&v));
        }
    }
}
