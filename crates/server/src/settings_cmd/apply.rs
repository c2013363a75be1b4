//! `apply`: every cluster planned and shown first (lowering changes named before the question),
//! one confirmation (or `--yes`), then each request in order with a progress line on stderr.
//! The first failure stops everything, and so does a job still running after core's bound or
//! whose outcome is unknown (expired before it was read); the summary says what was applied
//! and what was not, and marks the step that stopped it (failed, still running, outcome
//! unknown).

use std::io::{BufRead, IsTerminal, Read, Write};

use super::remote::{self, SendError};
use super::{
    exit_status, plan_all, prepare, render, ApplyArgs, PlanFormat, EXIT_FAILED, EXIT_NO_CHANGES,
};
use crate::audit::fetch::Clients;

pub(super) async fn run(args: ApplyArgs) -> Result<u8, String> {
    let (loaded, targets, _sim) = prepare(&args.common).await?;
    let clients = Clients::for_targets(&targets).map_err(|e| e.to_string())?;
    let planned = plan_all(&loaded, targets, &clients, args.common.jobs).await;
    match args.common.format {
        PlanFormat::Human => print!("{}", render::plans(&planned)),
        PlanFormat::Json => print!("{}", render::plans_json(&planned, exit_status(&planned))),
    }
    if planned.iter().any(|p| p.result.is_err()) {
        return Err("nothing was applied: a cluster could not be planned (see above)".into());
    }
    let total: usize = planned
        .iter()
        .filter_map(|p| p.result.as_ref().ok())
        .map(|plan| plan.steps.len())
        .sum();
    if total == 0 {
        println!("apply: 0 requests sent: every cluster matches the file");
        return Ok(EXIT_NO_CHANGES);
    }
    let lowering: usize = planned
        .iter()
        .filter_map(|p| p.result.as_ref().ok())
        .map(|plan| plan.lowering().len())
        .sum();
    if !args.yes {
        confirm(total, lowering)?;
    }

    let mut sent = 0usize;
    let mut applied: Vec<String> = Vec::new();
    for p in &planned {
        let Ok(plan) = &p.result else { continue };
        for step in &plan.steps {
            let label = format!(
                "{}: {} {} ({})",
                p.target.name, step.request.method, step.request.path, step.what
            );
            eprintln!("[{}/{total}] {label}", sent + 1);
            let progress = |line: &str| eprintln!("      {line}");
            match remote::send(&clients, &p.target, &step.request, &progress).await {
                Ok(()) => {
                    sent += 1;
                    applied.push(label);
                }
                Err(e) => {
                    let mark = e.mark();
                    eprintln!("ontap-console: {label}: {mark}: {e}");
                    let not_applied = not_applied(&planned, sent + 1);
                    println!("{}", stopped_at(&label, &e));
                    println!("applied ({}):", applied.len());
                    for a in &applied {
                        println!("  {a}");
                    }
                    println!("not applied ({}):", not_applied.len() + 1);
                    println!("  {label} ({mark})");
                    for n in not_applied {
                        println!("  {n}");
                    }
                    return Ok(EXIT_FAILED);
                }
            }
        }
    }
    println!("apply: {sent} requests sent");
    Ok(EXIT_NO_CHANGES)
}

/// The summary's first line: where apply stopped, and why. A step still running or whose
/// outcome is unknown stops apply as a failure does (the next steps may depend on it), but is
/// not called one: it may have been applied, and `plan` shows whether it was.
fn stopped_at(label: &str, error: &SendError) -> String {
    match error {
        SendError::Fetch(_) | SendError::Job { .. } => {
            format!("apply: stopped at the first failure: {label}: {error}")
        }
        SendError::StillRunning { .. } | SendError::OutcomeUnknown { .. } => {
            let step = match error {
                SendError::StillRunning { .. } => "a step still running",
                _ => "a step whose outcome is unknown",
            };
            format!(
                "apply: stopped at {step}: {label}: {error} Run `plan` to see what the \
                 cluster has now."
            )
        }
    }
}

/// The labels of the plan's steps after the first `skip`.
fn not_applied(planned: &[super::Planned], skip: usize) -> Vec<String> {
    planned
        .iter()
        .filter_map(|p| p.result.as_ref().ok().map(|plan| (p, plan)))
        .flat_map(|(p, plan)| {
            plan.steps.iter().map(move |s| {
                format!(
                    "{}: {} {} ({})",
                    p.target.name, s.request.method, s.request.path, s.what
                )
            })
        })
        .skip(skip)
        .collect()
}

/// Asks on the terminal; refuses when stdin is not one (a pipeline must say `--yes`).
fn confirm(total: usize, lowering: usize) -> Result<(), String> {
    if !std::io::stdin().is_terminal() {
        return Err(
            "nothing was applied: stdin is not a terminal, so there is nobody to confirm; \
             review the plan and pass --yes"
                .into(),
        );
    }
    let warning = if lowering > 0 {
        format!(" {lowering} change(s) LOWER SECURITY (listed above).")
    } else {
        String::new()
    };
    eprint!("Send {total} request(s)?{warning} Type yes to apply: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .take(64)
        .read_line(&mut answer)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err("nothing was applied: not confirmed".into())
    }
}
