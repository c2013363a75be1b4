//! Unit tests for TLS versions and cipher suites.

use super::*;
use proptest::prelude::*;

#[test]
fn known_lists() {
    assert_eq!(TlsVersion::parse("TLSv1.1"), Some(TlsVersion::Tls1_1));
    assert_eq!(TlsVersion::parse("tlsv1.1"), None);
    assert!(is_known_cipher_suite("TLS_AES_256_GCM_SHA384"));
    assert!(is_known_cipher_suite(
        "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA"
    ));
    assert!(!is_known_cipher_suite("TLS_NULL_WITH_NULL_NULL"));
    // Every suite of the reference's GET example, one duplicate collapsed.
    assert_eq!(CIPHER_SUITES.len(), 129);
}

#[test]
fn suite_traits_follow_the_name() {
    let t = suite_traits("TLS_AES_128_GCM_SHA256");
    assert!(t.tls13_only && t.aead && t.forward_secret && t.fips_compatible);
    assert!(!suite_traits("TLS_CHACHA20_POLY1305_SHA256").fips_compatible);
    assert!(!suite_traits("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA").fips_compatible);
    assert!(suite_traits("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256").fips_compatible);
    assert!(!suite_traits("TLS_PSK_WITH_AES_128_GCM_SHA256").fips_compatible);
    assert!(!suite_traits("TLS_RSA_WITH_AES_128_GCM_SHA256").forward_secret);
    assert!(!suite_fits_versions(
        "TLS_AES_128_GCM_SHA256",
        &[TlsVersion::Tls1_2]
    ));
    assert!(suite_fits_versions(
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        &versions_from_floor(TlsVersion::Tls1_2)
    ));
    assert!(!suite_fits_versions(
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        &[TlsVersion::Tls1_3]
    ));
}

#[test]
fn weak_suites_say_why() {
    assert!(suite_weakness("TLS_RSA_WITH_AES_128_GCM_SHA256")
        .unwrap()
        .contains("forward secrecy"));
    assert!(suite_weakness("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")
        .unwrap()
        .contains("CBC"));
    assert!(suite_weakness("TLS_PSK_WITH_AES_128_GCM_SHA256").is_some());
    assert!(suite_weakness("TLS_DHE_DSS_WITH_AES_128_GCM_SHA256").is_some());
    assert!(suite_weakness("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8").is_some());
    assert_eq!(suite_weakness("TLS_AES_128_GCM_SHA256"), None);
    assert_eq!(
        suite_weakness("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
        None
    );
    // Every suite of the modern preset is strong; some suite of every kind is weak.
    assert!(weak_suites(&SuitePreset::Tls12Modern.suites()).is_empty());
    assert!(!weak_suites(CIPHER_SUITES).is_empty());
}

#[test]
fn suite_version_ranges() {
    let t13 = suite_traits("TLS_CHACHA20_POLY1305_SHA256");
    assert_eq!(
        (t13.min_version, t13.max_version),
        (TlsVersion::Tls1_3, TlsVersion::Tls1_3)
    );
    let gcm = suite_traits("TLS_RSA_WITH_AES_128_GCM_SHA256");
    assert!(gcm.fits(TlsVersion::Tls1_2) && !gcm.fits(TlsVersion::Tls1_1));
    let sha256_cbc = suite_traits("TLS_DHE_RSA_WITH_AES_256_CBC_SHA256");
    assert!(!sha256_cbc.aead && !sha256_cbc.fits(TlsVersion::Tls1_0));
    let legacy = suite_traits("TLS_RSA_WITH_AES_128_CBC_SHA");
    assert!(legacy.fits(TlsVersion::Tls1_0) && legacy.fits(TlsVersion::Tls1_2));
    assert!(!legacy.fits(TlsVersion::Ssl3) && !legacy.fits(TlsVersion::Tls1_3));
    // With TLSv1.2 and TLSv1.3 enabled every suite of the reference can be negotiated.
    let modern = versions_from_floor(TlsVersion::Tls1_2);
    assert!(CIPHER_SUITES
        .iter()
        .all(|s| suite_fits_versions(s, &modern)));
}

#[test]
fn fips_disables_exactly_the_incompatible_suites() {
    let list = [
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
        "TLS_PSK_DHE_WITH_AES_128_CCM_8",
    ];
    assert_eq!(
        suites_disabled_by_fips(&list),
        [
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
            "TLS_PSK_DHE_WITH_AES_128_CCM_8"
        ]
    );
    assert!(suites_disabled_by_fips(&SuitePreset::FipsCompatible.suites()).is_empty());
}

#[test]
fn presets() {
    let modern = SuitePreset::Tls12Modern.suites();
    assert!(modern.contains(&"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));
    assert!(modern.contains(&"TLS_AES_256_GCM_SHA384"));
    assert!(!modern
        .iter()
        .any(|s| s.contains("CBC") || s.starts_with("TLS_RSA_")));
    let fips = SuitePreset::FipsCompatible.suites();
    assert!(fips.iter().all(|s| suite_traits(s).fips_compatible));
    assert!(fips.contains(&"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
}

fn version() -> impl Strategy<Value = TlsVersion> {
    proptest::sample::select(TlsVersion::ALL.to_vec())
}

proptest! {
    #[test]
    fn floor_expansion_round_trips(floor in version()) {
        let expanded = versions_from_floor(floor);
        prop_assert_eq!(floor_of(&expanded.iter().map(|v| v.name()).collect::<Vec<_>>()), Some(floor));
        prop_assert!(expanded.contains(&TlsVersion::Tls1_3));
        prop_assert!(expanded.iter().all(|v| *v >= floor));
    }

    #[test]
    fn a_suite_fits_a_floor_when_its_newest_version_is_enabled(
        suite in proptest::sample::select(CIPHER_SUITES.to_vec()),
        floor in version(),
    ) {
        let traits = suite_traits(suite);
        prop_assert_eq!(
            suite_fits_versions(suite, &versions_from_floor(floor)),
            traits.max_version >= floor
        );
    }

    #[test]
    fn floor_is_the_minimum(list in proptest::collection::vec(version(), 1..5)) {
        let names: Vec<&str> = list.iter().map(|v| v.name()).collect();
        prop_assert_eq!(floor_of(&names), list.iter().min().copied());
    }
}
