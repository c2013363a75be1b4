//! PEM decoding, bundle splitting and key matching on certificates generated here with rcgen.

use ontap_core::x509::{
    inspect_certificate, inspect_csr, key_matches_certificate, split_bundle, X509Error,
};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};

struct Issued {
    cert: String,
    key: String,
}

fn ca(name: &str) -> (rcgen::Certificate, KeyPair, Issued) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    let issued = Issued {
        cert: cert.pem(),
        key: key.serialize_pem(),
    };
    (cert, key, issued)
}

fn leaf(cn: &str, issuer: &rcgen::Certificate, issuer_key: &KeyPair) -> Issued {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec![format!("{cn}"), "alt.example.com".to_owned()]).unwrap();
    params
        .subject_alt_names
        .push(SanType::IpAddress("10.0.0.7".parse().unwrap()));
    params.use_authority_key_identifier_extension = true;
    params.distinguished_name.push(DnType::CommonName, cn);
    let issuer = rcgen::Issuer::from_ca_cert_der(issuer.der(), issuer_key).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    Issued {
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

#[test]
fn decodes_what_ontap_derives() {
    let (root, root_key, root_pem) = ca("Example Root CA");
    let server = leaf("svm1.example.com", &root, &root_key);
    let info = inspect_certificate(&server.cert).unwrap();
    assert_eq!(info.common_name.as_deref(), Some("svm1.example.com"));
    assert_eq!(info.key_algorithm, "ec");
    assert_eq!(info.key_size, 256);
    assert_eq!(info.hash_function.as_deref(), Some("sha256"));
    assert!(!info.self_signed && !info.is_ca);
    assert_eq!(
        info.subject_alternatives.dns.as_deref(),
        Some(&["svm1.example.com".to_owned(), "alt.example.com".to_owned()][..])
    );
    assert_eq!(
        info.subject_alternatives.ip.as_deref(),
        Some(&["10.0.0.7".to_owned()][..])
    );
    assert!(info
        .serial_number
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    assert_eq!(info.sha256_fingerprint.len(), 32 * 3 - 1);
    let root_info = inspect_certificate(&root_pem.cert).unwrap();
    assert!(root_info.self_signed && root_info.is_ca);
    assert_eq!(
        info.authority_key_identifier,
        root_info.subject_key_identifier
    );
    assert!(
        info.is_valid_at(jiff::Timestamp::from_second(info.not_before.as_second() + 60).unwrap())
    );
    assert!(
        !info.is_valid_at(jiff::Timestamp::from_second(info.not_after.as_second() + 1).unwrap())
    );
    assert!(info.fips_problems().is_empty());
}

#[test]
fn keys_match_only_their_certificate() {
    let (root, root_key, root_pem) = ca("Root");
    let a = leaf("a.example.com", &root, &root_key);
    let b = leaf("b.example.com", &root, &root_key);
    assert_eq!(key_matches_certificate(&a.cert, &a.key), Ok(true));
    assert_eq!(key_matches_certificate(&a.cert, &b.key), Ok(false));
    assert_eq!(
        key_matches_certificate(&root_pem.cert, &root_pem.key),
        Ok(true)
    );
    assert!(matches!(
        key_matches_certificate(&a.cert, &a.cert),
        Err(X509Error::WrongKind { .. })
    ));
}

#[test]
fn rsa_keys_in_pkcs8_match() {
    let key = KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256);
    // ring cannot generate RSA keys; rcgen says so. Then only the EC paths are exercised here,
    // and the simulator's tests cover RSA keys it generates with the rsa crate.
    if let Ok(key) = key {
        let mut params = CertificateParams::new(vec!["r.example.com".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "r.example.com");
        let cert = params.self_signed(&key).unwrap();
        assert_eq!(
            key_matches_certificate(&cert.pem(), &key.serialize_pem()),
            Ok(true)
        );
    }
}

#[test]
fn bundles_split_into_leaf_intermediates_and_key() {
    let (root, root_key, root_pem) = ca("Root");
    let server = leaf("s.example.com", &root, &root_key);
    let text = format!("{}\n{}\n{}", root_pem.cert, server.key, server.cert);
    let bundle = split_bundle(&text).unwrap();
    assert_eq!(
        inspect_certificate(bundle.leaf.as_deref().unwrap())
            .unwrap()
            .common_name
            .as_deref(),
        Some("s.example.com")
    );
    assert_eq!(bundle.intermediates.len(), 1);
    assert_eq!(
        inspect_certificate(&bundle.intermediates[0])
            .unwrap()
            .common_name
            .as_deref(),
        Some("Root")
    );
    assert_eq!(
        key_matches_certificate(
            bundle.leaf.as_deref().unwrap(),
            bundle.private_key.as_deref().unwrap()
        ),
        Ok(true)
    );
    let two_keys = format!("{}{}{}", server.cert, server.key, root_pem.key);
    assert!(split_bundle(&two_keys).is_err());
    assert_eq!(split_bundle("hello"), Err(X509Error::NotPem));
}

#[test]
fn csrs_decode_and_garbage_is_refused_without_echo() {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["csr.example.com".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "csr.example.com");
    let csr = params.serialize_request(&key).unwrap().pem().unwrap();
    let info = inspect_csr(&csr).unwrap();
    assert_eq!(info.common_name.as_deref(), Some("csr.example.com"));
    assert_eq!(
        info.subject_alternatives.dns.as_deref(),
        Some(&["csr.example.com".to_owned()][..])
    );
    let garbage = "-----BEGIN CERTIFICATE-----\nc2VjcmV0LXZhbHVl\n-----END CERTIFICATE-----\n";
    let err = inspect_certificate(garbage).unwrap_err();
    assert!(!err.to_string().contains("c2VjcmV0"));
    assert!(inspect_csr(garbage).is_err());
}
