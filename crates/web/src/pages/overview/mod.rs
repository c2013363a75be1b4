//! Overview: the cluster's security posture. Reads what core's audit needs ([`audit::reads`],
//! every page of certificates), runs core's [`audit::audit`] with the browser's clock, and shows
//! the score, the findings grouped by area (each with why, evidence and remedy) and what passed.
//! A finding's fix goes through [`crate::flow`]; "fix everything" sends core's [`audit::plan`]
//! in order; after either, the cluster is read and audited again. Every word about a rule
//! (title, why, severity, remedy) comes from core.

mod facts;
mod findings;
mod plan;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use ontap_core::audit::{self, Report, Severity, Snapshot};
use ontap_core::certificates::Certificate;
use ontap_core::cluster::Cluster;
use ontap_core::ipsec::Ipsec;
use ontap_core::key_managers::KeyManager;
use ontap_core::security::SecurityConfig;

use crate::api::CallError;
use crate::browser::{download, mark, now, performance_now, print};
use crate::flow::{Change, ChangeDialog};
use crate::session::{use_session, Session};
use crate::widgets::{loading, read_view_with};
use plan::{PlanDialog, PlanView};

/// One read of the cluster and its audit, shared without copying.
#[derive(Clone)]
struct Audited {
    /// Which read this is (`data-read`), so that a reader can tell a re-audit from the last.
    read: u32,
    snapshot: Arc<Snapshot>,
    report: Arc<Report>,
}

/// Reads everything the audit judges, with the requests core names.
async fn read_snapshot(session: Session) -> Result<Snapshot, CallError> {
    let reads = audit::reads();
    let cluster: Cluster = session.call(&reads.cluster).await?;
    let security: SecurityConfig = session.call(&reads.security).await?;
    // A release before 9.8 has no IPsec endpoint: the audit then leaves IPsec unjudged.
    let ipsec = match session.call::<Ipsec>(&reads.ipsec).await {
        Ok(ipsec) => Some(ipsec),
        Err(CallError::Api(_)) => None,
        Err(e) => return Err(e),
    };
    let key_managers: Vec<KeyManager> = session.collect(reads.key_managers, |_| ()).await?;
    let certificates: Vec<Certificate> = session.collect(reads.certificates, |_| ()).await?;
    Ok(Snapshot {
        cluster,
        security,
        ipsec,
        key_managers,
        certificates,
    })
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let session = use_session();
    // A plain counter, not an arena value: the reads may end after the page was left (its
    // arena values disposed), and must not fail then.
    let reads = Rc::new(Cell::new(0u32));
    let audited = LocalResource::new(move || {
        let reads = reads.clone();
        async move {
            let snapshot = read_snapshot(session).await?;
            let started = performance_now();
            let report = audit::audit(&snapshot, now());
            // For `cargo xtask bench`: how long core's audit took in this browser.
            mark("__audit_ms", performance_now() - started);
            reads.set(reads.get() + 1);
            Ok::<_, CallError>(Audited {
                read: reads.get(),
                snapshot: Arc::new(snapshot),
                report: Arc::new(report),
            })
        }
    });
    Effect::new(move |_| {
        if audited.with(|a| matches!(a, Some(Ok(_)))) {
            mark("__posture_shown_ms", performance_now());
        }
    });
    let change = RwSignal::new(None::<Change>);
    let plan = RwSignal::new(None::<PlanView>);
    view! {
        <h1>"Security posture"</h1>
        {move || read_view_with(
            audited.get(),
            loading("Reading and auditing the cluster…"),
            Some(Callback::new(move |()| audited.refetch())),
            |a| view! { <Posture audited=a change=change plan=plan/> }.into_any(),
        )}
        <ChangeDialog change=change on_finished=move |_| audited.refetch()/>
        <PlanDialog plan=plan on_finished=move |()| audited.refetch()/>
    }
}

#[component]
fn Posture(
    audited: Audited,
    change: RwSignal<Option<Change>>,
    plan: RwSignal<Option<PlanView>>,
) -> impl IntoView {
    let Audited {
        read,
        snapshot,
        report,
    } = audited;
    let whole_plan = audit::plan(&report);
    let steps = whole_plan.steps.len();
    let expand = RwSignal::new(false);
    let for_plan = (report.clone(), whole_plan.clone());
    let open_plan = move |_| {
        let (report, p) = &for_plan;
        plan.set(Some(PlanView::whole(report, p)));
    };
    let for_export = report.clone();
    let export = move |_| export_json(&for_export);
    let print_all = move |_| {
        expand.set(true);
        // Let the findings open before the browser lays out the printed page.
        spawn_local(async {
            TimeoutFuture::new(50).await;
            print();
        });
    };
    let summary = report.summary;
    let cluster = report.cluster.name.clone().unwrap_or_default();
    let version = report.cluster.version.clone().unwrap_or_default();
    view! {
        <div class="posture" data-testid="posture-read" data-read=read>
            <section class="card posture-head">
                <dl>
                    <dt>"Cluster"</dt><dd data-testid="posture-cluster">{cluster}</dd>
                    <dt>"Version"</dt><dd data-testid="posture-version">{version}</dd>
                    <dt>"Audited at"</dt><dd data-testid="posture-time">{report.audited_at.clone()}</dd>
                </dl>
                <p class="score" data-testid="posture-score">
                    <span data-testid="score-passed">{summary.passed}</span>" of "
                    <span data-testid="score-total">{summary.total}</span>" checks passed"
                </p>
                <ul class="severities">
                    {Severity::ALL.into_iter().map(|s| view! {
                        <li class=format!("sev sev-{s}") data-testid=format!("score-failed-{s}")
                            data-count=summary.failed.get(s)>
                            {format!("{} {s}", summary.failed.get(s))}
                        </li>
                    }).collect_view()}
                </ul>
                <div class="actions no-print">
                    <button type="button" class="primary" data-testid="fix-all"
                        disabled=steps == 0 on:click=open_plan>
                        {format!("Fix everything that can be fixed ({steps} requests)…")}
                    </button>
                    <button type="button" data-testid="export-json" on:click=export>"Export JSON"</button>
                    <button type="button" data-testid="print" on:click=print_all>"Print"</button>
                </div>
            </section>
            <findings::Findings report=report.clone() snapshot=snapshot.clone() plan_of=whole_plan
                change=change plan=plan expand=expand/>
            <findings::Passed report=report/>
            <facts::Facts snapshot=snapshot/>
        </div>
    }
}

/// Offers the report as a JSON file (core's documented schema).
fn export_json(report: &Report) {
    let Ok(json) = serde_json::to_string_pretty(report) else {
        return;
    };
    let name: String = report
        .cluster
        .name
        .as_deref()
        .unwrap_or("cluster")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let stamp: String = report
        .audited_at
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    download(
        &format!("posture-{name}-{stamp}.json"),
        "application/json",
        &json,
    );
}
