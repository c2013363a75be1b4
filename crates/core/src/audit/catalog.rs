//! Every audit rule: its stable id, area, severity (with the reason it has that severity), title
//! and why it matters (naming the topic of NetApp's hardening guide for ONTAP 9, TR-4569), and
//! the thresholds the rules use. The ids are a promise: reports, the command line and the
//! console refer to them, so an id is never renamed or reused (see `docs/audit-report.md`).

use serde::Serialize;

use super::{Area, Severity};

/// Days before expiry at which a certificate is flagged medium: the usual renewal lead time of
/// a CA-signed certificate (request, approval, install) is a few weeks.
pub const EXPIRING_SOON_DAYS: i64 = 30;
/// Days before expiry at which a certificate is flagged low, and at which a certificate a key
/// manager uses is flagged critical: a quarter gives time to plan a change window.
pub const EXPIRING_DAYS: i64 = 90;
/// The smallest RSA key the audit accepts: NIST SP 800-131A disallows RSA under 2048 bits since
/// 2013, and FIPS mode refuses them (core's `x509::FIPS_MIN_RSA_BITS`).
pub const MIN_RSA_BITS: u32 = crate::x509::FIPS_MIN_RSA_BITS;
/// The smallest EC key the audit accepts (P-224, as FIPS mode).
pub const MIN_EC_BITS: u32 = crate::x509::FIPS_MIN_EC_BITS;
/// Key sizes that are EC curves: the list fields carry no key algorithm, and RSA moduli under
/// 2048 bits are 512, 768, 1024 or 1536 in practice, so these sizes mean an EC key. Reading the
/// PEM of every certificate would tell for sure, at a cost the console cannot pay on 10,000.
pub const EC_KEY_SIZES: &[u32] = crate::certificates::listing::EC_KEY_SIZES;
/// Signature hashes FIPS mode refuses and collisions have broken.
pub const WEAK_HASHES: &[&str] = &["md5", "sha1"];
/// The lowest TLS version the audit accepts (TLS 1.0 and 1.1 are deprecated by RFC 8996).
pub const MIN_TLS: crate::security::tls::TlsVersion = crate::security::tls::TlsVersion::FIPS_FLOOR;
/// Key manager `status.code` values that mean "No action needed at this time" (0 is the
/// reference's "setup is complete"; 65537200 is what a configured key manager answers).
pub const KEY_MANAGER_OK_CODES: &[i64] = &[0, 65537200];
/// The fewest key servers an external key manager should have (primary or secondary): one
/// server is a single point of failure for every encrypted volume's keys.
pub const MIN_KEY_SERVERS: usize = 2;

/// Rule ids.
pub const FIPS_DISABLED: &str = "fips.disabled";
pub const TLS_MIN_VERSION: &str = "tls.min-version";
pub const TLS_WEAK_CIPHERS: &str = "tls.weak-ciphers";
pub const PROTOCOLS_TELNET: &str = "protocols.telnet";
pub const PROTOCOLS_RSH: &str = "protocols.rsh";
pub const ENCRYPTION_DEFAULT_OFF: &str = "encryption.default-off";
pub const KEY_MANAGER_NONE: &str = "key-manager.none";
pub const KEY_MANAGER_SINGLE_SERVER: &str = "key-manager.single-server";
pub const KEY_MANAGER_SERVER_UNAVAILABLE: &str = "key-manager.server-unavailable";
pub const KEY_MANAGER_KEYS_MISSING: &str = "key-manager.keys-missing";
pub const CERTIFICATE_EXPIRED: &str = "certificate.expired";
pub const CERTIFICATE_EXPIRING_30D: &str = "certificate.expiring-30d";
pub const CERTIFICATE_EXPIRING_90D: &str = "certificate.expiring-90d";
pub const CERTIFICATE_WEAK_KEY: &str = "certificate.weak-key";
pub const CERTIFICATE_WEAK_HASH: &str = "certificate.weak-hash";
pub const CERTIFICATE_SELF_SIGNED_SERVER: &str = "certificate.self-signed-server";
pub const CERTIFICATE_KEY_MANAGER_EXPIRING: &str = "certificate.key-manager-expiring";
pub const IPSEC_DISABLED: &str = "ipsec.disabled";

/// What a rule checks, as listed by [`super::rules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub id: &'static str,
    pub area: Area,
    pub severity: Severity,
    pub title: &'static str,
    /// One or two sentences, naming the hardening-guide topic.
    pub why: &'static str,
}

const fn rule(
    id: &'static str,
    area: Area,
    severity: Severity,
    title: &'static str,
    why: &'static str,
) -> RuleInfo {
    RuleInfo {
        id,
        area,
        severity,
        title,
        why,
    }
}

use Severity::{Critical, High, Info, Low, Medium};

/// Every rule, in the order reports list them.
pub const RULES: &[RuleInfo] = &[
    // High: without FIPS mode the cluster accepts algorithms no compliance regime allows.
    rule(FIPS_DISABLED, Area::Fips, High, "FIPS 140 mode is off",
        "TR-4569 \"FIPS 140 compliance\": FIPS mode restricts the cluster's TLS, SSH and certificates to validated algorithms; without it weak ones stay negotiable."),
    // High: TLS 1.0/1.1 are deprecated (RFC 8996) and open to downgrade attacks on every session.
    rule(TLS_MIN_VERSION, Area::Tls, High, "TLS versions older than 1.2 are enabled",
        "TR-4569 \"TLS and SSL\": TLSv1 and TLSv1.1 are deprecated (RFC 8996) and rely on SHA-1 and CBC constructions; the floor should be TLSv1.2."),
    // Medium: weak suites are exploitable only with an active attacker and a willing client.
    rule(TLS_WEAK_CIPHERS, Area::Tls, Medium, "Weak TLS cipher suites are enabled",
        "TR-4569 \"TLS and SSL ciphers\": suites without forward secrecy or authenticated encryption let a recorded or tampered session be broken later."),
    // High: clear-text credentials on the management network.
    rule(PROTOCOLS_TELNET, Area::Protocols, High, "Telnet is enabled",
        "TR-4569 \"Management protocols\": telnet sends logins and commands in clear text; SSH replaces it."),
    // High: clear-text credentials, and rsh trusts host names.
    rule(PROTOCOLS_RSH, Area::Protocols, High, "RSH is enabled",
        "TR-4569 \"Management protocols\": rsh sends commands in clear text and trusts the caller's host name; SSH replaces it."),
    // Medium: existing data is not exposed by it, new volumes are.
    rule(ENCRYPTION_DEFAULT_OFF, Area::Encryption, Medium, "New volumes are not encrypted by default",
        "TR-4569 \"Data at rest encryption\": with software encryption disabled by default, every new volume is written in plain text unless its creator asks otherwise."),
    // High: without a key manager no volume can be encrypted at all.
    rule(KEY_MANAGER_NONE, Area::KeyManager, High, "No key manager is configured",
        "TR-4569 \"Data at rest encryption\": NetApp Volume Encryption needs the Onboard Key Manager or external KMIP servers; without one, data at rest cannot be encrypted."),
    // Medium: works today, an outage of the one server makes encrypted volumes unavailable.
    rule(KEY_MANAGER_SINGLE_SERVER, Area::KeyManager, Medium, "An external key manager has a single key server",
        "TR-4569 \"External key management\": with one KMIP server, its outage leaves encrypted volumes without their keys after a reboot or takeover; configure a second server or a secondary."),
    // High: keys cannot be fetched now.
    rule(KEY_MANAGER_SERVER_UNAVAILABLE, Area::KeyManager, High, "A key server is not available",
        "TR-4569 \"External key management\": a node that cannot reach its KMIP server cannot bring encrypted volumes online after a reboot."),
    // High: a node without its keys cannot serve encrypted volumes.
    rule(KEY_MANAGER_KEYS_MISSING, Area::KeyManager, High, "Key manager needs action (keys missing on nodes)",
        "TR-4569 \"Onboard key management\": nodes missing Onboard Key Manager keys (a node added or replaced) cannot serve encrypted volumes until the keys are synchronized."),
    // High: clients refuse an expired certificate, or trust a CA they should no longer trust.
    rule(CERTIFICATE_EXPIRED, Area::Certificate, High, "A certificate has expired",
        "TR-4569 \"Certificate management\": an expired certificate breaks the TLS connections that use it, or keeps trusting a CA past its lifetime."),
    // Medium: weeks left, renewal must start now.
    rule(CERTIFICATE_EXPIRING_30D, Area::Certificate, Medium, "A certificate expires within 30 days",
        "TR-4569 \"Certificate management\": a CA-signed renewal takes weeks; under 30 days left, connections break if it is not replaced now."),
    // Low: time to plan.
    rule(CERTIFICATE_EXPIRING_90D, Area::Certificate, Low, "A certificate expires within 90 days",
        "TR-4569 \"Certificate management\": plan the replacement in the next change window."),
    // High: a 1024-bit RSA key is within reach of well-funded attackers, and FIPS mode refuses it.
    rule(CERTIFICATE_WEAK_KEY, Area::Certificate, High, "A certificate has a weak key",
        "TR-4569 \"Certificate management\" and NIST SP 800-131A: RSA keys under 2048 bits are disallowed; FIPS mode refuses them."),
    // High: SHA-1 and MD5 collisions allow forged certificates.
    rule(CERTIFICATE_WEAK_HASH, Area::Certificate, High, "A certificate is signed with SHA-1 or MD5",
        "TR-4569 \"Certificate management\": SHA-1 and MD5 signatures can be forged (chosen-prefix collisions); FIPS mode refuses them."),
    // Medium: clients learn to click through warnings, which makes man-in-the-middle easy.
    rule(CERTIFICATE_SELF_SIGNED_SERVER, Area::Certificate, Medium, "A server certificate is self-signed",
        "TR-4569 \"Certificate management\": clients cannot verify a self-signed server certificate, so they either fail or learn to ignore warnings; use a CA-signed one."),
    // Critical: the KMIP connection breaks at expiry and encrypted volumes lose their keys.
    rule(CERTIFICATE_KEY_MANAGER_EXPIRING, Area::Certificate, Critical, "A certificate a key manager uses expires within 90 days",
        "TR-4569 \"External key management\": when the KMIP client or server CA certificate expires, the cluster can no longer reach its key servers and encrypted volumes cannot come online."),
    // Info: IPsec is an option for data in flight, not a baseline requirement.
    rule(IPSEC_DISABLED, Area::Ipsec, Info, "IPsec is off",
        "TR-4569 \"Data in flight\": IPsec encrypts IP traffic between clients and the cluster for protocols that have no encryption of their own (NFSv3, SMB without encryption)."),
];

/// The rule's position in [`RULES`] (`RULES.len()` for an unknown id: after every rule).
pub fn position(id: &str) -> usize {
    RULES.iter().position(|r| r.id == id).unwrap_or(RULES.len())
}

/// The rule with this id.
pub fn info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}
