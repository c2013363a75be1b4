//! The rules ONTAP applies to a `/api/security` PATCH.

use super::model::{EncryptionState, SecurityConfig};
use super::tls::{
    is_known_cipher_suite, suite_fits_versions, suite_traits, versions_from_floor, TlsVersion,
};
use crate::cluster::Version;
use crate::validation::{Violation, Violations};

/// Checks a PATCH body on its own: every rule the reference states for the body.
pub fn validate_patch(change: &SecurityConfig) -> Result<(), Violations> {
    let mut out = Violations::new();
    check_body(change, &mut out);
    let versions = requested_versions(change);
    if let Some(versions) = &versions {
        if fips_requested(change) {
            check_fips_versions(versions, "tls.protocol_versions", &mut out);
        }
        if let Some(suites) = requested_suites(change) {
            check_usable_suites(suites, versions, &mut out);
        }
    }
    out.into_result()
}

/// Checks a PATCH body against the cluster's current configuration, so the console can explain
/// before sending what ONTAP would refuse: enabling FIPS while TLSv1 stays allowed, lowering
/// the TLS floor under FIPS, starting a conversion or rekey that is already running, a rekey
/// while plain-text volumes remain, a cipher list no enabled version can use.
///
/// Rules on the current state are only applied to what the PATCH changes: an unrelated change
/// (say, telnet) is never refused because of the cluster's existing configuration.
pub fn validate_patch_against(
    change: &SecurityConfig,
    current: &SecurityConfig,
) -> Result<(), Violations> {
    let mut out = Violations::new();
    check_body(change, &mut out);

    let fips_after = change
        .fips_enabled()
        .or_else(|| current.fips_enabled())
        .unwrap_or(false);
    let new_versions = requested_versions(change);
    let versions_after = new_versions.clone().unwrap_or_else(|| {
        current
            .tls
            .as_ref()
            .and_then(|t| t.floor())
            .map(versions_from_floor)
            .unwrap_or_default()
    });
    let new_suites = requested_suites(change);
    let suites_after: Option<&[String]> = new_suites.or_else(|| {
        current
            .tls
            .as_ref()
            .and_then(|t| t.cipher_suites.as_deref())
    });

    if fips_after && (fips_requested(change) || new_versions.is_some()) {
        let field = if new_versions.is_some() {
            "tls.protocol_versions"
        } else {
            "fips.enabled"
        };
        check_fips_versions(&versions_after, field, &mut out);
    }
    if let Some(suites) = suites_after {
        let changed = new_suites.is_some() || new_versions.is_some();
        if changed && !versions_after.is_empty() {
            check_usable_suites(suites, &versions_after, &mut out);
        }
        let fips_changes_suites = fips_requested(change) || (fips_after && new_suites.is_some());
        if fips_after
            && fips_changes_suites
            && !suites.is_empty()
            && suites.iter().all(|s| !suite_traits(s).fips_compatible)
        {
            out.push(Violation::new(
                if new_suites.is_some() {
                    "tls.cipher_suites"
                } else {
                    "fips.enabled"
                },
                "FIPS mode disables every cipher suite that is not FIPS-compatible, and none of the chosen suites is: choose at least one FIPS-compatible suite.",
            ));
        }
    }
    check_encryption_state(change, current, &mut out);
    out.into_result()
}

/// Checks a PATCH against the cluster's release: a cluster-level rekey needs ONTAP 9.16.1 or
/// later (196608392). An unknown release is not held against the change.
pub fn validate_patch_for_release(
    change: &SecurityConfig,
    release: &Version,
) -> Result<(), Violations> {
    let mut out = Violations::new();
    let rekey = change
        .software_data_encryption
        .as_ref()
        .and_then(|s| s.rekey)
        == Some(true);
    if rekey && release.is_before(9, 16, 1) == Some(true) {
        out.push(Violation::coded(
            "software_data_encryption.rekey",
            196608392,
            "A cluster-level rekey needs ONTAP 9.16.1 or later on every node.",
        ));
    }
    out.into_result()
}

fn fips_requested(change: &SecurityConfig) -> bool {
    change.fips_enabled() == Some(true)
}

/// The versions a PATCH would enable (every version at or above the lowest one listed).
fn requested_versions(change: &SecurityConfig) -> Option<Vec<TlsVersion>> {
    change.tls.as_ref()?.floor().map(versions_from_floor)
}

fn requested_suites(change: &SecurityConfig) -> Option<&[String]> {
    change.tls.as_ref()?.cipher_suites.as_deref()
}

fn check_fips_versions(versions: &[TlsVersion], field: &str, out: &mut Violations) {
    for version in versions.iter().rev() {
        if let Some(code) = version.fips_refusal_code() {
            out.push(Violation::coded(
                field,
                code,
                format!(
                    "{version} is not supported when FIPS is enabled: raise the lowest TLS version to TLSv1.2 or TLSv1.3."
                ),
            ));
        }
    }
}

/// Refuses a cipher list that no enabled protocol version can negotiate: every TLS connection
/// to the cluster, the console's included, would fail. Unknown names are reported elsewhere.
fn check_usable_suites(suites: &[String], versions: &[TlsVersion], out: &mut Violations) {
    let known: Vec<&String> = suites.iter().filter(|s| is_known_cipher_suite(s)).collect();
    if !known.is_empty() && !known.iter().any(|s| suite_fits_versions(s, versions)) {
        let names: Vec<&str> = versions.iter().map(|v| v.name()).collect();
        out.push(Violation::new(
            "tls.cipher_suites",
            format!(
                "None of the chosen cipher suites can be used with the enabled protocol versions ({}): every TLS connection to the cluster, this console's included, would fail.",
                names.join(", ")
            ),
        ));
    }
}

/// Conversion and rekey against what is already running (196608370, 196608371) and against
/// plain-text volumes (196608384).
fn check_encryption_state(change: &SecurityConfig, current: &SecurityConfig, out: &mut Violations) {
    let Some(sde) = &change.software_data_encryption else {
        return;
    };
    let Some(state) = current
        .software_data_encryption
        .as_ref()
        .and_then(|s| s.encryption_state.as_ref())
    else {
        return;
    };
    if sde.conversion_enabled == Some(true)
        && matches!(
            state,
            EncryptionState::Encrypting | EncryptionState::ConversionPaused
        )
    {
        out.push(Violation::coded(
            "software_data_encryption.conversion_enabled",
            196608370,
            "A conversion to encrypted volumes is already running: follow it in the encryption state.",
        ));
    }
    if sde.rekey == Some(true) {
        match state {
            EncryptionState::Rekeying | EncryptionState::RekeyPaused => out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608371,
                "The volumes are already being rekeyed: follow it in the encryption state.",
            )),
            EncryptionState::Unencrypted
            | EncryptionState::Partial
            | EncryptionState::Encrypting
            | EncryptionState::ConversionPaused => out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608384,
                "A rekey needs every volume encrypted: convert the plain-text volumes first.",
            )),
            EncryptionState::Encrypted | EncryptionState::Other(_) => {}
        }
    }
}

fn check_body(change: &SecurityConfig, out: &mut Violations) {
    if let Some(sde) = &change.software_data_encryption {
        let conversion = sde.conversion_enabled;
        let rekey = sde.rekey;
        let disabled_by_default = sde.disabled_by_default == Some(true);
        if conversion == Some(false) {
            out.push(Violation::coded(
                "software_data_encryption.conversion_enabled",
                196608387,
                "Conversion cannot be turned off: it can only be started (true).",
            ));
        }
        if conversion == Some(true) && disabled_by_default {
            out.push(Violation::coded(
                "software_data_encryption.conversion_enabled",
                196608388,
                "Starting conversion and disabling encryption by default cannot be done in the same change.",
            ));
        }
        if conversion == Some(true) && rekey == Some(true) {
            out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608389,
                "Starting conversion and a rekey cannot be done in the same change.",
            ));
        }
        if rekey == Some(false) {
            out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608390,
                "Rekey cannot be turned off: it can only be started (true).",
            ));
        }
        if rekey == Some(true) && disabled_by_default {
            out.push(Violation::coded(
                "software_data_encryption.rekey",
                196608391,
                "Starting a rekey and disabling encryption by default cannot be done in the same change.",
            ));
        }
        if sde.encryption_state.is_some() {
            out.push(Violation::new(
                "software_data_encryption.encryption_state",
                "The encryption state is reported by the cluster and cannot be changed.",
            ));
        }
    }
    if let Some(tls) = &change.tls {
        if let Some(versions) = &tls.protocol_versions {
            if versions.is_empty() {
                out.push(Violation::new(
                    "tls.protocol_versions",
                    "Choose at least one TLS protocol version.",
                ));
            }
            for (i, name) in versions.iter().enumerate() {
                if TlsVersion::parse(name).is_none() {
                    out.push(Violation::new(
                        format!("tls.protocol_versions[{i}]"),
                        format!(
                            "\"{name}\" is not a TLS protocol version ONTAP knows (SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)."
                        ),
                    ));
                }
            }
        }
        if let Some(suites) = &tls.cipher_suites {
            if suites.is_empty() {
                out.push(Violation::new(
                    "tls.cipher_suites",
                    "Choose at least one cipher suite.",
                ));
            }
            for (i, name) in suites.iter().enumerate() {
                if !is_known_cipher_suite(name) {
                    out.push(Violation::new(
                        format!("tls.cipher_suites[{i}]"),
                        format!("\"{name}\" is not a cipher suite ONTAP knows."),
                    ));
                }
            }
        }
    }
    if change.onboard_key_manager_configurable_status.is_some() {
        out.push(Violation::new(
            "onboard_key_manager_configurable_status",
            "Whether the Onboard Key Manager can be configured is reported by the cluster and cannot be changed.",
        ));
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
