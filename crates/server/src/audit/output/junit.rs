//! `--format junit`: one test suite per cluster, one test case per rule. A rule with counting
//! findings at or above `--fail-on` is a failure (so the test report and the exit status
//! agree); below it, the case passes with the findings in its output; accepted findings make a
//! skipped case with the reason; a cluster that could not be audited is one errored case.

use ontap_core::audit::Finding;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::super::Fleet;
use super::remedy_line;

fn describe(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} on {}: {}",
                f.severity,
                f.title,
                f.subject,
                remedy_line(&f.remedy)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn render(fleet: &Fleet) -> Result<String, quick_junit::SerializeError> {
    let mut report = Report::new("ontap-console audit");
    for cluster in &fleet.clusters {
        let mut suite = TestSuite::new(cluster.name.as_str());
        let judged = match &cluster.result {
            Ok(judged) => judged,
            Err(e) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(e.to_string());
                let mut case = TestCase::new("audit", status);
                case.set_classname(cluster.name.as_str());
                suite.add_test_case(case);
                report.add_test_suite(suite);
                continue;
            }
        };
        for rule in &judged.report.rules {
            let findings: Vec<&Finding> = judged.report.findings_of(&rule.id).collect();
            let accepted: Vec<_> = judged
                .accepted
                .iter()
                .filter(|a| a.finding.rule == rule.id)
                .collect();
            let failing: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| f.severity >= fleet.fail_on)
                .collect();
            let name = format!("{} {}", rule.id, rule.title);
            let mut case = if !failing.is_empty() {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_type(rule.severity.name());
                status.set_message(format!(
                    "{} finding{} at or above {}",
                    failing.len(),
                    if failing.len() == 1 { "" } else { "s" },
                    fleet.fail_on
                ));
                status.set_description(describe(&findings));
                TestCase::new(name, status)
            } else if findings.is_empty() && !accepted.is_empty() {
                let mut status = TestCaseStatus::skipped();
                let reasons: Vec<String> = accepted
                    .iter()
                    .map(|a| {
                        format!(
                            "accepted on {}: {} (until {})",
                            a.finding.subject, a.reason, a.expires
                        )
                    })
                    .collect();
                status.set_message(reasons.join("; "));
                TestCase::new(name, status)
            } else {
                let mut case = TestCase::new(name, TestCaseStatus::success());
                if !findings.is_empty() {
                    case.set_system_out(format!(
                        "below --fail-on {}:\n{}",
                        fleet.fail_on,
                        describe(&findings)
                    ));
                }
                case
            };
            case.set_classname(cluster.name.as_str());
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string()
}
