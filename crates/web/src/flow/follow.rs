//! Sending a change and following its job: to its end, to [`jobs::MAX_FOLLOW_POLLS`] (a job
//! still running then goes on in ONTAP, unfollowed), or until the dialog stops following
//! (the future is dropped: an aborted action polls no more).

use gloo_timers::future::TimeoutFuture;
use ontap_core::error::with_code;
use ontap_core::jobs::{self, follow, interpret_poll, poll_delay_ms, Job, PollOutcome, Unfollowed};
use ontap_core::{decode, ApiError, JobResponse, Request};

use crate::api::{Answer, CallError};
use crate::session::Session;

/// Where a change stands once applied.
#[derive(Debug, Clone)]
pub(super) enum Stage {
    Preview,
    Sending,
    /// The cluster accepted the change (`accepted`) and runs job `uuid`.
    Following {
        uuid: String,
        state: String,
        message: String,
        accepted: Answer,
    },
    Succeeded {
        message: String,
    },
    /// Job `uuid` goes on in ONTAP, no longer followed: neither success nor failure.
    Unfollowed {
        uuid: String,
        why: Unfollowed,
    },
    /// The job was seen, then was gone: it ended while nobody looked, and how is not known.
    OutcomeUnknown,
    Failed(Failure),
}

#[derive(Debug, Clone)]
pub(super) enum Failure {
    Call(CallError),
    Job { message: String, code: Option<i64> },
}

/// Sends `request` and follows its job to the end, as the dialog does, without a dialog: for a
/// series of changes already previewed together ("fix everything"). `progress` hears the job's
/// state; the result is the job's final message, or what failed (ONTAP's message and code). A
/// job whose outcome the console could not learn is an `Err` too: the series stops there, and
/// the message says where to look.
pub async fn apply(
    session: Session,
    request: &Request,
    progress: impl Fn(String),
) -> Result<String, String> {
    let report = |s: Stage| {
        if let Stage::Following { state, .. } = s {
            progress(state);
        }
    };
    match run(session, request, &report).await.0 {
        Stage::Succeeded { message } => Ok(message),
        Stage::Failed(Failure::Call(e)) => Err(with_code(&e.message(), e.code())),
        Stage::Failed(Failure::Job { message, code }) => Err(with_code(&message, code)),
        Stage::Unfollowed { uuid, why } => Err(unfollowed_text(why, &uuid)),
        Stage::OutcomeUnknown => Err(outcome_unknown_text()),
        Stage::Preview | Stage::Sending | Stage::Following { .. } => {
            Err("The change did not finish.".into())
        }
    }
}

/// What the page says of job `uuid` left to ONTAP: core's sentences (why, and where the job
/// can still be seen), then that the page was read again.
pub(super) fn unfollowed_text(why: Unfollowed, uuid: &str) -> String {
    format!("{} {}", why.message(uuid), follow::PAGE_READ_AGAIN)
}

/// What the page says of a job whose outcome is unknown: core's sentence, then that the page
/// was read again and is worth checking.
pub(super) fn outcome_unknown_text() -> String {
    format!(
        "{} {}",
        jobs::OUTCOME_UNKNOWN_TEXT,
        follow::PAGE_READ_AGAIN_CHECK
    )
}

/// Sends the request and follows its job; gives the final stage and, when the cluster accepted
/// the change (the page then reads its state again), the answer.
pub(super) async fn run(
    session: Session,
    request: &Request,
    stage: &dyn Fn(Stage),
) -> (Stage, Option<Answer>) {
    let answer = match session.send(request).await {
        Ok(answer) => answer,
        Err(e) => return (Stage::Failed(Failure::Call(e)), None),
    };
    if !(200..300).contains(&answer.status) {
        let error = ontap_core::error::decode_error(answer.status, &answer.body);
        return (Stage::Failed(Failure::Call(error.into())), None);
    }
    let job_uuid = serde_json::from_str::<JobResponse>(&answer.body)
        .ok()
        .and_then(|r| r.job)
        .and_then(|j| j.uuid);
    let Some(uuid) = job_uuid else {
        let stage = Stage::Succeeded {
            message: "Done.".into(),
        };
        return (stage, Some(answer));
    };
    let following = |state: String, message: String| Stage::Following {
        uuid: uuid.clone(),
        state,
        message,
        accepted: answer.clone(),
    };
    stage(following("queued".into(), String::new()));
    let mut seen = false;
    let mut polls = 0;
    loop {
        if !follow::keep_following(polls) {
            let why = Unfollowed::StillRunning;
            return (Stage::Unfollowed { uuid, why }, Some(answer));
        }
        TimeoutFuture::new(poll_delay_ms(polls) as u32).await;
        polls = polls.saturating_add(1);
        let polled: Result<Job, ApiError> = match session.send(&jobs::get(&uuid)).await {
            Ok(a) => decode(a.status, &a.body),
            Err(CallError::Api(e)) => Err(e),
            Err(e) => return (Stage::Failed(Failure::Call(e)), None),
        };
        match interpret_poll(polled, seen) {
            Ok(PollOutcome::Pending(job)) => {
                seen = true;
                stage(following(
                    job.state.map(|s| state_name(&s)).unwrap_or_default(),
                    job.message.unwrap_or_default(),
                ));
            }
            Ok(PollOutcome::Succeeded(job)) => {
                let message = job.message.unwrap_or_else(|| "Done.".into());
                return (Stage::Succeeded { message }, Some(answer));
            }
            Ok(PollOutcome::Failed { message, code, .. }) => {
                return (Stage::Failed(Failure::Job { message, code }), None)
            }
            Ok(PollOutcome::Expired) => return (Stage::OutcomeUnknown, Some(answer)),
            Err(e) => return (Stage::Failed(Failure::Call(e.into())), None),
        }
    }
}

fn state_name(state: &jobs::JobState) -> String {
    ontap_core::envelope::wire_name(state).unwrap_or_default()
}
