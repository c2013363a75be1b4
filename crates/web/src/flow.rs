//! How every change reaches the cluster: a preview (method, path, masked body, curl, current
//! versus new), an explicit confirmation for security-lowering changes, the request, then the
//! job followed live to its end (or until the user stops following it, or it runs past
//! core's bound: it then goes on in ONTAP, and the page says where to see it), and the page
//! re-read from the cluster (never an optimistic guess).
//!
//! The dialog is a lazily loaded chunk ([`flow_dialog`]): a page shows its state without it,
//! and the dialog's code (preview, diff, curl, job following) is fetched on the first change
//! the user opens.

use leptos::lazy;
use leptos::prelude::*;
use ontap_core::jobs::Unfollowed;
use ontap_core::Request;
use serde_json::Value;

use crate::api::Answer;
use crate::browser::copy_to_clipboard;
use crate::diff::{diff, DiffLine};
use crate::session::use_session;
use crate::widgets::Loading;

mod follow;
mod progress;

pub use follow::apply;
use follow::{run, unfollowed_text, Stage};
use progress::Progress;

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

/// The dialog for `change` (none while it is `None`). `on_finished` runs once the cluster has
/// answered and any job has ended or is no longer followed, with the cluster's answer when it
/// accepted the change (success, or an outcome not known); pages re-read their state there.
/// Once the dialog is closed on a job that goes on in ONTAP, a notice in the page says where
/// to see it.
#[component]
pub fn ChangeDialog(
    change: RwSignal<Option<Change>>,
    #[prop(into)] on_finished: Callback<Option<Answer>>,
) -> impl IntoView {
    let notice = RwSignal::new(None::<String>);
    view! {
        {move || {
            change.get().map(|change_now| {
                let on_close = Callback::new(move |()| change.set(None));
                let args = FlowArgs { change: change_now, notice, on_close, on_finished };
                view! {
                    <Suspense fallback=|| view! { <Loading what="Opening the change…"/> }>
                        {Suspend::new(flow_dialog(args))}
                    </Suspense>
                }
            })
        }}
        {move || notice.get().map(|text| view! {
            <div class="job unknown notice" data-testid="job-notice" role="status">
                <p data-testid="job-notice-text">{text}</p>
                <button type="button" data-testid="job-notice-dismiss"
                    on:click=move |_| notice.set(None)>"Dismiss"</button>
            </div>
        })}
    }
}

/// What [`ChangeDialog`] hands the lazily loaded dialog.
struct FlowArgs {
    change: Change,
    notice: RwSignal<Option<String>>,
    on_close: Callback<()>,
    on_finished: Callback<Option<Answer>>,
}

/// The dialog itself, in a chunk of its own (see the module's doc).
#[lazy]
fn flow_dialog(args: FlowArgs) -> AnyView {
    let FlowArgs {
        change,
        notice,
        on_close,
        on_finished,
    } = args;
    view! { <Flow change notice on_close on_finished/> }.into_any()
}

#[component]
fn Flow(
    change: Change,
    notice: RwSignal<Option<String>>,
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

    // The change and its job, as an action: its pending state is the dialog's busy state, and
    // aborting it drops the future (no more polls) when the user stops following.
    let applying = Action::new_local(move |request: &Request| {
        let request = request.clone();
        async move {
            let (end, answer) = run(session, &request, &|s| {
                stage.try_set(s);
            })
            .await;
            stage.try_set(end);
            on_finished.run(answer);
        }
    });
    let in_flight = StoredValue::new(None);
    let apply = move |_| {
        if needs_confirmation && !confirmed.get_untracked() {
            return;
        }
        notice.set(None);
        stage.set(Stage::Sending);
        in_flight.set_value(Some(applying.dispatch_local(request.clone())));
    };
    // The job goes on in ONTAP: stop polling, close, and say in the page where to see it.
    let stop = move |_| {
        let Stage::Following { uuid, accepted, .. } = stage.get_untracked() else {
            return;
        };
        if let Some(handle) = in_flight.try_update_value(Option::take).flatten() {
            handle.abort();
        }
        notice.set(Some(unfollowed_text(Unfollowed::Stopped, &uuid)));
        on_finished.run(Some(accepted));
        on_close.run(());
    };
    let close = move |_| {
        if let Stage::Unfollowed { uuid, why } = stage.get_untracked() {
            notice.set(Some(unfollowed_text(why, &uuid)));
        }
        on_close.run(());
    };
    let busy = move || applying.pending().get();
    let following = move || matches!(stage.get(), Stage::Following { .. });
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
                // The job goes on in ONTAP whatever the console does: the user need not wait.
                <Show when=following>
                    <button type="button" data-testid="preview-stop" on:click=stop>
                        "Stop following"
                    </button>
                </Show>
                <button type="button" data-testid="preview-cancel" disabled=busy
                    on:click=close>
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
