//! `GET /api/cluster` and `GET /api/svm/svms`: the cluster's identity and its SVMs.

use axum::extract::{RawQuery, State as AxumState};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use ontap_core::cluster::{Cluster, Svm, Version};
use ontap_core::envelope::SvmRef;
use ontap_core::Links;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::app::Simulator;
use crate::collection::{Collection, FieldSpec, Resource};
use crate::error::{PathParam, SimError};
use crate::jobs::to_value;
use crate::state::ClusterState;

/// The cluster's identity and SVMs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub name: String,
    pub uuid: String,
    pub version: (u32, u32, u32),
    pub svms: Vec<SvmEntry>,
}

/// A data SVM.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SvmEntry {
    pub name: String,
    pub uuid: String,
}

impl State {
    /// Finds a data SVM by UUID or name.
    pub fn find_svm(&self, reference: &SvmRef) -> Option<&SvmEntry> {
        self.svms.iter().find(|s| {
            reference.uuid.as_deref() == Some(s.uuid.as_str())
                || (reference.uuid.is_none() && reference.name.as_deref() == Some(s.name.as_str()))
        })
    }

    /// An SVM reference as records embed it.
    pub fn svm_ref(entry: &SvmEntry) -> SvmRef {
        SvmRef {
            name: Some(entry.name.clone()),
            uuid: Some(entry.uuid.clone()),
            links: Some(Links::to_self(format!("/api/svm/svms/{}", entry.uuid))),
            ..SvmRef::default()
        }
    }
}

/// Resolves the `svm` of a request: `Ok(None)` for the cluster, the SVM when it exists, a 400
/// naming the field otherwise.
pub fn resolve_svm(
    state: &ClusterState,
    reference: Option<&SvmRef>,
) -> Result<Option<SvmEntry>, SimError> {
    match reference {
        None => Ok(None),
        Some(r) => state.cluster.find_svm(r).cloned().map(Some).ok_or_else(|| {
            SimError::new(
                axum::http::StatusCode::BAD_REQUEST,
                crate::error::codes::NOT_FOUND,
                "The SVM does not exist.",
            )
            .with_target("svm")
        }),
    }
}

/// The cluster's ONTAP release, as `GET /api/cluster` reports it (rules such as the
/// cluster-level rekey depend on it).
pub fn release(state: &ClusterState) -> Version {
    let (g, ma, mi) = state.cluster.version;
    Version {
        full: Some(format!("NetApp Release {g}.{ma}.{mi} (simulated)")),
        generation: Some(g),
        major: Some(ma),
        minor: Some(mi),
        ..Version::default()
    }
}

/// Finds a data SVM by name or UUID, for the routes that take either.
pub fn svm_by_name_or_uuid<'a>(state: &'a ClusterState, key: &str) -> Option<&'a SvmEntry> {
    state
        .cluster
        .svms
        .iter()
        .find(|s| s.uuid == key || s.name == key)
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A cluster with one data SVM (`vs0`), or two (`vs0`, `vs1`) for the demo.
pub fn seed(state: &mut ClusterState, demo: bool) {
    state.cluster = State {
        name: if demo {
            "cluster1".to_owned()
        } else {
            "sim-cluster".to_owned()
        },
        uuid: uuid(),
        version: (9, 16, 1),
        svms: ["vs0", "vs1"]
            .iter()
            .take(if demo { 2 } else { 1 })
            .map(|n| SvmEntry {
                name: (*n).to_owned(),
                uuid: uuid(),
            })
            .collect(),
    };
}

/// `/api/cluster`: its name, uuid and release.
pub const CLUSTER: Resource = Resource {
    path: "/api/cluster",
    fields: &["name", "uuid", "version"],
};

/// `/api/svm/svms`: name and uuid.
pub const SVMS: Collection = Collection {
    path: "/api/svm/svms",
    known: &["name", "uuid"],
    list: FieldSpec {
        default: &["name", "uuid"],
        expensive: &[],
    },
    one: FieldSpec {
        default: &["name", "uuid"],
        expensive: &[],
    },
    hidden_unless_named: &[],
};

async fn get_cluster(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    CLUSTER.get(&sim, query.as_deref(), |s| {
        to_value(&Cluster {
            name: Some(s.cluster.name.clone()),
            uuid: Some(s.cluster.uuid.clone()),
            version: Some(release(s)),
            links: Some(Links::to_self(CLUSTER.path)),
            ..Cluster::default()
        })
    })
}

fn svm_record(e: &SvmEntry) -> Value {
    to_value(&Svm {
        name: Some(e.name.clone()),
        uuid: Some(e.uuid.clone()),
        links: Some(Links::to_self(SVMS.href(&e.uuid))),
        ..Svm::default()
    })
}

async fn list_svms(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    SVMS.list(&sim, query.as_deref(), |s, params| {
        Ok(params.rows(&s.cluster.svms, svm_record))
    })
}

/// `GET /api/svm/svms/{uuid}`: every record's `_links.self` reads it back (HAL convention).
async fn get_svm(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    SVMS.get(&sim, query.as_deref(), |s| {
        s.cluster
            .svms
            .iter()
            .find(|e| e.uuid == uuid)
            .map(svm_record)
            .ok_or_else(|| SimError::not_found("uuid"))
    })
}

/// `GET /api/cluster`, `GET /api/svm/svms`, `GET /api/svm/svms/{uuid}`.
pub fn routes() -> Router<Simulator> {
    Router::new()
        .route(CLUSTER.path, get(get_cluster))
        .route(SVMS.path, get(list_svms))
        .route(&SVMS.href("{uuid}"), get(get_svm))
}
