//! The cluster's key managers as it keeps them (passwords and passphrases only as Argon2id
//! hashes), what they are shown as, and ONTAP's rules for creating one.

use ontap_core::catalog::codes;
use ontap_core::certificates::CertificateType;
use ontap_core::envelope::{IntOrString, Scope};
use ontap_core::key_managers::{
    CertificateRef, Connectivity, External, KeyManager, KeyServer, Onboard, ServerAddress, Status,
};
use ontap_core::{Links, Secret};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{reject_unknown, SimError};
use crate::jobs::to_value;
use crate::routes::certificates;
use crate::routes::cluster::SvmEntry;
use crate::secrets::SecretHash;
use crate::state::ClusterState;

/// An onboard passphrase as the cluster keeps it: an Argon2id hash, never the passphrase.
pub type PassphraseHash = SecretHash;

/// A key manager as the cluster keeps it. Key-server passwords are kept as Argon2id hashes
/// ([`SecretHash`]) in the servers' `password` field, never in answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub record: KeyManager,
    pub passphrase: Option<PassphraseHash>,
}

/// The cluster's key managers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub key_managers: Vec<Stored>,
}

pub(super) fn svm_uuid(km: &KeyManager) -> Option<&str> {
    km.svm.as_ref().and_then(|s| s.uuid.as_deref())
}

/// Whether an Onboard Key Manager is configured.
pub fn has_onboard(state: &ClusterState) -> bool {
    state
        .key_managers
        .key_managers
        .iter()
        .any(|k| k.record.onboard.is_some())
}

/// Whether an external key manager is configured at cluster scope.
pub fn has_cluster_external(state: &ClusterState) -> bool {
    state
        .key_managers
        .key_managers
        .iter()
        .any(|k| k.record.external.is_some() && svm_uuid(&k.record).is_none())
}

/// Whether any key manager is configured at cluster scope (what software encryption needs).
pub fn has_any(state: &ClusterState) -> bool {
    state
        .key_managers
        .key_managers
        .iter()
        .any(|k| svm_uuid(&k.record).is_none())
}

/// Every key manager's record, as core's cross-domain rules take them.
pub fn records(state: &ClusterState) -> Vec<ontap_core::key_managers::KeyManager> {
    state
        .key_managers
        .key_managers
        .iter()
        .map(|k| k.record.clone())
        .collect()
}

/// The key manager (described for an admin) that uses a certificate, if one does.
pub fn uses_certificate(state: &ClusterState, certificate_uuid: &str) -> Option<String> {
    ontap_core::key_managers::certificate_users(&records(state), certificate_uuid)
        .into_iter()
        .next()
}

/// ONTAP's key backup format: a base64 blob between BEGIN/END BACKUP banners.
pub(super) fn key_backup() -> String {
    let mut blob = b"NetApp Key Blob\0".to_vec();
    let mut random = [0u8; 480];
    rand::rngs::OsRng.fill_bytes(&mut random);
    blob.extend_from_slice(&random);
    format!(
        "--------------------------BEGIN BACKUP--------------------------\n{}---------------------------END BACKUP---------------------------\n",
        ontap_core::pem::base64_lines(&blob)
    )
}

/// Resolves certificate references against the installed certificates of the key manager's
/// scope (`CERTIFICATE_NOT_INSTALLED` when one is missing or of the wrong type).
pub(super) fn resolve_certificate(
    state: &ClusterState,
    svm: Option<&str>,
    reference: &CertificateRef,
    ty: CertificateType,
    field: &str,
) -> Result<CertificateRef, SimError> {
    state
        .certificates
        .find_in_scope(
            svm,
            reference.uuid.as_deref(),
            reference.name.as_deref(),
            &ty,
        )
        .map(certificates::reference)
        .ok_or_else(|| SimError::documented(codes::CERTIFICATE_NOT_INSTALLED).with_target(field))
}

/// A key-server password as kept: its hash (the simulator never needs the password itself).
pub(super) fn hashed(password: &Secret) -> Secret {
    SecretHash::new(password).into_secret()
}

pub(super) fn with_server_defaults(kms_uuid: &str, server: &KeyServer) -> KeyServer {
    let address = server.server.clone().unwrap_or_default();
    KeyServer {
        server: Some(address.clone()),
        timeout: Some(server.timeout.clone().unwrap_or(IntOrString::Int(25))),
        username: Some(server.username.clone().unwrap_or_default()),
        password: server.password.as_ref().map(hashed),
        secondary_key_servers: server.secondary_key_servers.clone(),
        links: Some(Links::to_self(format!(
            "/api/security/key-managers/{kms_uuid}/key-servers/{}",
            ontap_core::request::encode_segment(&address)
        ))),
        ..KeyServer::default()
    }
}

/// What a key manager record looks like in an answer: passwords removed, expensive fields filled.
pub(super) fn shown(km: &KeyManager) -> Value {
    let mut km = km.clone();
    if let Some(ext) = km.external.as_mut() {
        for server in ext.servers.iter_mut().flatten() {
            server.password = None;
            server.connectivity = Some(Connectivity {
                cluster_availability: Some(true),
                records: Some(vec![]),
                ..Connectivity::default()
            });
        }
    }
    km.status = Some(Status {
        code: Some(IntOrString::Int(codes::KEY_MANAGER_STATUS_OK as i64)),
        message: Some("No action needed at this time.".to_owned()),
        ..Status::default()
    });
    to_value(&km)
}

pub(super) fn server_shown(km: &KeyManager, server: &KeyServer) -> Value {
    let mut s = server.clone();
    s.uuid = km.uuid.clone();
    s.password = None;
    s.connectivity = Some(Connectivity {
        cluster_availability: Some(true),
        records: Some(vec![]),
        ..Connectivity::default()
    });
    to_value(&s)
}

pub(super) fn find<'a>(state: &'a ClusterState, uuid: &str) -> Result<&'a Stored, SimError> {
    state
        .key_managers
        .key_managers
        .iter()
        .find(|k| k.record.uuid.as_deref() == Some(uuid))
        .ok_or_else(|| SimError::not_found("uuid"))
}

pub(super) fn find_mut<'a>(
    state: &'a mut ClusterState,
    uuid: &str,
) -> Result<&'a mut Stored, SimError> {
    state
        .key_managers
        .key_managers
        .iter_mut()
        .find(|k| k.record.uuid.as_deref() == Some(uuid))
        .ok_or_else(|| SimError::not_found("uuid"))
}

pub(super) fn reject_unknown_fields(km: &KeyManager) -> Result<(), SimError> {
    reject_unknown(&km.extra, "")?;
    if let Some(e) = &km.external {
        reject_unknown(&e.extra, "external")?;
        for s in e.servers.iter().flatten() {
            reject_unknown(&s.extra, "external.servers")?;
        }
    }
    if let Some(o) = &km.onboard {
        reject_unknown(&o.extra, "onboard")?;
    }
    Ok(())
}

/// Builds the stored key manager for a validated POST, checking the cluster's rules.
pub(crate) fn create_in(
    state: &ClusterState,
    request: &KeyManager,
    svm: Option<&SvmEntry>,
) -> Result<Stored, SimError> {
    let svm_uuid = svm.map(|s| s.uuid.as_str());
    if state
        .key_managers
        .key_managers
        .iter()
        .any(|k| self::svm_uuid(&k.record) == svm_uuid)
    {
        return Err(SimError::documented(codes::KEY_MANAGER_EXISTS).with_target("svm"));
    }
    let uuid = uuid::Uuid::new_v4().to_string();
    let mut record = KeyManager {
        uuid: Some(uuid.clone()),
        scope: Some(if svm.is_some() {
            Scope::Svm
        } else {
            Scope::Cluster
        }),
        svm: svm.map(crate::routes::cluster::State::svm_ref),
        volume_encryption: Some(Status {
            supported: Some(true),
            code: Some(IntOrString::Int(0)),
            message: Some(String::new()),
            ..Status::default()
        }),
        is_default_data_at_rest_encryption_disabled: Some(state.security.disabled_by_default),
        links: Some(Links::to_self(format!("/api/security/key-managers/{uuid}"))),
        ..KeyManager::default()
    };
    let mut passphrase = None;
    if let Some(ext) = &request.external {
        let client = resolve_certificate(
            state,
            svm_uuid,
            ext.client_certificate
                .as_ref()
                .unwrap_or(&CertificateRef::default()),
            CertificateType::Client,
            "external.client_certificate",
        )?;
        let cas = ext
            .server_ca_certificates
            .iter()
            .flatten()
            .map(|c| {
                resolve_certificate(
                    state,
                    svm_uuid,
                    c,
                    CertificateType::ServerCa,
                    "external.server_ca_certificates",
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        record.external = Some(External {
            client_certificate: Some(client),
            server_ca_certificates: Some(cas),
            servers: Some(
                ext.servers
                    .iter()
                    .flatten()
                    .map(|s| with_server_defaults(&uuid, s))
                    .collect(),
            ),
            ..External::default()
        });
    }
    if let Some(onboard) = &request.onboard {
        if onboard.synchronize == Some(true) {
            return Err(SimError::documented(codes::ONBOARD_SYNC_NOT_METROCLUSTER)
                .with_target("onboard.synchronize"));
        }
        if has_cluster_external(state) {
            return Err(
                SimError::documented(codes::EXTERNAL_ALREADY_CONFIGURED).with_target("onboard")
            );
        }
        passphrase = onboard.passphrase.as_ref().map(PassphraseHash::new);
        record.onboard = Some(Onboard {
            enabled: Some(true),
            key_backup: Some(key_backup()),
            ..Onboard::default()
        });
    }
    Ok(Stored { record, passphrase })
}

pub(super) fn servers_of(km: &KeyManager) -> Result<&Vec<KeyServer>, SimError> {
    km.external
        .as_ref()
        .and_then(|e| e.servers.as_ref())
        .ok_or_else(|| SimError::documented(codes::KEY_MANAGER_NOT_ENABLED).with_target("uuid"))
}

pub(super) fn same(a: &str, b: &str) -> bool {
    match (ServerAddress::parse(a), ServerAddress::parse(b)) {
        (Ok(x), Ok(y)) => x.same_server(&y),
        _ => a == b,
    }
}
