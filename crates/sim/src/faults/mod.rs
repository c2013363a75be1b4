//! Fault injection, off by default: latency, dropped connections, 500/503 answers, failing,
//! stuck and expired jobs and a 401 mid-session, so tests (and people) see how a client copes with a cluster
//! under strain. Set at start (`SimConfig::faults`, `serve --faults SPEC`) and at run time
//! through [`CONTROL_PATH`] (which no fault touches, so a test can always turn them off).
//!
//! A middleware outside authentication draws, per request in scope, what happens to it; the
//! draws come from one seeded generator so a `seed=` gives the same faults in the same order.

use std::cell::Cell;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ontap_core::catalog::unwell;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::json;

use crate::app::Simulator;
use crate::error::{codes, JsonBody, SimError};

pub mod spec;

pub use spec::{ErrorStatus, FaultSpec, SpecError};

/// Reads (`GET`), sets (`POST {"spec": "…"}`, an empty SPEC clears) and clears (`DELETE`) the
/// faults. Authenticated like every call; the console's server guards it like any other
/// state-changing call (JSON only, same origin).
pub const CONTROL_PATH: &str = "/api/private/simulator/faults";

/// Seconds a 503 asks the client to wait (`Retry-After`).
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// The faults in force, and what they have counted and drawn so far.
pub(crate) struct Faults(Mutex<Active>);

struct Active {
    spec: FaultSpec,
    rng: StdRng,
    /// Requests in scope since the SPEC was set (for `unauthorized-after`).
    seen: u64,
}

impl Active {
    fn new(spec: FaultSpec) -> Active {
        let rng = match spec.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_entropy(),
        };
        Active { spec, rng, seen: 0 }
    }

    /// Draws with probability `p`; draws nothing (keeps the sequence) when `p` is 0.
    fn draw(&mut self, p: f64) -> bool {
        p > 0.0 && self.rng.gen::<f64>() < p
    }
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Pass { job: JobFault },
    Drop,
    Error(ErrorStatus),
    Unauthorized,
}

impl Faults {
    pub(crate) fn new(spec: Option<FaultSpec>) -> Faults {
        Faults(Mutex::new(Active::new(spec.unwrap_or_default())))
    }

    fn active(&self) -> std::sync::MutexGuard<'_, Active> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replaces the faults; counting and drawing start again.
    pub(crate) fn set(&self, spec: FaultSpec) {
        *self.active() = Active::new(spec);
    }

    pub(crate) fn spec(&self) -> FaultSpec {
        self.active().spec.clone()
    }

    /// The latency and outcome of a request for `path`; `None` when out of scope or off.
    fn decide(&self, path: &str) -> Option<(Duration, Outcome)> {
        let mut active = self.active();
        if active.spec.is_off() || !active.spec.covers(path) {
            return None;
        }
        active.seen += 1;
        let spec = active.spec.clone();
        let outcome = if spec.unauthorized_after.is_some_and(|n| active.seen > n) {
            Outcome::Unauthorized
        } else if active.draw(spec.drop) {
            Outcome::Drop
        } else if let Some((status, _)) = spec.error.filter(|(_, p)| active.draw(*p)) {
            Outcome::Error(status)
        } else {
            // Drawn in this order, each only when its probability is not 0, so that a seed
            // gives the same sequence as before the later kinds existed.
            let job = if active.draw(spec.job_failure) {
                JobFault::Fail
            } else if active.draw(spec.job_stuck) {
                JobFault::Stuck
            } else if active.draw(spec.job_expired) {
                JobFault::Expire
            } else {
                JobFault::None
            };
            Outcome::Pass { job }
        };
        Some((spec.latency, outcome))
    }
}

/// What happens to the job a request starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum JobFault {
    #[default]
    None,
    /// It fails when applied ([`job_failure`]).
    Fail,
    /// It never ends.
    Stuck,
    /// It is forgotten as soon as it ends.
    Expire,
}

tokio::task_local! {
    static JOB_FAULT: Cell<JobFault>;
}

/// What must happen to the job the current request starts (drawn by the middleware).
pub(crate) fn job_fault() -> JobFault {
    JOB_FAULT.try_with(Cell::get).unwrap_or_default()
}

/// The error a job failed by a fault ends with.
pub(crate) fn job_failure() -> SimError {
    SimError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        unwell::INTERNAL,
        unwell::JOB_FAILED_TEXT,
    )
}

/// The middleware: applies the faults drawn for each request in scope.
pub(crate) async fn layer(State(sim): State<Simulator>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with(CONTROL_PATH) {
        return next.run(request).await;
    }
    let Some((latency, outcome)) = sim.faults().decide(path) else {
        return next.run(request).await;
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match outcome {
        Outcome::Pass { job } => JOB_FAULT.scope(Cell::new(job), next.run(request)).await,
        Outcome::Drop => dropped(),
        Outcome::Error(status) => error_answer(status),
        Outcome::Unauthorized => SimError::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            unwell::UNAUTHORIZED_TEXT,
        )
        .into_response(),
    }
}

/// An answer whose body fails before its first byte: hyper then closes the connection
/// without sending anything, as a cluster node that went away would.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<axum::body::Bytes, _>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by fault injection",
        ))
    });
    Body::from_stream(failing).into_response()
}

fn error_answer(status: ErrorStatus) -> Response {
    match status {
        ErrorStatus::Internal => SimError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            unwell::INTERNAL,
            unwell::INTERNAL_TEXT,
        )
        .into_response(),
        ErrorStatus::Unavailable => {
            let mut response = SimError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                unwell::INTERNAL,
                unwell::UNAVAILABLE_TEXT,
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
            response
        }
    }
}

/// The control endpoint's routes.
pub(crate) fn routes() -> Router<Simulator> {
    Router::new().route(CONTROL_PATH, get(show).post(replace).delete(clear))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetFaults {
    #[serde(default)]
    spec: String,
}

fn current(sim: &Simulator) -> Json<serde_json::Value> {
    Json(json!({ "spec": sim.faults().spec().to_string() }))
}

async fn show(State(sim): State<Simulator>) -> Json<serde_json::Value> {
    current(&sim)
}

async fn replace(
    State(sim): State<Simulator>,
    JsonBody(body): JsonBody<SetFaults>,
) -> Result<Json<serde_json::Value>, SimError> {
    let spec = FaultSpec::parse(&body.spec).map_err(|e| {
        SimError::new(StatusCode::BAD_REQUEST, codes::INVALID_INPUT, e.to_string())
            .with_target("spec")
    })?;
    tracing::info!("faults set: {spec}");
    sim.faults().set(spec);
    Ok(current(&sim))
}

async fn clear(State(sim): State<Simulator>) -> Json<serde_json::Value> {
    sim.faults().set(FaultSpec::default());
    tracing::info!("faults cleared");
    current(&sim)
}
