//! "Fix everything that can be fixed": the requests of every finding, in dependency order.
//! A finding waits for the rules its remedy `requires`; when one of those needs manual steps
//! (or is itself blocked), the finding is blocked, never attempted.

use serde::{Deserialize, Serialize};

use super::{Remedy, Report};
use crate::request::Request;

/// One request of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanStep {
    /// The rule the request fixes.
    pub rule: String,
    pub subject: String,
    /// The index of the finding in `Report::findings`.
    pub finding: usize,
    pub request: Request,
}

/// A finding whose requests cannot be sent yet, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocked {
    /// The index of the finding in `Report::findings`.
    pub finding: usize,
    pub rule: String,
    pub reason: String,
}

/// The ordered plan.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Plan {
    /// Send in this order; stop at the first failure.
    pub steps: Vec<PlanStep>,
    pub blocked: Vec<Blocked>,
    /// Indices of the findings that need manual steps.
    pub manual: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Pending,
    Planned,
    Blocked,
    Manual,
}

/// Orders the fixes of `report`: each finding's requests come after those of every rule it
/// requires; findings of a rule that cannot be planned block the findings that require it.
pub fn plan(report: &Report) -> Plan {
    let findings = &report.findings;
    let mut state: Vec<State> = findings
        .iter()
        .map(|f| match f.remedy {
            Remedy::Manual { .. } => State::Manual,
            Remedy::Requests { .. } => State::Pending,
        })
        .collect();
    let mut out = Plan {
        manual: (0..findings.len())
            .filter(|i| state[*i] == State::Manual)
            .collect(),
        ..Plan::default()
    };
    // Every pass plans or blocks one finding and starts again from the first, so that the plan
    // keeps the report's order wherever dependencies allow; a pass that changes nothing stops.
    loop {
        let mut progress = false;
        for i in 0..findings.len() {
            if state[i] != State::Pending {
                continue;
            }
            let finding = &findings[i];
            let mut waiting = false;
            let mut reason = None;
            for rule in finding.remedy.requires() {
                for (j, other) in findings.iter().enumerate() {
                    if &other.rule != rule || j == i {
                        continue;
                    }
                    match state[j] {
                        State::Planned => {}
                        State::Pending => waiting = true,
                        State::Manual => {
                            reason.get_or_insert_with(|| {
                                format!(
                                    "needs \"{}\" fixed first ({}: {}), which takes manual steps",
                                    other.title, other.rule, other.subject
                                )
                            });
                        }
                        State::Blocked => {
                            reason.get_or_insert_with(|| {
                                format!(
                                    "needs \"{}\" fixed first ({}), which is blocked",
                                    other.title, other.rule
                                )
                            });
                        }
                    }
                }
            }
            if let Some(reason) = reason {
                state[i] = State::Blocked;
                out.blocked.push(Blocked {
                    finding: i,
                    rule: finding.rule.clone(),
                    reason,
                });
                progress = true;
                break;
            } else if !waiting {
                state[i] = State::Planned;
                if let Remedy::Requests { requests, .. } = &finding.remedy {
                    out.steps.extend(requests.iter().map(|request| PlanStep {
                        rule: finding.rule.clone(),
                        subject: finding.subject.clone(),
                        finding: i,
                        request: request.clone(),
                    }));
                }
                progress = true;
                break;
            }
        }
        if !progress {
            break;
        }
    }
    for (i, s) in state.iter().enumerate() {
        if *s == State::Pending {
            out.blocked.push(Blocked {
                finding: i,
                rule: findings[i].rule.clone(),
                reason: "its requirements wait for each other".to_owned(),
            });
        }
    }
    out
}
