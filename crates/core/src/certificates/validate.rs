//! The rules ONTAP applies to certificate POSTs, signing and CSR generation.

use jiff::Timestamp;

use super::expiry::Expiry;
use super::model::{Azure, Certificate, CertificateType, CsrRequest, SignRequest};
use crate::validation::{Violation, Violations};
use crate::x509;

use super::defaults::*;

/// The key size a CSR's algorithm and security strength stand for (NIST SP 800-57 equivalents,
/// as ONTAP maps them): RSA 2048/3072/7680/15360 bits, EC P-224/P-256/P-384/P-521.
/// `None` for an unknown algorithm or strength.
pub fn csr_key_bits(algorithm: &str, strength: i64) -> Option<u32> {
    let index = SECURITY_STRENGTHS.iter().position(|s| *s == strength)?;
    match algorithm {
        "rsa" => Some([2048, 3072, 7680, 15360][index]),
        "ec" => Some([224, 256, 384, 521][index]),
        _ => None,
    }
}

/// What a certificate POST does, decided by which fields it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    /// `public_certificate` given: install it.
    Install,
    /// `azure` given: download it from Azure Key Vault.
    AzureDownload,
    /// Neither: ONTAP creates a self-signed certificate (or a root CA).
    Create,
}

/// Which kind of POST a body is.
pub fn post_kind(cert: &Certificate) -> PostKind {
    if cert.azure.is_some() {
        PostKind::AzureDownload
    } else if cert.public_certificate.is_some() {
        PostKind::Install
    } else {
        PostKind::Create
    }
}

/// Checks a `POST /security/certificates` body. `now` is needed for the expiry range.
pub fn validate_post(cert: &Certificate, now: Timestamp) -> Result<(), Violations> {
    let mut out = Violations::new();
    let kind = post_kind(cert);
    match &cert.type_ {
        None => out.push(Violation::coded(
            "type",
            3735622,
            "Choose the certificate type: client, server, client_ca, server_ca or root_ca.",
        )),
        Some(CertificateType::Other(_)) => out.push(Violation::coded(
            "type",
            3735622,
            "The certificate type must be client, server, client_ca, server_ca or root_ca.",
        )),
        Some(_) => {}
    }
    if cert.serial_number.is_some() {
        out.push(Violation::coded(
            "serial_number",
            3735645,
            "The serial number is generated automatically; leave it empty.",
        ));
    }
    if let Some(svm) = &cert.svm {
        if svm.uuid.as_deref().is_none_or(str::is_empty)
            && svm.name.as_deref().is_none_or(str::is_empty)
        {
            out.push(Violation::new(
                "svm",
                "Name the SVM by UUID or name, or leave it out for the cluster.",
            ));
        }
    }
    for (field, present) in [
        ("uuid", cert.uuid.is_some()),
        ("scope", cert.scope.is_some()),
    ] {
        if present {
            out.push(Violation::new(field, "This field is set by the cluster."));
        }
    }
    match kind {
        PostKind::Create => check_create(cert, now, &mut out),
        PostKind::Install => check_install(cert, now, &mut out),
        PostKind::AzureDownload => check_azure(cert, &mut out),
    }
    out.into_result()
}

fn check_create(cert: &Certificate, now: Timestamp, out: &mut Violations) {
    if cert
        .common_name
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        out.push(Violation::new(
            "common_name",
            "Give the common name (e.g. the host's FQDN) of the certificate to create.",
        ));
    }
    if cert
        .type_
        .as_ref()
        .is_some_and(CertificateType::is_trusted_ca)
    {
        out.push(Violation::coded("type", 3735622, "client_ca and server_ca certificates are installed, not created: paste the CA's certificate."));
    }
    if let Some(size) = cert.key_size {
        if !KEY_SIZES.contains(&size) || size < MIN_CREATE_KEY_SIZE {
            out.push(Violation::coded(
                "key_size",
                3735700,
                "The key size must be 2048 or 3072 bits when creating a certificate.",
            ));
        }
    }
    if let Some(hash) = &cert.hash_function {
        check_hash(hash, "hash_function", out);
    }
    if let Some(expiry) = &cert.expiry_time {
        check_expiry(expiry, "expiry_time", now, out);
    }
    if cert.private_key.is_some() {
        out.push(Violation::new(
            "private_key",
            "A private key is only given when installing a certificate.",
        ));
    }
    if cert.intermediate_certificates.is_some() {
        out.push(Violation::new(
            "intermediate_certificates",
            "Intermediate certificates are only given when installing a certificate.",
        ));
    }
}

fn check_install(cert: &Certificate, now: Timestamp, out: &mut Violations) {
    let pem = cert.public_certificate.as_deref().unwrap_or_default();
    let info = match x509::inspect_certificate(pem) {
        Ok(info) => Some(info),
        Err(_) => {
            out.push(Violation::coded("public_certificate", 52559975, "The certificate is not a well-formed PEM certificate (-----BEGIN CERTIFICATE-----)."));
            None
        }
    };
    if let Some(info) = &info {
        if info.common_name.is_none() && cert.common_name.as_deref().is_none_or(str::is_empty) {
            out.push(Violation::coded(
                "common_name",
                3735676,
                "The certificate's subject has no common name: give one in common_name.",
            ));
        }
        if info.not_after < now {
            out.push(Violation::coded(
                "public_certificate",
                52559973,
                "The certificate has expired.",
            ));
        } else if info.not_before > now {
            out.push(Violation::coded(
                "public_certificate",
                52559972,
                "The certificate is not valid yet: its start date is in the future.",
            ));
        }
    }
    let ty = cert.type_.as_ref();
    if ty == Some(&CertificateType::RootCa) {
        out.push(Violation::coded(
            "type",
            3735622,
            "root_ca certificates are created by the cluster; install an outside CA as server_ca or client_ca.",
        ));
    }
    match (&cert.private_key, ty) {
        (Some(_), Some(t)) if !t.has_private_key() => out.push(Violation::coded(
            "private_key",
            3735618,
            "CA certificates are installed without a private key.",
        )),
        (None, Some(t)) if t.has_private_key() => out.push(Violation::coded(
            "private_key",
            3735693,
            "Installing a server or client certificate needs its private key.",
        )),
        (Some(key), _) => {
            if !x509::is_private_key_pem(key.expose()) {
                out.push(Violation::coded(
                    "private_key",
                    52560123,
                    "The private key is not a well-formed PEM key.",
                ));
            } else if info.is_some() {
                match x509::key_matches_certificate(pem, key.expose()) {
                    Ok(true) | Err(x509::X509Error::UnsupportedKey) => {}
                    Ok(false) => out.push(Violation::coded(
                        "private_key",
                        52559976,
                        "The private key does not belong to this certificate.",
                    )),
                    Err(_) => out.push(Violation::coded(
                        "private_key",
                        52560123,
                        "The private key could not be read.",
                    )),
                }
            }
        }
        _ => {}
    }
    if let Some(intermediates) = &cert.intermediate_certificates {
        if ty.is_some_and(CertificateType::is_trusted_ca) {
            out.push(Violation::coded(
                "intermediate_certificates",
                3735696,
                "client_ca and server_ca certificates are installed without intermediates.",
            ));
        }
        for (i, pem) in intermediates.iter().enumerate() {
            if !x509::is_certificate_pem(pem) {
                out.push(Violation::coded(
                    format!("intermediate_certificates[{i}]"),
                    52559975,
                    "This intermediate is not a well-formed PEM certificate.",
                ));
            }
        }
    }
    for (field, present) in [
        ("key_size", cert.key_size.is_some()),
        ("expiry_time", cert.expiry_time.is_some()),
        ("hash_function", cert.hash_function.is_some()),
    ] {
        if present {
            out.push(Violation::new(
                field,
                "This comes from the installed certificate itself; leave it empty.",
            ));
        }
    }
}

fn check_azure(cert: &Certificate, out: &mut Violations) {
    let azure: &Azure = match &cert.azure {
        Some(a) => a,
        None => return,
    };
    let missing = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if missing(&cert.name) {
        out.push(Violation::coded(
            "name",
            3735763,
            "Give the name of the certificate in Azure Key Vault.",
        ));
    }
    for (field, value) in [
        ("azure.key_vault", &azure.key_vault),
        ("azure.client_id", &azure.client_id),
        ("azure.tenant_id", &azure.tenant_id),
    ] {
        if missing(value) {
            out.push(Violation::coded(
                field,
                3735763,
                "This Azure Key Vault setting is required.",
            ));
        }
    }
    match (&azure.client_secret, &azure.client_certificate) {
        (None, None) => out.push(Violation::coded(
            "azure.client_secret",
            3735763,
            "Give the application's client secret or its client certificate.",
        )),
        (Some(_), Some(_)) => out.push(Violation::new(
            "azure.client_certificate",
            "Give either the client secret or the client certificate, not both.",
        )),
        _ => {}
    }
    if let Some(vault) = azure.key_vault.as_deref() {
        if !vault.starts_with("https://") {
            out.push(Violation::coded(
                "azure.key_vault",
                3735762,
                "The key vault must be an https:// URI.",
            ));
        }
    }
    if let Some(timeout) = &azure.timeout {
        if !timeout
            .as_i64()
            .is_some_and(|t| AZURE_TIMEOUT_SECONDS.contains(&t))
        {
            out.push(Violation::new(
                "azure.timeout",
                "The Azure Key Vault timeout must be 0 to 30 seconds.",
            ));
        }
    }
    if cert.type_.as_ref().is_some_and(|t| !t.has_private_key()) {
        out.push(Violation::coded(
            "type",
            3735622,
            "Certificates from Azure Key Vault are client or server certificates.",
        ));
    }
}

/// Checks a sign request. `now` is needed for the expiry range.
pub fn validate_sign(request: &SignRequest, now: Timestamp) -> Result<(), Violations> {
    let mut out = Violations::new();
    match request.signing_request.as_deref() {
        None | Some("") => out.push(Violation::new(
            "signing_request",
            "Paste the certificate signing request (PEM).",
        )),
        Some(pem) => {
            if x509::inspect_csr(pem).is_err() {
                out.push(Violation::coded(
                    "signing_request",
                    52559975,
                    "This is not a well-formed PEM certificate signing request.",
                ));
            }
        }
    }
    if let Some(expiry) = &request.expiry_time {
        check_expiry(expiry, "expiry_time", now, &mut out);
    }
    if let Some(hash) = &request.hash_function {
        check_hash(hash, "hash_function", &mut out);
    }
    out.into_result()
}

/// Checks a sign request against the CA chosen to sign it (its record as GET returns it, with
/// `type`, `common_name` and `expiry_time`): only a root CA signs (3735628), not a request for
/// its own common name (3735629), and not beyond its own expiry (3735630). Includes
/// [`validate_sign`].
pub fn validate_sign_with_ca(
    request: &SignRequest,
    ca: &Certificate,
    now: Timestamp,
) -> Result<(), Violations> {
    let mut out = validate_sign(request, now).err().unwrap_or_default();
    if ca.type_.as_ref() != Some(&CertificateType::RootCa) {
        out.push(Violation::coded(
            "ca.uuid",
            3735628,
            "Only a root_ca certificate of the cluster can sign a request.",
        ));
    }
    let csr_cn = request
        .signing_request
        .as_deref()
        .and_then(|pem| x509::inspect_csr(pem).ok())
        .and_then(|info| info.common_name);
    if csr_cn.is_some() && csr_cn == ca.common_name {
        out.push(Violation::coded(
            "signing_request",
            3735629,
            "The request has the CA's own common name: a CA cannot sign a certificate for its own name.",
        ));
    }
    let end = Expiry::parse(request.expiry_time.as_deref().unwrap_or(DEFAULT_EXPIRY))
        .and_then(|e| e.check_range(now))
        .ok();
    let ca_end = ca
        .expiry_time
        .as_deref()
        .and_then(super::expiry::parse_timestamp);
    if let (Some(end), Some(ca_end)) = (end, ca_end) {
        if end > ca_end {
            out.push(Violation::coded(
                "expiry_time",
                3735630,
                format!(
                    "The signed certificate would outlive the CA, which expires on {}: choose an earlier expiry.",
                    super::expiry::format_timestamp(ca_end)
                ),
            ));
        }
    }
    out.into_result()
}

/// Checks a CSR generation request.
pub fn validate_csr(request: &CsrRequest) -> Result<(), Violations> {
    let mut out = Violations::new();
    match request.subject_name.as_deref() {
        None | Some("") => out.push(Violation::new(
            "subject_name",
            "Give the subject, e.g. C=US,O=Example,CN=host.example.com.",
        )),
        Some(subject) => {
            let well_formed = subject.split(',').all(|part| {
                part.split_once('=')
                    .is_some_and(|(k, v)| !k.trim().is_empty() && !v.trim().is_empty())
            });
            if !well_formed {
                out.push(Violation::new("subject_name", "The subject is a comma-separated list of KEY=value pairs, e.g. C=US,O=Example,CN=host.example.com."));
            }
        }
    }
    if let Some(algorithm) = &request.algorithm {
        if !CSR_ALGORITHMS.contains(&algorithm.as_str()) {
            out.push(Violation::new(
                "algorithm",
                "The key algorithm must be rsa or ec.",
            ));
        }
    }
    if let Some(strength) = &request.security_strength {
        if !strength
            .as_i64()
            .is_some_and(|s| SECURITY_STRENGTHS.contains(&s))
        {
            out.push(Violation::new(
                "security_strength",
                "The security strength must be 112, 128, 192 or 256 bits.",
            ));
        }
    }
    if let Some(hash) = &request.hash_function {
        check_hash(hash, "hash_function", &mut out);
    }
    for (field, list, known) in [
        ("key_usage", &request.key_usage, &KEY_USAGES[..]),
        (
            "extended_key_usage",
            &request.extended_key_usage,
            &EXTENDED_KEY_USAGES[..],
        ),
    ] {
        for (i, usage) in list.iter().flatten().enumerate() {
            if !known.contains(&usage.to_ascii_lowercase().as_str()) {
                out.push(Violation::new(
                    format!("{field}[{i}]"),
                    format!("\"{usage}\" is not a usage ONTAP knows."),
                ));
            }
        }
    }
    out.into_result()
}

fn check_hash(hash: &str, field: &str, out: &mut Violations) {
    if !HASH_FUNCTIONS.contains(&hash) {
        out.push(Violation::coded(field, 52560173, "The hash function must be sha224, sha256, sha384 or sha512 (md5 and sha1 are refused)."));
    }
}

fn check_expiry(text: &str, field: &str, now: Timestamp, out: &mut Violations) {
    if let Err(e) = Expiry::parse(text).and_then(|e| e.check_range(now)) {
        out.push(Violation::coded(
            field,
            3735701,
            format!("Invalid expiry: {e}."),
        ));
    }
}
