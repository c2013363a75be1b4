use super::*;
use serde_json::json;

fn current() -> SecurityConfig {
    serde_json::from_value(json!({
        "fips": {"enabled": false},
        "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2", "TLSv1.1"],
                "cipher_suites": ["TLS_AES_128_GCM_SHA256"]},
        "management_protocols": {"rsh_enabled": false, "telnet_enabled": true},
        "software_data_encryption": {"disabled_by_default": false, "encryption_state": "unencrypted"}
    }))
    .expect("fixture")
}

#[test]
fn an_untouched_draft_changes_nothing() {
    let c = current();
    assert!(is_empty(&Draft::from_current(&c).change(&c)));
}

#[test]
fn only_changed_settings_are_sent() {
    let c = current();
    let mut d = Draft::from_current(&c);
    d.telnet = false;
    d.floor = Some(TlsVersion::Tls1_2);
    let body = serde_json::to_value(d.change(&c)).expect("json");
    assert_eq!(
        body,
        json!({"tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2"]},
               "management_protocols": {"telnet_enabled": false}})
    );
}

#[test]
fn starting_a_conversion_sends_true_only() {
    let c = current();
    let mut d = Draft::from_current(&c);
    d.start_conversion = true;
    let body = serde_json::to_value(d.change(&c)).expect("json");
    assert_eq!(
        body,
        json!({"software_data_encryption": {"conversion_enabled": true}})
    );
}
