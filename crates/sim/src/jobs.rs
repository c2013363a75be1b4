//! Asynchronous operations: a job moves queued → running → success/failure over
//! `job_seconds`; its work is applied to the cluster when it finishes; finished jobs expire.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ontap_core::jobs::{Job, JobState};
use ontap_core::{JobLink, JobResponse, Links, OntapError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::app::Simulator;
use crate::collection::{Collection, FieldSpec};
use crate::error::{PathParam, SimError};
use crate::state::ClusterState;

/// The change a job applies when it finishes; an error fails the job. It re-checks the state
/// it finds then (another job may have changed it since it was queued), and may be applied
/// again when saving the first outcome failed: hence `Fn`, not `FnOnce`.
pub type JobWork = Box<dyn Fn(&mut ClusterState) -> Result<(), SimError> + Send>;

/// One job as the cluster keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobRecord {
    pub uuid: String,
    pub description: String,
    /// Seconds since the Unix epoch.
    pub created: f64,
    pub finished: Option<f64>,
    pub state: JobState,
    pub message: String,
    pub code: i64,
    pub error: Option<OntapError>,
    /// Never ends (fault injection: `job-stuck`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stuck: bool,
    /// Removed as soon as it ends, as if ONTAP's expiry had passed (fault injection:
    /// `job-expired`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub expires_at_once: bool,
}

/// The cluster's jobs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub jobs: Vec<JobRecord>,
}

/// Seconds since the Unix epoch, now.
pub fn now_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn format_time(seconds: f64) -> String {
    jiff::Timestamp::from_second(seconds as i64)
        .map(ontap_core::certificates::expiry::format_timestamp)
        .unwrap_or_default()
}

impl JobRecord {
    fn to_job(&self) -> Job {
        Job {
            uuid: Some(self.uuid.clone()),
            description: Some(self.description.clone()),
            state: Some(self.state.clone()),
            message: Some(self.message.clone()),
            code: Some(self.code),
            start_time: Some(format_time(self.created)),
            end_time: self.finished.map(format_time),
            error: self.error.clone(),
            links: Some(Links::to_self(JOBS.href(&self.uuid))),
            ..Job::default()
        }
    }

    fn link(&self) -> JobResponse {
        link(&self.uuid)
    }
}

/// The answer that starts job `uuid`: its link.
fn link(uuid: &str) -> JobResponse {
    JobResponse {
        job: Some(JobLink {
            uuid: Some(uuid.to_owned()),
            links: Some(Links::to_self(JOBS.href(uuid))),
            ..JobLink::default()
        }),
        ..JobResponse::default()
    }
}

/// Starts a job; the simulator applies `work` when the job's time is up.
pub async fn run(
    sim: &Simulator,
    description: impl Into<String>,
    work: JobWork,
    return_timeout: Option<u32>,
) -> Response {
    let uuid = uuid::Uuid::new_v4().to_string();
    sim.start_job(
        JobRecord {
            uuid: uuid.clone(),
            description: description.into(),
            created: sim.config().clock.now(),
            finished: None,
            state: JobState::Queued,
            message: "Queued".to_owned(),
            code: 0,
            error: None,
            stuck: false,
            expires_at_once: false,
        },
        work,
    );
    let deadline =
        std::time::Instant::now() + Duration::from_secs(u64::from(return_timeout.unwrap_or(0)));
    loop {
        let record = sim.read(|s| s.jobs.jobs.iter().find(|j| j.uuid == uuid).cloned());
        let Some(record) = record else {
            // Ended and forgotten at once (fault injection): ONTAP had answered 202 with the
            // job's link before it expired.
            return (StatusCode::ACCEPTED, Json(link(&uuid))).into_response();
        };
        let waiting = return_timeout.unwrap_or(0) > 0;
        if record.state.is_terminal() && waiting {
            return match (&record.state, &record.error) {
                (JobState::Failure, Some(error)) => SimError::from(error.clone()).into_response(),
                _ => (StatusCode::OK, Json(record.link())).into_response(),
            };
        }
        if !waiting || std::time::Instant::now() >= deadline {
            return (StatusCode::ACCEPTED, Json(record.link())).into_response();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Whether a job is due to finish: its work would change the state (which must then be saved).
pub fn any_due(state: &ClusterState, now: f64, job_seconds: f64) -> bool {
    state.jobs.jobs.iter().any(|j| is_due(j, now, job_seconds))
}

/// Moves every job along: states by elapsed time, work applied when a job finishes, finished
/// jobs past their expiry removed. Called on every access to the state. Returns the jobs that
/// finished: the caller drops their work once the outcome is saved (see `Simulator::lock`).
pub fn advance(
    state: &mut ClusterState,
    works: &std::collections::HashMap<String, JobWork>,
    now: f64,
    job_seconds: f64,
    expiry_seconds: f64,
) -> Vec<String> {
    let due: Vec<String> = state
        .jobs
        .jobs
        .iter()
        .filter(|j| is_due(j, now, job_seconds))
        .map(|j| j.uuid.clone())
        .collect();
    for uuid in &due {
        let outcome = match works.get(uuid) {
            Some(work) => work(state),
            // Restarted with a job in flight: its work is gone with the old process.
            None => Err(SimError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                crate::error::codes::INTERNAL,
                "The job was interrupted by a restart.",
            )),
        };
        if let Some(job) = state.jobs.jobs.iter_mut().find(|j| j.uuid == *uuid) {
            job.finished = Some(now);
            match outcome {
                Ok(()) => {
                    job.state = JobState::Success;
                    job.message = "success".to_owned();
                    job.code = 0;
                }
                Err(SimError { error, .. }) => {
                    let error = *error;
                    job.state = JobState::Failure;
                    job.message = error.message.clone().unwrap_or_default();
                    job.code = error.code_number().map_or(1, |c| c as i64);
                    job.error = Some(error);
                }
            }
        }
    }
    for job in state
        .jobs
        .jobs
        .iter_mut()
        .filter(|j| !j.state.is_terminal())
    {
        if now - job.created >= job_seconds * 0.2 && job.state == JobState::Queued {
            job.state = JobState::Running;
            job.message = "Running".to_owned();
        }
    }
    state.jobs.jobs.retain(|j| {
        j.finished
            .is_none_or(|f| !j.expires_at_once && now - f < expiry_seconds)
    });
    due
}

/// Whether job `j` is due to end now (a stuck one never is).
fn is_due(j: &JobRecord, now: f64, job_seconds: f64) -> bool {
    !j.state.is_terminal() && !j.stuck && now - j.created >= job_seconds
}

/// `/api/cluster/jobs`: every field is cheap and returned without `fields`.
pub const JOBS: Collection = Collection {
    path: "/api/cluster/jobs",
    known: ontap_core::jobs::FIELDS,
    list: FieldSpec {
        default: ontap_core::jobs::FIELDS,
        expensive: &[],
    },
    one: FieldSpec {
        default: ontap_core::jobs::FIELDS,
        expensive: &[],
    },
    hidden_unless_named: &[],
};

async fn list_jobs(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    JOBS.list(&sim, query.as_deref(), |s, params| {
        Ok(params.rows(&s.jobs.jobs, |j| to_value(&j.to_job())))
    })
}

async fn get_job(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    JOBS.get(&sim, query.as_deref(), |s| {
        s.jobs
            .jobs
            .iter()
            .find(|j| j.uuid == uuid)
            .map(|j| to_value(&j.to_job()))
            .ok_or_else(|| SimError::not_found("uuid"))
    })
}

/// Serializes one of our own models (cannot fail: string keys only).
pub fn to_value<T: Serialize>(model: &T) -> Value {
    serde_json::to_value(model).unwrap_or(Value::Null)
}

/// `GET /api/cluster/jobs` and `GET /api/cluster/jobs/{uuid}`.
pub fn routes() -> Router<Simulator> {
    Router::new()
        .route(JOBS.path, get(list_jobs))
        .route(&JOBS.href("{uuid}"), get(get_job))
}
