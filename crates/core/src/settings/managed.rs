//! The file's objects (not settings): key managers and the certificates the file manages. A
//! secret is never in the file: it is an [`EnvRef`] (an environment variable's name) or a path
//! to a PEM file, read by the tool at plan time and handed to core as [`Inputs`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// A secret's source: the environment variable that holds it (`{ env = "OKM_PASSPHRASE" }`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvRef {
    pub env: String,
}

/// One key manager: the cluster's (no `svm`) or an SVM's. Either `onboard` or `external`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyManagerSettings {
    /// The SVM this key manager belongs to; left out for the cluster's (admin SVM) key manager.
    pub svm: Option<String>,
    pub onboard: Option<OnboardSettings>,
    pub external: Option<ExternalSettings>,
}

impl KeyManagerSettings {
    /// `cluster` or `SVM vs0`, for sentences.
    pub fn scope_label(&self) -> String {
        scope_label(self.svm.as_deref())
    }
}

/// `cluster` or `SVM NAME`.
pub fn scope_label(svm: Option<&str>) -> String {
    match svm {
        Some(name) => format!("SVM {name}"),
        None => "cluster".to_owned(),
    }
}

/// The Onboard Key Manager. The passphrase is only used when it is created.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnboardSettings {
    pub enabled: Option<bool>,
    /// The cluster-wide passphrase (32 to 256 characters), from an environment variable.
    pub passphrase: Option<EnvRef>,
}

/// External (KMIP) key management. Certificates are named; the file may manage them too.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalSettings {
    /// `host:port` of each KMIP server (the port defaults to 5696). Compared as a set.
    #[serde(default)]
    pub servers: Vec<String>,
    /// The name of the installed client certificate.
    pub client_certificate: Option<String>,
    /// The names of the installed server CA certificates. Compared as a set.
    #[serde(default)]
    pub server_ca_certificates: Vec<String>,
}

/// A certificate the file manages (certificates not named in the file are left alone). Either
/// installed from PEM files (`public_certificate`, plus `private_key` for server and client
/// certificates) or created by the cluster (`common_name`, … for root-ca and server).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateSettings {
    pub name: String,
    /// `client`, `server`, `client_ca`, `server_ca` or `root_ca`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The SVM that owns it; left out for the cluster's.
    pub svm: Option<String>,
    /// Path to the PEM certificate to install (relative to the settings file).
    pub public_certificate: Option<String>,
    /// Path to the PEM private key (server and client certificates); never readable from ONTAP.
    pub private_key: Option<String>,
    pub common_name: Option<String>,
    pub key_size: Option<u32>,
    pub hash_function: Option<String>,
    /// ISO 8601 duration, e.g. `P365DT`.
    pub expiry_time: Option<String>,
}

/// What the tool read for the plan: secrets by environment variable name, file texts by the
/// file's path as written in the settings file, and the time (for certificate expiry rules).
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub secrets: BTreeMap<String, Secret>,
    pub files: BTreeMap<String, String>,
    pub now: jiff::Timestamp,
}

impl Inputs {
    /// Every environment variable the file refers to, in the file's order.
    pub fn env_names(file: &super::SettingsFile) -> Vec<String> {
        file.key_manager
            .iter()
            .filter_map(|k| k.onboard.as_ref()?.passphrase.as_ref())
            .map(|e| e.env.clone())
            .collect()
    }

    /// Every file path the file refers to, in the file's order.
    pub fn paths(file: &super::SettingsFile) -> Vec<String> {
        file.certificate
            .iter()
            .flat_map(|c| [c.public_certificate.clone(), c.private_key.clone()])
            .flatten()
            .collect()
    }
}
