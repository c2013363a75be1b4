//! The plan: FIPS after the TLS fixes and blocked by weak certificates in use, encryption by
//! default after a key manager.

use super::*;

#[test]
fn fips_waits_for_tls_and_is_blocked_by_a_weak_certificate_in_use() {
    let mut s = breaking(FIPS_DISABLED);
    set(
        &mut s,
        "/tls/protocol_versions",
        json!(["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"]),
    );
    set(
        &mut s,
        "/tls/cipher_suites",
        json!([
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
        ]),
    );
    set(&mut s, "/management_protocols/telnet_enabled", json!(true));
    s.certificates[1].key_size = Some(1024);
    let report = audit(&s, now());
    let fips = report.findings_of(FIPS_DISABLED).next().unwrap();
    assert_eq!(
        fips.remedy.requires(),
        [TLS_MIN_VERSION, TLS_WEAK_CIPHERS, CERTIFICATE_WEAK_KEY]
    );
    let p = plan(&report);
    let planned: Vec<&str> = p.steps.iter().map(|s| s.rule.as_str()).collect();
    assert_eq!(
        planned,
        [TLS_MIN_VERSION, TLS_WEAK_CIPHERS, PROTOCOLS_TELNET]
    );
    assert_eq!(p.blocked.len(), 1);
    assert_eq!(p.blocked[0].rule, FIPS_DISABLED);
    assert!(
        p.blocked[0].reason.contains(CERTIFICATE_WEAK_KEY),
        "{}",
        p.blocked[0].reason
    );
    assert_eq!(p.manual.len(), 1);
    assert_eq!(report.findings[p.manual[0]].rule, CERTIFICATE_WEAK_KEY);

    // Once the certificate is replaced, FIPS is planned after the TLS changes.
    s.certificates[1].key_size = Some(2048);
    let p = plan(&audit(&s, now()));
    let planned: Vec<&str> = p.steps.iter().map(|s| s.rule.as_str()).collect();
    assert_eq!(
        planned,
        [
            TLS_MIN_VERSION,
            TLS_WEAK_CIPHERS,
            FIPS_DISABLED,
            PROTOCOLS_TELNET
        ]
    );
    assert!(p.blocked.is_empty() && p.manual.is_empty());
}

#[test]
fn a_weak_certificate_nothing_uses_does_not_block_fips() {
    let mut s = breaking(FIPS_DISABLED);
    s.certificates[0].hash_function = Some("sha1".into()); // a root CA: not presented
    let report = audit(&s, now());
    assert_eq!(rules_found(&report), [FIPS_DISABLED, CERTIFICATE_WEAK_HASH]);
    let p = plan(&report);
    assert_eq!(p.steps.len(), 1, "{:#?}", report.findings[0]);
    assert!(p.blocked.is_empty());
}

#[test]
fn encryption_by_default_waits_for_a_key_manager() {
    let mut s = breaking(ENCRYPTION_DEFAULT_OFF);
    s.key_managers.clear();
    let p = plan(&audit(&s, now()));
    assert!(p.steps.is_empty());
    assert_eq!(p.blocked[0].rule, ENCRYPTION_DEFAULT_OFF);
}
