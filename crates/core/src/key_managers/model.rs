//! Key manager and key server records.

use serde::{Deserialize, Serialize};

use crate::envelope::{Extra, IntOrString, Links, Scope, SvmRef};
use crate::secret::Secret;

/// A key manager: external (KMIP servers) or onboard, at cluster or SVM scope.
/// Also the body of POST and PATCH.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KeyManager {
    pub uuid: Option<String>,
    pub scope: Option<Scope>,
    pub svm: Option<SvmRef>,
    pub external: Option<External>,
    pub onboard: Option<Onboard>,
    /// Expensive: only returned when asked for (`status.code`, `status.message`).
    pub status: Option<Status>,
    pub volume_encryption: Option<Status>,
    pub is_default_data_at_rest_encryption_disabled: Option<bool>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl KeyManager {
    /// Whether this is an onboard key manager (as far as the record tells).
    pub fn is_onboard(&self) -> bool {
        self.onboard.is_some() && self.external.is_none()
    }
}

/// External key management: the client certificate, the server CAs and the KMIP servers.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct External {
    pub client_certificate: Option<CertificateRef>,
    pub server_ca_certificates: Option<Vec<CertificateRef>>,
    pub servers: Option<Vec<KeyServer>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A reference to an installed certificate, by UUID (and name in newer releases).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CertificateRef {
    pub uuid: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl CertificateRef {
    /// A reference by UUID.
    pub fn by_uuid(uuid: impl Into<String>) -> Self {
        CertificateRef {
            uuid: Some(uuid.into()),
            ..CertificateRef::default()
        }
    }

    /// Whether the reference names a certificate at all.
    pub fn is_empty(&self) -> bool {
        self.uuid.as_deref().is_none_or(str::is_empty)
            && self.name.as_deref().is_none_or(str::is_empty)
    }
}

/// Onboard key management. The passphrases are secrets; the key backup is returned once
/// configured and must be saved by the admin.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Onboard {
    pub enabled: Option<bool>,
    pub passphrase: Option<Secret>,
    pub existing_passphrase: Option<Secret>,
    pub synchronize: Option<bool>,
    pub key_backup: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A status (key manager setup status, or volume encryption support).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Status {
    pub supported: Option<bool>,
    pub code: Option<IntOrString>,
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A KMIP key server of an external key manager; also the body of key-server POST and PATCH.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KeyServer {
    /// The key manager's UUID (in key-server collection records).
    pub uuid: Option<String>,
    /// `host[:port]`; the port defaults to 5696.
    pub server: Option<String>,
    /// I/O timeout in seconds (some answers send it as a string).
    pub timeout: Option<IntOrString>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub secondary_key_servers: Option<Vec<String>>,
    /// Expensive: only returned when asked for.
    pub connectivity: Option<Connectivity>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl KeyServer {
    /// A key server with only its address.
    pub fn at(server: impl Into<String>) -> Self {
        KeyServer {
            server: Some(server.into()),
            ..KeyServer::default()
        }
    }
}

/// Key server connectivity across the cluster's nodes.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Connectivity {
    pub cluster_availability: Option<bool>,
    pub records: Option<Vec<NodeState>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A node's connectivity to a key server (reported only where it is not available).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NodeState {
    pub node: Option<NodeRef>,
    pub state: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A reference to a node.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NodeRef {
    pub name: Option<String>,
    pub uuid: Option<String>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}
