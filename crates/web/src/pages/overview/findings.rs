//! The findings, grouped by area, each expandable to why, evidence and remedy; and the rules
//! that passed. A remedy of requests opens the change dialog (or, when it is several requests,
//! their plan); a manual remedy links to the page that does it, its form prefilled.

use std::sync::Arc;

use leptos::prelude::*;
use ontap_core::audit::{Area, Finding, Plan, Remedy, Report, Snapshot};
use ontap_core::Request;
use serde_json::Value;

use super::plan::PlanView;
use crate::flow::Change;
use crate::prefill;

/// The kebab-case name core's JSON gives an area (for test ids and classes).
fn area_id(area: Area) -> String {
    ontap_core::envelope::wire_name(&area).unwrap_or_default()
}

#[component]
pub fn Findings(
    report: Arc<Report>,
    snapshot: Arc<Snapshot>,
    plan_of: Plan,
    change: RwSignal<Option<Change>>,
    plan: RwSignal<Option<PlanView>>,
    expand: RwSignal<bool>,
) -> impl IntoView {
    if report.findings.is_empty() {
        return view! {
            <section class="card" data-testid="no-findings"><p>"No weakness found."</p></section>
        }
        .into_any();
    }
    let plan_of = Arc::new(plan_of);
    Area::ALL
        .into_iter()
        .filter_map(|area| {
            let items: Vec<usize> = (0..report.findings.len())
                .filter(|i| report.findings[*i].area == area)
                .collect();
            if items.is_empty() {
                return None;
            }
            let count = items.len();
            let list = items
                .into_iter()
                .map(|i| {
                    view! {
                        <FindingItem index=i report=report.clone() snapshot=snapshot.clone()
                            plan_of=plan_of.clone() change=change plan=plan expand=expand/>
                    }
                })
                .collect_view();
            Some(view! {
                <section class="card area" data-testid=format!("area-{}", area_id(area))>
                    <h2>{format!("{} ({count})", area.label())}</h2>
                    {list}
                </section>
            })
        })
        .collect_view()
        .into_any()
}

/// The rules `finding` requires that still have findings, as "title (rule)".
fn waiting_for(report: &Report, finding: &Finding) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for rule in finding.remedy.requires() {
        if let Some(other) = report.findings.iter().find(|f| &f.rule == rule) {
            let text = format!("{} ({})", other.title, other.rule);
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}

/// What the cluster has now for the record `request` changes (for the dialog's diff).
fn current_for(request: &Request, snapshot: &Snapshot) -> Value {
    let record = if request.path.starts_with("/api/security/ipsec") {
        serde_json::to_value(&snapshot.ipsec)
    } else if request.path == "/api/security" {
        serde_json::to_value(&snapshot.security)
    } else {
        Ok(Value::Null)
    };
    record.unwrap_or(Value::Null)
}

#[component]
fn FindingItem(
    index: usize,
    report: Arc<Report>,
    snapshot: Arc<Snapshot>,
    plan_of: Arc<Plan>,
    change: RwSignal<Option<Change>>,
    plan: RwSignal<Option<PlanView>>,
    expand: RwSignal<bool>,
) -> impl IntoView {
    let finding = report.findings[index].clone();
    let rule = finding.rule.clone();
    let severity = finding.severity;
    let waiting = waiting_for(&report, &finding);
    let blocked_reason = plan_of
        .blocked
        .iter()
        .find(|b| b.finding == index)
        .map(|b| b.reason.clone());
    let blocked = !waiting.is_empty();
    let kind = match finding.remedy {
        Remedy::Requests { .. } => "requests",
        Remedy::Manual { .. } => "manual",
    };
    let remedy = match finding.remedy.clone() {
        Remedy::Requests { requests, .. } => {
            let fix = {
                let (title, report, snapshot) =
                    (finding.title.clone(), report.clone(), snapshot.clone());
                let requests = requests.clone();
                move |_| {
                    if let [request] = &requests[..] {
                        change.set(Some(
                            Change::new(format!("Fix: {title}"), request.clone())
                                .against(current_for(request, &snapshot)),
                        ));
                    } else {
                        plan.set(Some(PlanView::finding(&report, index)));
                    }
                }
            };
            view! {
                <ul class="requests">
                    {requests.iter().map(|r| view! {
                        <li><code>{r.method.as_str()}</code>" "<code>{r.path_and_query()}</code></li>
                    }).collect_view()}
                </ul>
                {blocked.then(|| view! {
                    <p class="hint" data-testid=format!("finding-blocked-{rule}")>
                        "Fix first: "{waiting.join("; ")}"."
                        {blocked_reason.map(|r| format!(" Not possible yet: it {r}."))}
                    </p>
                })}
                <div class="actions no-print">
                    <button type="button" class="primary" data-testid=format!("finding-fix-{rule}")
                        disabled=blocked on:click=fix>"Fix…"</button>
                </div>
            }
            .into_any()
        }
        Remedy::Manual {
            steps,
            page,
            prefill,
        } => {
            let href = prefill::href(&page, prefill.as_ref());
            let label = if prefill.is_some() {
                "Open the form, prefilled"
            } else {
                "Open the page"
            };
            view! {
                <ol class="steps">{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
                <p class="no-print"><a href=href data-testid=format!("finding-open-{rule}")>{label}</a></p>
            }
            .into_any()
        }
    };
    view! {
        <details class=format!("finding sev-{severity}") data-testid=format!("finding-{rule}")
            data-subject=finding.subject.clone() data-remedy=kind data-blocked=blocked.to_string()
            prop:open=move || expand.get()>
            <summary>
                <span class=format!("sev sev-{severity}")>{severity.name()}</span>" "
                <strong>{finding.title.clone()}</strong>" — "<span class="subject">{finding.subject.clone()}</span>
            </summary>
            <p class="why">{finding.why.clone()}</p>
            <h3>"Evidence"</h3>
            <dl class="evidence">
                {finding.evidence.iter().map(|e| view! {
                    <dt><code>{e.field.clone()}</code></dt><dd>{e.value.clone()}</dd>
                }).collect_view()}
            </dl>
            <h3>"Remedy"</h3>
            {remedy}
        </details>
    }
}

/// The rules that passed.
#[component]
pub fn Passed(report: Arc<Report>) -> impl IntoView {
    let passed: Vec<_> = report.rules.iter().filter(|r| r.passed).cloned().collect();
    view! {
        <section class="card passed" data-testid="passed">
            <h2>{format!("Passed ({})", passed.len())}</h2>
            <ul>
                {passed.into_iter().map(|r| view! {
                    <li data-testid=format!("passed-{}", r.id)>
                        <span class=format!("sev sev-{}", r.severity)>{r.severity.name()}</span>" "{r.title}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
