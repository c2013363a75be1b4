//! How every change reaches the cluster: a preview (method, path, masked body, curl, current
//! versus new), an explicit confirmation for security-lowering changes, the request, then the
//! job followed live to its end, and the page re-read from the cluster (never an optimistic
//! guess).

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ontap_core::jobs::{self, interpret_poll, poll_delay_ms, Job, PollOutcome};
use ontap_core::{decode, ApiError, JobResponse, Request};
use serde_json::Value;

use crate::api::{Answer, CallError};
use crate::browser::copy_to_clipboard;
use crate::diff::{diff, DiffLine};
use crate::session::{use_session, Session};
use crate::widgets::ErrorBox;

/// A change ready for preview: the request core built and validated, the record it changes
/// (for the current-versus-new lines) and the sentences naming anything that lowers security.
#[derive(Debug, Clone)]
pub struct Change {
    pub title: String,
    pub request: Request,
    pub current: Value,
    pub lowering: Vec<String>,
    /// The heading above those sentences: a lowering or a deletion.
    pub confirm_heading: &'static str,
}

const LOWERING_HEADING: &str = "This change lowers the cluster's security:";
const DESTRUCTIVE_HEADING: &str = "This change removes what it names, and cannot be undone:";

impl Change {
    pub fn new(title: impl Into<String>, request: Request) -> Self {
        Change {
            title: title.into(),
            request,
            current: Value::Null,
            lowering: Vec::new(),
            confirm_heading: LOWERING_HEADING,
        }
    }

    /// The record as the cluster has it now.
    pub fn against(mut self, current: Value) -> Self {
        self.current = current;
        self
    }

    /// Sentences naming what lowers security; each needs the user's explicit confirmation.
    pub fn lowering(mut self, sentences: Vec<String>) -> Self {
        self.lowering = sentences;
        self
    }

    /// Sentences naming what a deletion removes or breaks; each needs the user's explicit
    /// confirmation, as for a lowering.
    pub fn destructive(mut self, sentences: Vec<String>) -> Self {
        self.lowering = sentences;
        self.confirm_heading = DESTRUCTIVE_HEADING;
        self
    }

    fn diff(&self) -> Vec<DiffLine> {
        self.request
            .body
            .as_ref()
            .map(|body| diff(&self.current, body))
            .unwrap_or_default()
    }
}

/// Where a change stands once applied.
#[derive(Debug, Clone)]
enum Stage {
    Preview,
    Sending,
    Following { state: String, message: String },
    Succeeded { message: String, expired: bool },
    Failed(Failure),
}

#[derive(Debug, Clone)]
enum Failure {
    Call(CallError),
    Job { message: String, code: Option<i64> },
}

/// The dialog for `change` (none while it is `None`). `on_finished` runs once the cluster has
/// answered and any job has ended, with the answer when the change succeeded; pages re-read
/// their state there.
#[component]
pub fn ChangeDialog(
    change: RwSignal<Option<Change>>,
    #[prop(into)] on_finished: Callback<Option<Answer>>,
) -> impl IntoView {
    move || {
        change.get().map(|c| {
            view! { <Flow change=c on_close=Callback::new(move |()| change.set(None)) on_finished=on_finished/> }
        })
    }
}

#[component]
fn Flow(
    change: Change,
    on_close: Callback<()>,
    on_finished: Callback<Option<Answer>>,
) -> impl IntoView {
    let session = use_session();
    let stage = RwSignal::new(Stage::Preview);
    let confirmed = RwSignal::new(false);
    let needs_confirmation = !change.lowering.is_empty();
    let request = change.request.clone();
    let curl = request.to_curl(&session.base_url(), &session.user());
    let body = request
        .masked_body()
        .map(|b| serde_json::to_string_pretty(&b).unwrap_or_default());
    let lines = change.diff();

    let apply = move |_| {
        if needs_confirmation && !confirmed.get_untracked() {
            return;
        }
        let request = request.clone();
        stage.set(Stage::Sending);
        spawn_local(async move {
            let (end, answer) = run(session, &request, &|s| {
                stage.try_set(s);
            })
            .await;
            stage.try_set(end);
            on_finished.run(answer);
        });
    };
    let busy = move || matches!(stage.get(), Stage::Sending | Stage::Following { .. });
    let in_preview = move || matches!(stage.get(), Stage::Preview);
    let failed = move || matches!(stage.get(), Stage::Failed(_));
    let retry = apply.clone();
    let curl_copy = curl.clone();

    view! {
        <div class="dialog-backdrop">
        <section class="dialog" data-testid="preview" role="dialog" aria-label=change.title.clone()>
            <h2>{change.title.clone()}</h2>
            <p class="request-line">
                <code data-testid="preview-method">{request_method(&change.request)}</code>" "
                <code data-testid="preview-path">{change.request.path_and_query()}</code>
            </p>
            {(!lines.is_empty()).then(|| view! {
                <table class="diff" data-testid="preview-diff">
                    <thead><tr><th>"Field"</th><th>"Now"</th><th>"After"</th></tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| {
                            let changes = l.changes();
                            view! {
                                <tr class:unchanged=!changes>
                                    <td><code>{l.field}</code></td>
                                    <td>{l.before.unwrap_or_else(|| "(not set)".into())}</td>
                                    <td>{l.after}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {body.map(|b| view! {
                <details open>
                    <summary>"JSON body (secrets masked)"</summary>
                    <pre data-testid="preview-body">{b}</pre>
                </details>
            })}
            <details>
                <summary>"curl"</summary>
                <pre data-testid="preview-curl">{curl}</pre>
                <button type="button" on:click=move |_| copy_to_clipboard(&curl_copy)>"Copy curl"</button>
            </details>
            {needs_confirmation.then(|| view! {
                <div class="lowering" data-testid="preview-confirm-text" role="alert">
                    <p><strong>{change.confirm_heading}</strong></p>
                    <ul>{change.lowering.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ul>
                    <label>
                        <input type="checkbox" data-testid="preview-confirm-check"
                            prop:checked=move || confirmed.get()
                            on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                        " I understand, and I want to make this change."
                    </label>
                </div>
            })}
            <Progress stage=stage/>
            <div class="actions">
                <Show when=in_preview>
                    <button type="button" class="primary" data-testid="preview-apply"
                        disabled=move || needs_confirmation && !confirmed.get()
                        on:click=apply.clone()>"Apply"</button>
                </Show>
                // The same request again, after a failure the cluster may not repeat (busy,
                // a dropped connection): nothing to type again.
                <Show when=failed>
                    <button type="button" class="primary" data-testid="preview-retry"
                        on:click=retry.clone()>"Try again"</button>
                </Show>
                <button type="button" data-testid="preview-cancel" disabled=busy
                    on:click=move |_| on_close.run(())>
                    {move || if in_preview() { "Cancel" } else { "Close" }}
                </button>
            </div>
        </section>
        </div>
    }
}

fn request_method(request: &Request) -> &'static str {
    request.method.as_str()
}

/// The live state of an applied change.
#[component]
fn Progress(stage: RwSignal<Stage>) -> impl IntoView {
    move || match stage.get() {
        Stage::Preview => ().into_any(),
        Stage::Sending => view! {
            <div class="job" data-testid="job-progress" role="status">
                <span data-testid="job-state">"sending"</span>
            </div>
        }
        .into_any(),
        Stage::Following { state, message } => {
            // ONTAP's message often only repeats the state ("Queued"): say it once.
            let message = (!message.eq_ignore_ascii_case(&state)).then_some(message);
            view! {
                <div class="job" data-testid="job-progress" role="status">
                    "Job: "<span data-testid="job-state">{state}</span>" "
                    {message.map(|m| view! { "— "<span data-testid="job-message">{m}</span> })}
                </div>
            }
            .into_any()
        }
        Stage::Succeeded { message, expired } => view! {
            <div class="job done" data-testid="job-done" role="status">
                <span data-testid="job-state">"success"</span>" "
                <span data-testid="job-message">{message}</span>
                {expired.then(|| view! { <span data-testid="job-expired"></span> })}
            </div>
        }
        .into_any(),
        Stage::Failed(Failure::Call(error)) => view! {
            <div class="job failed" data-testid="job-done">
                <span data-testid="job-state">"failure"</span>
                <div data-testid="job-error"><ErrorBox error=error/></div>
            </div>
        }
        .into_any(),
        Stage::Failed(Failure::Job { message, code }) => {
            let meaning = code
                .and_then(|c| u64::try_from(c).ok())
                .and_then(ontap_core::catalog::describe);
            view! {
                <div class="job failed" data-testid="job-done">
                    <span data-testid="job-state">"failure"</span>
                    <div class="error-box" data-testid="job-error" role="alert">
                        <p data-testid="error-message">{message}</p>
                        {code.map(|c| view! { <p>"ONTAP error code "<code data-testid="error-code">{c}</code></p> })}
                        {meaning.map(|m| view! { <p data-testid="error-meaning">"What it means: "{m}</p> })}
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

/// Sends `request` and follows its job to the end, as the dialog does, without a dialog: for a
/// series of changes already previewed together ("fix everything"). `progress` hears the job's
/// state; the result is the job's final message, or what failed (ONTAP's message and code).
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
        Stage::Succeeded { message, .. } => Ok(message),
        Stage::Failed(Failure::Call(e)) => Err(match e.code() {
            Some(code) => format!("{} (ONTAP error {code})", e.message()),
            None => e.message(),
        }),
        Stage::Failed(Failure::Job { message, code }) => Err(match code {
            Some(code) => format!("{message} (ONTAP error {code})"),
            None => message,
        }),
        _ => Err("The change did not finish.".into()),
    }
}

/// Sends the request and follows its job; gives the final stage and, on success, the answer.
async fn run(
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
            expired: false,
        };
        return (stage, Some(answer));
    };
    stage(Stage::Following {
        state: "queued".into(),
        message: String::new(),
    });
    let mut seen = false;
    let mut attempt = 0;
    loop {
        TimeoutFuture::new(poll_delay_ms(attempt) as u32).await;
        attempt = attempt.saturating_add(1);
        let polled: Result<Job, ApiError> = match session.send(&jobs::get(&uuid)).await {
            Ok(a) => decode(a.status, &a.body),
            Err(CallError::Api(e)) => Err(e),
            Err(e) => return (Stage::Failed(Failure::Call(e)), None),
        };
        match interpret_poll(polled, seen) {
            Ok(PollOutcome::Pending(job)) => {
                seen = true;
                stage(Stage::Following {
                    state: job.state.map(|s| state_name(&s)).unwrap_or_default(),
                    message: job.message.unwrap_or_default(),
                });
            }
            Ok(PollOutcome::Succeeded(job)) => {
                let message = job.message.unwrap_or_else(|| "Done.".into());
                return (
                    Stage::Succeeded {
                        message,
                        expired: false,
                    },
                    Some(answer),
                );
            }
            Ok(PollOutcome::Failed { message, code, .. }) => {
                return (Stage::Failed(Failure::Job { message, code }), None)
            }
            Ok(PollOutcome::Expired) => {
                let message = "The job ended before the console saw how (ONTAP keeps finished \
                               jobs only for a while). The page has been read again from the \
                               cluster: check that it shows what you asked for."
                    .to_owned();
                return (
                    Stage::Succeeded {
                        message,
                        expired: true,
                    },
                    Some(answer),
                );
            }
            Err(e) => return (Stage::Failed(Failure::Call(e.into())), None),
        }
    }
}

fn state_name(state: &jobs::JobState) -> String {
    serde_json::to_value(state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
