//! ONTAP's common response envelope: HAL links, collections, job links, and unknown-field capture.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Fields a newer ONTAP release sends that this crate does not know: kept and sent back unchanged.
pub type Extra = Map<String, Value>;

/// A HAL link target.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Href {
    pub href: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// HAL `_links` of a record or a collection.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Links {
    #[serde(rename = "self")]
    pub self_: Option<Href>,
    pub next: Option<Href>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Links {
    /// Links with only `self`.
    pub fn to_self(href: impl Into<String>) -> Self {
        Links {
            self_: Some(Href {
                href: Some(href.into()),
                extra: Extra::new(),
            }),
            ..Links::default()
        }
    }

    /// The `next` page's href, if the collection has more records.
    pub fn next_href(&self) -> Option<&str> {
        self.next.as_ref()?.href.as_deref()
    }
}

/// A collection answer: `records`, `num_records`, `_links`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(
    deserialize = "T: serde::de::DeserializeOwned",
    serialize = "T: Serialize"
))]
pub struct Collection<T> {
    #[serde(default = "Vec::new")]
    pub records: Vec<T>,
    pub num_records: Option<u64>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            records: Vec::new(),
            num_records: None,
            links: None,
            extra: Extra::new(),
        }
    }
}

impl<T> Collection<T> {
    /// The `next` page's href, if the collection has more records.
    pub fn next_href(&self) -> Option<&str> {
        self.links.as_ref()?.next_href()
    }
}

/// A link to an asynchronous job, as returned by POST/PATCH/DELETE.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct JobLink {
    pub uuid: Option<String>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The body of an answer that started a job: `{"job": {...}}`. POSTs with `return_records=true`
/// also carry the created records, kept in `extra` or decoded by the caller as a collection.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct JobResponse {
    pub job: Option<JobLink>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A reference to an SVM, as embedded in many records.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SvmRef {
    pub name: Option<String>,
    pub uuid: Option<String>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// An integer that some ONTAP answers and examples send as a JSON string (`"timeout": "60"`,
/// `"code": "346758"`). Kept in the form it came in, so documents round-trip unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(i64),
    Text(String),
}

impl IntOrString {
    /// The number, when it is one (a string is parsed).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            IntOrString::Int(n) => Some(*n),
            IntOrString::Text(s) => s.trim().parse().ok(),
        }
    }
}

impl From<i64> for IntOrString {
    fn from(n: i64) -> Self {
        IntOrString::Int(n)
    }
}

/// Whether a record belongs to the cluster (admin SVM) or to a data SVM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Cluster,
    Svm,
    /// A scope a newer ONTAP release introduced.
    #[serde(untagged)]
    Other(String),
}

/// Expands ONTAP's dotted keys (`{"fips.enabled": true}`, accepted in PATCH bodies) into nested
/// objects (`{"fips": {"enabled": true}}`), merging with objects already present. Keys are
/// expanded at every level; a non-object in the way is replaced by the deeper value.
pub fn expand_dotted_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, child) in map {
                let parts: Vec<&str> = key.split('.').collect();
                insert_path(&mut out, &parts, expand_dotted_keys(child));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(expand_dotted_keys).collect()),
        other => other,
    }
}

/// [`expand_dotted_keys`] for untrusted bodies: refuses a key with more parts than
/// [`crate::limits::MAX_PATH_PARTS`] before building anything (a key of 400,000 parts would
/// build a value nested as deep, whose drop alone overflows the stack). With the body's depth
/// already bounded ([`crate::limits::check_json_depth`]), the result nests at most
/// `MAX_JSON_DEPTH * MAX_PATH_PARTS` deep.
pub fn try_expand_dotted_keys(value: Value) -> Result<Value, crate::limits::LimitExceeded> {
    check_keys(&value)?;
    Ok(expand_dotted_keys(value))
}

/// Checks every key's parts, walking with an explicit stack (no recursion on hostile input).
fn check_keys(value: &Value) -> Result<(), crate::limits::LimitExceeded> {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (key, child) in map {
                    crate::limits::check_path(key).map_err(|e| e.with_target("body"))?;
                    stack.push(child);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    Ok(())
}

fn insert_path(target: &mut Map<String, Value>, parts: &[&str], value: Value) {
    match parts {
        [] => {}
        [last] => match (target.get_mut(*last), value) {
            (Some(Value::Object(existing)), Value::Object(new)) => existing.extend(new),
            (_, value) => {
                target.insert((*last).to_owned(), value);
            }
        },
        [first, rest @ ..] => {
            let slot = target
                .entry((*first).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(next) = slot {
                insert_path(next, rest, value);
            }
        }
    }
}

/// The name ONTAP's JSON gives an enum value (`JobState::Running` is `running`; an unknown
/// value keeps the text ONTAP sent), for showing it as ONTAP does. `None` for a value that is
/// not a JSON string.
pub fn wire_name<T: Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(Value::String(name)) => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_keys_expand_and_merge() {
        let body = json!({"software_data_encryption.conversion_enabled": true, "software_data_encryption": {"rekey": false}, "fips.enabled": true, "a": [{"b.c": 1}]});
        assert_eq!(
            expand_dotted_keys(body),
            json!({"software_data_encryption": {"conversion_enabled": true, "rekey": false}, "fips": {"enabled": true}, "a": [{"b": {"c": 1}}]})
        );
    }

    #[test]
    fn keys_with_too_many_parts_are_refused_before_expansion() {
        let key = vec!["a"; 400_000].join(".");
        let mut body = Map::new();
        body.insert(key, json!(true));
        let err = try_expand_dotted_keys(json!({"fips": Value::Object(body)})).unwrap_err();
        assert_eq!(err.max, crate::limits::MAX_PATH_PARTS);
        let ok = try_expand_dotted_keys(json!({"fips.enabled": true})).unwrap();
        assert_eq!(ok, json!({"fips": {"enabled": true}}));
    }

    #[test]
    fn collection_keeps_unknown_fields_and_finds_next() {
        let doc = json!({
            "records": [{"a": 1}],
            "num_records": 1,
            "_links": {"self": {"href": "/api/x"}, "next": {"href": "/api/x?start=2"}},
            "future_field": {"x": [1, 2]}
        });
        let parsed: Collection<Value> = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(parsed.next_href(), Some("/api/x?start=2"));
        assert_eq!(serde_json::to_value(&parsed).unwrap(), doc);
    }

    #[test]
    fn unknown_scope_is_kept() {
        let scope: Scope = serde_json::from_value(json!("tenant")).unwrap();
        assert_eq!(scope, Scope::Other("tenant".into()));
        assert_eq!(serde_json::to_value(&scope).unwrap(), json!("tenant"));
        assert_eq!(serde_json::to_value(Scope::Svm).unwrap(), json!("svm"));
    }

    #[test]
    fn wire_name_is_the_json_string() {
        assert_eq!(
            wire_name(&crate::jobs::JobState::Running).as_deref(),
            Some("running")
        );
        assert_eq!(wire_name(&1), None);
    }
}
