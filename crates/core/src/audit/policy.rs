//! A site's audit policy: rules it does not check, severities it weighs differently, and
//! findings it accepts on a named cluster for a reason until a date. Pure: the command line
//! reads the policy from TOML, the console could from anything; [`apply`] takes "today".
//!
//! An acceptance is a decision with an end: once its date has passed the finding counts again
//! (and is reported with the acceptance that lapsed), so a waiver cannot silently become
//! permanent.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{catalog, Finding, Report, RuleResult, Severity, Summary};

/// What a site decided about the audit's rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    /// Rule ids not checked at all (removed from the report).
    pub disabled: Vec<String>,
    /// Rule id to the severity the site gives it.
    pub severity: BTreeMap<String, Severity>,
    /// Findings accepted on named clusters.
    pub accept: Vec<Acceptance>,
}

/// One accepted finding (or every finding of a rule on a cluster, when `subject` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub rule: String,
    /// The cluster's name: the inventory's name or the name the cluster reports.
    pub cluster: String,
    /// The finding's subject (`cluster`, a certificate's name, ...); `None`: all of the rule's.
    pub subject: Option<String>,
    pub reason: String,
    /// The last day the acceptance holds.
    pub expires: Date,
}

/// A policy entry that names no rule of the audit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the policy names rule \"{rule}\" in {section}, which the audit does not have")]
pub struct UnknownRule {
    pub rule: String,
    /// `disable`, `severity` or `accept`.
    pub section: &'static str,
}

impl Policy {
    /// Every entry that names an unknown rule (a typo would otherwise silently do nothing).
    pub fn check(&self) -> Vec<UnknownRule> {
        let known = |id: &str| catalog::RULES.iter().any(|r| r.id == id);
        let mut unknown = Vec::new();
        let mut note = |rule: &str, section| {
            if !known(rule) {
                unknown.push(UnknownRule {
                    rule: rule.to_owned(),
                    section,
                });
            }
        };
        self.disabled.iter().for_each(|r| note(r, "disable"));
        self.severity.keys().for_each(|r| note(r, "severity"));
        self.accept.iter().for_each(|a| note(&a.rule, "accept"));
        unknown
    }
}

/// A finding the policy accepts, with why and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accepted {
    pub finding: Finding,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day it holds.
    pub expires: String,
}

/// An acceptance that matched a finding but has lapsed: the finding counts again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lapsed {
    pub rule: String,
    pub subject: String,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day it held.
    pub expired: String,
}

/// A report judged under a policy: `report.findings` are the ones that count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judged {
    pub report: Report,
    pub accepted: Vec<Accepted>,
    pub lapsed: Vec<Lapsed>,
}

impl Judged {
    /// A report with no policy.
    pub fn plain(report: Report) -> Judged {
        Judged {
            report,
            accepted: Vec::new(),
            lapsed: Vec::new(),
        }
    }

    /// Whether a counting finding is at or above `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.report.findings.iter().any(|f| f.severity >= threshold)
    }
}

/// Applies `policy` to the report of the cluster known by any of `names`, on `today`.
/// Disabled rules leave the report; severities change on rules and findings alike; accepted
/// findings move to [`Judged::accepted`]; the summary counts what is left.
pub fn apply(report: Report, names: &[&str], policy: &Policy, today: Date) -> Judged {
    let Report {
        schema_version,
        cluster,
        audited_at,
        rules,
        findings,
        ..
    } = report;
    let on_cluster = |a: &&Acceptance| names.iter().any(|n| *n == a.cluster);
    let mut accepted = Vec::new();
    let mut lapsed = Vec::new();
    let mut kept = Vec::new();
    for mut finding in findings {
        if policy.disabled.contains(&finding.rule) {
            continue;
        }
        if let Some(severity) = policy.severity.get(&finding.rule) {
            finding.severity = *severity;
        }
        let matching = policy.accept.iter().filter(on_cluster).find(|a| {
            a.rule == finding.rule && a.subject.as_ref().is_none_or(|s| *s == finding.subject)
        });
        match matching {
            Some(a) if a.expires >= today => accepted.push(Accepted {
                finding,
                reason: a.reason.clone(),
                expires: a.expires.to_string(),
            }),
            Some(a) => {
                lapsed.push(Lapsed {
                    rule: finding.rule.clone(),
                    subject: finding.subject.clone(),
                    reason: a.reason.clone(),
                    expired: a.expires.to_string(),
                });
                kept.push(finding);
            }
            None => kept.push(finding),
        }
    }
    let mut summary = Summary::default();
    let rules: Vec<RuleResult> = rules
        .into_iter()
        .filter(|r| !policy.disabled.contains(&r.id))
        .map(|mut rule| {
            if let Some(severity) = policy.severity.get(&rule.id) {
                rule.severity = *severity;
            }
            rule.findings = kept.iter().filter(|f| f.rule == rule.id).count() as u32;
            rule.passed = rule.findings == 0;
            summary.total += 1;
            if rule.passed {
                summary.passed += 1;
            } else {
                summary.failed.add(rule.severity);
            }
            rule
        })
        .collect();
    Judged {
        report: Report {
            schema_version,
            cluster,
            audited_at,
            summary,
            rules,
            findings: kept,
        },
        accepted,
        lapsed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{audit, Snapshot};
    use jiff::Timestamp;

    fn demo_report() -> Report {
        let mut snapshot = Snapshot::default();
        snapshot.security.management_protocols = serde_json::from_value(
            serde_json::json!({"telnet_enabled": true, "rsh_enabled": true}),
        )
        .unwrap();
        audit(&snapshot, Timestamp::UNIX_EPOCH)
    }

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn no_policy_changes_nothing() {
        let report = demo_report();
        let judged = apply(
            report.clone(),
            &["c1"],
            &Policy::default(),
            day("2026-01-01"),
        );
        assert_eq!(judged.report, report);
        assert!(judged.accepted.is_empty() && judged.lapsed.is_empty());
    }

    #[test]
    fn disable_severity_and_acceptance() {
        let report = demo_report();
        assert!(report.findings.len() >= 2, "{:?}", report.findings);
        let first = report.findings[0].clone();
        let second = report.findings[1].clone();
        let policy = Policy {
            disabled: vec![first.rule.clone()],
            severity: [(second.rule.clone(), Severity::Info)].into(),
            accept: vec![],
        };
        let judged = apply(report.clone(), &["c1"], &policy, day("2026-01-01"));
        assert!(judged.report.findings_of(&first.rule).next().is_none());
        assert!(judged.report.rules.iter().all(|r| r.id != first.rule));
        assert_eq!(judged.report.summary.total, report.summary.total - 1);
        let changed = judged.report.findings_of(&second.rule).next().unwrap();
        assert_eq!(changed.severity, Severity::Info);
        assert!(policy.check().is_empty());
    }

    #[test]
    fn acceptances_hold_until_their_day_on_their_cluster() {
        let report = demo_report();
        let finding = report.findings[0].clone();
        let policy = |expires: &str, cluster: &str| Policy {
            accept: vec![Acceptance {
                rule: finding.rule.clone(),
                cluster: cluster.to_owned(),
                subject: Some(finding.subject.clone()),
                reason: "change 42".to_owned(),
                expires: day(expires),
            }],
            ..Policy::default()
        };
        let held = apply(
            report.clone(),
            &["c1"],
            &policy("2026-03-01", "c1"),
            day("2026-03-01"),
        );
        assert_eq!(held.accepted.len(), 1);
        assert_eq!(held.accepted[0].reason, "change 42");
        assert_eq!(held.report.findings.len(), report.findings.len() - 1);
        assert!(held.report.summary.passed > report.summary.passed);

        let lapsed = apply(
            report.clone(),
            &["c1"],
            &policy("2026-02-28", "c1"),
            day("2026-03-01"),
        );
        assert!(lapsed.accepted.is_empty());
        assert_eq!(lapsed.lapsed.len(), 1);
        assert_eq!(lapsed.lapsed[0].expired, "2026-02-28");
        assert_eq!(lapsed.report.findings, report.findings);

        let elsewhere = apply(
            report.clone(),
            &["c2"],
            &policy("2026-03-01", "c1"),
            day("2026-01-01"),
        );
        assert!(elsewhere.accepted.is_empty() && elsewhere.lapsed.is_empty());
    }

    #[test]
    fn unknown_rules_are_named() {
        let policy = Policy {
            disabled: vec!["no.such-rule".to_owned()],
            ..Policy::default()
        };
        assert_eq!(policy.check()[0].rule, "no.such-rule");
        assert_eq!(policy.check()[0].section, "disable");
    }
}
