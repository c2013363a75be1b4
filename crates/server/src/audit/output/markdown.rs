//! `--format markdown`: the same summary and findings as the human report, for merge-request
//! comments and CI job summaries. Cell text is escaped so a value cannot break the table.

use std::fmt::Write;

use ontap_core::audit::Severity;

use super::super::Fleet;
use super::{by_severity, counts, remedy_line, verdict};

/// Escapes what Markdown tables and inline text would interpret.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

pub fn render(fleet: &Fleet) -> String {
    let mut out = String::from("# ONTAP security audit\n\n");
    let severities: Vec<&str> = Severity::ALL.iter().map(|s| s.name()).collect();
    let _ = writeln!(
        out,
        "| Cluster | Version | {} | accepted | rules passed |",
        severities.join(" | ")
    );
    let _ = writeln!(
        out,
        "|---|---|{}---:|---:|",
        "---:|".repeat(severities.len())
    );
    for cluster in &fleet.clusters {
        match &cluster.result {
            Ok(judged) => {
                let counts = counts(&judged.report.findings);
                let cells: Vec<String> = Severity::ALL
                    .iter()
                    .map(|s| counts.get(*s).to_string())
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {}/{} |",
                    esc(&cluster.name),
                    esc(judged.report.cluster.version.as_deref().unwrap_or("?")),
                    cells.join(" | "),
                    judged.accepted.len(),
                    judged.report.summary.passed,
                    judged.report.summary.total
                );
            }
            Err(_) => {
                let _ = writeln!(
                    out,
                    "| {} | - | {}- | not audited |",
                    esc(&cluster.name),
                    "- | ".repeat(severities.len())
                );
            }
        }
    }
    for cluster in &fleet.clusters {
        let _ = writeln!(out, "\n## {} ({})\n", esc(&cluster.name), esc(&cluster.url));
        let judged = match &cluster.result {
            Ok(judged) => judged,
            Err(e) => {
                let _ = writeln!(out, "**Not audited**: {}", esc(&e.to_string()));
                continue;
            }
        };
        if judged.report.findings.is_empty() && judged.accepted.is_empty() {
            out.push_str("No findings.\n");
        }
        for finding in by_severity(&judged.report.findings) {
            let _ = writeln!(
                out,
                "- **{}** {} (`{}`) on {}  \n  Fix: {}",
                finding.severity.name(),
                esc(&finding.title),
                finding.rule,
                esc(&finding.subject),
                esc(&remedy_line(&finding.remedy))
            );
        }
        for accepted in &judged.accepted {
            let _ = writeln!(
                out,
                "- accepted: {} (`{}`) on {}: {} (until {})",
                esc(&accepted.finding.title),
                accepted.finding.rule,
                esc(&accepted.finding.subject),
                esc(&accepted.reason),
                accepted.expires
            );
        }
    }
    let _ = writeln!(out, "\n**{}**", verdict(fleet));
    out
}
