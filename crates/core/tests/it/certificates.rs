//! Certificate POST, sign and CSR rules, with their ONTAP codes and boundaries.

use jiff::Timestamp;
use ontap_core::certificates::{self, Certificate, CsrRequest, SignRequest};
use ontap_core::Violations;
use proptest::prelude::*;
use rcgen::{CertificateParams, DnType, KeyPair};
use serde_json::{json, Value};

fn now() -> Timestamp {
    "2026-11-22T12:00:00Z".parse().unwrap()
}

fn cert(v: Value) -> Certificate {
    serde_json::from_value(v).unwrap()
}

fn codes(r: Result<(), Violations>) -> Vec<u64> {
    let mut c: Vec<u64> = r
        .err()
        .map(|v| v.0.iter().filter_map(|x| x.code).collect())
        .unwrap_or_default();
    c.sort();
    c
}

fn self_signed(cn: &str) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![cn.to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    (params.self_signed(&key).unwrap().pem(), key.serialize_pem())
}

#[test]
fn create_rules() {
    let ok = cert(json!({"type": "server", "common_name": "TEST-SERVER"}));
    assert!(certificates::validate_post(&ok, now()).is_ok());
    assert_eq!(
        codes(certificates::validate_post(
            &cert(json!({"common_name": "x"})),
            now()
        )),
        vec![3735622]
    );
    assert_eq!(
        codes(certificates::validate_post(
            &cert(json!({"type": "intermediate", "common_name": "x"})),
            now()
        )),
        vec![3735622]
    );
    for (size, ok) in [
        (512, false),
        (1024, false),
        (1536, false),
        (2048, true),
        (3072, true),
        (4096, false),
    ] {
        let c = cert(json!({"type": "server", "common_name": "x", "key_size": size}));
        assert_eq!(
            certificates::validate_post(&c, now()).is_ok(),
            ok,
            "key size {size}"
        );
    }
    for (hash, ok) in [
        ("md5", false),
        ("sha1", false),
        ("sha256", true),
        ("sha512", true),
        ("sha3", false),
    ] {
        let c = cert(json!({"type": "root_ca", "common_name": "x", "hash_function": hash}));
        assert_eq!(
            codes(certificates::validate_post(&c, now())),
            if ok { vec![] } else { vec![52560173] },
            "{hash}"
        );
    }
    for (expiry, ok) in [
        ("P365DT", true),
        ("P1DT", true),
        ("PT12H", false),
        ("P3652D", true),
        ("P3653D", false),
        ("2030-01-25 11:20:13 +0000", true),
        ("2020-01-01T00:00:00Z", false),
        ("next year", false),
    ] {
        let c = cert(json!({"type": "server", "common_name": "x", "expiry_time": expiry}));
        assert_eq!(
            codes(certificates::validate_post(&c, now())),
            if ok { vec![] } else { vec![3735701] },
            "{expiry}"
        );
    }
    assert_eq!(
        codes(certificates::validate_post(
            &cert(json!({"type": "server", "common_name": "x", "serial_number": "01"})),
            now()
        )),
        vec![3735645]
    );
    let err = certificates::validate_post(&cert(json!({"type": "server"})), now()).unwrap_err();
    assert_eq!(err.0[0].field, "common_name");
}

#[test]
fn install_rules() {
    let (pem, key) = self_signed("install.example.com");
    let (_, other_key) = self_signed("other.example.com");
    let ok = cert(json!({"type": "server", "public_certificate": pem, "private_key": key}));
    assert!(certificates::validate_post(&ok, now()).is_ok());
    let mismatched =
        cert(json!({"type": "server", "public_certificate": pem, "private_key": other_key}));
    assert_eq!(
        codes(certificates::validate_post(&mismatched, now())),
        vec![52559976]
    );
    assert_eq!(
        codes(certificates::validate_post(
            &cert(json!({"type": "server", "public_certificate": pem})),
            now()
        )),
        vec![3735693]
    );
    assert_eq!(
        codes(certificates::validate_post(
            &cert(json!({"type": "server_ca", "public_certificate": pem, "private_key": key})),
            now()
        )),
        vec![3735618]
    );
    assert_eq!(
        codes(certificates::validate_post(
            &cert(
                json!({"type": "client_ca", "public_certificate": pem, "intermediate_certificates": [pem]})
            ),
            now()
        )),
        vec![3735696]
    );
    assert_eq!(
        codes(certificates::validate_post(
            &cert(json!({"type": "server_ca", "public_certificate": "<CERTIFICATE-CONTENT>"})),
            now()
        )),
        vec![52559975]
    );
    assert_eq!(
        codes(certificates::validate_post(
            &cert(json!({"type": "server", "public_certificate": pem, "private_key": "not a key"})),
            now()
        )),
        vec![52560123]
    );
    assert_eq!(
        codes(certificates::validate_post(
            &cert(
                json!({"type": "server", "public_certificate": pem, "private_key": key, "intermediate_certificates": ["junk"]})
            ),
            now()
        )),
        vec![52559975]
    );
    assert!(certificates::validate_post(
        &cert(json!({"type": "server_ca", "public_certificate": pem})),
        now()
    )
    .is_ok());
}

fn dated(cn: &str, from: (i32, u8, u8), to: (i32, u8, u8)) -> String {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![cn.to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
    params.not_after = rcgen::date_time_ymd(to.0, to.1, to.2);
    params.self_signed(&key).unwrap().pem()
}

#[test]
fn install_checks_validity_dates_against_now() {
    // now() is 2026-11-22 12:00 UTC.
    for (from, to, code) in [
        ((2020, 1, 1), (2026, 11, 22), Some(52559973)),
        ((2020, 1, 1), (2026, 11, 23), None),
        ((2026, 11, 22), (2027, 1, 1), None),
        ((2026, 11, 23), (2027, 1, 1), Some(52559972)),
    ] {
        let pem = dated("dated.example.com", from, to);
        let body = cert(json!({"type": "server_ca", "public_certificate": pem}));
        assert_eq!(
            codes(certificates::validate_post(&body, now())),
            code.into_iter().collect::<Vec<_>>(),
            "{from:?}..{to:?}"
        );
    }
}

#[test]
fn root_cas_are_created_not_installed() {
    let (pem, _) = self_signed("root.example.com");
    let install = cert(json!({"type": "root_ca", "public_certificate": pem}));
    assert_eq!(
        codes(certificates::validate_post(&install, now())),
        vec![3735622]
    );
    let create = cert(json!({"type": "root_ca", "common_name": "TEST-ROOT-CA"}));
    assert!(certificates::validate_post(&create, now()).is_ok());
    assert_eq!(
        codes(certificates::validate_post(
            &cert(json!({"type": "server_ca", "common_name": "x"})),
            now()
        )),
        vec![3735622]
    );
}

#[test]
fn csr_strengths_map_to_key_sizes() {
    assert_eq!(certificates::csr_key_bits("rsa", 112), Some(2048));
    assert_eq!(certificates::csr_key_bits("rsa", 256), Some(15360));
    assert_eq!(certificates::csr_key_bits("ec", 128), Some(256));
    assert_eq!(certificates::csr_key_bits("ec", 256), Some(521));
    assert_eq!(certificates::csr_key_bits("ec", 100), None);
    assert_eq!(certificates::csr_key_bits("dsa", 112), None);
    for strength in certificates::SECURITY_STRENGTHS {
        for algorithm in certificates::CSR_ALGORITHMS {
            assert!(certificates::csr_key_bits(algorithm, strength).is_some());
        }
    }
}

#[test]
fn azure_rules() {
    let full = json!({"type": "client", "name": "vs0-client-cert", "svm": {"name": "vs0"}, "azure": {
        "key_vault": "https://example.vault.azure.net", "client_id": "id", "tenant_id": "t", "client_secret": "s", "verify_host": false}});
    assert!(certificates::validate_post(&cert(full.clone()), now()).is_ok());
    let mut missing = full.clone();
    missing["azure"]
        .as_object_mut()
        .unwrap()
        .remove("client_secret");
    missing["azure"]
        .as_object_mut()
        .unwrap()
        .remove("tenant_id");
    assert_eq!(
        codes(certificates::validate_post(&cert(missing), now())),
        vec![3735763, 3735763]
    );
    let mut plain = full.clone();
    plain["azure"]["key_vault"] = json!("http://example.vault.azure.net");
    assert_eq!(
        codes(certificates::validate_post(&cert(plain), now())),
        vec![3735762]
    );
    let mut slow = full;
    slow["azure"]["timeout"] = json!(31);
    assert!(certificates::validate_post(&cert(slow), now()).is_err());
}

#[test]
fn sign_and_csr_rules() {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["s.example.com".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "s.example.com");
    let csr = params.serialize_request(&key).unwrap().pem().unwrap();
    let sign = |v: Value| {
        certificates::validate_sign(&serde_json::from_value::<SignRequest>(v).unwrap(), now())
    };
    assert!(sign(
        json!({"signing_request": csr, "hash_function": "sha256", "expiry_time": "P30D"})
    )
    .is_ok());
    assert_eq!(
        codes(sign(
            json!({"signing_request": csr, "expiry_time": "P3653D"})
        )),
        vec![3735701]
    );
    assert_eq!(
        codes(sign(
            json!({"signing_request": csr, "hash_function": "sha1"})
        )),
        vec![52560173]
    );
    assert_eq!(
        codes(sign(json!({"signing_request": "<CERTIFICATE-CONTENT>"}))),
        vec![52559975]
    );
    assert!(sign(json!({})).is_err());
    let req: CsrRequest = serde_json::from_value(json!({"algorithm": "rsa", "extended_key_usage": ["serverauth"], "hash_function": "sha256", "key_usage": ["digitalsignature"], "security_strength": "112", "subject_name": "C=US,O=NTAP,CN=test.domain.com"})).unwrap();
    assert!(certificates::validate_csr(&req).is_ok());
    let bad: CsrRequest = serde_json::from_value(json!({"algorithm": "dsa", "security_strength": 100, "subject_name": "CN", "key_usage": ["everything"]})).unwrap();
    let fields: Vec<String> = certificates::validate_csr(&bad)
        .unwrap_err()
        .0
        .into_iter()
        .map(|v| v.field)
        .collect();
    assert_eq!(
        fields,
        [
            "subject_name",
            "algorithm",
            "security_strength",
            "key_usage[0]"
        ]
    );
}

#[test]
fn builders_and_secret_masking() {
    let (pem, key) = self_signed("m.example.com");
    let c = cert(json!({"type": "server", "public_certificate": pem, "private_key": key}));
    let request = certificates::create(&c, now()).unwrap();
    assert_eq!(
        request.path_and_query(),
        "/api/security/certificates?return_records=true"
    );
    let curl = request.to_curl("https://cluster", "admin");
    assert!(!curl.contains("PRIVATE KEY-----\nM"), "{curl}");
    assert!(curl.contains("********"));
    assert!(!format!("{c:?}").contains("PRIVATE KEY"));
    assert_eq!(
        certificates::delete("u-1").path,
        "/api/security/certificates/u-1"
    );
    let list = certificates::list(
        &ontap_core::Query::new().fields(certificates::LIST_FIELDS.iter().copied()),
    );
    assert!(!list.path_and_query().contains("public_certificate"));
}

proptest! {
    #[test]
    fn key_size_rule(size in 0u32..5000) {
        let c = cert(json!({"type": "server", "common_name": "x", "key_size": size}));
        prop_assert_eq!(certificates::validate_post(&c, now()).is_ok(), size == 2048 || size == 3072);
    }

    #[test]
    fn any_body_validates_without_panicking(ty in "[a-z_]{0,10}", cn in ".{0,20}", pem in ".{0,60}") {
        let c = cert(json!({"type": ty, "common_name": cn, "public_certificate": pem}));
        let _ = certificates::validate_post(&c, now());
    }
}

fn csr_for(cn: &str) -> String {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![cn.to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.serialize_request(&key).unwrap().pem().unwrap()
}

#[test]
fn signing_is_checked_against_the_chosen_ca() {
    let ca = cert(json!({"type": "root_ca", "common_name": "Local Root",
                         "expiry_time": "2027-11-22T12:00:00+00:00"}));
    let request = |cn: &str, expiry: Option<&str>| SignRequest {
        signing_request: Some(csr_for(cn)),
        expiry_time: expiry.map(str::to_owned),
        ..SignRequest::default()
    };
    let check = |r: &SignRequest, ca: &Certificate| {
        codes(certificates::validate_sign_with_ca(r, ca, now()))
    };
    assert!(check(&request("app.example.com", None), &ca).is_empty());
    assert!(check(&request("app.example.com", Some("P365DT")), &ca).is_empty());
    // A day past the CA's own expiry.
    assert_eq!(
        check(&request("app.example.com", Some("P366DT")), &ca),
        vec![3735630]
    );
    assert_eq!(
        check(
            &request("app.example.com", Some("2027-11-23T00:00:00Z")),
            &ca
        ),
        vec![3735630]
    );
    assert_eq!(check(&request("Local Root", None), &ca), vec![3735629]);
    let server = cert(json!({"type": "server", "common_name": "x",
                             "expiry_time": "2030-01-01T00:00:00+00:00"}));
    assert_eq!(
        check(&request("app.example.com", None), &server),
        vec![3735628]
    );
    // The CA-free rules still apply, all reported at once.
    let bad = SignRequest {
        signing_request: Some("junk".into()),
        hash_function: Some("md5".into()),
        expiry_time: Some("P3653D".into()),
        ..SignRequest::default()
    };
    assert_eq!(check(&bad, &ca), vec![3735701, 52559975, 52560173]);
}
