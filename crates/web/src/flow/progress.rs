//! The live state of an applied change, and how it ended: success, failure, or neither (the
//! job goes on unfollowed, or ended without the console learning how).

use leptos::prelude::*;
use ontap_core::jobs::{OUTCOME_UNKNOWN_LABEL, STILL_RUNNING_LABEL};

use super::follow::{outcome_unknown_text, unfollowed_text, Failure, Stage};
use crate::widgets::ErrorBox;

#[component]
pub(super) fn Progress(stage: RwSignal<Stage>) -> impl IntoView {
    move || match stage.get() {
        Stage::Preview => ().into_any(),
        Stage::Sending => view! {
            <div class="job" data-testid="job-progress" role="status">
                <span data-testid="job-state">"sending"</span>
            </div>
        }
        .into_any(),
        Stage::Following {
            uuid,
            state,
            message,
            ..
        } => {
            // ONTAP's message often only repeats the state ("Queued"): say it once.
            let message = (!message.eq_ignore_ascii_case(&state)).then_some(message);
            view! {
                <div class="job" data-testid="job-progress" role="status">
                    "Job "<code data-testid="job-uuid">{uuid}</code>": "
                    <span data-testid="job-state">{state}</span>" "
                    {message.map(|m| view! { "— "<span data-testid="job-message">{m}</span> })}
                </div>
            }
            .into_any()
        }
        Stage::Succeeded { message } => view! {
            <div class="job done" data-testid="job-done" role="status">
                <span data-testid="job-state">"success"</span>" "
                <span data-testid="job-message">{message}</span>
            </div>
        }
        .into_any(),
        Stage::Unfollowed { uuid, why } => view! {
            <div class="job unknown" data-testid="job-done" role="status">
                <span data-testid="job-state">{STILL_RUNNING_LABEL}</span>
                <p data-testid="job-message">{unfollowed_text(why, &uuid)}</p>
            </div>
        }
        .into_any(),
        Stage::OutcomeUnknown => view! {
            <div class="job unknown" data-testid="job-done" role="status">
                <span data-testid="job-state">{OUTCOME_UNKNOWN_LABEL}</span>
                <p data-testid="job-message">{outcome_unknown_text()}</p>
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
