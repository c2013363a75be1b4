//! Per rule, a snapshot breaking exactly that rule gives exactly that finding; a hardened
//! snapshot gives none; property tests over TLS versions, cipher lists and dates; plan order.

use jiff::Timestamp;
use proptest::prelude::*;
use serde_json::json;

use super::catalog::*;
use super::*;
use crate::certificates::expiry::format_timestamp;
use crate::security::tls::{self, TlsVersion, CIPHER_SUITES};

mod plan;

fn now() -> Timestamp {
    "2026-12-03T00:00:00Z".parse().unwrap()
}

fn in_days(days: i64) -> String {
    format_timestamp(Timestamp::from_second(now().as_second() + days * 86_400).unwrap())
}

fn cert(uuid: &str, name: &str, ty: &str, ca: &str, days: i64) -> Certificate {
    serde_json::from_value(json!({
        "uuid": uuid, "name": name, "type": ty, "scope": "cluster", "common_name": name,
        "ca": ca, "key_size": 2048, "hash_function": "sha256", "expiry_time": in_days(days)
    }))
    .unwrap()
}

const STRONG_SUITES: [&str; 4] = [
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
];

/// A cluster configured as TR-4569 asks.
pub(crate) fn hardened() -> Snapshot {
    Snapshot {
        cluster: serde_json::from_value(
            json!({"name": "c1", "version": {"full": "9.16.1", "generation": 9, "major": 16, "minor": 1}}),
        )
        .unwrap(),
        security: serde_json::from_value(json!({
            "fips": {"enabled": true},
            "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2"], "cipher_suites": STRONG_SUITES},
            "management_protocols": {"telnet_enabled": false, "rsh_enabled": false},
            "software_data_encryption": {"disabled_by_default": false, "encryption_state": "encrypted"}
        }))
        .unwrap(),
        ipsec: Some(serde_json::from_value(json!({"enabled": true})).unwrap()),
        key_managers: vec![serde_json::from_value(json!({
            "uuid": "km1", "scope": "cluster",
            "external": {
                "client_certificate": {"uuid": "client1"},
                "server_ca_certificates": [{"uuid": "kmip-ca"}],
                "servers": [
                    {"server": "kms1.example.com:5696", "connectivity": {"cluster_availability": true}},
                    {"server": "kms2.example.com:5696", "connectivity": {"cluster_availability": true}}
                ]
            },
            "status": {"code": 65537200, "message": "No action needed at this time."}
        }))
        .unwrap()],
        certificates: vec![
            cert("root", "c1-root-ca", "root_ca", "c1-root-ca", 3000),
            cert("server1", "c1.example.com", "server", "c1-root-ca", 365),
            cert("client1", "c1-kmip-client", "client", "c1-root-ca", 365),
            cert("kmip-ca", "KMIP CA", "server_ca", "KMIP CA", 2000),
        ],
    }
}

fn rules_found(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|f| f.rule.as_str()).collect()
}

fn set(snapshot: &mut Snapshot, pointer: &str, value: serde_json::Value) {
    let mut security = serde_json::to_value(&snapshot.security).unwrap();
    *security.pointer_mut(pointer).unwrap() = value;
    snapshot.security = serde_json::from_value(security).unwrap();
}

/// A hardened snapshot changed to break exactly `rule`.
fn breaking(rule: &str) -> Snapshot {
    let mut s = hardened();
    match rule {
        FIPS_DISABLED => set(&mut s, "/fips/enabled", json!(false)),
        TLS_MIN_VERSION => set(
            &mut s,
            "/tls/protocol_versions",
            json!(["TLSv1.3", "TLSv1.2", "TLSv1.1"]),
        ),
        TLS_WEAK_CIPHERS => set(
            &mut s,
            "/tls/cipher_suites",
            json!(["TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"]),
        ),
        PROTOCOLS_TELNET => set(&mut s, "/management_protocols/telnet_enabled", json!(true)),
        PROTOCOLS_RSH => set(&mut s, "/management_protocols/rsh_enabled", json!(true)),
        ENCRYPTION_DEFAULT_OFF => set(
            &mut s,
            "/software_data_encryption/disabled_by_default",
            json!(true),
        ),
        KEY_MANAGER_NONE => {
            s.key_managers.clear();
        }
        KEY_MANAGER_SINGLE_SERVER => {
            let ext = s.key_managers[0].external.as_mut().unwrap();
            ext.servers.as_mut().unwrap().truncate(1);
        }
        KEY_MANAGER_SERVER_UNAVAILABLE => {
            let ext = s.key_managers[0].external.as_mut().unwrap();
            let server = &mut ext.servers.as_mut().unwrap()[1];
            server.connectivity.as_mut().unwrap().cluster_availability = Some(false);
        }
        KEY_MANAGER_KEYS_MISSING => {
            s.key_managers = vec![serde_json::from_value(json!({
                "uuid": "okm", "scope": "cluster", "onboard": {"enabled": true},
                "status": {"code": 65537300, "message": "Some keys are missing on one or more nodes."}
            }))
            .unwrap()];
        }
        CERTIFICATE_EXPIRED => s.certificates[1].expiry_time = Some(in_days(-3)),
        CERTIFICATE_EXPIRING_30D => s.certificates[1].expiry_time = Some(in_days(12)),
        CERTIFICATE_EXPIRING_90D => s.certificates[1].expiry_time = Some(in_days(60)),
        CERTIFICATE_WEAK_KEY => s.certificates[1].key_size = Some(1024),
        CERTIFICATE_WEAK_HASH => s.certificates[1].hash_function = Some("sha1".into()),
        CERTIFICATE_SELF_SIGNED_SERVER => s.certificates[1].ca = Some("c1.example.com".into()),
        CERTIFICATE_KEY_MANAGER_EXPIRING => s.certificates[2].expiry_time = Some(in_days(45)),
        IPSEC_DISABLED => {
            s.ipsec = Some(serde_json::from_value(json!({"enabled": false})).unwrap())
        }
        other => panic!("no breaking snapshot for {other}"),
    }
    s
}

#[test]
fn a_hardened_cluster_passes_every_rule() {
    let report = audit(&hardened(), now());
    assert_eq!(
        rules_found(&report),
        Vec::<&str>::new(),
        "{:#?}",
        report.findings
    );
    assert_eq!(report.summary.passed, RULES.len() as u32);
    assert_eq!(report.summary.total, RULES.len() as u32);
    assert!(report.rules.iter().all(|r| r.passed && r.findings == 0));
}

#[test]
fn each_rule_broken_alone_gives_exactly_its_finding() {
    for rule in rules() {
        let report = audit(&breaking(rule.id), now());
        assert_eq!(
            rules_found(&report),
            vec![rule.id],
            "{:#?}",
            report.findings
        );
        let f = &report.findings[0];
        assert_eq!(
            (f.area, f.severity, f.title.as_str()),
            (rule.area, rule.severity, rule.title)
        );
        assert!(f.why.contains("TR-4569"), "{}", f.why);
        assert!(!f.evidence.is_empty());
        assert_eq!(report.summary.passed, RULES.len() as u32 - 1);
        assert_eq!(report.summary.failed.get(rule.severity), 1);
        let result = report.rules.iter().find(|r| r.id == rule.id).unwrap();
        assert!(!result.passed && result.findings == 1);
    }
}

#[test]
fn settings_remedies_are_validated_patches() {
    let body = |rule: &str| -> serde_json::Value {
        let report = audit(&breaking(rule), now());
        match &report.findings[0].remedy {
            Remedy::Requests { requests, requires } => {
                assert!(requires.is_empty(), "{rule}: {requires:?}");
                assert_eq!(requests.len(), 1);
                assert_eq!(requests[0].method, crate::Method::Patch);
                requests[0].body.clone().unwrap()
            }
            other => panic!("{rule}: {other:?}"),
        }
    };
    assert_eq!(body(FIPS_DISABLED), json!({"fips": {"enabled": true}}));
    assert_eq!(
        body(TLS_MIN_VERSION),
        json!({"tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2"]}})
    );
    assert_eq!(
        body(TLS_WEAK_CIPHERS),
        json!({"tls": {"cipher_suites": ["TLS_AES_128_GCM_SHA256"]}})
    );
    assert_eq!(
        body(PROTOCOLS_TELNET),
        json!({"management_protocols": {"telnet_enabled": false}})
    );
    assert_eq!(
        body(PROTOCOLS_RSH),
        json!({"management_protocols": {"rsh_enabled": false}})
    );
    assert_eq!(
        body(ENCRYPTION_DEFAULT_OFF),
        json!({"software_data_encryption": {"disabled_by_default": false}})
    );
    assert_eq!(body(IPSEC_DISABLED), json!({"enabled": true}));
}

#[test]
fn manual_remedies_open_the_right_form() {
    let prefill = |rule: &str| match &audit(&breaking(rule), now()).findings[0].remedy {
        Remedy::Manual {
            prefill,
            page,
            steps,
        } => {
            assert!(!steps.is_empty() && page.starts_with('/'));
            prefill.clone()
        }
        other => panic!("{rule}: {other:?}"),
    };
    assert_eq!(
        prefill(CERTIFICATE_WEAK_KEY),
        Some(Prefill::ReplaceCertificate {
            replaces: Some("server1".into()),
            common_name: "c1.example.com".into(),
            svm: None,
            type_: crate::certificates::CertificateType::Server,
            key_size: 2048,
            hash_function: "sha256".into(),
        })
    );
    assert_eq!(
        prefill(KEY_MANAGER_NONE),
        Some(Prefill::CreateKeyManager { svm: None })
    );
    assert_eq!(
        prefill(KEY_MANAGER_SINGLE_SERVER),
        Some(Prefill::AddKeyServer {
            key_manager: "km1".into()
        })
    );
    assert_eq!(
        prefill(KEY_MANAGER_KEYS_MISSING),
        Some(Prefill::SyncOnboard {
            key_manager: "okm".into()
        })
    );
    assert_eq!(
        prefill(KEY_MANAGER_SERVER_UNAVAILABLE),
        Some(Prefill::CheckKeyServer {
            key_manager: "km1".into(),
            server: "kms2.example.com:5696".into()
        })
    );
    // A trusted CA is installed from its owner, not created here.
    let mut s = hardened();
    s.certificates[3].expiry_time = Some(in_days(-1));
    let report = audit(&s, now());
    assert!(matches!(
        &report.findings[0].remedy,
        Remedy::Manual { prefill: None, .. }
    ));
}

#[test]
fn ec_keys_are_not_weak_rsa_keys() {
    let mut s = hardened();
    s.certificates[1].key_size = Some(256);
    assert!(audit(&s, now()).findings.is_empty());
    s.certificates[1].key_size = Some(192);
    assert_eq!(rules_found(&audit(&s, now())), [CERTIFICATE_WEAK_KEY]);
}

#[test]
fn unread_parts_are_not_judged() {
    let mut s = hardened();
    s.ipsec = None;
    s.security = SecurityConfig::default();
    for km in &mut s.key_managers {
        km.status = None;
        for server in km.external.as_mut().unwrap().servers.as_mut().unwrap() {
            server.connectivity = None;
        }
    }
    assert!(audit(&s, now()).findings.is_empty());
}

#[test]
fn report_json_round_trips_with_lowercase_severities() {
    let report = audit(&breaking(TLS_MIN_VERSION), now());
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["cluster"], json!({"name": "c1", "version": "9.16.1"}));
    assert_eq!(value["audited_at"], "2026-12-03T00:00:00+00:00");
    assert_eq!(value["summary"]["failed"]["high"], 1);
    assert_eq!(value["findings"][0]["severity"], "high");
    assert_eq!(value["findings"][0]["area"], "tls");
    assert_eq!(value["findings"][0]["remedy"]["kind"], "requests");
    assert_eq!(
        value["findings"][0]["remedy"]["requests"][0]["method"],
        "PATCH"
    );
    let back: Report = serde_json::from_value(value).unwrap();
    assert_eq!(back, report);
    let manual = serde_json::to_value(audit(&breaking(KEY_MANAGER_SINGLE_SERVER), now())).unwrap();
    assert_eq!(manual["findings"][0]["area"], "key-manager");
    assert_eq!(
        manual["findings"][0]["remedy"]["prefill"],
        json!({"form": "add_key_server", "key_manager": "km1"})
    );
}

#[test]
fn severities_order_parse_and_print() {
    assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);
    assert_eq!(Severity::ALL[0], Severity::Critical);
    for s in Severity::ALL {
        assert_eq!(s.to_string().parse::<Severity>(), Ok(s));
        assert_eq!(serde_json::to_value(s).unwrap(), json!(s.to_string()));
    }
    assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
    assert!("severe".parse::<Severity>().is_err());
}

#[test]
fn rule_ids_are_unique_and_areas_match_their_prefix() {
    let mut ids: Vec<&str> = rules().iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rules().len());
    for r in rules() {
        let prefix = serde_json::to_value(r.area).unwrap();
        assert!(r.id.starts_with(prefix.as_str().unwrap()), "{}", r.id);
    }
}

#[test]
fn reads_ask_for_what_the_rules_need() {
    let r = reads();
    assert_eq!(r.cluster.path, "/api/cluster");
    let fields = |q: &crate::Request| {
        q.query
            .iter()
            .find(|(k, _)| k == "fields")
            .unwrap()
            .1
            .clone()
    };
    assert!(fields(&r.key_managers).contains("status"));
    assert!(fields(&r.key_managers).contains("external.servers.connectivity"));
    // The record's fields but `volume_encryption`, with connectivity beside status.
    assert_eq!(
        fields(&r.key_managers),
        "uuid,scope,svm,external,onboard,status,external.servers.connectivity,\
         is_default_data_at_rest_encryption_disabled"
    );
    // The list fields are enough (no PEMs: megabytes on 10,000 certificates).
    assert!(!fields(&r.certificates).contains("public_certificate"));
    for f in ["key_size", "hash_function", "expiry_time", "ca"] {
        assert!(fields(&r.certificates).contains(f), "{f}");
    }
    assert_eq!(r.ipsec.path, crate::ipsec::PATH);
}

proptest! {
    #[test]
    fn tls_floor_rule_follows_the_lowest_version(
        versions in proptest::sample::subsequence(TlsVersion::ALL.to_vec(), 1..=5)
    ) {
        let mut s = hardened();
        let names: Vec<&str> = versions.iter().map(|v| v.name()).collect();
        set(&mut s, "/tls/protocol_versions", json!(names));
        let floor = *versions.iter().min().unwrap();
        let report = audit(&s, now());
        let expected: Vec<&str> = if floor < TlsVersion::Tls1_2 { vec![TLS_MIN_VERSION] } else { vec![] };
        prop_assert_eq!(rules_found(&report), expected);
    }

    #[test]
    fn weak_cipher_rule_and_its_fix(
        suites in proptest::sample::subsequence(CIPHER_SUITES.to_vec(), 1..20)
    ) {
        let mut s = hardened();
        set(&mut s, "/fips/enabled", json!(false));
        set(&mut s, "/tls/protocol_versions", json!(["TLSv1.3", "TLSv1.2"]));
        set(&mut s, "/tls/cipher_suites", json!(suites));
        let report = audit(&s, now());
        let weak = !tls::weak_suites(&suites).is_empty();
        prop_assert_eq!(report.findings_of(TLS_WEAK_CIPHERS).count(), usize::from(weak));
        if let Some(Remedy::Requests { requests, .. }) = report.findings_of(TLS_WEAK_CIPHERS).next().map(|f| &f.remedy) {
            let kept = requests[0].body.as_ref().unwrap()["tls"]["cipher_suites"].as_array().unwrap().clone();
            prop_assert!(!kept.is_empty());
            prop_assert!(kept.iter().all(|k| tls::suite_weakness(k.as_str().unwrap()).is_none()));
        }
        // Every request the audit offers passes core's validation (it is built by the builders).
        for f in &report.findings {
            prop_assert!(f.rule == FIPS_DISABLED || f.rule == TLS_WEAK_CIPHERS, "{}", f.rule);
        }
    }

    #[test]
    fn expiry_rules_follow_the_thresholds(seconds in -400i64 * 86_400..400 * 86_400, km_used in any::<bool>()) {
        let mut s = hardened();
        let at = format_timestamp(Timestamp::from_second(now().as_second() + seconds).unwrap());
        let index = if km_used { 2 } else { 1 };
        s.certificates[index].expiry_time = Some(at);
        let days = seconds.div_euclid(86_400);
        let expected: Vec<&str> = if km_used {
            if days < EXPIRING_DAYS { vec![CERTIFICATE_KEY_MANAGER_EXPIRING] } else { vec![] }
        } else if seconds <= 0 {
            vec![CERTIFICATE_EXPIRED]
        } else if days < EXPIRING_SOON_DAYS {
            vec![CERTIFICATE_EXPIRING_30D]
        } else if days < EXPIRING_DAYS {
            vec![CERTIFICATE_EXPIRING_90D]
        } else {
            vec![]
        };
        let report = audit(&s, now());
        prop_assert_eq!(rules_found(&report), expected);
    }

    #[test]
    fn key_sizes(bits in 1u32..8192) {
        let mut s = hardened();
        s.certificates[1].key_size = Some(bits);
        let weak = if EC_KEY_SIZES.contains(&bits) { bits < MIN_EC_BITS } else { bits < MIN_RSA_BITS };
        let found = audit(&s, now()).findings_of(CERTIFICATE_WEAK_KEY).count();
        prop_assert_eq!(found, usize::from(weak));
    }
}
