//! Security posture audit: judges a snapshot of what the cluster's API returns against the
//! rules of NetApp's hardening guide for ONTAP 9 (TR-4569), explains every finding, and says how
//! to fix it: requests built and validated by core's builders, or the manual steps and the
//! console form (prefilled) that do them. [`plan`] orders the fixes that are requests.
//!
//! Pure: the snapshot is read by the caller with [`reads`] (the console and the command line
//! fetch exactly the same things), and "now" is an argument.

pub mod catalog;
mod plan;
pub mod policy;
mod reads;
mod remedy;
mod rules;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::certificates::expiry::format_timestamp;
use crate::certificates::Certificate;
use crate::cluster::Cluster;
use crate::ipsec::Ipsec;
use crate::key_managers::KeyManager;
use crate::security::SecurityConfig;

pub use catalog::RuleInfo;
pub use plan::{plan, Blocked, Plan, PlanStep};
pub use policy::{apply, Acceptance, Accepted, Judged, Lapsed, Policy};
pub use reads::{reads, Reads};
pub use remedy::{Prefill, Remedy};

/// The version of the report's JSON schema; raised only when a field changes meaning or is
/// removed (adding a field or a rule keeps it). See `docs/audit-report.md`.
pub const SCHEMA_VERSION: u32 = 1;

/// How much a finding matters. Ordered: `Critical` is the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Every severity, highest first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The lowercase name used in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a severity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity \"{0}\": expected critical, high, medium, low or info")]
pub struct UnknownSeverity(pub String);

impl FromStr for Severity {
    type Err = UnknownSeverity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownSeverity(s.to_owned()))
    }
}

/// What part of the configuration a rule is about (findings are grouped by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    Fips,
    Tls,
    Protocols,
    Encryption,
    KeyManager,
    Certificate,
    Ipsec,
}

impl Area {
    /// Every area, in report order.
    pub const ALL: [Area; 7] = [
        Area::Fips,
        Area::Tls,
        Area::Protocols,
        Area::Encryption,
        Area::KeyManager,
        Area::Certificate,
        Area::Ipsec,
    ];

    /// A heading for the area.
    pub fn label(self) -> &'static str {
        match self {
            Area::Fips => "FIPS 140",
            Area::Tls => "TLS",
            Area::Protocols => "Management protocols",
            Area::Encryption => "Data at rest encryption",
            Area::KeyManager => "Key managers",
            Area::Certificate => "Certificates",
            Area::Ipsec => "IPsec",
        }
    }
}

/// What the API returned, read with the requests of [`reads`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// `GET /api/cluster`: name and version.
    pub cluster: Cluster,
    /// `GET /api/security`.
    pub security: SecurityConfig,
    /// `GET /api/security/ipsec`; `None` when it could not be read (a release before 9.8).
    pub ipsec: Option<Ipsec>,
    /// Every key manager, with `status` and key-server `connectivity` when they were read.
    pub key_managers: Vec<KeyManager>,
    /// Every certificate, every page.
    pub certificates: Vec<Certificate>,
}

/// The audited cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClusterInfo {
    pub name: Option<String>,
    /// `9.16.1` style.
    pub version: Option<String>,
}

/// How many rules failed, per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
    pub info: u32,
}

impl SeverityCounts {
    /// The count of one severity.
    pub fn get(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    fn add(&mut self, severity: Severity) {
        let slot = match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        };
        *slot += 1;
    }
}

/// The score: rules passed of all, and the failed ones by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Summary {
    pub passed: u32,
    pub total: u32,
    pub failed: SeverityCounts,
}

/// One rule checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleResult {
    pub id: String,
    pub area: Area,
    pub severity: Severity,
    pub title: String,
    pub passed: bool,
    /// How many findings the rule gave (0 when passed).
    pub findings: u32,
}

/// One value seen, as evidence. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The API field (`tls.protocol_versions`, `key_size`, ...).
    pub field: String,
    pub value: String,
}

impl Evidence {
    pub fn new(field: impl Into<String>, value: impl fmt::Display) -> Self {
        Evidence {
            field: field.into(),
            value: value.to_string(),
        }
    }
}

/// One weakness found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's stable id (`tls.min-version`).
    pub rule: String,
    pub area: Area,
    pub severity: Severity,
    pub title: String,
    /// Why it matters, naming the hardening-guide topic.
    pub why: String,
    /// What it is about: `cluster`, a certificate's name, a key manager's SVM or UUID.
    pub subject: String,
    pub evidence: Vec<Evidence>,
    pub remedy: Remedy,
}

/// The audit's result: every rule checked, passed or not, and every finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub cluster: ClusterInfo,
    /// RFC 3339, UTC: the `now` the audit judged against.
    pub audited_at: String,
    pub summary: Summary,
    pub rules: Vec<RuleResult>,
    pub findings: Vec<Finding>,
}

impl Report {
    /// The findings of one rule.
    pub fn findings_of<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.rule == rule)
    }
}

/// Every rule the audit checks.
pub fn rules() -> &'static [RuleInfo] {
    catalog::RULES
}

/// Checks every rule against `snapshot` at `now`.
pub fn audit(snapshot: &Snapshot, now: Timestamp) -> Report {
    let findings = rules::check(snapshot, now);
    // One pass over the findings (sorted by rule) instead of one per rule.
    let mut counts = vec![0u32; catalog::RULES.len()];
    for chunk in findings.chunk_by(|a, b| a.rule == b.rule) {
        if let Some(slot) = counts.get_mut(catalog::position(&chunk[0].rule)) {
            *slot += chunk.len() as u32;
        }
    }
    let mut summary = Summary::default();
    let rules = catalog::RULES
        .iter()
        .zip(counts)
        .map(|(rule, count)| {
            summary.total += 1;
            if count == 0 {
                summary.passed += 1;
            } else {
                summary.failed.add(rule.severity);
            }
            RuleResult {
                id: rule.id.to_owned(),
                area: rule.area,
                severity: rule.severity,
                title: rule.title.to_owned(),
                passed: count == 0,
                findings: count,
            }
        })
        .collect();
    let version = snapshot.cluster.version.as_ref();
    Report {
        schema_version: SCHEMA_VERSION,
        cluster: ClusterInfo {
            name: snapshot.cluster.name.clone(),
            version: version.and_then(|v| v.short().or_else(|| v.full.clone())),
        },
        audited_at: format_timestamp(now),
        summary,
        rules,
        findings,
    }
}

/// A finding of `rule` (its catalog entry gives area, severity, title and why).
pub(crate) fn finding(
    rule: &'static str,
    subject: impl Into<String>,
    evidence: Vec<Evidence>,
    remedy: Remedy,
) -> Finding {
    let info = catalog::info(rule);
    Finding {
        rule: rule.to_owned(),
        area: info.map_or(Area::Fips, |i| i.area),
        severity: info.map_or(Severity::Info, |i| i.severity),
        title: info.map_or(rule, |i| i.title).to_owned(),
        why: info.map_or("", |i| i.why).to_owned(),
        subject: subject.into(),
        evidence,
        remedy,
    }
}
