//! `GET/PATCH /api/security/ipsec`: whether IPsec is enabled on the cluster.

use serde::{Deserialize, Serialize};

use crate::cluster::Version;
use crate::envelope::{Extra, Links};
use crate::query::Query;
use crate::request::{Method, Path, Request};
use crate::validation::{Violation, Violations};

/// The endpoint's path.
pub const PATH: &str = "/api/security/ipsec";

/// The IPsec configuration record; also the PATCH body.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Ipsec {
    pub enabled: Option<bool>,
    /// Replay window size in packets; 0 turns replay protection off (ONTAP 9.8 and later).
    pub replay_window: Option<u64>,
    /// Whether IPsec hardware offload is enabled (ONTAP 9.16.1 and later).
    pub offload_enabled: Option<bool>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /api/security/ipsec`.
pub fn get(query: &Query) -> Request {
    Request::new(Method::Get, Path::api("security/ipsec").build()).with_query(query)
}

/// The replay window sizes ONTAP accepts (`security ipsec config modify -replay-window`;
/// the REST reference of 9.8 and later lists the same enum).
pub const REPLAY_WINDOWS: &[u64] = &[0, 64, 128, 256, 512, 1024];

/// The settings a PATCH may change. The 9.7 reference beside the checkout documents only
/// `enabled`; `replay_window` (9.8) and `offload_enabled` (9.16.1) come from the later
/// releases' references of the same endpoint.
pub const SETTINGS: &[&str] = &["enabled", "replay_window", "offload_enabled"];

/// Checks a PATCH body: the settings of [`SETTINGS`], a replay window of [`REPLAY_WINDOWS`];
/// `_links` is accepted (the reference's own example request sends it) and ignored; any other
/// field is refused rather than silently dropped.
pub fn validate_patch(change: &Ipsec) -> Result<(), Violations> {
    let mut out = Violations::new();
    for field in change.extra.keys() {
        out.push(Violation::new(
            field.clone(),
            format!(
                "\"{field}\" is not an IPsec setting; the settings are {}.",
                SETTINGS.join(", ")
            ),
        ));
    }
    if let Some(window) = change.replay_window {
        if !REPLAY_WINDOWS.contains(&window) {
            let sizes: Vec<String> = REPLAY_WINDOWS.iter().map(u64::to_string).collect();
            out.push(Violation::new(
                "replay_window",
                format!(
                    "The replay window must be one of {} packets (0 turns replay protection off).",
                    sizes.join(", ")
                ),
            ));
        }
    }
    out.into_result()
}

/// Checks a PATCH against the cluster's release: IPsec arrived with ONTAP 9.8 (66257199).
/// An unknown release is not held against the change.
pub fn validate_patch_for_release(change: &Ipsec, release: &Version) -> Result<(), Violations> {
    let mut out = Violations::new();
    if change.enabled.is_some() && release.is_before(9, 8, 0) == Some(true) {
        out.push(Violation::coded(
            "enabled",
            66257199,
            "IPsec needs ONTAP 9.8 or later on every node.",
        ));
    }
    out.into_result()
}

/// `PATCH /api/security/ipsec`, validated. `return_records` asks ONTAP to answer with the record.
pub fn patch(change: &Ipsec, return_records: Option<bool>) -> Result<Request, Violations> {
    validate_patch(change)?;
    let mut query = Query::new();
    query.return_records = return_records;
    Ok(
        Request::new(Method::Patch, Path::api("security/ipsec").build())
            .with_query(&query)
            .with_json(change),
    )
}

/// `PATCH /api/security/ipsec` turning IPsec on or off.
pub fn set_enabled(enabled: bool) -> Request {
    Request::new(Method::Patch, Path::api("security/ipsec").build()).with_json(&Ipsec {
        enabled: Some(enabled),
        ..Ipsec::default()
    })
}

/// One sentence per security-lowering part of `change` compared with `current` (IPsec turned
/// off), for a console to confirm explicitly. Empty when nothing is lowered.
pub fn lowering_changes(change: &Ipsec, current: &Ipsec) -> Vec<String> {
    let mut out = Vec::new();
    if change.enabled == Some(false) && current.enabled == Some(true) {
        out.push(
            "Turn IPsec off: IP traffic between the cluster and its clients is no longer \
              encrypted by IPsec."
                .to_owned(),
        );
    }
    if change.replay_window == Some(0) && current.replay_window.is_some_and(|w| w != 0) {
        out.push(
            "Turn replay protection off: replayed IPsec packets are no longer detected.".to_owned(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_turning_ipsec_off_lowers_security() {
        use super::{lowering_changes, Ipsec};
        let on = Ipsec {
            enabled: Some(true),
            ..Ipsec::default()
        };
        let off = Ipsec {
            enabled: Some(false),
            ..Ipsec::default()
        };
        assert_eq!(lowering_changes(&off, &on).len(), 1);
        assert!(lowering_changes(&on, &off).is_empty());
        assert!(lowering_changes(&off, &off).is_empty());
    }

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

    #[test]
    fn only_enabled_and_links_are_accepted() {
        let change: Ipsec = serde_json::from_value(
            json!({"enabled": true, "_links": {"self": {"href": "/api/resourcelink"}}}),
        )
        .unwrap();
        let r = patch(&change, Some(true)).unwrap();
        assert_eq!(
            r.path_and_query(),
            "/api/security/ipsec?return_records=true"
        );
        let change: Ipsec =
            serde_json::from_value(json!({"enabled": true, "replay_window": 64, "x": 1})).unwrap();
        let err = patch(&change, None).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["x"]);
    }

    #[test]
    fn replay_window_is_one_of_ontaps_sizes() {
        let with = |w: u64| Ipsec {
            replay_window: Some(w),
            offload_enabled: Some(true),
            ..Ipsec::default()
        };
        for ok in REPLAY_WINDOWS {
            assert!(validate_patch(&with(*ok)).is_ok(), "{ok}");
        }
        for bad in [1, 63, 2048] {
            let err = validate_patch(&with(bad)).unwrap_err();
            assert_eq!(err.0[0].field, "replay_window");
        }
        let body = patch(&with(128), None).unwrap().body.unwrap();
        assert_eq!(body, json!({"replay_window": 128, "offload_enabled": true}));
    }

    #[test]
    fn ipsec_needs_9_8() {
        let on = Ipsec {
            enabled: Some(true),
            ..Ipsec::default()
        };
        let release = |major| Version {
            generation: Some(9),
            major: Some(major),
            minor: Some(0),
            ..Version::default()
        };
        let err = validate_patch_for_release(&on, &release(7)).unwrap_err();
        assert!(err.has_code(66257199));
        assert!(validate_patch_for_release(&on, &release(8)).is_ok());
        assert!(validate_patch_for_release(&Ipsec::default(), &release(7)).is_ok());
    }
}
