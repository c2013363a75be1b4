//! HTTPS for the console itself (`--tls-cert`/`--tls-key`, or `--tls-self-signed`): a console
//! shared on a jump host must not receive passwords in clear. rustls with the ring provider (the
//! one the proxy's client uses), TLS 1.2 and 1.3, HTTP/1.1 only (see [`crate::listen`]).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::Digest as _;

use crate::cli::UsageError;

/// The HTTPS flags of `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct HttpsArgs {
    /// Serve HTTPS with this certificate chain (PEM, the server's certificate first).
    #[arg(long, value_name = "PEM", requires = "tls_key", help_heading = "HTTPS")]
    pub tls_cert: Option<PathBuf>,

    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(
        long,
        value_name = "PEM",
        requires = "tls_cert",
        help_heading = "HTTPS"
    )]
    pub tls_key: Option<PathBuf>,

    /// Serve HTTPS with a certificate made at start for the listen address (and localhost);
    /// its SHA-256 fingerprint is printed so browsers' warnings can be checked against it.
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"], help_heading = "HTTPS")]
    pub tls_self_signed: bool,
}

/// Where the console's certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsSource {
    /// Plain HTTP.
    None,
    Files {
        cert: PathBuf,
        key: PathBuf,
    },
    SelfSigned,
}

impl HttpsArgs {
    pub fn check(&self) -> Result<TlsSource, UsageError> {
        Ok(
            match (&self.tls_cert, &self.tls_key, self.tls_self_signed) {
                (Some(cert), Some(key), false) => TlsSource::Files {
                    cert: cert.clone(),
                    key: key.clone(),
                },
                (None, None, true) => TlsSource::SelfSigned,
                (None, None, false) => TlsSource::None,
                // clap's `requires`/`conflicts_with` already refuse the rest.
                _ => {
                    return Err(UsageError::invalid(
                        "give --tls-cert with --tls-key, or --tls-self-signed alone".to_string(),
                    ))
                }
            },
        )
    }
}

/// Why HTTPS cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum HttpsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} holds no PEM certificate")]
    NoCertificate { path: String },
    #[error("{path} holds no PEM private key")]
    NoKey { path: String },
    #[error("cannot make a self-signed certificate: {0}")]
    Generate(String),
    #[error("cannot use the certificate and key: {0}")]
    Setup(String),
}

/// A server certificate and key, with the certificate's SHA-256 fingerprint.
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    /// SHA-256 of the leaf certificate, as `AB:CD:…` (what browsers and `openssl x509
    /// -fingerprint -sha256` show).
    pub fingerprint: String,
    /// The leaf certificate as PEM (tests trust it).
    pub cert_pem: String,
}

/// Reads `--tls-cert` and `--tls-key`.
pub fn load(cert: &Path, key: &Path) -> Result<Identity, HttpsError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| HttpsError::Read {
            path: path.display().to_string(),
            source,
        })
    };
    let cert_pem = read(cert)?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .filter_map(Result::ok)
        .collect();
    let Some(leaf) = chain.first() else {
        return Err(HttpsError::NoCertificate {
            path: cert.display().to_string(),
        });
    };
    let fingerprint = fingerprint(leaf);
    let key = PrivateKeyDer::from_pem_slice(&read(key)?).map_err(|_| HttpsError::NoKey {
        path: key.display().to_string(),
    })?;
    Ok(Identity {
        chain,
        key,
        fingerprint,
        cert_pem: String::from_utf8_lossy(&cert_pem).into_owned(),
    })
}

/// A fresh self-signed certificate (ECDSA P-256) for `ip` and `localhost`.
pub fn self_signed(ip: IpAddr) -> Result<Identity, HttpsError> {
    let mut names = vec!["localhost".to_string()];
    if ip.is_unspecified() {
        names.push("127.0.0.1".to_string());
        names.push("::1".to_string());
    } else {
        names.push(ip.to_string());
    }
    let made = rcgen::generate_simple_self_signed(names)
        .map_err(|e| HttpsError::Generate(e.to_string()))?;
    let der = made.cert.der().clone();
    Ok(Identity {
        fingerprint: fingerprint(&der),
        cert_pem: made.cert.pem(),
        chain: vec![der],
        key: PrivateKeyDer::Pkcs8(made.signing_key.serialize_der().into()),
    })
}

/// The TLS acceptor for `identity`.
pub fn acceptor(identity: &Identity) -> Result<tokio_rustls::TlsAcceptor, HttpsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HttpsError::Setup(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(identity.chain.clone(), identity.key.clone_key())
        .map_err(|e| HttpsError::Setup(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

fn fingerprint(cert: &CertificateDer<'_>) -> String {
    sha2::Sha256::digest(cert.as_ref())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signed_certificates_load_back_with_the_same_fingerprint() {
        let made = self_signed("127.0.0.1".parse().unwrap()).unwrap();
        assert_eq!(made.fingerprint.len(), 32 * 3 - 1);
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("c.pem");
        let key = dir.path().join("k.pem");
        std::fs::write(&cert, &made.cert_pem).unwrap();
        let PrivateKeyDer::Pkcs8(pkcs8) = &made.key else {
            panic!("pkcs8")
        };
        let key_pem = rcgen::KeyPair::try_from(pkcs8.secret_pkcs8_der())
            .unwrap()
            .serialize_pem();
        std::fs::write(&key, key_pem).unwrap();
        let loaded = load(&cert, &key).unwrap();
        assert_eq!(loaded.fingerprint, made.fingerprint);
        assert!(acceptor(&loaded).is_ok());
        assert!(matches!(
            load(&key, &key),
            Err(HttpsError::NoCertificate { .. })
        ));
        assert!(matches!(load(&cert, &cert), Err(HttpsError::NoKey { .. })));
    }
}
