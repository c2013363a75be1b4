//! The demo cluster's key managers: an external one for an SVM with one key server, and the
//! Onboard Key Manager for the cluster.

use ontap_core::key_managers::{CertificateRef, External, KeyManager, KeyServer};

use crate::routes::key_managers::create_in;
use crate::state::ClusterState;

/// The demo's external key manager on `vs0`, with the KMIP certificates the demo installed there.
pub fn seed(state: &mut ClusterState) -> Result<(), String> {
    let Some(vs0) = state.cluster.svms.first().cloned() else {
        return Ok(());
    };
    let request = KeyManager {
        svm: Some(crate::routes::cluster::State::svm_ref(&vs0)),
        external: Some(External {
            client_certificate: Some(CertificateRef {
                name: Some("vs0-kmip-client".to_owned()),
                ..CertificateRef::default()
            }),
            server_ca_certificates: Some(vec![CertificateRef {
                name: Some("vs0-kmip-ca".to_owned()),
                ..CertificateRef::default()
            }]),
            servers: Some(vec![KeyServer::at("kms1.example.com:5696")]),
            ..External::default()
        }),
        ..KeyManager::default()
    };
    let stored =
        create_in(state, &request, Some(&vs0)).map_err(|e| e.error.message.unwrap_or_default())?;
    state.key_managers.key_managers.push(stored);
    Ok(())
}
