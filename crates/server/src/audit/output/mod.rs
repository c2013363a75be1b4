//! The audit's report formats. Each renders the whole [`Fleet`] to text; `colour` asks for
//! ANSI styles (the human format only; the writer strips them when they must not be shown).

mod human;
mod json;
mod junit;
mod markdown;
mod sarif;

use ontap_core::audit::{Finding, Remedy, Severity, SeverityCounts};

use super::Fleet;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table of clusters by severity, then the findings (colour on a terminal).
    Human,
    /// One document: core's report per cluster, with accepted findings and errors.
    Json,
    /// SARIF 2.1.0, for GitHub and GitLab code scanning.
    Sarif,
    /// JUnit XML, for Jenkins and GitLab test reports.
    Junit,
    /// Markdown, for merge-request comments and job summaries.
    Markdown,
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot render the JSON report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot render the JUnit report: {0}")]
    Junit(#[from] quick_junit::SerializeError),
}

/// The report in `format`.
pub fn render(format: Format, fleet: &Fleet, colour: bool) -> Result<String, RenderError> {
    Ok(match format {
        Format::Human => human::render(fleet, colour),
        Format::Json => json::render(fleet)?,
        Format::Sarif => sarif::render(fleet)?,
        Format::Junit => junit::render(fleet)?,
        Format::Markdown => markdown::render(fleet),
    })
}

/// Findings per severity (not rules: a rule can find several certificates).
fn counts(findings: &[Finding]) -> SeverityCounts {
    let mut counts = SeverityCounts::default();
    for finding in findings {
        let slot = match finding.severity {
            Severity::Critical => &mut counts.critical,
            Severity::High => &mut counts.high,
            Severity::Medium => &mut counts.medium,
            Severity::Low => &mut counts.low,
            Severity::Info => &mut counts.info,
        };
        *slot += 1;
    }
    counts
}

/// Findings most severe first (stable: the audit's order within a severity).
fn by_severity(findings: &[Finding]) -> Vec<&Finding> {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
    sorted
}

/// One line saying how to fix a finding.
fn remedy_line(remedy: &Remedy) -> String {
    match remedy {
        Remedy::Requests { requests, requires } => {
            let sent: Vec<String> = requests
                .iter()
                .map(|r| format!("{} {}", r.method.as_str(), r.path_and_query()))
                .collect();
            let mut line = format!("send {}", sent.join(", then "));
            if !requires.is_empty() {
                line.push_str(&format!(" (after fixing {})", requires.join(", ")));
            }
            line
        }
        Remedy::Manual { steps, page, .. } => {
            format!("{} (console page {page})", steps.join(" "))
        }
    }
}

/// The verdict line every human-readable format ends with.
fn verdict(fleet: &Fleet) -> String {
    let failed = fleet.clusters.iter().filter(|c| c.result.is_err()).count();
    let at_or_above: usize = fleet
        .clusters
        .iter()
        .filter_map(|c| c.result.as_ref().ok())
        .map(|j| {
            j.report
                .findings
                .iter()
                .filter(|f| f.severity >= fleet.fail_on)
                .count()
        })
        .sum();
    let mut line = format!(
        "{} cluster{} audited, {at_or_above} finding{} at or above {}",
        fleet.clusters.len() - failed,
        plural(fleet.clusters.len() - failed),
        plural(at_or_above),
        fleet.fail_on
    );
    if failed > 0 {
        line.push_str(&format!(
            ", {failed} cluster{} could not be audited",
            plural(failed)
        ));
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
