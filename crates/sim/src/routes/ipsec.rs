//! `GET/PATCH /api/security/ipsec`.

use axum::extract::{RawQuery, State as AxumState};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ontap_core::ipsec::{validate_patch, validate_patch_for_release, Ipsec};
use ontap_core::Links;
use serde::{Deserialize, Serialize};

use crate::app::Simulator;
use crate::collection::{self, ListParams, Resource};
use crate::error::{reject_unknown, JsonBody, SimError};
use crate::jobs::to_value;
use crate::routes::cluster;

/// The cluster's IPsec configuration. Fields added after the first release default when an
/// older state file lacks them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub enabled: bool,
    /// `security ipsec config show` of a new cluster: "Replay Window Size: 0".
    #[serde(default)]
    pub replay_window: u64,
    #[serde(default)]
    pub offload_enabled: bool,
}

impl State {
    fn record(&self) -> Ipsec {
        Ipsec {
            enabled: Some(self.enabled),
            replay_window: Some(self.replay_window),
            offload_enabled: Some(self.offload_enabled),
            links: Some(Links::to_self(IPSEC.path)),
            ..Ipsec::default()
        }
    }
}

/// `/api/security/ipsec`: every field is cheap: a GET without `fields` returns them all, as
/// ONTAP does for this singleton.
pub const IPSEC: Resource = Resource {
    path: ontap_core::ipsec::PATH,
    fields: ontap_core::ipsec::SETTINGS,
};

async fn get_ipsec(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    IPSEC.get(&sim, query.as_deref(), |s| {
        let mut record = to_value(&s.ipsec.record());
        collection::drop_fields(&mut record, &missing(s));
        record
    })
}

async fn patch_ipsec(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
    JsonBody(change): JsonBody<Ipsec>,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), &[])?;
    // ONTAP's own answer to a field it does not know; then the values' rules.
    reject_unknown(&change.extra, "")?;
    validate_patch(&change)?;
    sim.write(|s| {
        // A release without a field knows nothing of it: ONTAP's "unexpected argument".
        let body = to_value(&change);
        if let Some(field) = missing(s).into_iter().find(|f| body.get(*f).is_some()) {
            return Err(SimError::unexpected(field));
        }
        validate_patch_for_release(&change, &cluster::release(s))?;
        if let Some(enabled) = change.enabled {
            s.ipsec.enabled = enabled;
        }
        if let Some(window) = change.replay_window {
            s.ipsec.replay_window = window;
        }
        if let Some(offload) = change.offload_enabled {
            s.ipsec.offload_enabled = offload;
        }
        Ok::<_, SimError>(())
    })?;
    if params.return_records()
        && query
            .as_deref()
            .is_some_and(|q| q.contains("return_records=true"))
    {
        let record = sim.read(|s| {
            let mut record = to_value(&s.ipsec.record());
            collection::drop_fields(&mut record, &missing(s));
            record
        });
        return Ok(
            Json(serde_json::json!({"num_records": 1, "records": [record]})).into_response(),
        );
    }
    Ok(Json(serde_json::json!({})).into_response())
}

/// The IPsec fields the cluster's release does not have.
fn missing(s: &crate::state::ClusterState) -> Vec<&'static str> {
    ontap_core::releases::missing_fields(s.cluster.version, IPSEC.path)
}

/// `GET/PATCH /api/security/ipsec`.
pub fn routes() -> Router<Simulator> {
    Router::new().route(IPSEC.path, get(get_ipsec).patch(patch_ipsec))
}
