//! `GET/PATCH /api/security`: cluster-wide FIPS, TLS, management protocols, software data-at-rest
//! encryption and whether the Onboard Key Manager can be configured.

mod lowering;
mod model;
pub mod tls;
mod validate;

pub use lowering::lowering_changes;
pub use model::*;
pub use validate::{validate_patch, validate_patch_against, validate_patch_for_release};

use crate::query::Query;
use crate::request::{Method, Path, Request};
use crate::validation::Violations;

/// The endpoint's path.
pub const PATH: &str = "/api/security";

/// `GET /api/security`.
pub fn get(query: &Query) -> Request {
    Request::new(Method::Get, Path::api("security").build()).with_query(query)
}

/// `PATCH /api/security`, validated against the rules ONTAP enforces on the body alone.
/// ONTAP answers with a job link; `return_timeout` (0–120 s) asks it to wait for the job.
pub fn patch(change: &SecurityConfig, return_timeout: Option<u32>) -> Result<Request, Violations> {
    validate_patch(change)?;
    let mut query = Query::new();
    query.return_timeout = return_timeout;
    Ok(Request::new(Method::Patch, Path::api("security").build())
        .with_query(&query)
        .with_json(change))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builders_make_the_documented_requests() {
        let r = get(&Query::new().fields(["fips", "tls"]));
        assert_eq!(r.path_and_query(), "/api/security?fields=fips%2Ctls");
        let change = SecurityConfig {
            fips: Some(Fips {
                enabled: Some(true),
                ..Fips::default()
            }),
            ..SecurityConfig::default()
        };
        let r = patch(&change, Some(10)).unwrap();
        assert_eq!(r.method, Method::Patch);
        assert_eq!(r.path_and_query(), "/api/security?return_timeout=10");
        assert_eq!(r.body, Some(json!({"fips": {"enabled": true}})));
    }

    #[test]
    fn invalid_patch_builds_no_request() {
        let change: SecurityConfig =
            serde_json::from_value(json!({"software_data_encryption": {"rekey": false}})).unwrap();
        let err = patch(&change, None).unwrap_err();
        assert!(err.has_code(196608390));
    }
}
