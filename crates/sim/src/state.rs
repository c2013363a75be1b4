//! The whole simulated cluster, one struct per domain; each domain's state lives beside its
//! routes in [`crate::routes`].

use serde::{Deserialize, Serialize};

use crate::routes;

/// Everything the simulated cluster knows. Persisted as JSON with `--state FILE`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterState {
    pub cluster: routes::cluster::State,
    pub security: routes::security::State,
    pub ipsec: routes::ipsec::State,
    pub key_managers: routes::key_managers::State,
    pub certificates: routes::certificates::State,
    pub jobs: crate::jobs::State,
}
