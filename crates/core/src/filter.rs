//! ONTAP's query syntax for field filters (`?type=server|client`, `?name=*kmip*`,
//! `?key_size=<2048`, `?scope=!svm`), parsed into a [`Filter`] and matched against JSON values.
//! The simulator filters with it; tools can use it to filter what they fetched.

use serde_json::Value;

/// A parsed filter expression: alternatives separated by `|`, any of which may match.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    alternatives: Vec<Term>,
}

/// One alternative of a filter.
#[derive(Debug, Clone, PartialEq)]
enum Term {
    /// `!term`: matches when the inner term does not.
    Not(Box<Term>),
    /// `<x`, `<=x`, `>x`, `>=x`.
    Compare(Comparison, String),
    /// `a..b`, both ends included.
    Range(String, String),
    /// A value with `*` wildcards (or none), compared case-insensitively.
    Pattern(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Filter {
    /// Parses an expression. Every text is a valid expression (an exact value at worst).
    pub fn parse(expression: &str) -> Filter {
        Filter {
            alternatives: expression.split('|').map(parse_term).collect(),
        }
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
    if let Some(rest) = text.strip_prefix('!') {
        return Term::Not(Box::new(parse_term(rest)));
    }
    for (prefix, comparison) in [
        ("<=", Comparison::LessOrEqual),
        (">=", Comparison::GreaterOrEqual),
        ("<", Comparison::Less),
        (">", Comparison::Greater),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return Term::Compare(comparison, rest.to_owned());
        }
    }
    if let Some((low, high)) = text.split_once("..") {
        if !low.is_empty() && !high.is_empty() {
            return Term::Range(low.to_owned(), high.to_owned());
        }
    }
    Term::Pattern(text.to_owned())
}

fn term_matches(term: &Term, value: &Value) -> bool {
    match term {
        Term::Not(inner) => !term_matches(inner, value),
        _ => match value {
            Value::Array(items) => items.iter().any(|item| scalar_matches(term, item)),
            other => scalar_matches(term, other),
        },
    }
}

fn scalar_matches(term: &Term, value: &Value) -> bool {
    match term {
        Term::Not(inner) => !scalar_matches(inner, value),
        Term::Pattern(pattern) => match value {
            Value::Null => pattern.eq_ignore_ascii_case("null"),
            Value::Object(_) | Value::Array(_) => false,
            other => wildcard(&pattern.to_lowercase(), &text_of(other).to_lowercase()),
        },
        Term::Compare(comparison, bound) => {
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
        Term::Range(low, high) => {
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
fn compare(value: &Value, bound: &str) -> Option<std::cmp::Ordering> {
    match value {
        Value::Number(n) => {
            let bound: f64 = bound.trim().parse().ok()?;
            n.as_f64()?.partial_cmp(&bound)
        }
        Value::String(s) => {
            let as_time = |t: &str| crate::certificates::expiry::parse_timestamp(t);
            match (as_time(s), as_time(bound)) {
                (Some(a), Some(b)) => Some(a.cmp(&b)),
                _ => Some(s.to_lowercase().as_str().cmp(bound.to_lowercase().as_str())),
            }
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
    let mut current = vec![record.clone()];
    for key in path.split('.') {
        let mut next = Vec::new();
        for value in current {
            match value {
                Value::Object(mut map) => {
                    if let Some(v) = map.remove(key) {
                        next.push(v);
                    }
                }
                Value::Array(items) => {
                    for item in items {
                        if let Value::Object(mut map) = item {
                            if let Some(v) = map.remove(key) {
                                next.push(v);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    match current.len() {
        0 => Value::Null,
        1 => current.remove(0),
        _ => Value::Array(current),
    }
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

    proptest! {
        #[test]
        fn never_panics(expr in ".{0,20}", text in ".{0,20}", n in any::<i64>()) {
            let f = Filter::parse(&expr);
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
