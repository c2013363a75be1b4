//! The `/api/security` record.

use serde::{Deserialize, Serialize};

use super::tls::{floor_of, versions_from_floor, TlsVersion};
use crate::envelope::{Extra, Links};

/// The cluster's security configuration (`security_config`); also the PATCH body.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecurityConfig {
    pub fips: Option<Fips>,
    pub tls: Option<Tls>,
    pub management_protocols: Option<ManagementProtocols>,
    pub software_data_encryption: Option<SoftwareDataEncryption>,
    /// Read-only: whether the Onboard Key Manager can be configured.
    pub onboard_key_manager_configurable_status: Option<OkmConfigurableStatus>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl SecurityConfig {
    /// `fips.enabled`, when present.
    pub fn fips_enabled(&self) -> Option<bool> {
        self.fips.as_ref()?.enabled
    }
}

/// Cluster-wide FIPS 140 mode.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Fips {
    pub enabled: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Cluster-wide TLS configuration. ONTAP enables every protocol version at or above the lowest
/// one listed (see [`super::tls::versions_from_floor`]).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Tls {
    pub cipher_suites: Option<Vec<String>>,
    pub protocol_versions: Option<Vec<String>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Tls {
    /// A TLS setting enabling `floor` and every newer version, with these suites.
    pub fn from_floor<S: Into<String>>(
        floor: TlsVersion,
        suites: impl IntoIterator<Item = S>,
    ) -> Self {
        Tls {
            protocol_versions: Some(
                versions_from_floor(floor)
                    .into_iter()
                    .map(|v| v.name().to_owned())
                    .collect(),
            ),
            cipher_suites: Some(suites.into_iter().map(Into::into).collect()),
            extra: Extra::new(),
        }
    }

    /// The lowest listed version: what ONTAP enforces. `None` when no known version is listed.
    pub fn floor(&self) -> Option<TlsVersion> {
        floor_of(self.protocol_versions.as_deref()?)
    }

    /// The versions ONTAP actually enables: every version at or above the floor, newest first.
    pub fn enabled_versions(&self) -> Vec<TlsVersion> {
        self.floor().map(versions_from_floor).unwrap_or_default()
    }
}

/// Legacy clear-text management protocols.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ManagementProtocols {
    pub rsh_enabled: Option<bool>,
    pub telnet_enabled: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Software data-at-rest encryption (NVE/NAE) defaults and operations.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SoftwareDataEncryption {
    /// PATCH `true` starts converting metadata volumes and aggregates; `false` is refused.
    pub conversion_enabled: Option<bool>,
    pub disabled_by_default: Option<bool>,
    /// PATCH `true` starts a cluster-level rekey; `false` is refused.
    pub rekey: Option<bool>,
    /// Read-only.
    pub encryption_state: Option<EncryptionState>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Where software data encryption stands across the cluster's volumes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EncryptionState {
    Encrypted,
    Encrypting,
    Partial,
    Rekeying,
    Unencrypted,
    ConversionPaused,
    RekeyPaused,
    #[serde(untagged)]
    Other(String),
}

impl EncryptionState {
    /// Whether a conversion or rekey is running or paused: the state will change on its own.
    pub fn in_progress(&self) -> bool {
        matches!(
            self,
            EncryptionState::Encrypting
                | EncryptionState::Rekeying
                | EncryptionState::ConversionPaused
                | EncryptionState::RekeyPaused
        )
    }
}

/// Whether the Onboard Key Manager can be configured, and why not.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OkmConfigurableStatus {
    pub supported: Option<bool>,
    pub message: Option<String>,
    /// 0 when the Onboard Key Manager can be configured.
    pub code: Option<u64>,
    #[serde(flatten)]
    pub extra: Extra,
}
