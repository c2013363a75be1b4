//! The default report: a table of clusters by severity (comfy-table), then each cluster's
//! findings, most severe first, with the evidence and the fix. Styles are ANSI (anstyle); the
//! writer drops them when stdout is not a terminal or `NO_COLOR` is set.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use comfy_table::{presets, CellAlignment, Table};
use ontap_core::audit::Severity;

use super::super::Fleet;
use super::{by_severity, counts, remedy_line, verdict};

fn style(severity: Severity) -> Style {
    let colour = match severity {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Cyan,
        Severity::Info => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

/// `text` in `style` when colour is wanted.
fn paint(text: &str, style: Style, colour: bool) -> String {
    if colour {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

pub fn render(fleet: &Fleet, colour: bool) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    let mut header = vec!["Cluster", "Version"];
    header.extend(Severity::ALL.iter().map(|s| s.name()));
    header.extend(["accepted", "rules passed"]);
    table.set_header(header);
    for cluster in &fleet.clusters {
        let mut row = vec![cluster.name.clone()];
        match &cluster.result {
            Ok(judged) => {
                let report = &judged.report;
                row.push(report.cluster.version.clone().unwrap_or_else(|| "?".into()));
                let counts = counts(&report.findings);
                row.extend(Severity::ALL.iter().map(|s| counts.get(*s).to_string()));
                row.push(judged.accepted.len().to_string());
                row.push(format!(
                    "{}/{}",
                    report.summary.passed, report.summary.total
                ));
            }
            Err(_) => {
                row.push("-".into());
                row.extend(Severity::ALL.iter().map(|_| "-".to_owned()));
                row.extend(["-".to_owned(), "not audited".to_owned()]);
            }
        }
        table.add_row(row);
    }
    for index in 2..2 + Severity::ALL.len() + 1 {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = format!("{table}\n");
    let bold = Style::new().bold();
    for cluster in &fleet.clusters {
        let _ = writeln!(
            out,
            "\n{} ({})",
            paint(&cluster.name, bold, colour),
            cluster.url
        );
        let judged = match &cluster.result {
            Ok(judged) => judged,
            Err(e) => {
                let _ = writeln!(
                    out,
                    "  {} {e}",
                    paint("NOT AUDITED", style(Severity::Critical), colour)
                );
                continue;
            }
        };
        if judged.report.findings.is_empty() && judged.accepted.is_empty() {
            let _ = writeln!(out, "  no findings");
        }
        for finding in by_severity(&judged.report.findings) {
            let label = format!("{:<8}", finding.severity.name().to_uppercase());
            let _ = writeln!(
                out,
                "  {} {} [{}] {}",
                paint(&label, style(finding.severity), colour),
                finding.title,
                finding.rule,
                finding.subject
            );
            for evidence in &finding.evidence {
                let _ = writeln!(out, "           {} = {}", evidence.field, evidence.value);
            }
            let _ = writeln!(out, "           fix: {}", remedy_line(&finding.remedy));
            if let Some(lapsed) = judged
                .lapsed
                .iter()
                .find(|l| l.rule == finding.rule && l.subject == finding.subject)
            {
                let _ = writeln!(
                    out,
                    "           acceptance expired on {} ({}): counts again",
                    lapsed.expired, lapsed.reason
                );
            }
        }
        for accepted in &judged.accepted {
            let finding = &accepted.finding;
            let _ = writeln!(
                out,
                "  {} {} [{}] {}: {} (until {})",
                paint("ACCEPTED", Style::new().dimmed(), colour),
                finding.title,
                finding.rule,
                finding.subject,
                accepted.reason,
                accepted.expires
            );
        }
    }
    let _ = writeln!(out, "\n{}", verdict(fleet));
    out
}
