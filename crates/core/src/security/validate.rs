//! The rules ONTAP applies to a `/api/security` PATCH.

use super::model::SecurityConfig;
use super::tls::{floor_of, is_known_cipher_suite, versions_from_floor, TlsVersion};
use crate::validation::{Violation, Violations};

/// Checks a PATCH body on its own: every rule the reference states for the body.
pub fn validate_patch(change: &SecurityConfig) -> Result<(), Violations> {
    let mut out = Violations::new();
    check_body(change, &mut out);
    if let Some(versions) = requested_versions(change) {
        if fips_requested(change) {
            check_fips_versions(&versions, "tls.protocol_versions", &mut out);
        }
    }
    out.into_result()
}

/// Checks a PATCH body against the cluster's current configuration, so the console can explain
/// before sending what ONTAP would refuse: e.g. enabling FIPS while TLSv1 stays allowed.
pub fn validate_patch_against(
    change: &SecurityConfig,
    current: &SecurityConfig,
) -> Result<(), Violations> {
    let mut out = Violations::new();
    check_body(change, &mut out);
    let fips_after = change
        .fips
        .as_ref()
        .and_then(|f| f.enabled)
        .or_else(|| current.fips.as_ref().and_then(|f| f.enabled))
        .unwrap_or(false);
    if fips_after {
        let (versions, field) = match requested_versions(change) {
            Some(v) => (v, "tls.protocol_versions"),
            None => (
                current
                    .tls
                    .as_ref()
                    .and_then(|t| t.protocol_versions.as_deref())
                    .and_then(floor_of)
                    .map(versions_from_floor)
                    .unwrap_or_default(),
                "fips.enabled",
            ),
        };
        check_fips_versions(&versions, field, &mut out);
    }
    out.into_result()
}

fn fips_requested(change: &SecurityConfig) -> bool {
    change.fips.as_ref().and_then(|f| f.enabled) == Some(true)
}

/// The versions a PATCH would enable (every version at or above the lowest one listed).
fn requested_versions(change: &SecurityConfig) -> Option<Vec<TlsVersion>> {
    let names = change.tls.as_ref()?.protocol_versions.as_deref()?;
    floor_of(names).map(versions_from_floor)
}

fn check_fips_versions(versions: &[TlsVersion], field: &str, out: &mut Violations) {
    for version in versions.iter().rev() {
        if let Some(code) = version.fips_refusal_code() {
            out.push(Violation::coded(
                field,
                code,
                format!(
                    "{version} is not supported when FIPS is enabled: raise the lowest TLS version to TLSv1.2 or TLSv1.3."
                ),
            ));
        }
    }
}

fn check_body(change: &SecurityConfig, out: &mut Violations) {
    if let Some(sde) = &change.software_data_encryption {
        let conversion = sde.conversion_enabled;
        let rekey = sde.rekey;
        let disabled_by_default = sde.disabled_by_default == Some(true);
        if conversion == Some(false) {
            out.push(Violation::coded(
                "software_data_encryption.conversion_enabled",
                196608387,
                "Conversion cannot be turned off: it can only be started (true).",
            ));
        }
        if conversion == Some(true) && disabled_by_default {
            out.push(Violation::coded(
                "software_data_encryption.conversion_enabled",
                196608388,
                "Starting conversion and disabling encryption by default cannot be done in the same change.",
            ));
        }
        if conversion == Some(true) && rekey == Some(true) {
            out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608389,
                "Starting conversion and a rekey cannot be done in the same change.",
            ));
        }
        if rekey == Some(false) {
            out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608390,
                "Rekey cannot be turned off: it can only be started (true).",
            ));
        }
        if rekey == Some(true) && disabled_by_default {
            out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608391,
                "Starting a rekey and disabling encryption by default cannot be done in the same change.",
            ));
        }
        if sde.encryption_state.is_some() {
            out.push(Violation::new(
                "software_data_encryption.encryption_state",
                "The encryption state is reported by the cluster and cannot be changed.",
            ));
        }
    }
    if let Some(tls) = &change.tls {
        if let Some(versions) = &tls.protocol_versions {
            if versions.is_empty() {
                out.push(Violation::new(
                    "tls.protocol_versions",
                    "Choose at least one TLS protocol version.",
                ));
            }
            for (i, name) in versions.iter().enumerate() {
                if TlsVersion::parse(name).is_none() {
                    out.push(Violation::new(
                        format!("tls.protocol_versions[{i}]"),
                        format!(
                            "\"{name}\" is not a TLS protocol version ONTAP knows (SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)."
                        ),
                    ));
                }
            }
        }
        if let Some(suites) = &tls.cipher_suites {
            if suites.is_empty() {
                out.push(Violation::new(
                    "tls.cipher_suites",
                    "Choose at least one cipher suite.",
                ));
            }
            for (i, name) in suites.iter().enumerate() {
                if !is_known_cipher_suite(name) {
                    out.push(Violation::new(
                        format!("tls.cipher_suites[{i}]"),
                        format!("\"{name}\" is not a cipher suite ONTAP knows."),
                    ));
                }
            }
        }
    }
    if change.onboard_key_manager_configurable_status.is_some() {
        out.push(Violation::new(
            "onboard_key_manager_configurable_status",
            "Whether the Onboard Key Manager can be configured is reported by the cluster and cannot be changed.",
        ));
    }
}

#[cfg(test)]
mod tests {
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
        let err = validate_patch_against(&body(json!({"fips": {"enabled": true}})), &current)
            .unwrap_err();
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
}
