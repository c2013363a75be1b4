use serde_json::json;

use super::*;
use crate::catalog::codes;
use crate::request::Method;

fn current(security: serde_json::Value, ipsec: serde_json::Value) -> Current {
    Current {
        security: serde_json::from_value(security).expect("security"),
        ipsec: Some(serde_json::from_value(ipsec).expect("ipsec")),
        release: None,
        ..Current::default()
    }
}

fn cluster() -> Current {
    current(
        json!({
            "fips": {"enabled": false},
            "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2"],
                    "cipher_suites": ["TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"]},
            "management_protocols": {"telnet_enabled": false, "rsh_enabled": false},
            "software_data_encryption": {"disabled_by_default": false, "encryption_state": "unencrypted"}
        }),
        json!({"enabled": false, "replay_window": 0, "offload_enabled": false}),
    )
}

fn file(value: serde_json::Value) -> SettingsFile {
    serde_json::from_value(value).expect("file")
}

#[test]
fn the_cluster_as_a_file_plans_nothing() {
    let now = cluster();
    let same = from_cluster(&now);
    assert!(diff(&same, &now).is_empty());
    let plan = plan(&same, &now).expect("valid");
    assert!(plan.is_empty());
}

#[test]
fn lists_compare_as_sets_and_missing_settings_are_not_managed() {
    let now = cluster();
    let wanted = file(json!({
        "security": {"tls": {"protocol_versions": ["TLSv1.2", "TLSv1.3"]}}
    }));
    assert!(diff(&wanted, &now).is_empty());
}

#[test]
fn a_change_gives_one_request_with_only_what_changed() {
    let now = cluster();
    let wanted = file(json!({
        "security": {"fips": {"enabled": true}, "management_protocols": {"telnet_enabled": false}},
        "ipsec": {"enabled": true, "replay_window": 64}
    }));
    let plan = plan(&wanted, &now).expect("valid");
    let keys: Vec<_> = plan.changes.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "security.fips.enabled",
            "ipsec.enabled",
            "ipsec.replay_window"
        ]
    );
    assert_eq!(plan.steps.len(), 2);
    assert_eq!(plan.steps[0].request.method, Method::Patch);
    assert_eq!(plan.steps[0].request.path, "/api/security");
    assert_eq!(
        plan.steps[0].request.body,
        Some(json!({"fips": {"enabled": true}}))
    );
    assert_eq!(plan.steps[1].request.path, "/api/security/ipsec");
    assert_eq!(
        plan.steps[1].request.body,
        Some(json!({"enabled": true, "replay_window": 64}))
    );
    assert!(plan.lowering().is_empty());
}

#[test]
fn lowering_changes_carry_the_domains_sentences() {
    let now = current(
        json!({"fips": {"enabled": true}, "management_protocols": {"telnet_enabled": false}}),
        json!({"enabled": true}),
    );
    let wanted = file(json!({
        "security": {"fips": {"enabled": false}, "management_protocols": {"telnet_enabled": true}},
        "ipsec": {"enabled": false}
    }));
    let plan = plan(&wanted, &now).expect("valid");
    let lowering = plan.lowering();
    assert_eq!(lowering.len(), 3, "{lowering:?}");
    assert!(lowering[0].contains("FIPS"));
    assert!(lowering[1].contains("telnet"));
    assert!(lowering[2].contains("IPsec"));
}

#[test]
fn violations_name_the_files_key_and_ontaps_code() {
    let now = cluster();
    let wanted = file(json!({
        "security": {"fips": {"enabled": true},
                     "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2", "TLSv1.1"],
                             "cipher_suites": ["NOT_A_SUITE"]}},
        "ipsec": {"replay_window": 100}
    }));
    let problems = plan(&wanted, &now).unwrap_err();
    let fips = problems
        .iter()
        .find(|p| p.code == Some(codes::TLS11_WITH_FIPS))
        .expect("the FIPS rule");
    assert_eq!(fips.key, "security.tls.protocol_versions");
    assert!(problems
        .iter()
        .any(|p| p.key == "security.tls.cipher_suites[0]"));
    assert!(problems.iter().any(|p| p.key == "ipsec.replay_window"));
    // Each violation once, though the body and the cluster rules both find it.
    let count = problems
        .iter()
        .filter(|p| p.code == Some(codes::TLS11_WITH_FIPS))
        .count();
    assert_eq!(count, 1);
}

#[test]
fn a_file_the_cluster_already_matches_is_still_validated() {
    let now = current(
        json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2", "TLSv1.1"]}}),
        json!({}),
    );
    let wanted = file(json!({
        "security": {"fips": {"enabled": true},
                     "tls": {"protocol_versions": ["TLSv1.2", "TLSv1.1"]}}
    }));
    let problems = plan(&wanted, &now).unwrap_err();
    assert!(problems
        .iter()
        .any(|p| p.code == Some(codes::TLS11_WITH_FIPS)));
}

#[test]
fn unknown_keys_are_refused_and_the_schema_names_every_section() {
    let typo: Result<SettingsFile, _> =
        serde_json::from_value(json!({"security": {"fips": {"enable": true}}}));
    assert!(typo.is_err());
    let schema = json_schema().to_string();
    for key in [
        "security",
        "ipsec",
        "cluster",
        "protocol_versions",
        "telnet_enabled",
    ] {
        assert!(schema.contains(key), "{key} missing from the schema");
    }
}

#[test]
fn ipsec_on_a_release_before_9_8_is_refused_with_ontaps_code() {
    let mut now = cluster();
    now.release =
        Some(serde_json::from_value(json!({"generation": 9, "major": 7, "minor": 0})).unwrap());
    let wanted = file(json!({"ipsec": {"enabled": true}}));
    let problems = plan(&wanted, &now).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].key, "ipsec.enabled");
    assert_eq!(problems[0].code, Some(codes::IPSEC_NOT_SUPPORTED));
    now.release =
        Some(serde_json::from_value(json!({"generation": 9, "major": 8, "minor": 0})).unwrap());
    assert!(plan(&wanted, &now).is_ok());
}
