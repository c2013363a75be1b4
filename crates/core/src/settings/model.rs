//! The desired-state file's model: what a person writes (TOML in the command line, but any serde
//! format works), with the same field names and nesting as ONTAP's PATCH bodies so that a
//! violation's field (`tls.protocol_versions`) is also the file's key (`security.tls.protocol_versions`).
//!
//! Every field is optional: a setting the file leaves out is not managed (never changed, never
//! reported as drift). Unknown keys are refused, so a typo never silently manages nothing.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One settings file: the desired state of every cluster it applies to.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    /// `/api/security`: FIPS, TLS, management protocols, software encryption defaults.
    pub security: Option<SecuritySettings>,
    /// `/api/security/ipsec`.
    pub ipsec: Option<IpsecSettings>,
    /// Delete key managers the file does not list (destructive: off unless `true`).
    pub prune: Option<bool>,
    /// Key managers, one per scope (the cluster, or an SVM).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_manager: Vec<super::managed::KeyManagerSettings>,
    /// The certificates the file manages (others are left alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificate: Vec<super::managed::CertificateSettings>,
    /// The clusters this file is applied to when the command line names none (`--cluster` or
    /// `--inventory` win). Each gets the same settings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cluster: Vec<ClusterEntry>,
}

/// A cluster the file names. The password comes from `password_env`, else
/// `ONTAP_CONSOLE_PASSWORD`: never from the file.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterEntry {
    /// A unique name for reports.
    pub name: String,
    /// The cluster management address (`https://MGMT-LIF`).
    pub url: String,
    /// The user to sign in as (default `admin`).
    pub user: Option<String>,
    /// The environment variable holding this cluster's password.
    pub password_env: Option<String>,
}

/// The managed parts of `/api/security`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    pub fips: Option<FipsSettings>,
    pub tls: Option<TlsSettings>,
    pub management_protocols: Option<ProtocolSettings>,
    pub software_data_encryption: Option<EncryptionSettings>,
}

/// Cluster-wide FIPS 140 mode.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FipsSettings {
    /// FIPS 140 mode on or off (turning it off lowers security).
    pub enabled: Option<bool>,
}

/// Cluster-wide TLS. Compared as sets: ONTAP's order of the lists carries no meaning.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TlsSettings {
    /// e.g. `["TLSv1.3", "TLSv1.2"]`: ONTAP enables every version at or above the lowest one.
    pub protocol_versions: Option<Vec<String>>,
    /// OpenSSL-style suite names, e.g. `"TLS_AES_256_GCM_SHA384"`.
    pub cipher_suites: Option<Vec<String>>,
}

/// Legacy clear-text management protocols.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtocolSettings {
    pub telnet_enabled: Option<bool>,
    pub rsh_enabled: Option<bool>,
}

/// Software data-at-rest encryption defaults (conversions and rekeys are operations, not state,
/// and stay in the console).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EncryptionSettings {
    /// Whether new volumes are left unencrypted unless asked.
    pub disabled_by_default: Option<bool>,
}

/// The managed parts of `/api/security/ipsec`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IpsecSettings {
    pub enabled: Option<bool>,
    /// Replay window in packets: 0, 64, 128, 256, 512 or 1024 (0 turns replay protection off).
    pub replay_window: Option<u64>,
    /// IPsec hardware offload (ONTAP 9.16.1 and later).
    pub offload_enabled: Option<bool>,
}

/// The JSON Schema of [`SettingsFile`], for editors (Taplo, Even Better TOML, VS Code YAML).
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(SettingsFile)).unwrap_or_default()
}
