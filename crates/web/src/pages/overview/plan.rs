//! "Fix everything that can be fixed": core's plan shown as its ordered list of requests
//! (method, path, masked body) before anything is sent; on confirmation each is sent in order
//! through [`crate::flow::apply`] (jobs followed), stopping at the first failure, and the
//! dialog says what was done and what was not. Like the change dialog, the dialog is a lazily
//! loaded chunk ([`plan_dialog`]): the posture page shows the plan's size without its code.

use leptos::lazy;
use leptos::prelude::*;
use ontap_core::audit::{Plan, PlanStep, Report};
use ontap_core::Request;

use crate::flow;
use crate::session::use_session;
use crate::widgets::Loading;

/// A plan ready to show: its steps with the title of the finding each fixes, what is left out.
#[derive(Debug, Clone)]
pub struct PlanView {
    title: String,
    steps: Vec<(PlanStep, String)>,
    /// "title (rule): reason" for each finding the plan cannot fix yet.
    blocked: Vec<String>,
    manual: usize,
}

impl PlanView {
    /// Every fix of the report, in core's order.
    pub fn whole(report: &Report, plan: &Plan) -> PlanView {
        let title_of = |i: usize| {
            report
                .findings
                .get(i)
                .map(|f| f.title.clone())
                .unwrap_or_default()
        };
        PlanView {
            title: "Fix everything that can be fixed".into(),
            steps: plan
                .steps
                .iter()
                .map(|s| (s.clone(), title_of(s.finding)))
                .collect(),
            blocked: plan
                .blocked
                .iter()
                .map(|b| format!("{} ({}): {}", title_of(b.finding), b.rule, b.reason))
                .collect(),
            manual: plan.manual.len(),
        }
    }

    /// The requests of one finding (a remedy of several requests).
    pub fn finding(report: &Report, index: usize) -> PlanView {
        let mut view = PlanView::whole(report, &ontap_core::audit::plan(report));
        view.steps.retain(|(s, _)| s.finding == index);
        view.blocked.clear();
        view.manual = 0;
        if let Some(f) = report.findings.get(index) {
            view.title = format!("Fix: {}", f.title);
        }
        view
    }
}

/// Where one request of the plan stands.
#[derive(Debug, Clone, PartialEq)]
enum StepState {
    Waiting,
    Running(String),
    Done(String),
    Failed(String),
    NotSent,
}

impl StepState {
    fn name(&self) -> &'static str {
        match self {
            StepState::Waiting => "waiting",
            StepState::Running(_) => "running",
            StepState::Done(_) => "done",
            StepState::Failed(_) => "failed",
            StepState::NotSent => "not-sent",
        }
    }

    fn text(&self) -> String {
        match self {
            StepState::Waiting => "Not sent yet.".into(),
            StepState::Running(state) => format!("Sending… {state}"),
            StepState::Done(message) => format!("Done: {message}"),
            StepState::Failed(message) => format!("Failed: {message}"),
            StepState::NotSent => "Not sent (an earlier request failed).".into(),
        }
    }
}

/// The dialog for `plan` (none while it is `None`); `on_finished` runs once the last request
/// sent has ended, so that the page audits the cluster again.
#[component]
pub fn PlanDialog(
    plan: RwSignal<Option<PlanView>>,
    #[prop(into)] on_finished: Callback<()>,
) -> impl IntoView {
    move || {
        plan.get().map(|p| {
            let on_close = Callback::new(move |()| plan.set(None));
            view! {
                <Suspense fallback=|| view! { <Loading what="Opening the plan…"/> }>
                    {Suspend::new(plan_dialog(p, on_close, on_finished))}
                </Suspense>
            }
        })
    }
}

/// The dialog itself, in a chunk of its own (see the module's doc).
#[lazy]
fn plan_dialog(plan: PlanView, on_close: Callback<()>, on_finished: Callback<()>) -> AnyView {
    view! { <Steps plan on_close on_finished/> }.into_any()
}

#[component]
fn Steps(plan: PlanView, on_close: Callback<()>, on_finished: Callback<()>) -> impl IntoView {
    let session = use_session();
    let count = plan.steps.len();
    let states = RwSignal::new(vec![StepState::Waiting; count]);
    let started = RwSignal::new(false);
    let finished = RwSignal::new(false);
    let requests: Vec<_> = plan.steps.iter().map(|(s, _)| s.request.clone()).collect();
    // The requests in order, as a local action: it stops at the first failure, and the page
    // audits the cluster again once it has ended.
    let sending = Action::new_local(move |requests: &Vec<Request>| {
        let requests = requests.clone();
        async move {
            for (i, request) in requests.iter().enumerate() {
                let set = move |s: StepState| {
                    states.try_update(|v| v[i] = s);
                };
                set(StepState::Running(String::new()));
                let progress = move |state: String| set(StepState::Running(state));
                match flow::apply(session, request, progress).await {
                    Ok(message) => set(StepState::Done(message)),
                    Err(message) => {
                        set(StepState::Failed(message));
                        states.try_update(|v| {
                            v.iter_mut()
                                .skip(i + 1)
                                .for_each(|s| *s = StepState::NotSent)
                        });
                        break;
                    }
                }
            }
            finished.try_set(true);
            on_finished.run(());
        }
    });
    let send = move |_| {
        if started.get_untracked() {
            return;
        }
        started.set(true);
        sending.dispatch_local(requests.clone());
    };
    let busy = move || started.get() && !finished.get();
    let result = move || {
        states.with(|v| {
            let done = v.iter().filter(|s| matches!(s, StepState::Done(_))).count();
            match v.iter().position(|s| matches!(s, StepState::Failed(_))) {
                None => {
                    format!("All {done} requests succeeded. The cluster has been audited again.")
                }
                Some(i) => format!(
                    "Done: {done} of {count} requests. Stopped at request {} ({}); {} not sent. \
                     The cluster has been audited again.",
                    i + 1,
                    v[i].text(),
                    count - done - 1
                ),
            }
        })
    };
    view! {
        <div class="dialog-backdrop">
        <section class="dialog" data-testid="plan-dialog" role="dialog" aria-label=plan.title.clone()>
            <h2>{plan.title.clone()}</h2>
            <p>"These requests are sent in this order, each after the one before has finished; \
                the first failure stops the rest."</p>
            <ol class="plan">
                {plan.steps.iter().enumerate().map(|(i, (step, title))| {
                    let body = step.request.masked_body()
                        .map(|b| serde_json::to_string_pretty(&b).unwrap_or_default());
                    let state = move || states.with(|v| v.get(i).cloned().unwrap_or(StepState::Waiting));
                    view! {
                        <li data-testid="plan-step" data-state=move || state().name()>
                            <p><strong>{title.clone()}</strong>" — "{step.subject.clone()}</p>
                            <p class="request-line">
                                <code data-testid="plan-step-method">{step.request.method.as_str()}</code>" "
                                <code data-testid="plan-step-path">{step.request.path_and_query()}</code>
                            </p>
                            {body.map(|b| view! { <pre data-testid="plan-step-body">{b}</pre> })}
                            <p data-testid="plan-step-state">{move || state().text()}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(!plan.blocked.is_empty()).then(|| view! {
                <div class="warning" data-testid="plan-blocked">
                    <p>"Not in this plan yet:"</p>
                    <ul>{plan.blocked.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
            {(plan.manual > 0).then(|| view! {
                <p class="hint" data-testid="plan-manual">
                    {format!("{} findings need manual steps: open each finding for its form.", plan.manual)}
                </p>
            })}
            <Show when=move || finished.get()>
                <div class="job done" data-testid="plan-result" role="status">{result}</div>
            </Show>
            <div class="actions">
                <Show when=move || !started.get()>
                    <button type="button" class="primary" data-testid="plan-apply"
                        disabled=count == 0 on:click=send.clone()>
                        {format!("Send these {count} requests")}
                    </button>
                </Show>
                <button type="button" data-testid="plan-close" disabled=busy
                    on:click=move |_| on_close.run(())>
                    {move || if started.get() { "Close" } else { "Cancel" }}
                </button>
            </div>
        </section>
        </div>
    }
}
