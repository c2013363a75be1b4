//! The rules ONTAP applies to a `/api/security` PATCH.

use super::model::{EncryptionState, SecurityConfig};
use super::tls::{
    is_known_cipher_suite, suite_fits_versions, suite_traits, versions_from_floor, TlsVersion,
};
use crate::cluster::Version;
use crate::validation::{Violation, Violations};

/// Checks a PATCH body on its own: every rule the reference states for the body.
pub fn validate_patch(change: &SecurityConfig) -> Result<(), Violations> {
    let mut out = Violations::new();
    check_body(change, &mut out);
    let versions = requested_versions(change);
    if let Some(versions) = &versions {
        if fips_requested(change) {
            check_fips_versions(versions, "tls.protocol_versions", &mut out);
        }
        if let Some(suites) = requested_suites(change) {
            check_usable_suites(suites, versions, &mut out);
        }
    }
    out.into_result()
}

/// Checks a PATCH body against the cluster's current configuration, so the console can explain
/// before sending what ONTAP would refuse: enabling FIPS while TLSv1 stays allowed, lowering
/// the TLS floor under FIPS, starting a conversion or rekey that is already running, a rekey
/// while plain-text volumes remain, a cipher list no enabled version can use.
///
/// Rules on the current state are only applied to what the PATCH changes: an unrelated change
/// (say, telnet) is never refused because of the cluster's existing configuration.
pub fn validate_patch_against(
    change: &SecurityConfig,
    current: &SecurityConfig,
) -> Result<(), Violations> {
    let mut out = Violations::new();
    check_body(change, &mut out);

    let fips_after = change
        .fips_enabled()
        .or_else(|| current.fips_enabled())
        .unwrap_or(false);
    let new_versions = requested_versions(change);
    let versions_after = new_versions.clone().unwrap_or_else(|| {
        current
            .tls
            .as_ref()
            .and_then(|t| t.floor())
            .map(versions_from_floor)
            .unwrap_or_default()
    });
    let new_suites = requested_suites(change);
    let suites_after: Option<&[String]> = new_suites.or_else(|| {
        current
            .tls
            .as_ref()
            .and_then(|t| t.cipher_suites.as_deref())
    });

    if fips_after && (fips_requested(change) || new_versions.is_some()) {
        let field = if new_versions.is_some() {
            "tls.protocol_versions"
        } else {
            "fips.enabled"
        };
        check_fips_versions(&versions_after, field, &mut out);
    }
    if let Some(suites) = suites_after {
        let changed = new_suites.is_some() || new_versions.is_some();
        if changed && !versions_after.is_empty() {
            check_usable_suites(suites, &versions_after, &mut out);
        }
        let fips_changes_suites = fips_requested(change) || (fips_after && new_suites.is_some());
        if fips_after
            && fips_changes_suites
            && !suites.is_empty()
            && suites.iter().all(|s| !suite_traits(s).fips_compatible)
        {
            out.push(Violation::new(
                if new_suites.is_some() {
                    "tls.cipher_suites"
                } else {
                    "fips.enabled"
                },
                "FIPS mode disables every cipher suite that is not FIPS-compatible, and none of the chosen suites is: choose at least one FIPS-compatible suite.",
            ));
        }
    }
    check_encryption_state(change, current, &mut out);
    out.into_result()
}

/// Checks a PATCH against the cluster's release: a cluster-level rekey needs ONTAP 9.16.1 or
/// later (196608392). An unknown release is not held against the change.
pub fn validate_patch_for_release(
    change: &SecurityConfig,
    release: &Version,
) -> Result<(), Violations> {
    let mut out = Violations::new();
    let rekey = change
        .software_data_encryption
        .as_ref()
        .and_then(|s| s.rekey)
        == Some(true);
    if rekey && release.is_before(9, 16, 1) == Some(true) {
        out.push(Violation::coded(
            "software_data_encryption.rekey",
            196608392,
            "A cluster-level rekey needs ONTAP 9.16.1 or later on every node.",
        ));
    }
    out.into_result()
}

fn fips_requested(change: &SecurityConfig) -> bool {
    change.fips_enabled() == Some(true)
}

/// The versions a PATCH would enable (every version at or above the lowest one listed).
fn requested_versions(change: &SecurityConfig) -> Option<Vec<TlsVersion>> {
    change.tls.as_ref()?.floor().map(versions_from_floor)
}

fn requested_suites(change: &SecurityConfig) -> Option<&[String]> {
    change.tls.as_ref()?.cipher_suites.as_deref()
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

/// Refuses a cipher list that no enabled protocol version can negotiate: every TLS connection
/// to the cluster, the console's included, would fail. Unknown names are reported elsewhere.
fn check_usable_suites(suites: &[String], versions: &[TlsVersion], out: &mut Violations) {
    let known: Vec<&String> = suites.iter().filter(|s| is_known_cipher_suite(s)).collect();
    if !known.is_empty() && !known.iter().any(|s| suite_fits_versions(s, versions)) {
        let names: Vec<&str> = versions.iter().map(|v| v.name()).collect();
        out.push(Violation::new(
            "tls.cipher_suites",
            format!(
                "None of the chosen cipher suites can be used with the enabled protocol versions ({}): every TLS connection to the cluster, this console's included, would fail.",
                names.join(", ")
            ),
        ));
    }
}

/// Conversion and rekey against what is already running (196608370, 196608371) and against
/// plain-text volumes (196608384).
fn check_encryption_state(change: &SecurityConfig, current: &SecurityConfig, out: &mut Violations) {
    let Some(sde) = &change.software_data_encryption else {
        return;
    };
    let Some(state) = current
        .software_data_encryption
        .as_ref()
        .and_then(|s| s.encryption_state.as_ref())
    else {
        return;
    };
    if sde.conversion_enabled == Some(true)
        && matches!(
            state,
            EncryptionState::Encrypting | EncryptionState::ConversionPaused
        )
    {
        out.push(Violation::coded(
            "software_data_encryption.conversion_enabled",
            196608370,
            "A conversion to encrypted volumes is already running: follow it in the encryption state.",
        ));
    }
    if sde.rekey == Some(true) {
        match state {
            EncryptionState::Rekeying | EncryptionState::RekeyPaused => out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608371,
                "The volumes are already being rekeyed: follow it in the encryption state.",
            )),
            EncryptionState::Unencrypted
            | EncryptionState::Partial
            | EncryptionState::Encrypting
            | EncryptionState::ConversionPaused => out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608384,
                "A rekey needs every volume encrypted: convert the plain-text volumes first.",
            )),
            EncryptionState::Encrypted | EncryptionState::Other(_) => {}
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
        let err = validate_patch_against(&body(json!({"fips": {"enabled": true}})), &current)
            .unwrap_err();
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
}
