//! `GET/PATCH /api/security/ipsec`: whether IPsec is enabled on the cluster.

use serde::{Deserialize, Serialize};

use crate::envelope::{Extra, Links};
use crate::query::Query;
use crate::request::{Method, Path, Request};

/// The endpoint's path.
pub const PATH: &str = "/api/security/ipsec";

/// The IPsec configuration record; also the PATCH body.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Ipsec {
    pub enabled: Option<bool>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /api/security/ipsec`.
pub fn get(query: &Query) -> Request {
    Request::new(Method::Get, Path::api("security/ipsec").build()).with_query(query)
}

/// `PATCH /api/security/ipsec` turning IPsec on or off. The only settable field is `enabled`,
/// so there is nothing to validate beyond the type.
pub fn set_enabled(enabled: bool) -> Request {
    Request::new(Method::Patch, Path::api("security/ipsec").build()).with_json(&Ipsec {
        enabled: Some(enabled),
        ..Ipsec::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patch_body_is_just_enabled() {
        let r = set_enabled(false);
        assert_eq!(r.method, Method::Patch);
        assert_eq!(r.path, PATH);
        assert_eq!(r.body, Some(json!({"enabled": false})));
        assert_eq!(get(&Query::new()).path_and_query(), PATH);
    }
}
