//! Real X.509 for the simulated cluster: RSA keys (the `rsa` crate, since ring cannot generate
//! them), self-signed and root CA certificates, CSR signing and CSR generation (rcgen).

use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, DistinguishedName,
    DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType, SignatureAlgorithm,
};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use time::OffsetDateTime;

/// Why the simulator could not make a certificate or key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PkiError {
    #[error("{0} is not available in the simulator")]
    Unsupported(String),
    #[error("the certificate could not be generated")]
    Generation,
    #[error("the certificate signing request could not be read")]
    BadCsr,
}

/// A certificate and its private key, both PEM.
#[derive(Debug, Clone)]
pub struct Issued {
    pub certificate: String,
    pub key: String,
}

/// What a new certificate says.
#[derive(Debug, Clone)]
pub struct Subject {
    pub common_name: String,
    pub dns: Vec<String>,
    pub ips: Vec<std::net::IpAddr>,
    /// Seconds since the Unix epoch.
    pub not_before: i64,
    pub not_after: i64,
    pub is_ca: bool,
}

fn rsa_algorithm(hash: &str) -> Result<&'static SignatureAlgorithm, PkiError> {
    match hash {
        "sha256" => Ok(&rcgen::PKCS_RSA_SHA256),
        "sha384" => Ok(&rcgen::PKCS_RSA_SHA384),
        "sha512" => Ok(&rcgen::PKCS_RSA_SHA512),
        other => Err(PkiError::Unsupported(format!("Signing with {other}"))),
    }
}

/// A new RSA key of `bits`, usable by rcgen to sign with `hash`.
pub fn rsa_key(bits: u32, hash: &str) -> Result<KeyPair, PkiError> {
    let algorithm = rsa_algorithm(hash)?;
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, bits as usize)
        .map_err(|_| PkiError::Generation)?;
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| PkiError::Generation)?;
    KeyPair::from_pkcs8_pem_and_sign_algo(&pem, algorithm).map_err(|_| PkiError::Generation)
}

/// Re-reads a PEM key for signing with `hash`.
pub fn load_key(pem: &str, hash: &str) -> Result<KeyPair, PkiError> {
    let parsed = KeyPair::from_pem(pem).map_err(|_| PkiError::Generation)?;
    if parsed.algorithm() == &rcgen::PKCS_ECDSA_P256_SHA256
        || parsed.algorithm() == &rcgen::PKCS_ECDSA_P384_SHA384
    {
        return Ok(parsed);
    }
    KeyPair::from_pem_and_sign_algo(pem, rsa_algorithm(hash)?).map_err(|_| PkiError::Generation)
}

fn time_at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn params_for(subject: &Subject) -> Result<CertificateParams, PkiError> {
    let mut params =
        CertificateParams::new(subject.dns.clone()).map_err(|_| PkiError::Generation)?;
    for ip in &subject.ips {
        params.subject_alt_names.push(SanType::IpAddress(*ip));
    }
    params.distinguished_name = DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, subject.common_name.clone());
    params.not_before = time_at(subject.not_before);
    params.not_after = time_at(subject.not_after);
    params.use_authority_key_identifier_extension = !subject.is_ca;
    if subject.is_ca {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
    }
    Ok(params)
}

/// A self-signed certificate (a root CA when `subject.is_ca`) with the given key.
pub fn self_signed(subject: &Subject, key: &KeyPair) -> Result<Issued, PkiError> {
    let cert = params_for(subject)?
        .self_signed(key)
        .map_err(|_| PkiError::Generation)?;
    Ok(Issued {
        certificate: cert.pem(),
        key: key.serialize_pem(),
    })
}

/// A certificate for `subject` signed by a CA.
pub fn issue(
    subject: &Subject,
    key: &KeyPair,
    ca_certificate: &str,
    ca_key: &KeyPair,
) -> Result<Issued, PkiError> {
    let certificate = issue_for(subject, key, ca_certificate, ca_key)?;
    Ok(Issued {
        certificate,
        key: key.serialize_pem(),
    })
}

fn issue_for(
    subject: &Subject,
    public: &impl rcgen::PublicKeyData,
    ca_certificate: &str,
    ca_key: &KeyPair,
) -> Result<String, PkiError> {
    let issuer =
        Issuer::from_ca_cert_pem(ca_certificate, ca_key).map_err(|_| PkiError::Generation)?;
    let cert = params_for(subject)?
        .signed_by(public, &issuer)
        .map_err(|_| PkiError::Generation)?;
    Ok(cert.pem())
}

/// A certificate with a weak RSA key (e.g. 1024 bits, which ring will not sign with), signed by
/// a CA: only the key's public half goes into the certificate. For the demo's legacy cases.
pub fn issue_weak_rsa(
    subject: &Subject,
    bits: u32,
    ca_certificate: &str,
    ca_key: &KeyPair,
) -> Result<Issued, PkiError> {
    use rsa::pkcs8::EncodePublicKey;
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, bits as usize)
        .map_err(|_| PkiError::Generation)?;
    let spki = key
        .to_public_key()
        .to_public_key_der()
        .map_err(|_| PkiError::Generation)?;
    let public =
        rcgen::SubjectPublicKeyInfo::from_der(spki.as_bytes()).map_err(|_| PkiError::Generation)?;
    let certificate = issue_for(subject, &public, ca_certificate, ca_key)?;
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| PkiError::Generation)?;
    Ok(Issued {
        certificate,
        key: pem.to_string(),
    })
}

/// A self-signed server certificate signed with RSA/SHA-1, as old clusters still carry. rcgen
/// (rightly) cannot sign with SHA-1, so the RustCrypto x509-cert builder does it; only the demo
/// scenario uses this, to show what FIPS mode refuses.
pub fn self_signed_sha1(subject: &Subject, bits: u32) -> Result<Issued, PkiError> {
    use std::str::FromStr;
    use std::time::{Duration, UNIX_EPOCH};
    use x509_cert::builder::{Builder, CertificateBuilder, Profile};
    use x509_cert::der::EncodePem;
    use x509_cert::name::Name;
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::spki::SubjectPublicKeyInfoOwned;
    use x509_cert::time::{Time, Validity};

    let fail = |_| PkiError::Generation;
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, bits as usize)
        .map_err(|_| PkiError::Generation)?;
    let signer = rsa::pkcs1v15::SigningKey::<sha1::Sha1>::new(key.clone());
    let spki = SubjectPublicKeyInfoOwned::from_key(key.to_public_key())
        .map_err(|_| PkiError::Generation)?;
    let name = Name::from_str(&format!("CN={}", subject.common_name)).map_err(fail)?;
    let at = |seconds: i64| Time::try_from(UNIX_EPOCH + Duration::from_secs(seconds.max(0) as u64));
    let validity = Validity {
        not_before: at(subject.not_before).map_err(fail)?,
        not_after: at(subject.not_after).map_err(fail)?,
    };
    let serial = SerialNumber::from(rand::random::<u32>());
    let profile = Profile::Leaf {
        issuer: name.clone(),
        enable_key_agreement: false,
        enable_key_encipherment: true,
    };
    let builder = CertificateBuilder::new(profile, serial, validity, name, spki, &signer)
        .map_err(|_| PkiError::Generation)?;
    let certificate = builder
        .build::<rsa::pkcs1v15::Signature>()
        .map_err(|_| PkiError::Generation)?
        .to_pem(x509_cert::der::pem::LineEnding::LF)
        .map_err(fail)?;
    let key = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| PkiError::Generation)?;
    Ok(Issued {
        certificate,
        key: key.to_string(),
    })
}

/// A new ECDSA P-256 key (fast to make and to sign with), for mass-produced certificates.
pub fn ec_key() -> Result<KeyPair, PkiError> {
    KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(|_| PkiError::Generation)
}

/// A certificate with an explicit serial number (rcgen otherwise derives it from the public
/// key, so certificates sharing a key would share it): signed by `issuer`, or self-signed with
/// `key` when there is none. For the `many` scenario, which issues thousands.
pub fn numbered(
    subject: &Subject,
    serial: u64,
    key: &KeyPair,
    issuer: Option<&Issuer<'_, KeyPair>>,
) -> Result<String, PkiError> {
    let mut params = params_for(subject)?;
    params.serial_number = Some(rcgen::SerialNumber::from(serial));
    let cert = match issuer {
        Some(issuer) => params.signed_by(key, issuer),
        None => params.self_signed(key),
    }
    .map_err(|_| PkiError::Generation)?;
    Ok(cert.pem())
}

/// The issuer a CA certificate and its key make, parsed once for many signatures.
pub fn issuer(ca_certificate: &str, ca_key: KeyPair) -> Result<Issuer<'static, KeyPair>, PkiError> {
    Issuer::from_ca_cert_pem(ca_certificate, ca_key).map_err(|_| PkiError::Generation)
}

/// Signs a PEM CSR with a CA, valid from `not_before` to `not_after` (Unix seconds).
pub fn sign_csr(
    csr_pem: &str,
    ca_certificate: &str,
    ca_key: &KeyPair,
    not_before: i64,
    not_after: i64,
) -> Result<String, PkiError> {
    let mut csr =
        CertificateSigningRequestParams::from_pem(csr_pem).map_err(|_| PkiError::BadCsr)?;
    csr.params.not_before = time_at(not_before);
    csr.params.not_after = time_at(not_after);
    csr.params.use_authority_key_identifier_extension = true;
    let issuer =
        Issuer::from_ca_cert_pem(ca_certificate, ca_key).map_err(|_| PkiError::Generation)?;
    csr.signed_by(&issuer)
        .map(|c| c.pem())
        .map_err(|_| PkiError::Generation)
}

/// A new key and a CSR for `subject_name` (`C=US,O=Example,CN=host`), with SANs.
pub fn generate_csr(
    subject_name: &str,
    dns: &[String],
    ips: &[std::net::IpAddr],
    algorithm: &str,
    strength: i64,
    hash: &str,
) -> Result<(String, String), PkiError> {
    let key = match (algorithm, strength) {
        ("ec", 112 | 128) => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .map_err(|_| PkiError::Generation)?,
        ("ec", 192 | 256) => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)
            .map_err(|_| PkiError::Generation)?,
        ("rsa", 112) => rsa_key(2048, hash)?,
        ("rsa", 128) => rsa_key(3072, hash)?,
        (a, s) => return Err(PkiError::Unsupported(format!("A {s}-bit-strength {a} key"))),
    };
    let mut params = CertificateParams::new(dns.to_vec()).map_err(|_| PkiError::Generation)?;
    for ip in ips {
        params.subject_alt_names.push(SanType::IpAddress(*ip));
    }
    params.distinguished_name = DistinguishedName::new();
    for part in subject_name.split(',') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let ty = match k.trim().to_ascii_uppercase().as_str() {
            "CN" => DnType::CommonName,
            "C" => DnType::CountryName,
            "O" => DnType::OrganizationName,
            "OU" => DnType::OrganizationalUnitName,
            "L" => DnType::LocalityName,
            "ST" => DnType::StateOrProvinceName,
            _ => continue,
        };
        params.distinguished_name.push(ty, v.trim());
    }
    let csr = params
        .serialize_request(&key)
        .map_err(|_| PkiError::Generation)?;
    Ok((
        csr.pem().map_err(|_| PkiError::Generation)?,
        key.serialize_pem(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(cn: &str, is_ca: bool) -> Subject {
        Subject {
            common_name: cn.to_owned(),
            dns: vec![],
            ips: vec![],
            not_before: 1_700_000_000,
            not_after: 1_800_000_000,
            is_ca,
        }
    }

    #[test]
    fn rsa_keys_self_sign_and_issue() {
        let key = rsa_key(2048, "sha256").expect("rsa key");
        let root = self_signed(&subject("Root", true), &key).expect("self-signed");
        let info = ontap_core::x509::inspect_certificate(&root.certificate).unwrap();
        assert_eq!(
            (
                info.key_algorithm.as_str(),
                info.key_size,
                info.hash_function.as_deref()
            ),
            ("rsa", 2048, Some("sha256"))
        );
        let leaf_key = rsa_key(2048, "sha384").unwrap();
        let leaf = issue(
            &subject("leaf.example.com", false),
            &leaf_key,
            &root.certificate,
            &key,
        )
        .expect("issued");
        let leaf_info = ontap_core::x509::inspect_certificate(&leaf.certificate).unwrap();
        assert_eq!(
            leaf_info.authority_key_identifier,
            info.subject_key_identifier
        );
        assert_eq!(
            ontap_core::x509::key_matches_certificate(&leaf.certificate, &leaf.key),
            Ok(true)
        );
        let (csr, csr_key) = generate_csr(
            "C=US,O=Example,CN=csr.example.com",
            &["csr.example.com".to_owned()],
            &[],
            "rsa",
            112,
            "sha256",
        )
        .unwrap();
        let signed = sign_csr(
            &csr,
            &root.certificate,
            &load_key(&root.key, "sha256").unwrap(),
            1_700_000_000,
            1_750_000_000,
        )
        .expect("signed");
        assert_eq!(
            ontap_core::x509::key_matches_certificate(&signed, &csr_key),
            Ok(true)
        );
        let weak = issue_weak_rsa(
            &subject("old.example.com", false),
            1024,
            &root.certificate,
            &key,
        )
        .expect("weak");
        let weak_info = ontap_core::x509::inspect_certificate(&weak.certificate).unwrap();
        assert_eq!(weak_info.key_size, 1024);
        assert_eq!(weak_info.fips_problems().len(), 1);
        let sha1 = self_signed_sha1(&subject("legacy.example.com", false), 2048).expect("sha1");
        let sha1_info = ontap_core::x509::inspect_certificate(&sha1.certificate).unwrap();
        assert_eq!(sha1_info.hash_function.as_deref(), Some("sha1"));
        assert!(sha1_info.self_signed);
        assert_eq!(
            ontap_core::x509::key_matches_certificate(&sha1.certificate, &sha1.key),
            Ok(true)
        );
        assert_eq!(
            ontap_core::x509::key_matches_certificate(&weak.certificate, &weak.key),
            Ok(true)
        );
    }
}
