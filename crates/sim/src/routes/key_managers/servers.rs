//! `/api/security/key-managers/{uuid}/key-servers`: an external key manager's KMIP servers.

use super::store::*;
use super::{created, wants_records};

use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ontap_core::catalog::codes;
use ontap_core::key_managers::{self as core_km, KeyServer};
use serde_json::{json, Value};

use crate::app::Simulator;
use crate::collection::{Collection, FieldSpec, ListParams};
use crate::error::{reject_unknown, JsonBody, PathParam, SimError};

/// `/api/security/key-managers/{uuid}/key-servers`: `connectivity` only when named (it asks
/// the key server).
pub const KEY_SERVERS: Collection = Collection {
    path: "/api/security/key-managers/{uuid}/key-servers",
    known: &[
        "uuid",
        "server",
        "timeout",
        "username",
        "secondary_key_servers",
        "connectivity",
    ],
    list: SERVER_FIELDS,
    one: SERVER_FIELDS,
    hidden_unless_named: &[],
};
const SERVER_FIELDS: FieldSpec = FieldSpec {
    default: &["server", "timeout", "username", "secondary_key_servers"],
    expensive: ontap_core::key_managers::EXPENSIVE_SERVER_FIELDS,
};

pub(super) async fn list_servers(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    KEY_SERVERS.list_in(&uuid, &sim, query.as_deref(), |s, params| {
        let km = &find(s, &uuid)?.record;
        Ok(params.rows(servers_of(km)?, |srv| server_shown(km, srv)))
    })
}

pub(super) async fn get_server(
    AxumState(sim): AxumState<Simulator>,
    PathParam((uuid, server)): PathParam<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    KEY_SERVERS.get(&sim, query.as_deref(), |s| {
        let km = &find(s, &uuid)?.record;
        servers_of(km)?
            .iter()
            .find(|x| same(x.server.as_deref().unwrap_or_default(), &server))
            .map(|x| server_shown(km, x))
            .ok_or_else(|| SimError::not_found("server"))
    })
}

pub(super) async fn add_servers(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, SimError> {
    ListParams::parse(query.as_deref(), &[])?;
    let new: Vec<KeyServer> = if body.get("records").is_some() {
        serde_json::from_value::<ontap_core::Collection<KeyServer>>(body).map(|c| c.records)
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

pub(super) async fn update_server(
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

pub(super) async fn remove_server(
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
