//! `--format sarif`: SARIF 2.1.0 (serde-sarif's types), what GitHub and GitLab code scanning
//! read. Every audit rule is a `reportingDescriptor`; every finding a `result` whose level
//! follows its severity (critical and high: error, medium: warning, low and info: note). The
//! location is the cluster's inventory entry (file and line) when there is one, else its URL,
//! with the cluster and subject as a logical location; `partialFingerprints` keep a finding the
//! same alert from run to run. Accepted findings carry an external suppression with the reason.

use std::collections::BTreeMap;

use ontap_core::audit::{self, Finding, Severity};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent, SCHEMA_URL,
};

use super::super::{Audited, Fleet};
use super::remedy_line;

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

fn text(text: impl Into<String>) -> Message {
    Message::builder().text(text.into()).build()
}

fn location(cluster: &Audited, subject: &str) -> Location {
    let (uri, line) = match &cluster.declared_in {
        Some((file, line)) => (file.clone(), Some(*line as i64)),
        None => (cluster.url.clone(), None),
    };
    let artifact = ArtifactLocation::builder().uri(uri).build();
    let physical = match line {
        Some(line) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(Region::builder().start_line(line).build())
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    let logical = LogicalLocation::builder()
        .name(subject.to_owned())
        .fully_qualified_name(format!("{}/{subject}", cluster.name))
        .kind("resource".to_owned())
        .build();
    Location::builder()
        .physical_location(physical)
        .logical_locations(vec![logical])
        .build()
}

fn result(cluster: &Audited, finding: &Finding, suppression: Option<Suppression>) -> SarifResult {
    let message = format!(
        "{}: {} on {} ({}). {} Fix: {}",
        cluster.name,
        finding.title,
        finding.subject,
        finding.severity,
        finding.why,
        remedy_line(&finding.remedy)
    );
    let fingerprints = BTreeMap::from([(
        "ontapFinding/v1".to_owned(),
        format!("{}/{}/{}", cluster.name, finding.rule, finding.subject),
    )]);
    let builder = SarifResult::builder()
        .rule_id(finding.rule.clone())
        .level(level(finding.severity))
        .message(text(message))
        .locations(vec![location(cluster, &finding.subject)])
        .partial_fingerprints(fingerprints);
    match suppression {
        Some(s) => builder.suppressions(vec![s]).build(),
        None => builder.build(),
    }
}

pub fn render(fleet: &Fleet) -> Result<String, serde_json::Error> {
    let rules: Vec<ReportingDescriptor> = audit::rules()
        .iter()
        .map(|rule| {
            ReportingDescriptor::builder()
                .id(rule.id.to_owned())
                .name(rule.id.to_owned())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(rule.title.to_owned())
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(rule.why.to_owned())
                        .build(),
                )
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level(rule.severity)))
                        .build(),
                )
                .build()
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for cluster in &fleet.clusters {
        match &cluster.result {
            Ok(judged) => {
                for finding in &judged.report.findings {
                    results.push(result(cluster, finding, None));
                }
                for accepted in &judged.accepted {
                    let suppression = Suppression::builder()
                        .kind(json!("external"))
                        .justification(format!(
                            "{} (accepted until {})",
                            accepted.reason, accepted.expires
                        ))
                        .build();
                    results.push(result(cluster, &accepted.finding, Some(suppression)));
                }
            }
            Err(e) => notifications.push(
                Notification::builder()
                    .level(json!("error"))
                    .message(text(format!(
                        "cluster {} ({}) could not be audited: {e}",
                        cluster.name, cluster.url
                    )))
                    .build(),
            ),
        }
    }
    let driver = ToolComponent::builder()
        .name("ontap-console".to_owned())
        .version(env!("CARGO_PKG_VERSION").to_owned())
        .rules(rules)
        .build();
    let invocation = Invocation::builder()
        .execution_successful(notifications.is_empty())
        .tool_execution_notifications(notifications)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA_URL.to_owned())
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut text = serde_json::to_string_pretty(&sarif)?;
    text.push('\n');
    Ok(text)
}
