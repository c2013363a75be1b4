//! `/api/security` against the reference's own examples, and the PATCH rules with their
//! boundaries. Fixtures are the reference's JSON examples (see `tests/fixtures.rs`).

use std::path::Path;

use ontap_core::security::tls::{
    floor_of, suite_fits_versions, suite_traits, versions_from_floor, SuitePreset, TlsVersion,
    CIPHER_SUITES,
};
use ontap_core::security::{
    self, validate_patch, validate_patch_against, EncryptionState, SecurityConfig,
};
use ontap_core::{expand_dotted_keys, Method, Query, Violations};
use proptest::prelude::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    expand_dotted_keys(serde_json::from_str(&text).unwrap())
}

fn config(v: Value) -> SecurityConfig {
    serde_json::from_value(v).unwrap()
}

fn codes(result: Result<(), Violations>) -> Vec<u64> {
    result
        .err()
        .map(|v| v.0.iter().filter_map(|x| x.code).collect())
        .unwrap_or_default()
}

fn patch_fixtures() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("security__patch_"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), fixture(&n)))
        .collect()
}

#[test]
fn known_cipher_suites_are_the_reassembled_get_example_without_its_duplicate() {
    let get = fixture("security__get_response.json");
    let listed: Vec<&str> = get["tls"]["cipher_suites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // The example spans four PDF pages and repeats one name.
    assert_eq!(listed.len(), 130);
    let mut unique: Vec<&str> = Vec::new();
    for name in &listed {
        if !unique.contains(name) {
            unique.push(name);
        }
    }
    assert_eq!(unique, CIPHER_SUITES);
    // The odd names the reference lists are kept as it spells them.
    for odd in [
        "TLS_PSK_DHE_WITH_AES_128_CCM_8",
        "TLS_PSK_DHE_WITH_AES_256_CCM_8",
        "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA",
    ] {
        assert!(CIPHER_SUITES.contains(&odd), "{odd}");
    }
    // Its first and last names, either side of the page breaks.
    assert_eq!(CIPHER_SUITES.first(), Some(&"TLS_RSA_WITH_AES_128_CCM"));
    assert_eq!(CIPHER_SUITES.last(), Some(&"TLS_CHACHA20_POLY1305_SHA256"));
}

#[test]
fn the_get_example_reads_as_typed_values() {
    let get = config(fixture("security__get_response.json"));
    let tls = get.tls.as_ref().unwrap();
    assert_eq!(tls.floor(), Some(TlsVersion::Tls1_2));
    assert_eq!(
        tls.enabled_versions(),
        [TlsVersion::Tls1_3, TlsVersion::Tls1_2]
    );
    let sde = get.software_data_encryption.as_ref().unwrap();
    assert_eq!(sde.encryption_state, Some(EncryptionState::Unencrypted));
    let okm = get
        .onboard_key_manager_configurable_status
        .as_ref()
        .unwrap();
    assert_eq!((okm.supported, okm.code), (Some(false), Some(65537300)));
    assert_eq!(get.fips_enabled(), Some(false));
    // The other GET example: an encryption state the model does not know is kept as written.
    let example = config(fixture("security__get_example_response.json"));
    assert_eq!(
        example.software_data_encryption.unwrap().encryption_state,
        Some(EncryptionState::Other("string".into()))
    );
}

#[test]
fn every_documented_patch_is_valid_and_builds_its_own_body() {
    let patches = patch_fixtures();
    assert!(patches.len() >= 10, "only {} PATCH examples", patches.len());
    for (name, body) in patches {
        let change = config(body.clone());
        assert_eq!(validate_patch(&change), Ok(()), "{name}");
        let request = security::patch(&change, None).unwrap();
        assert_eq!(request.method, Method::Patch);
        assert_eq!(request.path, security::PATH);
        assert_eq!(request.body.as_ref(), Some(&body), "{name}");
    }
}

#[test]
fn documented_patches_against_the_documented_cluster() {
    // The GET example is a cluster with FIPS off, TLSv1.2+, every suite, nothing encrypted.
    let current = config(fixture("security__get_response.json"));
    for (name, body) in patch_fixtures() {
        let result = validate_patch_against(&config(body), &current);
        assert_eq!(result, Ok(()), "{name}");
    }
    // A rekey of a cluster without encrypted volumes is refused.
    let rekey = config(json!({"software_data_encryption": {"rekey": true}}));
    assert_eq!(codes(validate_patch_against(&rekey, &current)), [196608384]);
}

#[test]
fn the_schema_example_request_is_refused_for_its_placeholders() {
    // The reference's schema example: a placeholder protocol version and the read-only state.
    let change = config(fixture("security__example_request.json"));
    let err = validate_patch(&change).unwrap_err();
    let fields: Vec<&str> = err.0.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "software_data_encryption.encryption_state",
            "tls.protocol_versions[0]"
        ]
    );
    assert!(security::patch(&change, Some(30)).is_err());
}

#[test]
fn software_encryption_rules_over_every_combination() {
    let options = [None, Some(false), Some(true)];
    for conversion in options {
        for rekey in options {
            for disabled in options {
                let change = SecurityConfig {
                    software_data_encryption: Some(security::SoftwareDataEncryption {
                        conversion_enabled: conversion,
                        rekey,
                        disabled_by_default: disabled,
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                let got = codes(validate_patch(&change));
                let mut expected = Vec::new();
                if conversion == Some(false) {
                    expected.push(196608387);
                }
                if conversion == Some(true) && disabled == Some(true) {
                    expected.push(196608388);
                }
                if conversion == Some(true) && rekey == Some(true) {
                    expected.push(196608389);
                }
                if rekey == Some(false) {
                    expected.push(196608390);
                }
                if rekey == Some(true) && disabled == Some(true) {
                    expected.push(196608391);
                }
                assert_eq!(got, expected, "{conversion:?} {rekey:?} {disabled:?}");
            }
        }
    }
}

#[test]
fn every_violation_is_reported_at_once_with_a_readable_sentence() {
    let change = config(json!({
        "fips": {"enabled": true},
        "tls": {"protocol_versions": ["TLSv1", "TLSv2"], "cipher_suites": ["TLS_FAKE"]},
        "software_data_encryption": {"conversion_enabled": false, "rekey": false}
    }));
    let err = validate_patch(&change).unwrap_err();
    for code in [196608387, 196608390, 52428824, 52428832] {
        assert!(err.has_code(code), "{code} missing from {err}");
    }
    assert_eq!(err.for_field("tls.protocol_versions").count(), 3);
    assert_eq!(err.for_field("tls.cipher_suites").count(), 1);
    assert!(err
        .0
        .iter()
        .all(|v| v.message.ends_with('.') && v.message.len() > 20));
    // Every coded violation uses a code the reference documents.
    for v in &err.0 {
        if let Some(code) = v.code {
            assert!(ontap_core::catalog::describe(code).is_some(), "{code}");
        }
    }
}

#[test]
fn empty_lists_are_refused() {
    for list in ["protocol_versions", "cipher_suites"] {
        let err = validate_patch(&config(json!({"tls": {list: []}}))).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].field, format!("tls.{list}"));
    }
}

#[test]
fn get_builder_asks_for_what_it_is_told() {
    let r = security::get(&Query::new().fields(["onboard_key_manager_configurable_status"]));
    assert_eq!(r.method, Method::Get);
    assert_eq!(
        r.path_and_query(),
        "/api/security?fields=onboard_key_manager_configurable_status"
    );
    assert_eq!(
        security::get(&Query::new()).path_and_query(),
        "/api/security"
    );
    let r = security::patch(&SecurityConfig::default(), Some(120)).unwrap();
    assert_eq!(r.path_and_query(), "/api/security?return_timeout=120");
}

#[test]
fn presets_are_usable_with_the_versions_they_are_meant_for() {
    let modern = versions_from_floor(TlsVersion::Tls1_2);
    for preset in [SuitePreset::FipsCompatible, SuitePreset::Tls12Modern] {
        let suites = preset.suites();
        assert!(suites.len() >= 5, "{preset:?}");
        assert!(suites.iter().any(|s| suite_traits(s).tls13_only));
        assert!(suites.iter().any(|s| !suite_traits(s).tls13_only));
        assert!(suites.iter().all(|s| suite_fits_versions(s, &modern)));
        let change = SecurityConfig {
            fips: Some(security::Fips {
                enabled: Some(preset == SuitePreset::FipsCompatible),
                ..Default::default()
            }),
            tls: Some(security::Tls::from_floor(TlsVersion::Tls1_2, suites)),
            ..Default::default()
        };
        assert_eq!(validate_patch(&change), Ok(()), "{preset:?}");
    }
    assert!(SuitePreset::Tls12Modern
        .suites()
        .iter()
        .all(|s| suite_traits(s).forward_secret && suite_traits(s).aead));
}

fn version() -> impl Strategy<Value = TlsVersion> {
    proptest::sample::select(TlsVersion::ALL.to_vec())
}

fn suites() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::sample::subsequence(CIPHER_SUITES.to_vec(), 1..20)
}

/// A PATCH that breaks no body rule: any toggles, a floor (at least TLSv1.2 with FIPS on),
/// suites of which one at least fits that floor, and a software-encryption action that stands
/// alone.
fn valid_patch() -> impl Strategy<Value = SecurityConfig> {
    (
        proptest::option::of(any::<bool>()),
        proptest::option::of((version(), suites())),
        proptest::option::of((any::<bool>(), any::<bool>())),
        0..4usize,
    )
        .prop_map(|(fips, tls, protocols, sde)| {
            let tls = tls.map(|(floor, mut suites)| {
                let floor = if fips == Some(true) {
                    floor.max(TlsVersion::FIPS_FLOOR)
                } else {
                    floor
                };
                if !suites
                    .iter()
                    .any(|s| suite_fits_versions(s, &versions_from_floor(floor)))
                {
                    suites.push("TLS_AES_256_GCM_SHA384");
                }
                security::Tls::from_floor(floor, suites)
            });
            let sde = match sde {
                1 => json!({"conversion_enabled": true}),
                2 => json!({"rekey": true}),
                3 => json!({"disabled_by_default": true}),
                _ => json!({"disabled_by_default": false}),
            };
            SecurityConfig {
                fips: fips.map(|enabled| security::Fips {
                    enabled: Some(enabled),
                    ..Default::default()
                }),
                tls,
                management_protocols: protocols.map(|(rsh, telnet)| {
                    security::ManagementProtocols {
                        rsh_enabled: Some(rsh),
                        telnet_enabled: Some(telnet),
                        ..Default::default()
                    }
                }),
                software_data_encryption: serde_json::from_value(sde).ok(),
                ..Default::default()
            }
        })
}

proptest! {
    #[test]
    fn valid_patches_validate_and_round_trip(change in valid_patch()) {
        prop_assert_eq!(validate_patch(&change), Ok(()));
        let request = security::patch(&change, None).unwrap();
        let again: SecurityConfig = serde_json::from_value(request.body.unwrap()).unwrap();
        prop_assert_eq!(again, change);
    }

    #[test]
    fn fips_with_any_version_below_tls12_is_refused_with_its_code(
        listed in proptest::collection::vec(version(), 1..5),
        suites in suites(),
    ) {
        let names: Vec<&str> = listed.iter().map(|v| v.name()).collect();
        let change = config(json!({
            "fips": {"enabled": true},
            "tls": {"protocol_versions": names, "cipher_suites": suites}
        }));
        let result = validate_patch(&change);
        let floor = floor_of(&names).unwrap();
        for version in TlsVersion::ALL {
            let expected = version >= floor && version < TlsVersion::FIPS_FLOOR;
            let code = version.fips_refusal_code();
            let refused = code.is_some_and(|c| codes(result.clone()).contains(&c));
            prop_assert_eq!(refused, expected, "{} with floor {}", version, floor);
        }
        if floor >= TlsVersion::FIPS_FLOOR {
            // Whatever else is wrong, nothing about FIPS and versions.
            prop_assert!(codes(result).is_empty());
        }
    }

    #[test]
    fn enabling_fips_is_judged_against_the_current_floor(
        floor in version(),
        new_floor in proptest::option::of(version()),
    ) {
        let current = SecurityConfig {
            fips: Some(security::Fips { enabled: Some(false), ..Default::default() }),
            tls: Some(security::Tls::from_floor(floor, SuitePreset::FipsCompatible.suites())),
            ..Default::default()
        };
        let mut change = config(json!({"fips": {"enabled": true}}));
        if let Some(new_floor) = new_floor {
            change.tls = Some(security::Tls {
                protocol_versions: Some(vec![new_floor.name().to_owned()]),
                ..Default::default()
            });
        }
        let effective = new_floor.unwrap_or(floor);
        let result = validate_patch_against(&change, &current);
        prop_assert_eq!(result.is_ok(), effective >= TlsVersion::FIPS_FLOOR);
        if let Err(err) = result {
            let field = if new_floor.is_some() { "tls.protocol_versions" } else { "fips.enabled" };
            prop_assert!(err.0.iter().all(|v| v.field == field));
            prop_assert!(err.has_code(effective.fips_refusal_code().unwrap()));
        }
    }

    #[test]
    fn unknown_names_are_refused_at_their_index(
        mut suites in suites(),
        at in 0..20usize,
        junk in "[A-Z_]{3,20}",
    ) {
        prop_assume!(!CIPHER_SUITES.contains(&junk.as_str()));
        let at = at % (suites.len() + 1);
        suites.insert(at, &junk);
        let err = validate_patch(&config(json!({"tls": {"cipher_suites": suites}}))).unwrap_err();
        prop_assert_eq!(err.0.len(), 1);
        prop_assert_eq!(&err.0[0].field, &format!("tls.cipher_suites[{at}]"));
        prop_assert!(!err.0[0].message.is_empty());
    }
}
