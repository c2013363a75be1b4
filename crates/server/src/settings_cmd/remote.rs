//! One cluster for `plan` and `apply`: its current settings (core's reads), and the plan's
//! requests sent one by one, each job followed as the console follows one: core's poll
//! schedule and bound ([`jobs::follow`]), and an expired job's outcome unknown, not a success.

use std::time::Duration;

use ontap_core::cluster::Cluster;
use ontap_core::jobs::follow::{self, Unfollowed};
use ontap_core::jobs::{self, Job, PollOutcome, OUTCOME_UNKNOWN_LABEL, OUTCOME_UNKNOWN_TEXT};
use ontap_core::settings::{self, Current};
use ontap_core::{JobResponse, Method, Request};

use crate::audit::fetch::{self, Clients, FetchError};
use crate::audit::targets::Target;

/// Reads what a plan compares the file with.
pub async fn current(clients: &Clients, target: &Target) -> Result<Current, FetchError> {
    let r = settings::reads();
    let (cluster, security, ipsec, key_managers, certificates) = tokio::join!(
        fetch::read_one::<Cluster>(clients, target, &r.cluster),
        fetch::read_one(clients, target, &r.security),
        fetch::read_optional(clients, target, &r.ipsec),
        fetch::read_all(clients, target, &r.key_managers),
        fetch::read_all(clients, target, &r.certificates),
    );
    Ok(Current {
        security: security?,
        ipsec: ipsec?,
        release: cluster?.version,
        key_managers: key_managers?,
        certificates: certificates?,
    })
}

/// Why a request of the plan did not complete.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("the job failed: {}", ontap_core::error::with_code(.message, *.code))]
    Job { message: String, code: Option<i64> },
    /// Still running after core's bound ([`follow::FOLLOW_MINUTES`]): it goes on in ONTAP,
    /// unfollowed, and may yet succeed or fail.
    #[error("{}", Unfollowed::StillRunning.message(.uuid))]
    StillRunning { uuid: String },
    /// Seen, then gone: ONTAP expired the job before its end was read.
    #[error("job {uuid}: {OUTCOME_UNKNOWN_TEXT}")]
    OutcomeUnknown { uuid: String },
}

impl SendError {
    /// How the step ended, for the summary: failed, or (neither success nor failure) still
    /// running or outcome unknown, in core's words.
    pub fn mark(&self) -> &'static str {
        match self {
            SendError::StillRunning { .. } => jobs::STILL_RUNNING_LABEL,
            SendError::OutcomeUnknown { .. } => OUTCOME_UNKNOWN_LABEL,
            SendError::Fetch(_) | SendError::Job { .. } => "failed",
        }
    }
}

/// Sends `request` and, when ONTAP answers with a job, follows it with core's schedule until
/// it ends or core's bound ([`follow::keep_following`]) is reached; `progress` gets one line
/// per poll (`job UUID: running …`).
pub async fn send(
    clients: &Clients,
    target: &Target,
    request: &Request,
    progress: &dyn Fn(&str),
) -> Result<(), SendError> {
    send_following(clients, target, request, progress, &follow::keep_following).await
}

/// [`send`], polling while `keep(polls so far)`: core's bound, or a short one in tests.
async fn send_following(
    clients: &Clients,
    target: &Target,
    request: &Request,
    progress: &dyn Fn(&str),
    keep: &dyn Fn(u32) -> bool,
) -> Result<(), SendError> {
    let client = clients.client(target)?;
    // ONTAP answers a PATCH with a job link, the record, or an empty body.
    let answer: Option<JobResponse> = call(&client, target, request).await?;
    let Some(uuid) = answer.and_then(|a| a.job).and_then(|j| j.uuid) else {
        return Ok(());
    };
    let mut seen = false;
    let mut polls = 0u32;
    while keep(polls) {
        tokio::time::sleep(Duration::from_millis(jobs::poll_delay_ms(polls))).await;
        polls = polls.saturating_add(1);
        let poll = jobs::get(&uuid);
        let answer = call_raw::<Job>(&client, target, &poll).await?;
        match jobs::interpret_poll(answer, seen) {
            Ok(PollOutcome::Pending(job)) => {
                seen = true;
                progress(&format!("job {uuid}: {}", describe(&job)));
            }
            Ok(PollOutcome::Succeeded(job)) => {
                progress(&format!("job {uuid}: {}", describe(&job)));
                return Ok(());
            }
            Ok(PollOutcome::Expired) => {
                progress(&format!("job {uuid}: {OUTCOME_UNKNOWN_LABEL}"));
                return Err(SendError::OutcomeUnknown { uuid });
            }
            Ok(PollOutcome::Failed { message, code, .. }) => {
                return Err(SendError::Job { message, code });
            }
            Err(e) => return Err(fetch::api_error(&poll, &e).into()),
        }
    }
    progress(&format!("job {uuid}: {}", jobs::STILL_RUNNING_LABEL));
    Err(SendError::StillRunning { uuid })
}

#[cfg(test)]
#[path = "remote_tests.rs"]
mod tests;

fn describe(job: &Job) -> String {
    let state = job
        .state
        .as_ref()
        .and_then(ontap_core::envelope::wire_name)
        .unwrap_or_else(|| "unknown".into());
    match &job.message {
        Some(message) if !message.is_empty() => format!("{state} ({message})"),
        _ => state,
    }
}

async fn call<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    target: &Target,
    request: &Request,
) -> Result<T, FetchError> {
    call_raw(client, target, request)
        .await?
        .map_err(|e| fetch::api_error(request, &e))
}

/// The decoded answer (or ONTAP's refusal); `Err` only when no answer came.
async fn call_raw<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    target: &Target,
    request: &Request,
) -> Result<Result<T, ontap_core::ApiError>, FetchError> {
    let url = fetch::endpoint(&target.url, request);
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut builder = client
        .request(method, url)
        .basic_auth(&target.user, Some(target.password.expose()));
    for (name, value) in request.headers() {
        builder = builder.header(name, value);
    }
    if let Some(body) = request.body_text() {
        builder = builder.body(body);
    }
    let answer = builder.send().await.map_err(|e| fetch::transport(&e))?;
    let status = answer.status().as_u16();
    let body = answer.bytes().await.map_err(|e| fetch::transport(&e))?;
    if body.len() > fetch::MAX_RESPONSE_BYTES {
        return Err(FetchError::Invalid {
            path: request.path.clone(),
            message: format!(
                "the answer is larger than {} bytes",
                fetch::MAX_RESPONSE_BYTES
            ),
        });
    }
    Ok(ontap_core::decode::<T>(
        status,
        &String::from_utf8_lossy(&body),
    ))
}
