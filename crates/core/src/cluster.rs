//! The few cluster reads a console needs: `GET /api/cluster` (name, version: also the sign-in
//! check) and `GET /api/svm/svms` (the SVMs a key manager or certificate can belong to).

use serde::{Deserialize, Serialize};

use crate::envelope::{Extra, Links};
use crate::query::Query;
use crate::request::{Method, Path, Request};

/// The cluster record (only what the console shows; the rest is kept in `extra`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cluster {
    pub name: Option<String>,
    pub uuid: Option<String>,
    pub version: Option<Version>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// ONTAP's release.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Version {
    pub full: Option<String>,
    pub generation: Option<u32>,
    pub major: Option<u32>,
    pub minor: Option<u32>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Version {
    /// `9.16.1` style, when the parts are known.
    pub fn short(&self) -> Option<String> {
        Some(format!(
            "{}.{}.{}",
            self.generation?, self.major?, self.minor?
        ))
    }

    /// `(generation, major, minor)`, when the parts are known.
    pub fn triple(&self) -> Option<(u32, u32, u32)> {
        Some((self.generation?, self.major?, self.minor?))
    }

    /// Whether this release is older than `generation.major.minor`; `None` when unknown.
    /// Features such as a cluster-level rekey (9.16.1) depend on it.
    pub fn is_before(&self, generation: u32, major: u32, minor: u32) -> Option<bool> {
        self.triple().map(|t| t < (generation, major, minor))
    }
}

/// An SVM record.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Svm {
    pub name: Option<String>,
    pub uuid: Option<String>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /api/cluster` asking for what the console's header shows.
pub fn get_cluster() -> Request {
    Request::new(Method::Get, Path::api("cluster").build())
        .with_query(&Query::new().fields(["name", "uuid", "version"]))
}

/// `GET /api/svm/svms`.
pub fn list_svms(query: &Query) -> Request {
    Request::new(Method::Get, Path::api("svm/svms").build()).with_query(query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn version_and_requests() {
        let c: Cluster = serde_json::from_value(json!({
            "name": "cluster1", "uuid": "u",
            "version": {"full": "NetApp Release 9.16.1: ...", "generation": 9, "major": 16, "minor": 1},
            "location": "lab"
        }))
        .unwrap();
        let version = c.version.clone().unwrap();
        assert_eq!(version.short().as_deref(), Some("9.16.1"));
        assert_eq!(version.is_before(9, 16, 1), Some(false));
        assert_eq!(version.is_before(9, 16, 2), Some(true));
        assert_eq!(version.is_before(9, 8, 0), Some(false));
        assert_eq!(version.is_before(10, 0, 0), Some(true));
        assert_eq!(Version::default().is_before(9, 8, 0), None);
        assert_eq!(c.extra["location"], "lab");
        assert_eq!(
            get_cluster().path_and_query(),
            "/api/cluster?fields=name%2Cuuid%2Cversion"
        );
        assert_eq!(
            list_svms(&Query::new().fields(["name", "uuid"])).path,
            "/api/svm/svms"
        );
    }
}
