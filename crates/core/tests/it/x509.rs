//! PEM decoding, bundle splitting and key matching on certificates generated here with rcgen.

use jiff::Timestamp;
use ontap_core::pem::to_pem;
use ontap_core::x509::{
    inspect_certificate, inspect_csr, is_private_key_pem, key_matches_certificate, split_bundle,
    FipsProblem, X509Error,
};
use pkcs8::der::{Decode, Encode};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};

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

/// An RSA key of any size signing for rcgen (ring refuses keys under 2048 bits).
struct RsaSigner {
    key: rsa::RsaPrivateKey,
    public_der: Vec<u8>,
}

impl RsaSigner {
    fn generate(bits: usize) -> RsaSigner {
        let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), bits).unwrap();
        let public_der = key.to_public_key().to_pkcs1_der().unwrap().into_vec();
        RsaSigner { key, public_der }
    }
}

impl rcgen::PublicKeyData for RsaSigner {
    fn der_bytes(&self) -> &[u8] {
        &self.public_der
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

impl rcgen::SigningKey for RsaSigner {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(self.key.clone());
        Ok(signer.sign(msg).to_vec())
    }
}

#[test]
fn rsa_keys_match_in_pkcs1_and_pkcs8() {
    let signer = RsaSigner::generate(1024);
    let other = RsaSigner::generate(1024);
    let mut params = CertificateParams::new(vec!["r.example.com".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "r.example.com");
    let cert = params.self_signed(&signer).unwrap().pem();
    let pkcs8 = signer.key.to_pkcs8_pem(LineEnding::LF).unwrap();
    let pkcs1 = signer.key.to_pkcs1_pem(LineEnding::LF).unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    assert_eq!(key_matches_certificate(&cert, &pkcs8), Ok(true));
    assert_eq!(key_matches_certificate(&cert, &pkcs1), Ok(true));
    let other_pkcs1 = other.key.to_pkcs1_pem(LineEnding::LF).unwrap();
    assert_eq!(key_matches_certificate(&cert, &other_pkcs1), Ok(false));
    // An EC key never matches an RSA certificate.
    let ec = KeyPair::generate().unwrap().serialize_pem();
    assert_eq!(key_matches_certificate(&cert, &ec), Ok(false));
    assert!(is_private_key_pem(&pkcs1) && is_private_key_pem(&pkcs8));

    let info = inspect_certificate(&cert).unwrap();
    assert_eq!((info.key_algorithm.as_str(), info.key_size), ("rsa", 1024));
    assert_eq!(info.hash_function.as_deref(), Some("sha256"));
    assert!(info.self_signed);
    assert_eq!(
        info.fips_problems(),
        vec![FipsProblem::WeakRsaKey { bits: 1024 }]
    );
    assert!(!info.is_fips_compliant());
}

/// The SEC1 `EC PRIVATE KEY` form of an rcgen (PKCS#8) EC key, optionally without its point.
fn sec1_pem(key: &KeyPair, with_public: bool) -> String {
    let der = key.serialize_der();
    let info = pkcs8::PrivateKeyInfo::from_der(&der).unwrap();
    let mut ec = sec1::EcPrivateKey::from_der(info.private_key).unwrap();
    if !with_public {
        ec.public_key = None;
    }
    let bytes = ec.to_der().unwrap();
    to_pem("EC PRIVATE KEY", &bytes)
}

#[test]
fn ec_keys_match_in_sec1_and_need_their_point() {
    let (root, root_key, _) = ca("Root");
    let leaf_key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["e.example.com".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "e.example.com");
    let issuer = rcgen::Issuer::from_ca_cert_der(root.der(), &root_key).unwrap();
    let cert = params.signed_by(&leaf_key, &issuer).unwrap().pem();
    assert_eq!(
        key_matches_certificate(&cert, &sec1_pem(&leaf_key, true)),
        Ok(true)
    );
    assert_eq!(
        key_matches_certificate(&cert, &sec1_pem(&root_key, true)),
        Ok(false)
    );
    let pointless = sec1_pem(&leaf_key, false);
    assert_eq!(
        key_matches_certificate(&cert, &pointless),
        Err(X509Error::UnsupportedKey)
    );
    assert!(is_private_key_pem(&pointless));
    let not_a_key = to_pem("PRIVATE KEY", b"\x30\x03\x02\x01\x00");
    assert!(!is_private_key_pem(&not_a_key));
    assert_eq!(
        key_matches_certificate(&cert, &not_a_key),
        Err(X509Error::Malformed("private key"))
    );
}

#[test]
fn expiry_countdown_and_fips_reasons() {
    let (_, _, root_pem) = ca("Root");
    let mut info = inspect_certificate(&root_pem.cert).unwrap();
    let at = |s: i64| Timestamp::from_second(info.not_after.as_second() - s).unwrap();
    assert_eq!(info.days_until_expiry(at(30 * 86_400)), 30);
    assert_eq!(info.days_until_expiry(at(30 * 86_400 - 1)), 29);
    assert_eq!(info.days_until_expiry(at(-1)), -1);
    info.hash_function = Some("sha1".into());
    info.key_algorithm = "ec".into();
    info.key_size = 192;
    let problems = info.fips_problems();
    assert_eq!(
        problems,
        vec![
            FipsProblem::WeakEcKey { bits: 192 },
            FipsProblem::WeakHash {
                hash: "sha1".into()
            }
        ]
    );
    assert!(problems[1].to_string().contains("sha1"));
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

#[test]
fn fingerprint_is_the_sha256_of_the_der() {
    use sha2::{Digest, Sha256};
    let (root, _, pem) = ca("Fingerprint CA");
    let expected = Sha256::digest(root.der())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    let info = inspect_certificate(&pem.cert).unwrap();
    assert_eq!(info.sha256_fingerprint, expected);
    let (_, _, other) = ca("Fingerprint CA");
    assert_ne!(
        inspect_certificate(&other.cert).unwrap().sha256_fingerprint,
        expected
    );
}

#[test]
fn fips_blocks_only_weak_certificates_the_cluster_uses() {
    use ontap_core::certificates::{listing::fips_blockers, Certificate};
    use ontap_core::key_managers::KeyManager;
    let signer = RsaSigner::generate(1024);
    let mut params = CertificateParams::new(vec!["weak.example.com".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "weak.example.com");
    let pem = params.self_signed(&signer).unwrap().pem();
    let cert = |ty: &str| -> Certificate {
        serde_json::from_value(serde_json::json!({
            "uuid": "c-1", "type": ty, "public_certificate": pem
        }))
        .unwrap()
    };
    // A server certificate is presented by the cluster: it blocks FIPS mode.
    assert_eq!(
        fips_blockers(&cert("server"), &[]),
        vec![FipsProblem::WeakRsaKey { bits: 1024 }]
    );
    // A CA nothing refers to does not; the same CA used by a key manager does.
    assert!(fips_blockers(&cert("server_ca"), &[]).is_empty());
    let manager: KeyManager = serde_json::from_value(serde_json::json!({
        "external": {"server_ca_certificates": [{"uuid": "c-1"}]}
    }))
    .unwrap();
    assert_eq!(fips_blockers(&cert("server_ca"), &[manager]).len(), 1);
}

#[test]
fn fips_is_judged_on_the_list_fields_as_on_the_pem() {
    use ontap_core::certificates::{listing, Certificate};
    let signer = RsaSigner::generate(1024);
    let mut params = CertificateParams::new(vec!["weak.example.com".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "weak.example.com");
    let pem = params.self_signed(&signer).unwrap().pem();
    let info = inspect_certificate(&pem).unwrap();
    // The list fields ONTAP (and the simulator) derive from the PEM give the PEM's answer.
    let listed: Certificate = serde_json::from_value(serde_json::json!({
        "uuid": "c-1", "type": "server",
        "key_size": info.key_size, "hash_function": info.hash_function
    }))
    .unwrap();
    assert_eq!(
        listing::listed_fips_problems(&listed),
        Some(info.fips_problems())
    );
    assert_eq!(listing::fips_blockers(&listed, &[]), info.fips_problems());
    // EC sizes, hashes in any case; strong keys pass.
    let fields = |bits: u32, hash: &str| -> Certificate {
        serde_json::from_value(serde_json::json!({"key_size": bits, "hash_function": hash}))
            .unwrap()
    };
    assert_eq!(
        listing::listed_fips_problems(&fields(192, "SHA1")),
        Some(vec![
            FipsProblem::WeakEcKey { bits: 192 },
            FipsProblem::WeakHash {
                hash: "sha1".into()
            }
        ])
    );
    assert_eq!(
        listing::listed_fips_problems(&fields(256, "sha256")),
        Some(vec![])
    );
    assert_eq!(
        listing::listed_fips_problems(&fields(1536, "md5")),
        Some(vec![
            FipsProblem::WeakRsaKey { bits: 1536 },
            FipsProblem::WeakHash { hash: "md5".into() }
        ])
    );
    // Without the fields, the PEM decides.
    let pem_only: Certificate = serde_json::from_value(serde_json::json!({
        "type": "client", "public_certificate": pem
    }))
    .unwrap();
    assert_eq!(listing::listed_fips_problems(&pem_only), None);
    assert_eq!(listing::fips_blockers(&pem_only, &[]), info.fips_problems());
}
