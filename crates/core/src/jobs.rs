//! `GET /api/cluster/jobs/{uuid}`: asynchronous operations, and how a console follows one.

use serde::{Deserialize, Serialize};

use crate::envelope::{Extra, Links};
use crate::error::ApiError;
use crate::query::Query;
use crate::request::{Method, Path, Request};

/// A job record.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Job {
    pub uuid: Option<String>,
    pub description: Option<String>,
    pub state: Option<JobState>,
    pub message: Option<String>,
    /// ONTAP's code for the outcome (0 on success).
    pub code: Option<i64>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub error: Option<crate::error::OntapError>,
    #[serde(rename = "_links")]
    pub links: Option<Links>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A job's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Paused,
    Success,
    Failure,
    #[serde(untagged)]
    Other(String),
}

impl JobState {
    /// Whether the job has finished (success or failure); nothing more will change.
    pub fn is_terminal(&self) -> bool {
        matches!(self, JobState::Success | JobState::Failure)
    }
}

/// The fields of a job a console follows (also the simulator's defaults).
pub const FIELDS: &[&str] = &[
    "uuid",
    "description",
    "state",
    "message",
    "code",
    "start_time",
    "end_time",
    "error",
];

/// `GET /api/cluster/jobs/{uuid}`.
pub fn get(uuid: &str) -> Request {
    Request::new(Method::Get, Path::api("cluster/jobs").id(uuid).build())
        .with_query(&Query::new().fields(FIELDS.iter().copied()))
}

/// What one poll of a job tells the console to do next.
#[derive(Debug, Clone, PartialEq)]
pub enum PollOutcome {
    /// Still queued, running or paused: poll again.
    Pending(Job),
    /// Finished well: re-read the changed state.
    Succeeded(Job),
    /// Finished badly: show the message and code.
    Failed(Job),
    /// The job is gone after having been seen: ONTAP expires finished jobs, so it most likely
    /// finished while nobody looked. Re-read the state to learn the outcome.
    Expired,
}

/// Interprets the answer to a job poll. `seen_before` is whether an earlier poll found the job:
/// a 404 then means it expired, while a 404 on the first poll is a real error.
pub fn interpret_poll(
    answer: Result<Job, ApiError>,
    seen_before: bool,
) -> Result<PollOutcome, ApiError> {
    match answer {
        Ok(job) => Ok(match &job.state {
            Some(JobState::Success) => PollOutcome::Succeeded(job),
            Some(JobState::Failure) => PollOutcome::Failed(job),
            _ => PollOutcome::Pending(job),
        }),
        Err(err) if err.status() == 404 && seen_before => Ok(PollOutcome::Expired),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode;
    use serde_json::json;

    #[test]
    fn poll_outcomes() {
        let job =
            |state: &str| decode::<Job>(200, &json!({"uuid": "u", "state": state}).to_string());
        assert!(matches!(
            interpret_poll(job("running"), false),
            Ok(PollOutcome::Pending(_))
        ));
        assert!(matches!(
            interpret_poll(job("queued"), true),
            Ok(PollOutcome::Pending(_))
        ));
        assert!(matches!(
            interpret_poll(job("success"), true),
            Ok(PollOutcome::Succeeded(_))
        ));
        assert!(matches!(
            interpret_poll(job("failure"), true),
            Ok(PollOutcome::Failed(_))
        ));
        let gone = || {
            decode::<Job>(
                404,
                r#"{"error":{"code":"4","message":"entry doesn't exist"}}"#,
            )
        };
        assert_eq!(interpret_poll(gone(), true), Ok(PollOutcome::Expired));
        assert!(interpret_poll(gone(), false).is_err());
    }

    #[test]
    fn terminal_states() {
        assert!(JobState::Success.is_terminal() && JobState::Failure.is_terminal());
        assert!(!JobState::Running.is_terminal() && !JobState::Other("new".into()).is_terminal());
        assert_eq!(get("ab/c").path, "/api/cluster/jobs/ab%2Fc");
    }
}
