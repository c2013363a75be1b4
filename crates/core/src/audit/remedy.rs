//! How a finding is fixed: requests core builds and validates, or manual steps on a console
//! page with its form prefilled.

use serde::{Deserialize, Serialize};

use crate::certificates::{CertificateType, DEFAULT_HASH_FUNCTION};
use crate::request::Request;
use crate::validation::Violations;

/// The fix of a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Remedy {
    /// Send these requests, in order, once every rule in `requires` passes.
    Requests {
        requests: Vec<Request>,
        /// Rule ids that must be fixed first (FIPS needs the TLS floor raised, ...).
        requires: Vec<String>,
    },
    /// Steps a person takes; `page` is the console route that does them, `prefill` its form.
    Manual {
        steps: Vec<String>,
        page: String,
        prefill: Option<Prefill>,
    },
}

impl Remedy {
    /// A remedy of requests, or, when core's validation refuses what it would send, the
    /// manual steps with the reasons (the audit never offers a request ONTAP would refuse).
    pub(crate) fn requests(
        built: Result<Vec<Request>, Violations>,
        requires: Vec<&str>,
        page: &str,
    ) -> Remedy {
        match built {
            Ok(requests) => Remedy::Requests {
                requests,
                requires: requires.into_iter().map(str::to_owned).collect(),
            },
            Err(violations) => Remedy::Manual {
                steps: violations.0.iter().map(|v| v.message.clone()).collect(),
                page: page.to_owned(),
                prefill: None,
            },
        }
    }

    pub(crate) fn manual(
        steps: &[&str],
        page: impl Into<String>,
        prefill: Option<Prefill>,
    ) -> Remedy {
        Remedy::Manual {
            steps: steps.iter().map(|s| (*s).to_owned()).collect(),
            page: page.into(),
            prefill,
        }
    }

    /// The rules this remedy waits for.
    pub fn requires(&self) -> &[String] {
        match self {
            Remedy::Requests { requires, .. } => requires,
            Remedy::Manual { .. } => &[],
        }
    }
}

/// Console routes the manual remedies point to.
pub mod pages {
    pub const SECURITY: &str = "/security";
    pub const KEY_MANAGERS: &str = "/key-managers";
    pub const CERTIFICATES: &str = "/certificates";
    pub const IPSEC: &str = "/ipsec";

    /// A key manager's page.
    pub fn key_manager(uuid: &str) -> String {
        format!("/key-managers/{}", crate::request::encode_segment(uuid))
    }

    /// A certificate's page.
    pub fn certificate(uuid: &str) -> String {
        format!("/certificates/{}", crate::request::encode_segment(uuid))
    }
}

/// The key size a replacement certificate gets: ONTAP's default and FIPS's minimum.
pub const REPLACEMENT_KEY_SIZE: u32 = crate::certificates::DEFAULT_KEY_SIZE;

/// A console form to open, prefilled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Prefill {
    /// Create (or request from a CA) a certificate replacing `replaces`: same common name,
    /// SVM and type, a strong key and hash.
    ReplaceCertificate {
        /// The UUID of the certificate to replace.
        replaces: Option<String>,
        common_name: String,
        /// The SVM's name; `None` at cluster scope.
        svm: Option<String>,
        #[serde(rename = "type")]
        type_: CertificateType,
        key_size: u32,
        hash_function: String,
    },
    /// Create a key manager (cluster scope when `svm` is `None`).
    CreateKeyManager { svm: Option<String> },
    /// Add a key server to the external key manager `key_manager` (its UUID).
    AddKeyServer { key_manager: String },
    /// Synchronize the Onboard Key Manager `key_manager` (its UUID; the passphrase is asked).
    SyncOnboard { key_manager: String },
    /// Check a key server's connectivity (`server` is its `host:port`).
    CheckKeyServer { key_manager: String, server: String },
}

impl Prefill {
    /// The replacement form for a certificate.
    pub(crate) fn replace(cert: &crate::certificates::Certificate) -> Prefill {
        Prefill::ReplaceCertificate {
            replaces: cert.uuid.clone(),
            common_name: cert.common_name.clone().unwrap_or_default(),
            svm: cert.svm.as_ref().and_then(|s| s.name.clone()),
            type_: cert.type_.clone().unwrap_or(CertificateType::Server),
            key_size: REPLACEMENT_KEY_SIZE.max(cert.key_size.unwrap_or(0)),
            hash_function: DEFAULT_HASH_FUNCTION.to_owned(),
        }
    }
}
