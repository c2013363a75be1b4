//! `/api/security/key-managers` and `.../{uuid}/key-servers`: external KMIP key management and
//! the Onboard Key Manager, with ONTAP's rules about scopes, certificates and passphrases.
//! Thin handlers over [`store`]; the key servers' in [`servers`].

mod servers;
mod store;

use servers::{add_servers, get_server, list_servers, remove_server, update_server, KEY_SERVERS};
pub(crate) use store::create_in;
use store::*;
pub use store::{
    has_any, has_cluster_external, has_onboard, records, uses_certificate, PassphraseHash, State,
    Stored,
};

use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ontap_core::catalog::codes;
use ontap_core::certificates::CertificateType;
use ontap_core::key_managers::{self as core_km, KeyManager};
use serde_json::{json, Value};

use crate::app::Simulator;
use crate::collection::{Collection, FieldSpec, ListParams};
use crate::error::{JsonBody, PathParam, SimError};
use crate::routes::cluster::resolve_svm;

/// `/api/security/key-managers`: `status` and the key servers' `connectivity` only when
/// named (they ask the key servers); certificate references are `{uuid, _links}` unless
/// `fields` names their `name` (the reference's examples show no `name`; a client comparing
/// what it sent with what it reads needs that).
pub const KEY_MANAGERS: Collection = Collection {
    path: "/api/security/key-managers",
    known: core_km::FIELDS,
    list: KM_FIELDS,
    one: KM_FIELDS,
    hidden_unless_named: &[
        "external.client_certificate.name",
        "external.server_ca_certificates.name",
    ],
};
const KM_FIELDS: FieldSpec = FieldSpec {
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

pub(super) async fn list(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    KEY_MANAGERS.list(&sim, query.as_deref(), |s, params| {
        Ok(params.rows(&s.key_managers.key_managers, |k| shown(&k.record)))
    })
}

pub(super) async fn get_one(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    KEY_MANAGERS.get(&sim, query.as_deref(), |s| {
        find(s, &uuid).map(|k| shown(&k.record))
    })
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

pub(super) fn wants_records(query: Option<&str>) -> bool {
    query.is_some_and(|q| q.split('&').any(|p| p == "return_records=true"))
}

pub(super) async fn create(
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
        ListParams::parse(None, &[])?
            .hide_unless_named(&mut shown, KEY_MANAGERS.hidden_unless_named);
        json!({"num_records": 1, "records": [shown]})
    } else {
        json!({})
    };
    let uuid = record.uuid.unwrap_or_default();
    Ok(created(&KEY_MANAGERS.href(&uuid), body))
}

pub(super) async fn update(
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

pub(super) async fn delete(
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

/// The key manager endpoints.
pub fn routes() -> Router<Simulator> {
    Router::new()
        .route(KEY_MANAGERS.path, get(list).post(create))
        .route(
            &KEY_MANAGERS.href("{uuid}"),
            get(get_one).patch(update).delete(delete),
        )
        .route(KEY_SERVERS.path, get(list_servers).post(add_servers))
        .route(
            &KEY_SERVERS.href("{server}"),
            get(get_server).patch(update_server).delete(remove_server),
        )
}
