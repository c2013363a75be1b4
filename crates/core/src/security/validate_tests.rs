//! Unit tests of `validate`: each PATCH rule, with ONTAP's codes.
use super::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn body(v: Value) -> SecurityConfig {
    serde_json::from_value(v).unwrap()
}

fn codes(r: Result<(), Violations>) -> Vec<u64> {
    r.err()
        .map(|v| v.0.iter().filter_map(|x| x.code).collect())
        .unwrap_or_default()
}

#[test]
fn software_encryption_rules_each_with_their_code() {
    let cases = [
        (json!({"conversion_enabled": false}), vec![196608387]),
        (
            json!({"conversion_enabled": true, "disabled_by_default": true}),
            vec![196608388],
        ),
        (
            json!({"conversion_enabled": true, "rekey": true}),
            vec![196608389],
        ),
        (json!({"rekey": false}), vec![196608390]),
        (
            json!({"rekey": true, "disabled_by_default": true}),
            vec![196608391],
        ),
        (
            json!({"conversion_enabled": true, "rekey": true, "disabled_by_default": true}),
            vec![196608388, 196608389, 196608391],
        ),
        (json!({"conversion_enabled": true}), vec![]),
        (json!({"rekey": true}), vec![]),
        (json!({"disabled_by_default": true}), vec![]),
        (
            json!({"disabled_by_default": false, "conversion_enabled": true}),
            vec![],
        ),
    ];
    for (sde, expected) in cases {
        let got = codes(validate_patch(&body(
            json!({"software_data_encryption": sde.clone()}),
        )));
        assert_eq!(got, expected, "{sde}");
    }
}

#[test]
fn fips_with_old_versions_is_refused_with_each_code() {
    let r = validate_patch(&body(
        json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2", "SSLv3"]}}),
    ));
    assert_eq!(codes(r), vec![52428817, 52428824, 52428832]);
    let r = validate_patch(&body(
        json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.1"]}}),
    ));
    assert_eq!(codes(r), vec![52428832]);
    assert!(validate_patch(&body(
        json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2"]}})
    ))
    .is_ok());
    // Without FIPS, old versions are allowed (discouraged, not refused).
    assert!(validate_patch(&body(json!({"tls": {"protocol_versions": ["TLSv1"]}}))).is_ok());
}

#[test]
fn fips_against_the_current_state() {
    let current = body(
        json!({"fips": {"enabled": false}, "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"]}}),
    );
    let err =
        validate_patch_against(&body(json!({"fips": {"enabled": true}})), &current).unwrap_err();
    assert_eq!(err.0.len(), 2);
    assert_eq!(err.0[0].field, "fips.enabled");
    assert!(err.has_code(52428824) && err.has_code(52428832));
    // Raising the floor in the same change fixes it.
    assert!(validate_patch_against(
        &body(json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2"]}})),
        &current
    )
    .is_ok());
    // Lowering the floor while FIPS is already on is refused too.
    let fips_on =
        body(json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2"]}}));
    let err = validate_patch_against(
        &body(json!({"tls": {"protocol_versions": ["TLSv1.1"]}})),
        &fips_on,
    )
    .unwrap_err();
    assert!(err.has_code(52428832));
}

#[test]
fn unknown_names_empty_lists_and_read_only_fields() {
    let err = validate_patch(&body(json!({
        "tls": {"protocol_versions": ["TLSv1.2", "TLSv9"], "cipher_suites": []},
        "software_data_encryption": {"encryption_state": "encrypted"},
        "onboard_key_manager_configurable_status": {"supported": true}
    })))
    .unwrap_err();
    let fields: Vec<&str> = err.0.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "software_data_encryption.encryption_state",
            "tls.protocol_versions[1]",
            "tls.cipher_suites",
            "onboard_key_manager_configurable_status"
        ]
    );
    let err = validate_patch(&body(
        json!({"tls": {"cipher_suites": ["TLS_AES_128_GCM_SHA256", "TLS_FAKE"]}}),
    ))
    .unwrap_err();
    assert_eq!(err.0[0].field, "tls.cipher_suites[1]");
}

#[test]
fn state_rules_apply_only_to_what_the_patch_changes() {
    // FIPS already on with a floor FIPS refuses (an inconsistent cluster): an unrelated
    // change is not held responsible for it.
    let odd = body(json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1"]}}));
    assert!(validate_patch_against(
        &body(json!({"management_protocols": {"telnet_enabled": false}})),
        &odd
    )
    .is_ok());
    // Turning FIPS off never needs the floor raised.
    assert!(validate_patch_against(&body(json!({"fips": {"enabled": false}})), &odd).is_ok());
}

#[test]
fn cipher_lists_no_enabled_version_can_use_are_refused() {
    let tls12_only = json!(["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]);
    let err = validate_patch(&body(
        json!({"tls": {"protocol_versions": ["TLSv1.3"], "cipher_suites": tls12_only}}),
    ))
    .unwrap_err();
    assert_eq!(err.0.len(), 1);
    assert_eq!(err.0[0].field, "tls.cipher_suites");
    assert_eq!(err.0[0].code, None);
    assert!(validate_patch(&body(
        json!({"tls": {"protocol_versions": ["TLSv1.2"], "cipher_suites": tls12_only}})
    ))
    .is_ok());
    // Against the current state: only the floor changes, the current suites stay.
    let current = body(
        json!({"tls": {"protocol_versions": ["TLSv1.2", "TLSv1.3"], "cipher_suites": tls12_only}}),
    );
    let err = validate_patch_against(
        &body(json!({"tls": {"protocol_versions": ["TLSv1.3"]}})),
        &current,
    )
    .unwrap_err();
    assert_eq!(err.0[0].field, "tls.cipher_suites");
    // Adding a TLS 1.3 suite in the same change makes it usable.
    assert!(validate_patch_against(
        &body(json!({"tls": {"protocol_versions": ["TLSv1.3"], "cipher_suites": ["TLS_AES_128_GCM_SHA256"]}})),
        &current
    )
    .is_ok());
}

#[test]
fn fips_needs_at_least_one_fips_compatible_suite() {
    let current = body(
        json!({"fips": {"enabled": false}, "tls": {"protocol_versions": ["TLSv1.2"], "cipher_suites": ["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]}}),
    );
    let err =
        validate_patch_against(&body(json!({"fips": {"enabled": true}})), &current).unwrap_err();
    assert_eq!(err.0.len(), 1);
    assert_eq!(err.0[0].field, "fips.enabled");
    let ok = body(
        json!({"fips": {"enabled": true}, "tls": {"cipher_suites": ["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"]}}),
    );
    assert!(validate_patch_against(&ok, &current).is_ok());
    // With FIPS on, a new list without a FIPS-compatible suite is refused on that list.
    let fips_on =
        body(json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2"]}}));
    let err = validate_patch_against(
        &body(json!({"tls": {"cipher_suites": ["TLS_CHACHA20_POLY1305_SHA256"]}})),
        &fips_on,
    )
    .unwrap_err();
    assert_eq!(err.0[0].field, "tls.cipher_suites");
}

#[test]
fn conversion_and_rekey_against_the_encryption_state() {
    let state = |s: &str| body(json!({"software_data_encryption": {"encryption_state": s}}));
    let convert = body(json!({"software_data_encryption": {"conversion_enabled": true}}));
    let rekey = body(json!({"software_data_encryption": {"rekey": true}}));
    let cases = [
        ("unencrypted", vec![], vec![196608384]),
        ("partial", vec![], vec![196608384]),
        ("encrypting", vec![196608370], vec![196608384]),
        ("conversion_paused", vec![196608370], vec![196608384]),
        ("encrypted", vec![], vec![]),
        ("rekeying", vec![], vec![196608371]),
        ("rekey_paused", vec![], vec![196608371]),
        ("a_future_state", vec![], vec![]),
    ];
    for (current, on_convert, on_rekey) in cases {
        assert_eq!(
            codes(validate_patch_against(&convert, &state(current))),
            on_convert,
            "{current}"
        );
        assert_eq!(
            codes(validate_patch_against(&rekey, &state(current))),
            on_rekey,
            "{current}"
        );
    }
}

#[test]
fn rekey_needs_9_16_1() {
    let rekey = body(json!({"software_data_encryption": {"rekey": true}}));
    let release = |g, ma, mi| Version {
        generation: Some(g),
        major: Some(ma),
        minor: Some(mi),
        ..Version::default()
    };
    assert_eq!(
        codes(validate_patch_for_release(&rekey, &release(9, 15, 1))),
        vec![196608392]
    );
    assert!(validate_patch_for_release(&rekey, &release(9, 16, 1)).is_ok());
    assert!(validate_patch_for_release(&rekey, &release(10, 0, 0)).is_ok());
    assert!(validate_patch_for_release(&rekey, &Version::default()).is_ok());
    let other = body(json!({"fips": {"enabled": true}}));
    assert!(validate_patch_for_release(&other, &release(9, 8, 0)).is_ok());
}

proptest! {
    #[test]
    fn fips_refuses_exactly_the_old_versions(floor in proptest::sample::select(TlsVersion::ALL.to_vec())) {
        let change = body(json!({"fips": {"enabled": true}, "tls": {"protocol_versions": [floor.name()]}}));
        let result = validate_patch(&change);
        prop_assert_eq!(result.is_ok(), floor >= TlsVersion::Tls1_2);
        if let Err(v) = result {
            prop_assert!(v.has_code(floor.fips_refusal_code().unwrap()));
        }
    }

    #[test]
    fn protocol_toggles_are_always_valid(rsh in any::<bool>(), telnet in any::<bool>(), fips in any::<bool>()) {
        let change = body(json!({"fips": {"enabled": fips}, "management_protocols": {"rsh_enabled": rsh, "telnet_enabled": telnet}}));
        prop_assert!(validate_patch(&change).is_ok());
    }
}
