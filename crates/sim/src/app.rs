//! The simulated cluster: its state behind one lock, and the router that serves it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{middleware, Router};
use tower::Layer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::SimConfig;
use crate::error::{codes, SimError};
use crate::faults::{self, FaultSpec, Faults, JobFault};
use crate::jobs::{self, JobRecord, JobWork};
use crate::persist::{self, PersistError};
use crate::state::ClusterState;
use crate::{auth, routes, scenario};

pub use ontap_core::SIMULATOR_HEADER;

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
    faults: Faults,
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
        let mut state = match loaded {
            Some(state) => state,
            None => scenario::build(config.scenario)?,
        };
        if let Some(version) = config.ontap_version {
            state.cluster.version = version;
        }
        if let Some(path) = &config.state_file {
            // A state file that cannot be written is found now, not on the first change.
            persist::save(path, &state)?;
        }
        Ok(Simulator::with_state(config, state))
    }

    /// A simulator over a state built elsewhere (a fleet clones one scenario's state rather
    /// than generating its certificates again for every cluster). Saves nothing until the
    /// first change: [`Simulator::new`] checks the state file.
    pub fn with_state(config: SimConfig, state: ClusterState) -> Simulator {
        let faults = Faults::new(config.faults.clone());
        Simulator(Arc::new(Inner {
            config,
            faults,
            live: Mutex::new(Live {
                state,
                works: HashMap::new(),
            }),
        }))
    }

    /// The simulator's settings.
    pub fn config(&self) -> &SimConfig {
        &self.0.config
    }

    /// Replaces the injected faults (an off [`FaultSpec`] clears them): what
    /// `POST /api/private/simulator/faults` does, for tests that hold the simulator.
    pub fn set_faults(&self, spec: FaultSpec) {
        self.0.faults.set(spec);
    }

    pub(crate) fn faults(&self) -> &Faults {
        &self.0.faults
    }

    /// The state, with jobs moved along first. A job that finishes here changes the state: it
    /// is saved like a write (a read can complete a job), and undone if saving fails.
    fn lock(&self) -> MutexGuard<'_, Live> {
        // A panic while holding the lock cannot leave the state half-changed in a way that
        // matters more than refusing every later request would: keep serving.
        let mut live = self
            .0
            .live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let config = &self.0.config;
        let now = config.clock.now();
        let Live { state, works } = &mut *live;
        let due = jobs::any_due(state, now, config.job_seconds);
        let before = (due && config.state_file.is_some()).then(|| state.clone());
        let finished = jobs::advance(
            state,
            works,
            now,
            config.job_seconds,
            config.job_expiry_seconds,
        );
        if finished.is_empty() {
            return live;
        }
        match (self.save(state), before) {
            (Err(()), Some(before)) => {
                // Not saved: as if the jobs had not finished; their work stays to run again.
                *state = before;
            }
            _ => {
                for uuid in finished {
                    works.remove(&uuid);
                }
            }
        }
        live
    }

    /// Reads the state (jobs moved along first).
    pub fn read<R>(&self, f: impl FnOnce(&ClusterState) -> R) -> R {
        let live = self.lock();
        f(&live.state)
    }

    /// Changes the state and persists it when a state file is configured. One lock for the
    /// whole change: concurrent writers never lose each other's updates. When saving fails the
    /// change is undone and the request answers 500 (see [`SaveGuard`]).
    pub fn write<R>(&self, f: impl FnOnce(&mut ClusterState) -> R) -> R {
        let mut live = self.lock();
        let before = self
            .0
            .config
            .state_file
            .is_some()
            .then(|| live.state.clone());
        let result = f(&mut live.state);
        if let (Err(()), Some(before)) = (self.save(&live.state), before) {
            live.state = before;
        }
        result
    }

    /// Saves the state when a state file is configured. A failure is logged (without the
    /// state) and marks the current request as failed ([`SaveGuard`]).
    fn save(&self, state: &ClusterState) -> Result<(), ()> {
        let Some(path) = &self.0.config.state_file else {
            return Ok(());
        };
        persist::save(path, state).map_err(|e| {
            tracing::error!("{e}");
            SaveGuard::mark_failed();
        })
    }

    pub(crate) fn start_job(&self, mut record: JobRecord, work: JobWork) {
        // A fault drawn for this request fails its job when the job is applied, keeps it
        // running forever, or forgets it as soon as it ends.
        let work: JobWork = match faults::job_fault() {
            JobFault::Fail => Box::new(|_| Err(faults::job_failure())),
            JobFault::Stuck => {
                record.stuck = true;
                work
            }
            JobFault::Expire => {
                record.expires_at_once = true;
                work
            }
            JobFault::None => work,
        };
        let uuid = record.uuid.clone();
        let mut live = self.lock();
        let before = self
            .0
            .config
            .state_file
            .is_some()
            .then(|| live.state.clone());
        live.state.jobs.jobs.push(record);
        live.works.insert(uuid.clone(), work);
        if let (Err(()), Some(before)) = (self.save(&live.state), before) {
            live.state = before;
            live.works.remove(&uuid);
            return;
        }
        drop(live);
        // Apply it at once when jobs take no time (saved by `lock`).
        drop(self.lock());
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
            .merge(faults::routes())
            .fallback(not_found)
            .method_not_allowed_fallback(method_not_allowed)
            .layer(middleware::from_fn_with_state(
                self.clone(),
                auth::require_basic_auth,
            ))
            // Outside authentication: a 401 mid-session is one of the faults.
            .layer(middleware::from_fn_with_state(self.clone(), faults::layer))
            .layer(DefaultBodyLimit::max(self.0.config.max_body_bytes))
            .layer(middleware::from_fn(SaveGuard::layer))
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
        // Paths are made canonical before routing (a layer on the router itself would run
        // after it): ONTAP's web server treats `//` as `/`, and clients build `/api//security`.
        let routed = api.with_state(self.clone());
        Router::new().fallback_service(middleware::map_request(collapse_request).layer(routed))
    }
}

/// Turns a request whose state change could not be saved into ONTAP's 500, whatever its
/// handler answered: the change was undone, so reporting success would be a lie. The flag is
/// task-local, so concurrent requests never see each other's failures.
pub struct SaveGuard;

tokio::task_local! {
    static SAVE_FAILED: std::cell::Cell<bool>;
}

impl SaveGuard {
    fn mark_failed() {
        // Outside a request (at start, in a test's direct call) there is nobody to tell.
        let _ = SAVE_FAILED.try_with(|failed| failed.set(true));
    }

    async fn layer(request: axum::extract::Request, next: middleware::Next) -> Response {
        SAVE_FAILED
            .scope(std::cell::Cell::new(false), async move {
                let response = next.run(request).await;
                if SAVE_FAILED.with(std::cell::Cell::get) {
                    SimError::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        codes::INTERNAL,
                        "Internal error. The change could not be saved and was not made.",
                    )
                    .into_response()
                } else {
                    response
                }
            })
            .await
    }
}

async fn collapse_request(mut request: Request) -> Request {
    if let Cow::Owned(path) = collapse_slashes(request.uri().path()) {
        let path_and_query = match request.uri().query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        };
        let mut parts = request.uri().clone().into_parts();
        if let Ok(pq) = path_and_query.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(uri) = Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    request
}

/// A path with every run of `/` made one `/`, as ONTAP's web server reads it (borrowed when
/// there was none to collapse).
pub fn collapse_slashes(path: &str) -> Cow<'_, str> {
    if !path.contains("//") {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    Cow::Owned(out)
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
