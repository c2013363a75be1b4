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
#[serde(bound(deserialize = "T: serde::de::DeserializeOwned", serialize = "T: Serialize"))]
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
}
