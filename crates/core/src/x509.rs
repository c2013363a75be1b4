//! What a PEM certificate, CSR or private key says, decoded with x509-parser: the console's
//! detail view and the simulator's install both use it, so ONTAP's derived fields (common name,
//! serial, expiry, key size, hash, key identifiers, SANs) are computed in one place.
//!
//! Never calls x509-parser's `is_valid()`, which reads the clock (and panics in wasm): validity
//! is judged against a time the caller passes.

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, X509Certificate, X509CertificationRequest};
use x509_parser::public_key::PublicKey;
use x509_parser::signature_algorithm::SignatureAlgorithm;
use x509_parser::x509::AlgorithmIdentifier;

use crate::certificates::SubjectAlternatives;
use crate::pem::to_pem;

/// Why a PEM document could not be used. Never repeats its content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum X509Error {
    #[error("the text is not PEM (-----BEGIN ...----- blocks)")]
    NotPem,
    #[error("the PEM block is a {found}, not a {expected}")]
    WrongKind {
        expected: &'static str,
        found: String,
    },
    #[error("the {0} is not well formed")]
    Malformed(&'static str),
    #[error("this kind of private key cannot be checked here (RSA and EC keys can)")]
    UnsupportedKey,
}

/// The decoded facts of a certificate, in the forms ONTAP shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    pub common_name: Option<String>,
    pub subject_alternatives: SubjectAlternatives,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    /// `rsa`, `ec`, `ed25519`, ... .
    pub key_algorithm: String,
    /// Bits of the public key (RSA modulus, EC curve).
    pub key_size: u32,
    /// `sha256`, `sha1`, `md5`, ...; `None` when the algorithm has no separate hash (Ed25519).
    pub hash_function: Option<String>,
    /// Upper-case hex without separators, as ONTAP shows `serial_number`.
    pub serial_number: String,
    /// Colon-separated upper-case hex, as ONTAP shows key identifiers.
    pub subject_key_identifier: Option<String>,
    pub authority_key_identifier: Option<String>,
    /// SHA-256 of the DER, colon-separated upper-case hex.
    pub sha256_fingerprint: String,
    pub self_signed: bool,
    pub is_ca: bool,
}

impl CertificateInfo {
    /// Whether the certificate is valid at `now`.
    pub fn is_valid_at(&self, now: Timestamp) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    /// Whole days from `now` until the certificate expires; negative once it has expired.
    /// The console flags certificates expiring soon with it.
    pub fn days_until_expiry(&self, now: Timestamp) -> i64 {
        (self.not_after.as_second() - now.as_second()).div_euclid(86_400)
    }

    /// Why the certificate is not FIPS-compliant (ONTAP refuses to enable FIPS mode while such a
    /// certificate is in use: 52559974). Empty when it is compliant.
    pub fn fips_problems(&self) -> Vec<FipsProblem> {
        let mut problems = Vec::new();
        match self.key_algorithm.as_str() {
            "rsa" if self.key_size < FIPS_MIN_RSA_BITS => problems.push(FipsProblem::WeakRsaKey {
                bits: self.key_size,
            }),
            "ec" if self.key_size < FIPS_MIN_EC_BITS => problems.push(FipsProblem::WeakEcKey {
                bits: self.key_size,
            }),
            _ => {}
        }
        if let Some(hash) = self.hash_function.as_deref() {
            if hash == "md5" || hash == "sha1" {
                problems.push(FipsProblem::WeakHash {
                    hash: hash.to_owned(),
                });
            }
        }
        problems
    }

    /// Whether nothing in [`CertificateInfo::fips_problems`] stands against FIPS mode.
    pub fn is_fips_compliant(&self) -> bool {
        self.fips_problems().is_empty()
    }
}

/// The smallest RSA key FIPS 140-2/3 mode accepts.
pub const FIPS_MIN_RSA_BITS: u32 = 2048;
/// The smallest EC curve FIPS mode accepts (P-224).
pub const FIPS_MIN_EC_BITS: u32 = 224;

/// One reason a certificate cannot be used in FIPS mode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FipsProblem {
    #[error("its RSA key has {bits} bits; FIPS mode needs {FIPS_MIN_RSA_BITS} or more")]
    WeakRsaKey { bits: u32 },
    #[error("its EC key has {bits} bits; FIPS mode needs {FIPS_MIN_EC_BITS} or more")]
    WeakEcKey { bits: u32 },
    #[error("it is signed with {hash}; FIPS mode needs a SHA-2 signature")]
    WeakHash { hash: String },
}

/// A PEM bundle split into its parts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bundle {
    /// The end-entity certificate (the first that is not a CA, else the first).
    pub leaf: Option<String>,
    /// The other certificates, in the bundle's order.
    pub intermediates: Vec<String>,
    /// The private key, if the bundle has one.
    pub private_key: Option<String>,
}

/// The decoded facts of a certificate signing request.
#[derive(Debug, Clone, PartialEq)]
pub struct CsrInfo {
    pub subject: String,
    pub common_name: Option<String>,
    pub subject_alternatives: SubjectAlternatives,
    pub key_algorithm: String,
    pub key_size: u32,
}

fn pem_blocks(text: &str) -> Result<Vec<Pem>, X509Error> {
    let blocks: Result<Vec<Pem>, _> = Pem::iter_from_buffer(text.trim().as_bytes()).collect();
    match blocks {
        Ok(blocks) if !blocks.is_empty() => Ok(blocks),
        _ => Err(X509Error::NotPem),
    }
}

fn single_block(text: &str, expected: &'static str, labels: &[&str]) -> Result<Pem, X509Error> {
    let mut blocks = pem_blocks(text)?;
    let block = blocks.remove(0);
    if labels.contains(&block.label.as_str()) {
        Ok(block)
    } else {
        Err(X509Error::WrongKind {
            expected,
            found: block.label.to_lowercase(),
        })
    }
}

/// Decodes the first certificate of a PEM text.
pub fn inspect_certificate(pem: &str) -> Result<CertificateInfo, X509Error> {
    let block = single_block(pem, "certificate", &["CERTIFICATE"])?;
    let (_, cert) = X509Certificate::from_der(&block.contents)
        .map_err(|_| X509Error::Malformed("certificate"))?;
    Ok(describe(&cert, &block.contents))
}

/// Whether a text is one well-formed PEM certificate (ONTAP refuses others with 52559975).
pub fn is_certificate_pem(pem: &str) -> bool {
    inspect_certificate(pem).is_ok()
}

fn describe(cert: &X509Certificate<'_>, der: &[u8]) -> CertificateInfo {
    let mut info = CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        common_name: common_name(cert.subject()),
        subject_alternatives: SubjectAlternatives::default(),
        not_before: to_timestamp(cert.validity().not_before.timestamp()),
        not_after: to_timestamp(cert.validity().not_after.timestamp()),
        key_algorithm: key_algorithm(&cert.public_key().algorithm.algorithm.to_id_string()),
        key_size: cert
            .public_key()
            .parsed()
            .map(|k| k.key_size() as u32)
            .unwrap_or(0),
        hash_function: signature_hash(&cert.signature_algorithm),
        serial_number: hex(trim_zeros(cert.raw_serial()), ""),
        subject_key_identifier: None,
        authority_key_identifier: None,
        sha256_fingerprint: hex(&Sha256::digest(der), ":"),
        self_signed: cert.subject() == cert.issuer(),
        is_ca: cert.is_ca(),
    };
    for ext in cert.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => {
                info.subject_key_identifier = Some(hex(id.0, ":"))
            }
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                info.authority_key_identifier = aki.key_identifier.as_ref().map(|id| hex(id.0, ":"))
            }
            ParsedExtension::SubjectAlternativeName(san) => {
                info.subject_alternatives = alternatives(&san.general_names)
            }
            _ => {}
        }
    }
    // A self-signed certificate names itself as issuer and, when it has identifiers, its own key.
    if let (Some(ski), Some(aki)) = (&info.subject_key_identifier, &info.authority_key_identifier) {
        info.self_signed = info.self_signed && ski == aki;
    }
    info
}

/// Decodes a PEM certificate signing request.
pub fn inspect_csr(pem: &str) -> Result<CsrInfo, X509Error> {
    let block = single_block(
        pem,
        "certificate request",
        &["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"],
    )?;
    let (_, csr) = X509CertificationRequest::from_der(&block.contents)
        .map_err(|_| X509Error::Malformed("certificate request"))?;
    let info = &csr.certification_request_info;
    let mut sans = SubjectAlternatives::default();
    if let Some(exts) = csr.requested_extensions() {
        for ext in exts {
            if let ParsedExtension::SubjectAlternativeName(san) = ext {
                sans = alternatives(&san.general_names);
            }
        }
    }
    Ok(CsrInfo {
        subject: info.subject.to_string(),
        common_name: common_name(&info.subject),
        subject_alternatives: sans,
        key_algorithm: key_algorithm(&info.subject_pki.algorithm.algorithm.to_id_string()),
        key_size: info
            .subject_pki
            .parsed()
            .map(|k| k.key_size() as u32)
            .unwrap_or(0),
    })
}

/// Splits a PEM bundle (certificates and optionally one private key, in any order).
pub fn split_bundle(text: &str) -> Result<Bundle, X509Error> {
    let mut certificates: Vec<(String, bool)> = Vec::new();
    let mut bundle = Bundle::default();
    for block in pem_blocks(text)? {
        let pem = to_pem(&block.label, &block.contents);
        if block.label == "CERTIFICATE" {
            let (_, cert) = X509Certificate::from_der(&block.contents)
                .map_err(|_| X509Error::Malformed("certificate"))?;
            certificates.push((pem, cert.is_ca()));
        } else if block.label.ends_with("PRIVATE KEY") {
            if bundle.private_key.is_some() {
                return Err(X509Error::Malformed(
                    "bundle (it holds more than one private key)",
                ));
            }
            bundle.private_key = Some(pem);
        } else {
            return Err(X509Error::WrongKind {
                expected: "certificate or private key",
                found: block.label.to_lowercase(),
            });
        }
    }
    let leaf_index = certificates.iter().position(|(_, ca)| !ca).unwrap_or(0);
    for (i, (pem, _)) in certificates.into_iter().enumerate() {
        if i == leaf_index {
            bundle.leaf = Some(pem);
        } else {
            bundle.intermediates.push(pem);
        }
    }
    Ok(bundle)
}

/// The PEM labels of the private keys ONTAP takes: PKCS#8, PKCS#1 (RSA) and SEC1 (EC).
const KEY_LABELS: [&str; 3] = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

/// `rsaEncryption` (RFC 8017), the PKCS#8 algorithm of RSA keys.
const RSA_ENCRYPTION_OID: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `id-ecPublicKey` (RFC 5480), the PKCS#8 algorithm of EC keys.
const EC_PUBLIC_KEY_OID: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// Whether a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) belongs to a PEM certificate
/// (ONTAP refuses a mismatch with 52559976).
///
/// The public half is read out of the key's own structure (the RSA modulus and exponent, or the
/// EC public point, or a PKCS#8 v2 public key) with the RustCrypto `pkcs8`/`pkcs1`/`sec1`
/// decoders and compared with the certificate's SubjectPublicKeyInfo; no key arithmetic, so a
/// key that does not carry its public half (an EC key without its point) is
/// [`X509Error::UnsupportedKey`].
pub fn key_matches_certificate(certificate_pem: &str, key_pem: &str) -> Result<bool, X509Error> {
    let block = single_block(certificate_pem, "certificate", &["CERTIFICATE"])?;
    let (_, cert) = X509Certificate::from_der(&block.contents)
        .map_err(|_| X509Error::Malformed("certificate"))?;
    let spki = cert.public_key();
    let key = single_block(key_pem, "private key", &KEY_LABELS)?;
    Ok(match public_half(&key.label, &key.contents)? {
        PublicHalf::Rsa { modulus, exponent } => match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => {
                trim_zeros(modulus) == trim_zeros(rsa.modulus)
                    && trim_zeros(exponent) == trim_zeros(rsa.exponent)
            }
            _ => false,
        },
        PublicHalf::Encoded(bytes) => bytes == &spki.subject_public_key.data[..],
    })
}

/// Whether a text is one well-formed PEM private key of a kind ONTAP takes (52560123):
/// its structure must decode, not only its PEM armour.
pub fn is_private_key_pem(pem: &str) -> bool {
    let Ok(key) = single_block(pem, "private key", &KEY_LABELS) else {
        return false;
    };
    match public_half(&key.label, &key.contents) {
        Ok(_) | Err(X509Error::UnsupportedKey) => true,
        Err(_) => false,
    }
}

/// The public part of a private key, as it appears in a certificate.
enum PublicHalf<'a> {
    /// RSA: compared as integers (leading zero bytes aside).
    Rsa {
        modulus: &'a [u8],
        exponent: &'a [u8],
    },
    /// EC point or other algorithms' public key: the bytes of the SPKI's BIT STRING.
    Encoded(&'a [u8]),
}

fn malformed_key<E>(_: E) -> X509Error {
    X509Error::Malformed("private key")
}

fn public_half<'a>(label: &str, der: &'a [u8]) -> Result<PublicHalf<'a>, X509Error> {
    match label {
        "RSA PRIVATE KEY" => rsa_half(der),
        "EC PRIVATE KEY" => ec_half(der),
        _ => {
            let info = pkcs8::PrivateKeyInfo::try_from(der).map_err(malformed_key)?;
            let from_v2 = info.public_key.map(PublicHalf::Encoded);
            if info.algorithm.oid == RSA_ENCRYPTION_OID {
                rsa_half(info.private_key)
            } else if info.algorithm.oid == EC_PUBLIC_KEY_OID {
                match ec_half(info.private_key) {
                    Err(X509Error::UnsupportedKey) => from_v2.ok_or(X509Error::UnsupportedKey),
                    other => other,
                }
            } else {
                from_v2.ok_or(X509Error::UnsupportedKey)
            }
        }
    }
}

/// RSAPrivateKey (RFC 8017) carries the modulus and public exponent.
fn rsa_half(der: &[u8]) -> Result<PublicHalf<'_>, X509Error> {
    let key = pkcs1::RsaPrivateKey::try_from(der).map_err(malformed_key)?;
    Ok(PublicHalf::Rsa {
        modulus: key.modulus.as_bytes(),
        exponent: key.public_exponent.as_bytes(),
    })
}

/// ECPrivateKey (RFC 5915) carries the public point when the encoder included it (OpenSSL,
/// ring and rcgen do).
fn ec_half(der: &[u8]) -> Result<PublicHalf<'_>, X509Error> {
    let key = sec1::EcPrivateKey::try_from(der).map_err(malformed_key)?;
    key.public_key
        .map(PublicHalf::Encoded)
        .ok_or(X509Error::UnsupportedKey)
}

fn common_name(name: &x509_parser::x509::X509Name<'_>) -> Option<String> {
    name.iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned)
}

fn alternatives(names: &[GeneralName<'_>]) -> SubjectAlternatives {
    let mut sans = SubjectAlternatives::default();
    for name in names {
        let (list, value) = match name {
            GeneralName::DNSName(d) => (&mut sans.dns, d.to_string()),
            GeneralName::RFC822Name(e) => (&mut sans.email, e.to_string()),
            GeneralName::URI(u) => (&mut sans.uri, u.to_string()),
            GeneralName::IPAddress(bytes) => (&mut sans.ip, ip_text(bytes)),
            _ => continue,
        };
        list.get_or_insert_with(Vec::new).push(value);
    }
    sans
}

fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        _ => hex(bytes, ":"),
    }
}

fn key_algorithm(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.1" => "rsa",
        "1.2.840.10045.2.1" => "ec",
        "1.3.101.112" => "ed25519",
        "1.3.101.113" => "ed448",
        "1.2.840.10040.4.1" => "dsa",
        other => other,
    }
    .to_owned()
}

/// The hash of a signature algorithm: by OID for RSA PKCS#1 v1.5, ECDSA and DSA, from the
/// parameters for RSASSA-PSS.
fn signature_hash(algorithm: &AlgorithmIdentifier<'_>) -> Option<String> {
    let oid = algorithm.algorithm.to_id_string();
    if oid == RSASSA_PSS_OID {
        return match SignatureAlgorithm::try_from(algorithm) {
            Ok(SignatureAlgorithm::RSASSA_PSS(params)) => {
                hash_of(&params.hash_algorithm_oid().to_id_string())
            }
            _ => None,
        };
    }
    hash_of(&oid)
}

const RSASSA_PSS_OID: &str = "1.2.840.113549.1.1.10";

/// The hash named by a signature or digest algorithm OID.
fn hash_of(oid: &str) -> Option<String> {
    let name = match oid {
        "1.2.840.113549.1.1.4" | "1.2.840.113549.2.5" => "md5",
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" | "1.3.14.3.2.26" => {
            "sha1"
        }
        "1.2.840.113549.1.1.14" | "1.2.840.10045.4.3.1" | "2.16.840.1.101.3.4.2.4" => "sha224",
        "1.2.840.113549.1.1.11" | "1.2.840.10045.4.3.2" | "2.16.840.1.101.3.4.2.1" => "sha256",
        "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" | "2.16.840.1.101.3.4.2.2" => "sha384",
        "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" | "2.16.840.1.101.3.4.2.3" => "sha512",
        _ => return None,
    };
    Some(name.to_owned())
}

fn to_timestamp(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(if seconds < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

fn trim_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    &bytes[start..]
}

fn hex(bytes: &[u8], separator: &str) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(separator)
}
