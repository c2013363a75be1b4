//! `/api/security/ipsec` with the reference's examples.

use std::path::Path;

use ontap_core::ipsec::{self, Ipsec};
use ontap_core::{Method, Query};
use serde_json::json;

fn fixture(name: &str) -> Ipsec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn the_reference_examples_are_accepted_as_they_are() {
    // The PATCH example sends only `_links`: nothing to refuse, nothing to change.
    let request = fixture("ipsec__patch_request.json");
    assert_eq!(request.enabled, None);
    assert_eq!(ipsec::validate_patch(&request), Ok(()));
    let built = ipsec::patch(&request, None).unwrap();
    assert_eq!(built.method, Method::Patch);
    assert_eq!(built.path, ipsec::PATH);
    assert_eq!(
        built.body,
        Some(json!({"_links": {"self": {"href": "/api/resourcelink"}}}))
    );
    let answer = fixture("ipsec__get_response.json");
    assert_eq!(answer.enabled, None);
    assert_eq!(
        answer.links.unwrap().self_.unwrap().href.as_deref(),
        Some("/api/resourcelink")
    );
    assert_eq!(fixture("ipsec__enabled.json").enabled, Some(true));
}

#[test]
fn requests_for_reading_and_switching() {
    assert_eq!(
        ipsec::get(&Query::new().fields(["enabled"])).path_and_query(),
        "/api/security/ipsec?fields=enabled"
    );
    for on in [true, false] {
        let r = ipsec::set_enabled(on);
        assert_eq!(r.body, Some(json!({"enabled": on})));
        assert_eq!(
            ipsec::validate_patch(&serde_json::from_value(r.body.unwrap()).unwrap()),
            Ok(())
        );
    }
}

#[test]
fn settings_the_reference_does_not_document_are_refused_by_name() {
    let change: Ipsec =
        serde_json::from_value(json!({"enabled": true, "psk_rotation": true})).unwrap();
    let err = ipsec::validate_patch(&change).unwrap_err();
    assert_eq!(err.0.len(), 1);
    assert_eq!(err.0[0].field, "psk_rotation");
    assert!(err.0[0].message.contains("enabled"));
}
