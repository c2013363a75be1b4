//! The cipher suites the reference lists, what each one's IANA name says about it (versions,
//! FIPS, forward secrecy) and why a suite counts as weak.

use super::TlsVersion;

/// Every cipher suite name the reference lists for `tls.cipher_suites`, in its order.
pub const CIPHER_SUITES: &[&str] = &[
    "TLS_RSA_WITH_AES_128_CCM",
    "TLS_RSA_WITH_AES_128_CCM_8",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CCM",
    "TLS_RSA_WITH_AES_256_CCM_8",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_ARIA_128_GCM_SHA256",
    "TLS_RSA_WITH_ARIA_256_GCM_SHA384",
    "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
    "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
    "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256",
    "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384",
    "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA",
    "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA",
    "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256",
    "TLS_DHE_PSK_WITH_AES_128_CBC_SHA",
    "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_PSK_WITH_AES_128_CCM",
    "TLS_PSK_DHE_WITH_AES_128_CCM_8",
    "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_PSK_WITH_AES_256_CBC_SHA",
    "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384",
    "TLS_DHE_PSK_WITH_AES_256_CCM",
    "TLS_PSK_DHE_WITH_AES_256_CCM_8",
    "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256",
    "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384",
    "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",
    "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_CCM",
    "TLS_DHE_RSA_WITH_AES_128_CCM_8",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CCM",
    "TLS_DHE_RSA_WITH_AES_256_CCM_8",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
    "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256",
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",
    "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_PSK_WITH_AES_128_CBC_SHA",
    "TLS_PSK_WITH_AES_128_CBC_SHA256",
    "TLS_PSK_WITH_AES_128_CCM",
    "TLS_PSK_WITH_AES_128_CCM_8",
    "TLS_PSK_WITH_AES_128_GCM_SHA256",
    "TLS_PSK_WITH_AES_256_CBC_SHA",
    "TLS_PSK_WITH_AES_256_CBC_SHA384",
    "TLS_PSK_WITH_AES_256_CCM",
    "TLS_PSK_WITH_AES_256_CCM_8",
    "TLS_PSK_WITH_AES_256_GCM_SHA384",
    "TLS_PSK_WITH_ARIA_128_GCM_SHA256",
    "TLS_PSK_WITH_ARIA_256_GCM_SHA384",
    "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384",
    "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_RSA_PSK_WITH_AES_128_CBC_SHA",
    "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_PSK_WITH_AES_256_CBC_SHA",
    "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384",
    "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256",
    "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384",
    "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256",
    "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384",
    "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_SRP_SHA_WITH_AES_128_CBC_SHA",
    "TLS_SRP_SHA_WITH_AES_256_CBC_SHA",
    "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA",
    "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA",
    "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA",
    "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
];

/// Whether a name is one of the cipher suites the reference lists.
pub fn is_known_cipher_suite(name: &str) -> bool {
    CIPHER_SUITES.contains(&name)
}

/// What the console needs to know about a cipher suite, derived from its IANA name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuiteTraits {
    /// A TLS 1.3 suite (`TLS_AES_*`, `TLS_CHACHA20_*`): usable only with TLSv1.3.
    pub tls13_only: bool,
    /// Uses an AEAD cipher (GCM, CCM, ChaCha20-Poly1305).
    pub aead: bool,
    /// Forward secrecy (ephemeral key exchange), always true for TLS 1.3 suites.
    pub forward_secret: bool,
    /// Fits FIPS mode by this console's rule, see [`suite_traits`].
    pub fips_compatible: bool,
    /// The oldest protocol version that can negotiate the suite.
    pub min_version: TlsVersion,
    /// The newest protocol version that can negotiate the suite.
    pub max_version: TlsVersion,
}

impl SuiteTraits {
    /// Whether the suite can be negotiated with this protocol version.
    pub fn fits(&self, version: TlsVersion) -> bool {
        (self.min_version..=self.max_version).contains(&version)
    }
}

/// The traits of a suite name (works for any IANA-style name, known or not).
///
/// Versions: TLS 1.3 suites work only with TLSv1.3; suites with AEAD ciphers or SHA-2 MACs were
/// defined for TLS 1.2 and work only with it; the remaining SHA-1 CBC suites work from TLSv1 to
/// TLSv1.2 (no suite of the list is negotiable with SSLv3 alone in a modern OpenSSL).
///
/// FIPS: a suite fits when it uses AES (GCM, CCM or CBC) with a certificate-based key exchange
/// (RSA, DHE-RSA, DHE-DSS, ECDHE-RSA, ECDHE-ECDSA, or TLS 1.3) and a SHA-2 MAC or an AEAD mode.
/// ChaCha20, ARIA and Camellia are not FIPS 140 approved ciphers; PSK and SRP key exchanges are
/// not what ONTAP's validated module offers. SHA-1 CBC suites (`..._CBC_SHA`) are debatable:
/// NIST SP 800-52r2 still tolerates them for TLS 1.2, but they exist for TLS 1.0 clients and
/// ONTAP's FIPS mode refuses TLS 1.0/1.1, so this console errs on the strict side and flags them.
pub fn suite_traits(name: &str) -> SuiteTraits {
    let tls13_only = !name.contains("_WITH_");
    let aead = name.contains("_GCM") || name.contains("_CCM") || name.contains("POLY1305");
    let forward_secret = tls13_only || name.contains("DHE_");
    let approved_kx = tls13_only
        || [
            "TLS_RSA_WITH_",
            "TLS_DHE_RSA_",
            "TLS_DHE_DSS_",
            "TLS_ECDHE_RSA_",
            "TLS_ECDHE_ECDSA_",
        ]
        .iter()
        .any(|p| name.starts_with(p));
    let sha1_mac = name.ends_with("_SHA");
    let fips_compatible = approved_kx && name.contains("_AES_") && (aead || !sha1_mac);
    let (min_version, max_version) = if tls13_only {
        (TlsVersion::Tls1_3, TlsVersion::Tls1_3)
    } else if aead || !sha1_mac {
        (TlsVersion::Tls1_2, TlsVersion::Tls1_2)
    } else {
        (TlsVersion::Tls1_0, TlsVersion::Tls1_2)
    };
    SuiteTraits {
        tls13_only,
        aead,
        forward_secret,
        fips_compatible,
        min_version,
        max_version,
    }
}

/// Whether a suite can be negotiated with at least one of the enabled versions.
pub fn suite_fits_versions(name: &str, versions: &[TlsVersion]) -> bool {
    let traits = suite_traits(name);
    versions.iter().any(|v| traits.fits(*v))
}

/// The suites of a list that FIPS mode would disable ("unapproved algorithms ... will be
/// disabled"), in the list's order.
pub fn suites_disabled_by_fips<S: AsRef<str>>(suites: &[S]) -> Vec<&str> {
    suites
        .iter()
        .map(AsRef::as_ref)
        .filter(|s| !suite_traits(s).fips_compatible)
        .collect()
}

/// Why a cipher suite is weak, or `None` when nothing stands against it. The security audit
/// flags enabled suites with a reason (TR-4569, "TLS and SSL ciphers": keep only suites with
/// forward secrecy and authenticated encryption). Checked in this order, first reason wins:
/// - PSK and SRP key exchanges: shared secrets instead of certificates, outside ONTAP's
///   validated FIPS module;
/// - static RSA key exchange (`TLS_RSA_WITH_`): no forward secrecy, a leaked server key
///   decrypts every recorded session;
/// - DSS (DSA) authentication: DSA keys are deprecated (FIPS 186-5);
/// - CBC mode: MAC-then-encrypt, open to padding-oracle attacks (Lucky13, POODLE variants);
/// - CCM_8: an 8-byte authentication tag, too short for general use (RFC 8446 leaves it out).
pub fn suite_weakness(name: &str) -> Option<&'static str> {
    let tls13 = suite_traits(name).tls13_only;
    if name.contains("PSK") || name.contains("_SRP_") {
        Some("pre-shared-key or SRP key exchange: no certificate authenticates the server, and FIPS mode does not offer it")
    } else if name.starts_with("TLS_RSA_WITH_") {
        Some("static RSA key exchange: no forward secrecy, a leaked server key decrypts every recorded session")
    } else if name.contains("_DSS_") {
        Some("DSA (DSS) authentication: DSA keys are deprecated (FIPS 186-5)")
    } else if name.contains("_CBC_") {
        Some("CBC mode with MAC-then-encrypt: open to padding-oracle attacks such as Lucky13")
    } else if name.ends_with("_CCM_8") && !tls13 {
        Some("CCM_8: an 8-byte authentication tag, too short for general use")
    } else {
        None
    }
}

/// The suites of a list that [`suite_weakness`] flags, in the list's order, with their reason.
pub fn weak_suites<S: AsRef<str>>(suites: &[S]) -> Vec<(&str, &'static str)> {
    suites
        .iter()
        .map(AsRef::as_ref)
        .filter_map(|s| suite_weakness(s).map(|why| (s, why)))
        .collect()
}

/// A named selection of cipher suites the console offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuitePreset {
    /// Every suite that fits FIPS mode.
    FipsCompatible,
    /// TLS 1.3 suites plus TLS 1.2 ECDHE suites with AEAD ciphers.
    Tls12Modern,
}

impl SuitePreset {
    /// The preset's suites, in the reference's order.
    pub fn suites(self) -> Vec<&'static str> {
        CIPHER_SUITES
            .iter()
            .copied()
            .filter(|name| {
                let t = suite_traits(name);
                match self {
                    SuitePreset::FipsCompatible => t.fips_compatible,
                    SuitePreset::Tls12Modern => {
                        t.tls13_only
                            || (name.starts_with("TLS_ECDHE_")
                                && !name.contains("PSK")
                                && t.aead
                                && !name.contains("_CCM_8"))
                    }
                }
            })
            .collect()
    }
}
