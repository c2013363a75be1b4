//! Certificates: expiry (30 and 90 days ahead, and 90 days ahead for those a key manager uses),
//! weak keys and hashes, self-signed server certificates. Judged on the list fields only (no PEM
//! is read or decoded, so 10,000 certificates audit quickly and the console's posture page
//! carries no X.509 parser); whether a weak certificate blocks FIPS mode is core's FIPS rule on
//! the same fields (`listing::fips_blockers`), which the simulator enforces.

use jiff::Timestamp;

use super::CertificateFacts;
use crate::audit::catalog::*;
use crate::audit::remedy::pages;
use crate::audit::{finding, Evidence, Finding, Prefill, Remedy, Snapshot};
use crate::certificates::listing::{days_until, is_in_use};
use crate::certificates::{Certificate, CertificateType};
use crate::key_managers::certificate_users;

pub(super) fn check(
    snapshot: &Snapshot,
    now: Timestamp,
    out: &mut Vec<Finding>,
) -> CertificateFacts {
    let mut facts = CertificateFacts::default();
    let kms = &snapshot.key_managers;
    for cert in &snapshot.certificates {
        let users = cert
            .uuid
            .as_deref()
            .map(|u| certificate_users(kms, u))
            .unwrap_or_default();
        expiry(cert, &users, now, out);
        let weak_key = weak_key(cert, out);
        let weak_hash = weak_hash(cert, out);
        if (weak_key || weak_hash) && (!users.is_empty() || is_in_use(cert, kms)) {
            for (weak, rule) in [
                (weak_key, CERTIFICATE_WEAK_KEY),
                (weak_hash, CERTIFICATE_WEAK_HASH),
            ] {
                if weak && !facts.weak_in_use.contains(&rule) {
                    facts.weak_in_use.push(rule);
                }
            }
        }
        self_signed_server(cert, out);
    }
    facts
}

fn subject(cert: &Certificate) -> String {
    cert.name
        .clone()
        .or_else(|| cert.common_name.clone())
        .or_else(|| cert.uuid.clone())
        .unwrap_or_default()
}

fn base_evidence(cert: &Certificate) -> Vec<Evidence> {
    let mut out = Vec::new();
    if let Some(t) = &cert.type_ {
        out.push(Evidence::new("type", t.name()));
    }
    match cert.svm.as_ref().and_then(|s| s.name.as_deref()) {
        Some(svm) => out.push(Evidence::new("svm.name", svm)),
        None => out.push(Evidence::new("scope", "cluster")),
    }
    if let Some(cn) = &cert.common_name {
        out.push(Evidence::new("common_name", cn));
    }
    out
}

/// Replace it: a new certificate through the form (types ONTAP can create), or, for a trusted
/// CA, install the CA's current certificate.
fn replace(cert: &Certificate, first: &str) -> Remedy {
    let page = cert
        .uuid
        .as_deref()
        .map_or_else(|| pages::CERTIFICATES.to_owned(), pages::certificate);
    let trusted_ca = cert
        .type_
        .as_ref()
        .is_some_and(CertificateType::is_trusted_ca);
    if trusted_ca {
        Remedy::manual(
            &[
                first,
                "Install the CA's current certificate (ask its owner), check that nothing still needs this one, then delete it.",
            ],
            page,
            None,
        )
    } else {
        Remedy::manual(
            &[
                first,
                "Create a replacement with the same common name (2048-bit RSA, SHA-256), or have a CA sign one, and install it.",
                "Point what uses the old certificate (SSL configuration, key manager) at the new one, then delete the old one.",
            ],
            page,
            Some(Prefill::replace(cert)),
        )
    }
}

fn expiry(cert: &Certificate, users: &[String], now: Timestamp, out: &mut Vec<Finding>) {
    let Some(at) = cert.expiry() else {
        return;
    };
    let days = days_until(at, now);
    // A certificate a key manager uses gets the critical rule only: its expiry breaks KMIP.
    // The rule is decided first: most certificates give no finding, and build no evidence.
    let rule = if !users.is_empty() {
        if days >= EXPIRING_DAYS {
            return;
        }
        CERTIFICATE_KEY_MANAGER_EXPIRING
    } else if at <= now {
        CERTIFICATE_EXPIRED
    } else if days < EXPIRING_SOON_DAYS {
        CERTIFICATE_EXPIRING_30D
    } else if days < EXPIRING_DAYS {
        CERTIFICATE_EXPIRING_90D
    } else {
        return;
    };
    let mut evidence = base_evidence(cert);
    evidence.push(Evidence::new(
        "expiry_time",
        cert.expiry_time.as_deref().unwrap_or_default(),
    ));
    evidence.push(Evidence::new("days left", days));
    if !users.is_empty() {
        evidence.push(Evidence::new("used by", users.join("; ")));
    }
    let first = if at <= now {
        "Replace the expired certificate."
    } else {
        "Replace the certificate before it expires."
    };
    out.push(finding(rule, subject(cert), evidence, replace(cert, first)));
}

/// Whether the list's `key_size` is weak: an EC curve under P-224 or an RSA key under 2048 bits.
pub(crate) fn is_weak_key_size(bits: u32) -> bool {
    if EC_KEY_SIZES.contains(&bits) {
        bits < MIN_EC_BITS
    } else {
        bits < MIN_RSA_BITS
    }
}

fn weak_key(cert: &Certificate, out: &mut Vec<Finding>) -> bool {
    let Some(bits) = cert.key_size.filter(|b| is_weak_key_size(*b)) else {
        return false;
    };
    let mut evidence = base_evidence(cert);
    evidence.push(Evidence::new("key_size", bits));
    out.push(finding(
        CERTIFICATE_WEAK_KEY,
        subject(cert),
        evidence,
        replace(
            cert,
            "Replace the certificate with one whose key has 2048 bits or more.",
        ),
    ));
    true
}

fn weak_hash(cert: &Certificate, out: &mut Vec<Finding>) -> bool {
    let Some(hash) = cert.hash_function.as_deref() else {
        return false;
    };
    if !WEAK_HASHES
        .iter()
        .any(|w| w.eq_ignore_ascii_case(hash.trim()))
    {
        return false;
    }
    let mut evidence = base_evidence(cert);
    evidence.push(Evidence::new("hash_function", hash));
    out.push(finding(
        CERTIFICATE_WEAK_HASH,
        subject(cert),
        evidence,
        replace(
            cert,
            "Replace the certificate with one signed with SHA-256 or stronger.",
        ),
    ));
    true
}

fn self_signed_server(cert: &Certificate, out: &mut Vec<Finding>) {
    if cert.type_ != Some(CertificateType::Server) || !cert.looks_self_signed() {
        return;
    }
    let mut evidence = base_evidence(cert);
    evidence.push(Evidence::new("ca", cert.ca.as_deref().unwrap_or_default()));
    out.push(finding(
        CERTIFICATE_SELF_SIGNED_SERVER,
        subject(cert),
        evidence,
        replace(
            cert,
            "Replace the certificate with one signed by a CA the clients trust.",
        ),
    ));
}
