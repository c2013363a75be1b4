//! The simulated cluster: its state behind one lock, and the router that serves it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{middleware, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::SimConfig;
use crate::error::{codes, SimError};
use crate::jobs::{self, JobRecord, JobWork};
use crate::persist::{self, PersistError};
use crate::state::ClusterState;
use crate::{auth, routes, scenario};

/// Header on every answer of the simulator, so a console can say it talks to a simulated cluster.
pub const SIMULATOR_HEADER: &str = "x-ontap-simulator";

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    State(#[from] PersistError),
    #[error("cannot build the {0} scenario: {1}")]
    Scenario(&'static str, String),
}

struct Live {
    state: ClusterState,
    works: HashMap<String, JobWork>,
}

struct Inner {
    config: SimConfig,
    live: Mutex<Live>,
}

/// A simulated ONTAP cluster. Cheap to clone: clones share the same cluster.
#[derive(Clone)]
pub struct Simulator(Arc<Inner>);

impl Simulator {
    /// Loads the state file if there is one, else builds the configured scenario.
    pub fn new(config: SimConfig) -> Result<Simulator, StartError> {
        let loaded = match &config.state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        let state = match loaded {
            Some(state) => state,
            None => scenario::build(config.scenario)?,
        };
        Ok(Simulator::with_state(config, state))
    }

    /// A simulator over a state built elsewhere (a fleet clones one scenario's state rather
    /// than generating its certificates again for every cluster).
    pub fn with_state(config: SimConfig, state: ClusterState) -> Simulator {
        let sim = Simulator(Arc::new(Inner {
            config,
            live: Mutex::new(Live {
                state,
                works: HashMap::new(),
            }),
        }));
        sim.write(|_| ());
        sim
    }

    /// The simulator's settings.
    pub fn config(&self) -> &SimConfig {
        &self.0.config
    }

    fn lock(&self) -> MutexGuard<'_, Live> {
        // A panic while holding the lock cannot leave the state half-changed in a way that
        // matters more than refusing every later request would: keep serving.
        let mut live = self
            .0
            .live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = jobs::now_seconds();
        let Live { state, works } = &mut *live;
        jobs::advance(
            state,
            works,
            now,
            self.0.config.job_seconds,
            self.0.config.job_expiry_seconds,
        );
        live
    }

    /// Reads the state (jobs moved along first).
    pub fn read<R>(&self, f: impl FnOnce(&ClusterState) -> R) -> R {
        let live = self.lock();
        f(&live.state)
    }

    /// Changes the state and persists it when a state file is configured. One lock for the
    /// whole change: concurrent writers never lose each other's updates.
    pub fn write<R>(&self, f: impl FnOnce(&mut ClusterState) -> R) -> R {
        let mut live = self.lock();
        let result = f(&mut live.state);
        self.persist(&live.state);
        result
    }

    fn persist(&self, state: &ClusterState) {
        if let Some(path) = &self.0.config.state_file {
            if let Err(e) = persist::save(path, state) {
                tracing::error!("{e}");
            }
        }
    }

    pub(crate) fn start_job(&self, record: JobRecord, work: JobWork) {
        let uuid = record.uuid.clone();
        {
            let mut live = self.lock();
            live.state.jobs.jobs.push(record);
            live.works.insert(uuid, work);
        }
        // Apply it at once when jobs take no time.
        self.write(|_| ());
    }

    /// The whole `/api` router: authentication, body limit, ONTAP-shaped fallbacks.
    pub fn router(&self) -> Router {
        let api = Router::new()
            .merge(routes::cluster::routes())
            .merge(routes::security::routes())
            .merge(routes::ipsec::routes())
            .merge(routes::key_managers::routes())
            .merge(routes::certificates::routes())
            .merge(jobs::routes())
            .fallback(not_found)
            .method_not_allowed_fallback(method_not_allowed)
            .layer(middleware::from_fn_with_state(
                self.clone(),
                auth::require_basic_auth,
            ))
            .layer(DefaultBodyLimit::max(self.0.config.max_body_bytes))
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::HeaderName::from_static(SIMULATOR_HEADER),
                HeaderValue::from_static("true"),
            ))
            .layer(CatchPanicLayer::custom(|_| {
                SimError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    codes::INTERNAL,
                    "Internal error.",
                )
                .into_response()
            }));
        api.with_state(self.clone())
    }
}

/// The simulator's router (same as [`Simulator::router`]), for axum's `app()` convention.
pub fn app(sim: Simulator) -> Router {
    sim.router()
}

async fn not_found() -> Response {
    SimError::new(StatusCode::NOT_FOUND, codes::NOT_FOUND, "API not found").into_response()
}

async fn method_not_allowed() -> Response {
    SimError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        "The method is not allowed on this resource.",
    )
    .into_response()
}
