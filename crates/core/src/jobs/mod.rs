//! `GET /api/cluster/jobs/{uuid}`: asynchronous operations, and how a console follows one.

use serde::{Deserialize, Serialize};

use crate::envelope::{Extra, Links};
use crate::error::ApiError;
use crate::query::Query;
use crate::request::{Method, Path, Request};

pub mod follow;

pub use follow::{
    Unfollowed, FOLLOW_MINUTES, MAX_FOLLOW_POLLS, OUTCOME_UNKNOWN_LABEL, OUTCOME_UNKNOWN_TEXT,
    STILL_RUNNING_LABEL,
};

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
    /// A state a newer release introduced is not terminal: keep polling until it expires.
    pub fn is_terminal(&self) -> bool {
        matches!(self, JobState::Success | JobState::Failure)
    }
}

/// Whether a job in this state has finished (see [`JobState::is_terminal`]).
pub fn is_terminal(state: &JobState) -> bool {
    state.is_terminal()
}

impl Job {
    /// When the job started, when ONTAP said so in RFC 3339 form.
    pub fn started(&self) -> Option<jiff::Timestamp> {
        self.start_time.as_deref()?.parse().ok()
    }

    /// When the job ended, when it has and ONTAP said so in RFC 3339 form.
    pub fn ended(&self) -> Option<jiff::Timestamp> {
        self.end_time.as_deref()?.parse().ok()
    }

    /// How long a finished job ran.
    pub fn duration(&self) -> Option<jiff::SignedDuration> {
        Some(self.ended()?.duration_since(self.started()?))
    }

    /// The message and code to show for a failed job: the job's own message and code, else its
    /// `error` object's, else a generic sentence.
    fn failure(&self) -> (String, Option<i64>) {
        let error = self.error.as_ref();
        let message = self
            .message
            .clone()
            .filter(|m| !m.trim().is_empty())
            .or_else(|| error.and_then(|e| e.message.clone()))
            .unwrap_or_else(|| "The job failed without saying why.".to_owned());
        let code = self
            .code
            .filter(|c| *c != 0)
            .or_else(|| {
                error
                    .and_then(|e| e.code_number())
                    .and_then(|c| i64::try_from(c).ok())
            })
            .or(self.code);
        (message, code)
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
    Failed {
        message: String,
        code: Option<i64>,
        job: Job,
    },
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
            Some(JobState::Failure) => {
                let (message, code) = job.failure();
                PollOutcome::Failed { message, code, job }
            }
            _ => PollOutcome::Pending(job),
        }),
        Err(err) if err.status() == 404 && seen_before => Ok(PollOutcome::Expired),
        Err(err) => Err(err),
    }
}

/// How long to wait before poll number `attempt` (0-based): quick at first, since most jobs
/// finish within a second, then backing off to every 5 seconds.
pub const fn poll_delay_ms(attempt: u32) -> u64 {
    match attempt {
        0 => 250,
        1 => 500,
        2 => 1000,
        3 => 2000,
        _ => 5000,
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
            Ok(PollOutcome::Failed { .. })
        ));
        assert!(matches!(
            interpret_poll(job("a_new_state"), true),
            Ok(PollOutcome::Pending(_))
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
    fn failures_carry_a_message_and_a_code() {
        let failed = |body: serde_json::Value| match interpret_poll(
            decode::<Job>(200, &body.to_string()),
            true,
        ) {
            Ok(PollOutcome::Failed { message, code, .. }) => (message, code),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            failed(
                json!({"state": "failure", "message": "TLSv1 is not supported when FIPS is enabled.", "code": 52428824})
            ),
            (
                "TLSv1 is not supported when FIPS is enabled.".to_owned(),
                Some(52428824)
            )
        );
        assert_eq!(
            failed(
                json!({"state": "failure", "message": "", "code": 0, "error": {"message": "Key manager is not configured on the cluster.", "code": "196608070"}})
            ),
            (
                "Key manager is not configured on the cluster.".to_owned(),
                Some(196608070)
            )
        );
        assert_eq!(
            failed(json!({"state": "failure"})),
            ("The job failed without saying why.".to_owned(), None)
        );
    }

    #[test]
    fn times_parse_with_their_offset() {
        let job: Job = serde_json::from_value(json!({
            "start_time": "2020-04-28T06:55:40-05:00",
            "end_time": "2020-04-28T06:55:41-05:00"
        }))
        .unwrap();
        assert_eq!(job.started().unwrap().to_string(), "2020-04-28T11:55:40Z");
        assert_eq!(job.duration(), Some(jiff::SignedDuration::from_secs(1)));
        assert_eq!(Job::default().duration(), None);
        assert!(poll_delay_ms(0) < poll_delay_ms(3));
        assert_eq!(poll_delay_ms(100), 5000);
    }

    #[test]
    fn terminal_states() {
        assert!(is_terminal(&JobState::Failure) && !is_terminal(&JobState::Paused));
        assert!(JobState::Success.is_terminal() && JobState::Failure.is_terminal());
        assert!(!JobState::Running.is_terminal() && !JobState::Other("new".into()).is_terminal());
        assert_eq!(get("ab/c").path, "/api/cluster/jobs/ab%2Fc");
    }
}
