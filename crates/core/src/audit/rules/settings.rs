//! Cluster-wide settings: FIPS 140 mode, the TLS floor and cipher suites, telnet and rsh,
//! software encryption by default, IPsec. Their remedies are `PATCH /api/security` (or
//! `/api/security/ipsec`) requests built and validated by core's builders.

use super::CertificateFacts;
use crate::audit::catalog::*;
use crate::audit::remedy::pages;
use crate::audit::{finding, Evidence, Finding, Remedy, Snapshot};
use crate::envelope::Extra;
use crate::ipsec;
use crate::request::Request;
use crate::security::tls::{self, versions_from_floor, SuitePreset};
use crate::security::{
    self, Fips, ManagementProtocols, SecurityConfig, SoftwareDataEncryption, Tls,
};
use crate::validation::Violations;

pub(super) fn check(snapshot: &Snapshot, certs: &CertificateFacts, out: &mut Vec<Finding>) {
    let current = &snapshot.security;
    let tls_fix = tls_floor(current, out);
    let suites_fix = weak_ciphers(current, out);
    fips(current, certs, tls_fix.as_ref(), suites_fix.as_ref(), out);
    protocols(current, out);
    encryption(snapshot, out);
    ipsec_off(snapshot, out);
}

/// A PATCH of `/api/security`, validated on its own and against the current configuration.
fn patch(change: &SecurityConfig, current: &SecurityConfig) -> Result<Vec<Request>, Violations> {
    security::validate_patch_against(change, current)?;
    security::patch(change, None).map(|r| vec![r])
}

fn joined(list: &[String]) -> String {
    list.join(", ")
}

/// `tls.min-version`; returns the fix (for the FIPS rule to validate against).
fn tls_floor(current: &SecurityConfig, out: &mut Vec<Finding>) -> Option<Tls> {
    let tls = current.tls.as_ref()?;
    let floor = tls.floor()?;
    if floor >= MIN_TLS {
        return None;
    }
    let fix = Tls {
        protocol_versions: Some(
            versions_from_floor(MIN_TLS)
                .into_iter()
                .map(|v| v.name().to_owned())
                .collect(),
        ),
        cipher_suites: None,
        extra: Extra::new(),
    };
    let change = SecurityConfig {
        tls: Some(fix.clone()),
        ..SecurityConfig::default()
    };
    out.push(finding(
        TLS_MIN_VERSION,
        "cluster",
        vec![
            Evidence::new(
                "tls.protocol_versions",
                joined(tls.protocol_versions.as_deref().unwrap_or_default()),
            ),
            Evidence::new("lowest enabled version", floor),
        ],
        Remedy::requests(patch(&change, current), vec![], pages::SECURITY),
    ));
    Some(fix)
}

/// `tls.weak-ciphers`; returns the strong list the fix keeps.
fn weak_ciphers(current: &SecurityConfig, out: &mut Vec<Finding>) -> Option<Vec<String>> {
    let suites = current.tls.as_ref()?.cipher_suites.as_deref()?;
    let weak = tls::weak_suites(suites);
    if weak.is_empty() {
        return None;
    }
    let mut keep: Vec<String> = suites
        .iter()
        .filter(|s| tls::suite_weakness(s).is_none())
        .cloned()
        .collect();
    if keep.is_empty() {
        keep = SuitePreset::Tls12Modern
            .suites()
            .into_iter()
            .map(str::to_owned)
            .collect();
    }
    let change = SecurityConfig {
        tls: Some(Tls {
            cipher_suites: Some(keep.clone()),
            ..Tls::default()
        }),
        ..SecurityConfig::default()
    };
    let evidence = weak
        .iter()
        .map(|(name, why)| Evidence::new(format!("tls.cipher_suites: {name}"), why))
        .collect();
    out.push(finding(
        TLS_WEAK_CIPHERS,
        "cluster",
        evidence,
        Remedy::requests(patch(&change, current), vec![], pages::SECURITY),
    ));
    Some(keep)
}

/// `fips.disabled`: the fix waits for the TLS floor, the weak suites and every weak certificate
/// in use, and is validated (core's FIPS rules) against the configuration those fixes leave.
fn fips(
    current: &SecurityConfig,
    certs: &CertificateFacts,
    tls_fix: Option<&Tls>,
    suites_fix: Option<&Vec<String>>,
    out: &mut Vec<Finding>,
) {
    if current.fips_enabled() != Some(false) {
        return;
    }
    let mut requires = Vec::new();
    let mut after = current.clone();
    let tls_after = after.tls.get_or_insert_with(Tls::default);
    if let Some(fix) = tls_fix {
        requires.push(TLS_MIN_VERSION);
        tls_after.protocol_versions = fix.protocol_versions.clone();
    }
    if let Some(keep) = suites_fix {
        requires.push(TLS_WEAK_CIPHERS);
        tls_after.cipher_suites = Some(keep.clone());
    }
    requires.extend(certs.weak_in_use.iter().copied());
    let change = SecurityConfig {
        fips: Some(Fips {
            enabled: Some(true),
            ..Fips::default()
        }),
        ..SecurityConfig::default()
    };
    let built = patch(&change, &after);
    let mut evidence = vec![Evidence::new("fips.enabled", false)];
    if let Some(suites) = after.tls.as_ref().and_then(|t| t.cipher_suites.as_deref()) {
        let disabled = tls::suites_disabled_by_fips(suites);
        if !disabled.is_empty() {
            evidence.push(Evidence::new(
                "cipher suites FIPS mode will disable",
                disabled.join(", "),
            ));
        }
    }
    out.push(finding(
        FIPS_DISABLED,
        "cluster",
        evidence,
        Remedy::requests(built, requires, pages::SECURITY),
    ));
}

fn protocols(current: &SecurityConfig, out: &mut Vec<Finding>) {
    let Some(p) = current.management_protocols.as_ref() else {
        return;
    };
    let cases = [
        (
            PROTOCOLS_TELNET,
            "management_protocols.telnet_enabled",
            p.telnet_enabled,
        ),
        (
            PROTOCOLS_RSH,
            "management_protocols.rsh_enabled",
            p.rsh_enabled,
        ),
    ];
    for (rule, field, value) in cases {
        if value != Some(true) {
            continue;
        }
        let off = ManagementProtocols {
            telnet_enabled: (rule == PROTOCOLS_TELNET).then_some(false),
            rsh_enabled: (rule == PROTOCOLS_RSH).then_some(false),
            extra: Extra::new(),
        };
        let change = SecurityConfig {
            management_protocols: Some(off),
            ..SecurityConfig::default()
        };
        out.push(finding(
            rule,
            "cluster",
            vec![Evidence::new(field, true)],
            Remedy::requests(patch(&change, current), vec![], pages::SECURITY),
        ));
    }
}

/// `encryption.default-off`: waits for a key manager (new volumes can only be encrypted with one).
fn encryption(snapshot: &Snapshot, out: &mut Vec<Finding>) {
    let current = &snapshot.security;
    let sde = current.software_data_encryption.as_ref();
    if sde.and_then(|s| s.disabled_by_default) != Some(true) {
        return;
    }
    let change = SecurityConfig {
        software_data_encryption: Some(SoftwareDataEncryption {
            disabled_by_default: Some(false),
            ..SoftwareDataEncryption::default()
        }),
        ..SecurityConfig::default()
    };
    let requires = if snapshot.key_managers.is_empty() {
        vec![KEY_MANAGER_NONE]
    } else {
        vec![]
    };
    let mut evidence = vec![Evidence::new(
        "software_data_encryption.disabled_by_default",
        true,
    )];
    if let Some(state) = sde.and_then(|s| s.encryption_state.as_ref()) {
        let name = crate::envelope::wire_name(state).unwrap_or_default();
        evidence.push(Evidence::new(
            "software_data_encryption.encryption_state",
            name,
        ));
    }
    out.push(finding(
        ENCRYPTION_DEFAULT_OFF,
        "cluster",
        evidence,
        Remedy::requests(patch(&change, current), requires, pages::SECURITY),
    ));
}

/// `ipsec.disabled`, only when IPsec was read.
fn ipsec_off(snapshot: &Snapshot, out: &mut Vec<Finding>) {
    let Some(current) = snapshot.ipsec.as_ref() else {
        return;
    };
    if current.enabled != Some(false) {
        return;
    }
    let change = ipsec::Ipsec {
        enabled: Some(true),
        ..ipsec::Ipsec::default()
    };
    let built = ipsec::validate_patch_for_release(
        &change,
        &snapshot.cluster.version.clone().unwrap_or_default(),
    )
    .and_then(|()| ipsec::patch(&change, None))
    .map(|r| vec![r]);
    out.push(finding(
        IPSEC_DISABLED,
        "cluster",
        vec![Evidence::new("enabled", false)],
        Remedy::requests(built, vec![], pages::IPSEC),
    ));
}
