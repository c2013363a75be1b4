//! The `hardened` scenario: a cluster configured as NetApp's hardening guide (TR-4569) asks, on
//! which `ontap_core::audit` finds nothing. It shows what good looks like, and tests start from
//! it to break one thing at a time.

use ontap_core::certificates::CertificateType;
use ontap_core::key_managers::{CertificateRef, External, KeyManager, KeyServer};
use ontap_core::security::tls::{self, suite_traits, versions_from_floor, TlsVersion};
use ontap_core::security::EncryptionState;

use crate::jobs::now_seconds;
use crate::pki::{self, PkiError, Subject};
use crate::routes::certificates::{record_from_pem, Listed, Stored};
use crate::routes::{self, key_managers};
use crate::state::ClusterState;

/// Days the scenario's certificates stay valid: far beyond the audit's 90-day horizon.
const VALID_DAYS: i64 = 730;

/// FIPS on, TLS 1.2 and 1.3 only with strong FIPS-compatible suites, telnet and rsh off, new
/// volumes encrypted by default, a cluster-scope external key manager with two key servers,
/// certificates of 2048-bit RSA with SHA-256, the server certificate signed by the cluster's
/// root CA, IPsec on.
pub fn seed(state: &mut ClusterState) -> Result<(), String> {
    routes::cluster::seed(state, false);
    state.cluster.name = "hardened".to_owned();
    certificates(state).map_err(|e| e.to_string())?;
    key_manager(state)?;
    let s = &mut state.security;
    s.fips = true;
    s.protocol_versions = versions_from_floor(TlsVersion::Tls1_2)
        .into_iter()
        .map(|v| v.name().to_owned())
        .collect();
    s.cipher_suites = tls::CIPHER_SUITES
        .iter()
        .filter(|n| suite_traits(n).fips_compatible && tls::suite_weakness(n).is_none())
        .map(|n| (*n).to_owned())
        .collect();
    s.telnet = false;
    s.rsh = false;
    s.disabled_by_default = false;
    s.encryption_state = EncryptionState::Encrypted;
    state.ipsec.enabled = true;
    Ok(())
}

fn certificates(state: &mut ClusterState) -> Result<(), PkiError> {
    let now = now_seconds() as i64;
    let day = 86_400;
    let key = pki::rsa_key(2048, "sha256")?;
    let name = state.cluster.name.clone();
    let subject = |cn: &str, is_ca: bool, days: i64| Subject {
        common_name: cn.to_owned(),
        dns: if is_ca { vec![] } else { vec![cn.to_owned()] },
        ips: vec![],
        not_before: now - day,
        not_after: now + days * day,
        is_ca,
    };
    let root_name = format!("{name}-root-ca");
    let root = pki::self_signed(&subject(&root_name, true, 3 * VALID_DAYS), &key)?;
    let server_name = format!("{name}.example.com");
    let server = pki::issue(
        &subject(&server_name, false, VALID_DAYS),
        &key,
        &root.certificate,
        &key,
    )?;
    let client_name = format!("{name}-kmip-client");
    let client = pki::issue(
        &subject(&client_name, false, VALID_DAYS),
        &key,
        &root.certificate,
        &key,
    )?;
    let kmip_ca = pki::self_signed(&subject("KMIP Server CA", true, 3 * VALID_DAYS), &key)?;
    let all = [
        (root, CertificateType::RootCa, root_name, true),
        (server, CertificateType::Server, server_name, true),
        (client, CertificateType::Client, client_name, true),
        (
            kmip_ca,
            CertificateType::ServerCa,
            "kmip-ca".to_owned(),
            false,
        ),
    ];
    for (issued, ty, name, with_key) in all {
        let record = record_from_pem(&issued.certificate, ty, None, Some(name), None)
            .map_err(|_| PkiError::Generation)?;
        state.certificates.certificates.push(Stored {
            record,
            private_key: with_key.then_some(issued.key),
            listed: Listed::default(),
        });
    }
    Ok(())
}

/// A cluster-scope external key manager with two key servers (no single point of failure).
fn key_manager(state: &mut ClusterState) -> Result<(), String> {
    let reference = |name: String| CertificateRef {
        name: Some(name),
        ..CertificateRef::default()
    };
    let request = KeyManager {
        external: Some(External {
            client_certificate: Some(reference(format!("{}-kmip-client", state.cluster.name))),
            server_ca_certificates: Some(vec![reference("kmip-ca".to_owned())]),
            servers: Some(vec![
                KeyServer::at("kms1.example.com:5696"),
                KeyServer::at("kms2.example.com:5696"),
            ]),
            ..External::default()
        }),
        ..KeyManager::default()
    };
    let stored = key_managers::create_in(state, &request, None)
        .map_err(|e| e.error.message.unwrap_or_default())?;
    state.key_managers.key_managers.push(stored);
    Ok(())
}
