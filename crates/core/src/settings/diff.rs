//! From the cluster's current records to a file ([`from_cluster`]), and from a file and the
//! current records to the settings that differ ([`diff`]).

use serde_json::{json, Value};

use super::model::*;
use crate::cluster::Version;
use crate::ipsec::Ipsec;
use crate::security::SecurityConfig;

/// What a plan compares the file with: the cluster's answers to core's reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Current {
    pub security: SecurityConfig,
    /// `None` on releases without IPsec (before 9.8).
    pub ipsec: Option<Ipsec>,
    /// The cluster's release, when it reported one (rules that depend on the release use it).
    pub release: Option<Version>,
    /// Key managers, with their certificates' names ([`super::Reads::key_managers`]).
    pub key_managers: Vec<crate::key_managers::KeyManager>,
    /// Installed certificates, with their PEM ([`super::Reads::certificates`]).
    pub certificates: Vec<crate::certificates::Certificate>,
}

/// One managed setting whose value on the cluster differs from the file's.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    /// The file's key, e.g. `security.fips.enabled`.
    pub key: String,
    /// The cluster's value (`null` when it reports none).
    pub old: Value,
    /// The file's value.
    pub new: Value,
}

/// The cluster's managed settings as a file: everything the cluster reports, so that applying
/// the file to another cluster makes it the same.
pub fn from_cluster(current: &Current) -> SettingsFile {
    let s = &current.security;
    let security = SecuritySettings {
        fips: s.fips.as_ref().map(|f| FipsSettings { enabled: f.enabled }),
        tls: s.tls.as_ref().map(|t| TlsSettings {
            protocol_versions: t.protocol_versions.clone(),
            cipher_suites: t.cipher_suites.clone(),
        }),
        management_protocols: s.management_protocols.as_ref().map(|p| ProtocolSettings {
            telnet_enabled: p.telnet_enabled,
            rsh_enabled: p.rsh_enabled,
        }),
        software_data_encryption: s
            .software_data_encryption
            .as_ref()
            .map(|e| EncryptionSettings {
                disabled_by_default: e.disabled_by_default,
            }),
    };
    SettingsFile {
        security: Some(security),
        ipsec: current.ipsec.as_ref().map(|i| IpsecSettings {
            enabled: i.enabled,
            replay_window: i.replay_window,
            offload_enabled: i.offload_enabled,
        }),
        cluster: Vec::new(),
        ..SettingsFile::default()
    }
}

/// Every managed setting of `desired` whose value differs from `current`, in the file's order.
/// Lists are compared as sets (ONTAP's order of versions and suites means nothing).
pub fn diff(desired: &SettingsFile, current: &Current) -> Vec<Change> {
    let mut out = Vec::new();
    let have = from_cluster(current);
    if let Some(want) = &desired.security {
        let now = have.security.unwrap_or_default();
        let fips = want.fips.as_ref().and_then(|f| f.enabled);
        let fips_now = now.fips.as_ref().and_then(|f| f.enabled);
        scalar(&mut out, "security.fips.enabled", fips, fips_now);
        let tls = want.tls.clone().unwrap_or_default();
        let tls_now = now.tls.unwrap_or_default();
        list(
            &mut out,
            "security.tls.protocol_versions",
            &tls.protocol_versions,
            &tls_now.protocol_versions,
        );
        list(
            &mut out,
            "security.tls.cipher_suites",
            &tls.cipher_suites,
            &tls_now.cipher_suites,
        );
        let p = want.management_protocols.clone().unwrap_or_default();
        let p_now = now.management_protocols.unwrap_or_default();
        scalar(
            &mut out,
            "security.management_protocols.telnet_enabled",
            p.telnet_enabled,
            p_now.telnet_enabled,
        );
        scalar(
            &mut out,
            "security.management_protocols.rsh_enabled",
            p.rsh_enabled,
            p_now.rsh_enabled,
        );
        let e = want.software_data_encryption.clone().unwrap_or_default();
        let e_now = now.software_data_encryption.unwrap_or_default();
        scalar(
            &mut out,
            "security.software_data_encryption.disabled_by_default",
            e.disabled_by_default,
            e_now.disabled_by_default,
        );
    }
    if let Some(want) = &desired.ipsec {
        let now = have.ipsec.unwrap_or_default();
        scalar(&mut out, "ipsec.enabled", want.enabled, now.enabled);
        scalar(
            &mut out,
            "ipsec.replay_window",
            want.replay_window,
            now.replay_window,
        );
        scalar(
            &mut out,
            "ipsec.offload_enabled",
            want.offload_enabled,
            now.offload_enabled,
        );
    }
    out
}

fn scalar<T: PartialEq + serde::Serialize>(
    out: &mut Vec<Change>,
    key: &str,
    want: Option<T>,
    now: Option<T>,
) {
    if let Some(want) = want {
        if now.as_ref() != Some(&want) {
            out.push(Change {
                key: key.to_owned(),
                old: json!(now),
                new: json!(want),
            });
        }
    }
}

fn list(out: &mut Vec<Change>, key: &str, want: &Option<Vec<String>>, now: &Option<Vec<String>>) {
    let Some(want) = want else { return };
    let sorted = |items: &[String]| {
        let mut items = items.to_vec();
        items.sort();
        items.dedup();
        items
    };
    let same = now
        .as_deref()
        .is_some_and(|now| sorted(now) == sorted(want));
    if !same {
        out.push(Change {
            key: key.to_owned(),
            old: json!(now),
            new: json!(want),
        });
    }
}
