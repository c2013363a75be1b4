//! `GET/PATCH /api/security/ipsec`.

use axum::extract::{RawQuery, State as AxumState};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ontap_core::ipsec::{validate_patch, validate_patch_for_release, Ipsec};
use ontap_core::Links;
use serde::{Deserialize, Serialize};

use crate::app::Simulator;
use crate::collection::{self, FieldSpec, ListParams};
use crate::error::{JsonBody, SimError};
use crate::jobs::to_value;
use crate::routes::cluster;

/// Whether IPsec is enabled.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub enabled: bool,
}

const SPEC: FieldSpec = FieldSpec {
    default: &["enabled"],
    expensive: &[],
};

async fn get_ipsec(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), &["enabled"])?;
    let record = sim.read(|s| {
        to_value(&Ipsec {
            enabled: Some(s.ipsec.enabled),
            links: Some(Links::to_self("/api/security/ipsec")),
            ..Ipsec::default()
        })
    });
    Ok(collection::one(&record, &params, &SPEC))
}

async fn patch_ipsec(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
    JsonBody(change): JsonBody<Ipsec>,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), &[])?;
    if let Err(violations) = validate_patch(&change) {
        // ONTAP's own answer to a field it does not know.
        let field = violations
            .0
            .first()
            .map(|v| v.field.clone())
            .unwrap_or_default();
        return Err(SimError::unexpected(&field));
    }
    sim.write(|s| {
        validate_patch_for_release(&change, &cluster::release(s))?;
        if let Some(enabled) = change.enabled {
            s.ipsec.enabled = enabled;
        }
        Ok::<_, SimError>(())
    })?;
    if params.return_records()
        && query
            .as_deref()
            .is_some_and(|q| q.contains("return_records=true"))
    {
        let record = sim.read(|s| {
            to_value(&Ipsec {
                enabled: Some(s.ipsec.enabled),
                ..Ipsec::default()
            })
        });
        return Ok(
            Json(serde_json::json!({"num_records": 1, "records": [record]})).into_response(),
        );
    }
    Ok(Json(serde_json::json!({})).into_response())
}

/// `GET/PATCH /api/security/ipsec`.
pub fn routes() -> Router<Simulator> {
    Router::new().route("/api/security/ipsec", get(get_ipsec).patch(patch_ipsec))
}
