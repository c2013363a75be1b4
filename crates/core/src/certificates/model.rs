//! Certificate records and the bodies of the sign and CSR actions.

use serde::{Deserialize, Serialize};

use crate::envelope::{Extra, IntOrString, Links, Scope, SvmRef};
use crate::secret::Secret;

/// A certificate installed in the cluster or an SVM; also the body of POST (install, create,
/// or download from Azure Key Vault).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Certificate {
    pub uuid: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub type_: Option<CertificateType>,
    pub scope: Option<Scope>,
    pub svm: Option<SvmRef>,
    pub common_name: Option<String>,
    /// The issuing certificate authority's name.
    pub ca: Option<String>,
    pub serial_number: Option<String>,
    pub hash_function: Option<String>,
    pub key_size: Option<u32>,
    /// A date-time on GET; on POST also an ISO 8601 duration such as ONTAP's `P365DT`.
    pub expiry_time: Option<String>,
    pub public_certificate: Option<String>,
    /// Only sent on POST (install of a server or client certificate); never returned.
    pub private_key: Option<Secret>,
    pub intermediate_certificates: Option<Vec<String>>,
    pub subject_alternatives: Option<SubjectAlternatives>,
    pub authority_key_identifier: Option<String>,
    pub subject_key_identifier: Option<String>,
    pub azure: Option<Azure>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// What a certificate is used for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateType {
    /// A certificate and its key used by ONTAP as a TLS client (e.g. towards KMIP servers).
    Client,
    /// A certificate and its key used by ONTAP as a TLS server.
    Server,
    /// A CA that ONTAP trusts to verify clients.
    ClientCa,
    /// A CA that ONTAP trusts to verify servers.
    ServerCa,
    /// A self-signed CA in ONTAP that can sign CSRs.
    RootCa,
    #[serde(untagged)]
    Other(String),
}

impl CertificateType {
    /// The known types.
    pub const ALL: [CertificateType; 5] = [
        CertificateType::Client,
        CertificateType::Server,
        CertificateType::ClientCa,
        CertificateType::ServerCa,
        CertificateType::RootCa,
    ];

    /// ONTAP's name for the type.
    pub fn name(&self) -> &str {
        match self {
            CertificateType::Client => "client",
            CertificateType::Server => "server",
            CertificateType::ClientCa => "client_ca",
            CertificateType::ServerCa => "server_ca",
            CertificateType::RootCa => "root_ca",
            CertificateType::Other(s) => s,
        }
    }

    /// Whether certificates of this type carry their own private key (client, server).
    pub fn has_private_key(&self) -> bool {
        matches!(self, CertificateType::Client | CertificateType::Server)
    }

    /// Whether this is a trusted CA (client_ca, server_ca): no key, no intermediates.
    pub fn is_trusted_ca(&self) -> bool {
        matches!(self, CertificateType::ClientCa | CertificateType::ServerCa)
    }
}

/// Subject alternative names.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SubjectAlternatives {
    pub dns: Option<Vec<String>>,
    pub email: Option<Vec<String>>,
    pub ip: Option<Vec<String>>,
    pub uri: Option<Vec<String>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl SubjectAlternatives {
    /// Whether no name of any kind is present.
    pub fn is_empty(&self) -> bool {
        [&self.dns, &self.email, &self.ip, &self.uri]
            .iter()
            .all(|l| l.as_ref().is_none_or(Vec::is_empty))
    }
}

/// Where and how to download a certificate from Azure Key Vault.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Azure {
    pub key_vault: Option<String>,
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
    pub client_secret: Option<Secret>,
    /// A PKCS#12 with its key: a secret.
    pub client_certificate: Option<Secret>,
    pub oauth_host: Option<String>,
    pub proxy: Option<Proxy>,
    /// Seconds, 0 to 30.
    pub timeout: Option<IntOrString>,
    pub verify_host: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The proxy used to reach Azure Key Vault.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Proxy {
    pub host: Option<String>,
    pub port: Option<IntOrString>,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of `POST /security/certificates/{ca.uuid}/sign`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SignRequest {
    pub signing_request: Option<String>,
    pub expiry_time: Option<String>,
    pub hash_function: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Answer of the sign action: the signed certificate.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SignResponse {
    pub public_certificate: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of `POST /security/certificate-signing-request`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CsrRequest {
    /// e.g. `C=US,O=NTAP,CN=test.domain.com`.
    pub subject_name: Option<String>,
    /// `rsa` or `ec`.
    pub algorithm: Option<String>,
    /// Security strength in bits: 112, 128, 192 or 256.
    pub security_strength: Option<IntOrString>,
    pub hash_function: Option<String>,
    pub key_usage: Option<Vec<String>>,
    pub extended_key_usage: Option<Vec<String>>,
    pub subject_alternatives: Option<SubjectAlternatives>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Answer of the CSR action: the request and its new private key.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CsrResponse {
    pub csr: Option<String>,
    pub generated_private_key: Option<Secret>,
    #[serde(flatten)]
    pub extra: Extra,
}
