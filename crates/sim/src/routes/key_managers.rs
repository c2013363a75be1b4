//! `/api/security/key-managers` and `.../{uuid}/key-servers`: external KMIP key management and
//! the Onboard Key Manager, with ONTAP's rules about scopes, certificates and passphrases.

use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use ontap_core::catalog::codes;
use ontap_core::certificates::CertificateType;
use ontap_core::envelope::{IntOrString, Scope};
use ontap_core::key_managers::{
    self as core_km, CertificateRef, Connectivity, External, KeyManager, KeyServer, Onboard,
    ServerAddress, Status,
};
use ontap_core::{Collection, Links, Secret};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::app::Simulator;
use crate::collection::{self, FieldSpec, ListParams};
use crate::error::{reject_unknown, JsonBody, PathParam, SimError};
use crate::jobs::to_value;
use crate::routes::certificates;
use crate::routes::cluster::{resolve_svm, SvmEntry};
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

fn svm_uuid(km: &KeyManager) -> Option<&str> {
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
fn key_backup() -> String {
    let mut blob = b"NetApp Key Blob\0".to_vec();
    let mut random = [0u8; 480];
    rand::rngs::OsRng.fill_bytes(&mut random);
    blob.extend_from_slice(&random);
    let body = base64::engine::general_purpose::STANDARD.encode(blob);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    format!(
        "--------------------------BEGIN BACKUP--------------------------\n{}\n---------------------------END BACKUP---------------------------\n",
        lines.join("\n")
    )
}

/// Resolves certificate references against the installed certificates of the key manager's
/// scope (`CERTIFICATE_NOT_INSTALLED` when one is missing or of the wrong type).
fn resolve_certificate(
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
fn hashed(password: &Secret) -> Secret {
    SecretHash::new(password).into_secret()
}

fn with_server_defaults(kms_uuid: &str, server: &KeyServer) -> KeyServer {
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
fn shown(km: &KeyManager) -> Value {
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

fn server_shown(km: &KeyManager, server: &KeyServer) -> Value {
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

const KM_KNOWN: &[&str] = &[
    "uuid",
    "scope",
    "svm",
    "external",
    "onboard",
    "status",
    "volume_encryption",
    "is_default_data_at_rest_encryption_disabled",
];
const KM_SPEC: FieldSpec = FieldSpec {
    default: &[
        "uuid",
        "scope",
        "svm",
        "external",
        "onboard",
        "volume_encryption",
        "is_default_data_at_rest_encryption_disabled",
    ],
    expensive: &["status", "external.servers.connectivity"],
};
/// Certificate references are `{uuid, _links}` unless `fields` names these (the reference's
/// examples show no `name`; a client comparing what it sent with what it reads needs that).
const CERTIFICATE_NAMES: &[&str] = &[
    "external.client_certificate.name",
    "external.server_ca_certificates.name",
];
const SERVER_KNOWN: &[&str] = &[
    "uuid",
    "server",
    "timeout",
    "username",
    "secondary_key_servers",
    "connectivity",
];
const SERVER_SPEC: FieldSpec = FieldSpec {
    default: &["server", "timeout", "username", "secondary_key_servers"],
    expensive: &["connectivity"],
};

fn find<'a>(state: &'a ClusterState, uuid: &str) -> Result<&'a Stored, SimError> {
    state
        .key_managers
        .key_managers
        .iter()
        .find(|k| k.record.uuid.as_deref() == Some(uuid))
        .ok_or_else(|| SimError::not_found("uuid"))
}

fn find_mut<'a>(state: &'a mut ClusterState, uuid: &str) -> Result<&'a mut Stored, SimError> {
    state
        .key_managers
        .key_managers
        .iter_mut()
        .find(|k| k.record.uuid.as_deref() == Some(uuid))
        .ok_or_else(|| SimError::not_found("uuid"))
}

async fn list(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), KM_KNOWN)?;
    let records = sim.read(|s| {
        s.key_managers
            .key_managers
            .iter()
            .map(|k| shown(&k.record))
            .collect()
    });
    let mut body = collection::list_body("/api/security/key-managers", records, &params, &KM_SPEC);
    let records = body.get_mut("records").and_then(Value::as_array_mut);
    for record in records.into_iter().flatten() {
        params.hide_unless_named(record, CERTIFICATE_NAMES);
    }
    Ok(Json(body).into_response())
}

async fn get_one(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), KM_KNOWN)?;
    let record = sim.read(|s| find(s, &uuid).map(|k| shown(&k.record)))?;
    let mut record = params.project(&record, &KM_SPEC);
    params.hide_unless_named(&mut record, CERTIFICATE_NAMES);
    Ok(Json(record).into_response())
}

fn reject_unknown_fields(km: &KeyManager) -> Result<(), SimError> {
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

/// `201 Created` with the new record's address in `Location`, as ONTAP answers every POST
/// that creates a record (NetApp's REST conventions: "the Location header contains the URI of
/// the new object"), so a client learns its uuid without a second read.
pub(crate) fn created(location: &str, body: Value) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = location.parse() {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    response
}

fn wants_records(query: Option<&str>) -> bool {
    query.is_some_and(|q| q.split('&').any(|p| p == "return_records=true"))
}

async fn create(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
    JsonBody(request): JsonBody<KeyManager>,
) -> Result<Response, SimError> {
    ListParams::parse(query.as_deref(), &[])?;
    reject_unknown_fields(&request)?;
    core_km::validate_create(&request)?;
    let record = sim.write(|s| {
        let svm = resolve_svm(s, request.svm.as_ref())?;
        let stored = create_in(s, &request, svm.as_ref())?;
        let record = stored.record.clone();
        s.key_managers.key_managers.push(stored);
        Ok::<_, SimError>(record)
    })?;
    let body = if wants_records(query.as_deref()) {
        let mut shown = shown(&record);
        ListParams::parse(None, &[])?.hide_unless_named(&mut shown, CERTIFICATE_NAMES);
        json!({"num_records": 1, "records": [shown]})
    } else {
        json!({})
    };
    let uuid = record.uuid.unwrap_or_default();
    Ok(created(&format!("/api/security/key-managers/{uuid}"), body))
}

async fn update(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    JsonBody(change): JsonBody<KeyManager>,
) -> Result<Response, SimError> {
    reject_unknown_fields(&change)?;
    // ONTAP checks the existing passphrase against the configured one before the body's own
    // rules: a wrong existing passphrase equal to the new one is "incorrect", not "same as old"
    // (otherwise a client probing a candidate would believe every candidate is current).
    if let Some(given) = change
        .onboard
        .as_ref()
        .and_then(|o| o.existing_passphrase.as_ref())
    {
        let wrong = sim.read(|s| {
            find(s, &uuid).map(|k| k.passphrase.as_ref().is_some_and(|h| !h.matches(given)))
        })?;
        if wrong {
            return Err(SimError::documented(codes::PASSPHRASE_INCORRECT)
                .with_target("onboard.existing_passphrase"));
        }
    }
    core_km::validate_update(&change)?;
    sim.write(|s| {
        let current = find(s, &uuid)?.clone();
        let scope = svm_uuid(&current.record).map(str::to_owned);
        let mut next = current.clone();
        if let Some(onboard) = &change.onboard {
            let Some(hash) = &current.passphrase else {
                return Err(
                    SimError::documented(codes::KEY_MANAGER_NOT_ENABLED).with_target("onboard")
                );
            };
            let existing = onboard
                .existing_passphrase
                .as_ref()
                .map(|p| hash.matches(p))
                .unwrap_or(false);
            if !existing {
                return Err(SimError::documented(codes::PASSPHRASE_INCORRECT)
                    .with_target("onboard.existing_passphrase"));
            }
            if let Some(new) = &onboard.passphrase {
                next.passphrase = Some(PassphraseHash::new(new));
            }
        }
        if let Some(ext) = &change.external {
            let Some(current_ext) = next.record.external.as_mut() else {
                return Err(
                    SimError::documented(codes::KEY_MANAGER_NOT_ENABLED).with_target("external")
                );
            };
            if let Some(client) = &ext.client_certificate {
                current_ext.client_certificate = Some(resolve_certificate(
                    s,
                    scope.as_deref(),
                    client,
                    CertificateType::Client,
                    "external.client_certificate",
                )?);
            }
            if let Some(cas) = &ext.server_ca_certificates {
                current_ext.server_ca_certificates = Some(
                    cas.iter()
                        .map(|c| {
                            resolve_certificate(
                                s,
                                scope.as_deref(),
                                c,
                                CertificateType::ServerCa,
                                "external.server_ca_certificates",
                            )
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                );
            }
            if ext.servers.is_some() {
                return Err(
                    SimError::unexpected("external.servers").with_target("external.servers")
                );
            }
        }
        *find_mut(s, &uuid)? = next;
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}

async fn delete(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
) -> Result<Response, SimError> {
    sim.write(|s| {
        let km = find(s, &uuid)?;
        let cluster_scope = svm_uuid(&km.record).is_none();
        if cluster_scope && s.security.conversion_enabled {
            return Err(SimError::documented(codes::NAE_AGGREGATES_EXIST).with_target("uuid"));
        }
        s.key_managers
            .key_managers
            .retain(|k| k.record.uuid.as_deref() != Some(uuid.as_str()));
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}

fn servers_of(km: &KeyManager) -> Result<&Vec<KeyServer>, SimError> {
    km.external
        .as_ref()
        .and_then(|e| e.servers.as_ref())
        .ok_or_else(|| SimError::documented(codes::KEY_MANAGER_NOT_ENABLED).with_target("uuid"))
}

fn same(a: &str, b: &str) -> bool {
    match (ServerAddress::parse(a), ServerAddress::parse(b)) {
        (Ok(x), Ok(y)) => x.same_server(&y),
        _ => a == b,
    }
}

async fn list_servers(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), SERVER_KNOWN)?;
    let records = sim.read(|s| {
        let km = &find(s, &uuid)?.record;
        Ok::<_, SimError>(
            servers_of(km)?
                .iter()
                .map(|srv| server_shown(km, srv))
                .collect::<Vec<_>>(),
        )
    })?;
    Ok(collection::list(
        &format!("/api/security/key-managers/{uuid}/key-servers"),
        records,
        &params,
        &SERVER_SPEC,
    ))
}

async fn get_server(
    AxumState(sim): AxumState<Simulator>,
    PathParam((uuid, server)): PathParam<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), SERVER_KNOWN)?;
    let record = sim.read(|s| {
        let km = &find(s, &uuid)?.record;
        servers_of(km)?
            .iter()
            .find(|x| same(x.server.as_deref().unwrap_or_default(), &server))
            .map(|x| server_shown(km, x))
            .ok_or_else(|| SimError::not_found("server"))
    })?;
    Ok(collection::one(&record, &params, &SERVER_SPEC))
}

async fn add_servers(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, SimError> {
    ListParams::parse(query.as_deref(), &[])?;
    let new: Vec<KeyServer> = if body.get("records").is_some() {
        serde_json::from_value::<Collection<KeyServer>>(body).map(|c| c.records)
    } else {
        serde_json::from_value::<KeyServer>(body).map(|s| vec![s])
    }
    .map_err(|_| {
        SimError::new(
            StatusCode::BAD_REQUEST,
            crate::error::codes::INVALID_INPUT,
            "A field of the request body has a value of the wrong type.",
        )
    })?;
    for s in &new {
        reject_unknown(&s.extra, "")?;
    }
    let added = sim.write(|s| {
        let existing = servers_of(&find(s, &uuid)?.record)?.clone();
        core_km::validate_add_servers(&new, &existing)?;
        let added: Vec<KeyServer> = new.iter().map(|x| with_server_defaults(&uuid, x)).collect();
        let km = find_mut(s, &uuid)?;
        if let Some(list) = km.record.external.as_mut().and_then(|e| e.servers.as_mut()) {
            list.extend(added.iter().cloned());
        }
        Ok::<_, SimError>((km.record.clone(), added))
    })?;
    let (km, added) = added;
    let body = if wants_records(query.as_deref()) {
        json!({"num_records": added.len(), "records": added.iter().map(|x| server_shown(&km, x)).collect::<Vec<_>>()})
    } else {
        json!({})
    };
    // One created record has one address; several added at once have none to point at.
    match added.as_slice() {
        [one] => Ok(created(
            &format!(
                "/api/security/key-managers/{uuid}/key-servers/{}",
                ontap_core::request::encode_segment(one.server.as_deref().unwrap_or_default())
            ),
            body,
        )),
        _ => Ok((StatusCode::CREATED, Json(body)).into_response()),
    }
}

async fn update_server(
    AxumState(sim): AxumState<Simulator>,
    PathParam((uuid, server)): PathParam<(String, String)>,
    JsonBody(change): JsonBody<KeyServer>,
) -> Result<Response, SimError> {
    reject_unknown(&change.extra, "")?;
    core_km::validate_server_update(&change)?;
    sim.write(|s| {
        let km = find_mut(s, &uuid)?;
        let list = km
            .record
            .external
            .as_mut()
            .and_then(|e| e.servers.as_mut())
            .ok_or_else(|| SimError::documented(codes::KEY_MANAGER_NOT_ENABLED))?;
        let target = list
            .iter_mut()
            .find(|x| same(x.server.as_deref().unwrap_or_default(), &server))
            .ok_or_else(|| SimError::not_found("server"))?;
        if let Some(t) = &change.timeout {
            target.timeout = Some(t.clone());
        }
        if let Some(u) = &change.username {
            target.username = Some(u.clone());
        }
        if let Some(p) = &change.password {
            target.password = Some(hashed(p));
        }
        if let Some(sec) = &change.secondary_key_servers {
            target.secondary_key_servers = Some(sec.clone());
        }
        Ok::<_, SimError>(())
    })?;
    Ok(Json(json!({})).into_response())
}

async fn remove_server(
    AxumState(sim): AxumState<Simulator>,
    PathParam((uuid, server)): PathParam<(String, String)>,
) -> Result<Response, SimError> {
    sim.write(|s| {
        let existing = servers_of(&find(s, &uuid)?.record)?.clone();
        if !existing
            .iter()
            .any(|x| same(x.server.as_deref().unwrap_or_default(), &server))
        {
            return Err(SimError::not_found("server"));
        }
        core_km::validate_remove_server(&server, &existing)?;
        if let Some(list) = find_mut(s, &uuid)?
            .record
            .external
            .as_mut()
            .and_then(|e| e.servers.as_mut())
        {
            list.retain(|x| !same(x.server.as_deref().unwrap_or_default(), &server));
        }
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}

/// The key manager endpoints.
pub fn routes() -> Router<Simulator> {
    Router::new()
        .route("/api/security/key-managers", get(list).post(create))
        .route(
            "/api/security/key-managers/{uuid}",
            get(get_one).patch(update).delete(delete),
        )
        .route(
            "/api/security/key-managers/{uuid}/key-servers",
            get(list_servers).post(add_servers),
        )
        .route(
            "/api/security/key-managers/{uuid}/key-servers/{server}",
            get(get_server).patch(update_server).delete(remove_server),
        )
}

/// The demo's external key manager on `vs0`, with the KMIP certificates the demo installed there.
pub fn seed_demo(state: &mut ClusterState) -> Result<(), String> {
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
