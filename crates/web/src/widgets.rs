//! Small building blocks every page uses: loading, empty and error states, and validation
//! messages next to a field.

use leptos::prelude::*;
use ontap_core::{Violation, Violations};

use crate::api::CallError;

/// Shown while a page reads from the cluster.
#[component]
pub fn Loading(
    #[prop(into, default = "Reading from the cluster…".into())] what: String,
) -> impl IntoView {
    view! { <p class="loading" data-testid="loading" role="status">{what}</p> }
}

/// Shown when a list has nothing in it.
#[component]
pub fn Empty(#[prop(into)] message: String) -> impl IntoView {
    view! { <p class="empty" data-testid="empty">{message}</p> }
}

/// A failed call: ONTAP's message, its error code and what the reference says the code means.
/// With `retry`, a "Try again" button (`error-retry`): a cluster that failed a read (busy,
/// restarting, a dropped connection) is asked again without reloading the console, so
/// nothing typed elsewhere on the page is lost.
#[component]
pub fn ErrorBox(
    error: CallError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let code = error.code();
    let meaning = error.documented_meaning();
    let status = match &error {
        CallError::Api(e) => Some(e.status()),
        CallError::Unreachable(_) => None,
    };
    view! {
        <div class="error-box" data-testid="error-box" role="alert">
            <p class="error-message" data-testid="error-message">{error.message()}</p>
            {code.map(|code| view! {
                <p>"ONTAP error code "<code data-testid="error-code">{code}</code>
                   {status.map(|s| format!(" (HTTP {s})"))}</p>
            })}
            {meaning.map(|m| view! {
                <p class="error-meaning" data-testid="error-meaning">"What it means: "{m}</p>
            })}
            {retry.map(|retry| view! {
                <button type="button" data-testid="error-retry"
                    on:click=move |_| retry.run(())>"Try again"</button>
            })}
        </div>
    }
}

/// The validation messages for one field (`field-error-<field>`), nothing when it is fine.
#[component]
pub fn FieldErrors(
    #[prop(into)] violations: Signal<Violations>,
    field: &'static str,
) -> impl IntoView {
    let messages =
        move || violations.with(|v| v.for_field(field).map(describe).collect::<Vec<_>>());
    view! {
        <Show when=move || !messages().is_empty()>
            <ul class="field-errors" data-testid=format!("field-error-{field}")>
                {move || messages().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
        </Show>
    }
}

/// Every violation of a change, for the summary above the review button.
#[component]
pub fn ViolationList(#[prop(into)] violations: Signal<Violations>) -> impl IntoView {
    view! {
        <Show when=move || !violations.with(Violations::is_empty)>
            <div class="violations" data-testid="violations" role="alert">
                <p>"Not sent: the cluster would refuse this change."</p>
                <ul>
                    {move || violations.with(|v| {
                        v.0.iter()
                            .map(|x| view! { <li><code>{x.field.clone()}</code>": "{describe(x)}</li> })
                            .collect_view()
                    })}
                </ul>
            </div>
        </Show>
    }
}

/// A violation as one sentence, with ONTAP's code when the reference names one.
pub fn describe(violation: &Violation) -> String {
    ontap_core::error::with_code(&violation.message, violation.code)
}

/// A labelled checkbox bound to a draft: `checked` is what the draft holds, `set` hears the
/// admin's choice. One component for every switch, so each page states only what it binds.
#[component]
pub fn Checkbox(
    testid: &'static str,
    label: &'static str,
    #[prop(into)] checked: Signal<bool>,
    #[prop(into, default = Signal::stored(false))] disabled: Signal<bool>,
    #[prop(into)] set: Callback<bool>,
) -> impl IntoView {
    view! {
        <label>
            <input type="checkbox" data-testid=testid
                prop:checked=move || checked.get()
                disabled=move || disabled.get()
                on:change=move |ev| set.run(event_target_checked(&ev))/>
            " "{label}
        </label>
    }
}

/// What a page shows for one read from the cluster: loading while it runs, the error when it
/// failed (with "Try again", which runs `retry`), and `ready` with the answer. Every page reads
/// through this (or [`read_view_with`]): a `LocalResource` read with `.get()` and shown here, so
/// that loading, failure and retry look and behave the same everywhere.
pub fn read_view<T>(
    read: Option<Result<T, CallError>>,
    retry: Callback<()>,
    ready: impl FnOnce(T) -> AnyView,
) -> AnyView {
    read_view_with(read, default_loading, Some(retry), ready)
}

/// [`read_view`] with the page's own loading view (a progress count, a sentence saying what is
/// read), and without "Try again" when `retry` is `None`: a read inside a larger page (a
/// section, a dialog) whose failure the page's own reading does not hang on.
pub fn read_view_with<T>(
    read: Option<Result<T, CallError>>,
    loading: impl FnOnce() -> AnyView,
    retry: Option<Callback<()>>,
    ready: impl FnOnce(T) -> AnyView,
) -> AnyView {
    match read {
        None => loading(),
        Some(Err(error)) => match retry {
            Some(retry) => view! { <ErrorBox error=error retry=retry/> }.into_any(),
            None => view! { <ErrorBox error=error/> }.into_any(),
        },
        Some(Ok(value)) => ready(value),
    }
}

/// The usual loading view, for [`read_view_with`].
pub fn default_loading() -> AnyView {
    view! { <Loading/> }.into_any()
}

/// The loading view saying what is read (`Reading the installed certificates…`).
pub fn loading(what: &'static str) -> impl FnOnce() -> AnyView {
    move || view! { <Loading what=what/> }.into_any()
}

/// The end of a form: every violation, then the button that opens the change's preview
/// (disabled while the cluster would refuse the change).
#[component]
pub fn ReviewButton(
    testid: &'static str,
    #[prop(into)] violations: Signal<Violations>,
    #[prop(into)] on_review: Callback<()>,
) -> impl IntoView {
    view! {
        <ViolationList violations=violations/>
        <div class="actions">
            <button type="button" class="primary" data-testid=testid
                disabled=move || !violations.with(Violations::is_empty)
                on:click=move |_| on_review.run(())>"Review…"</button>
        </div>
    }
}
