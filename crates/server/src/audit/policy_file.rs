//! `--policy FILE`: the TOML form of core's [`Policy`] (the rules live in core, so the console
//! could apply the same policy).
//!
//! ```toml
//! disable = ["ipsec.disabled"]
//! [severity]
//! "protocols.telnet" = "critical"
//! [[accept]]
//! rule = "certificate.expired"
//! cluster = "cluster1"
//! subject = "old-web"          # optional: every finding of the rule on the cluster
//! reason = "decommissioned with the SVM, CHG-1234"
//! expires = 2026-06-30
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use ontap_core::audit::{Acceptance, Policy, Severity};
use serde::Deserialize;

use super::targets::{read_bounded, TargetError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    accept: Vec<AcceptEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptEntry {
    rule: String,
    cluster: String,
    subject: Option<String>,
    reason: String,
    expires: DateField,
}

/// A TOML date (`2026-06-30`) or the same in quotes.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DateField {
    Date(toml::value::Datetime),
    Text(String),
}

/// Reads and checks a policy file: every rule it names exists, every acceptance has a reason
/// and a real date.
pub fn load(path: &Path) -> Result<Policy, TargetError> {
    let shown = path.display().to_string();
    let invalid = |message: String| TargetError::Invalid {
        path: shown.clone(),
        message,
    };
    let text = read_bounded(path)?;
    let file: PolicyFile = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    let mut severity = BTreeMap::new();
    for (rule, name) in file.severity {
        let level: Severity = name.parse().map_err(|e| invalid(format!("{rule}: {e}")))?;
        severity.insert(rule, level);
    }
    let mut accept = Vec::with_capacity(file.accept.len());
    for entry in file.accept {
        if entry.reason.trim().is_empty() {
            return Err(invalid(format!(
                "the acceptance of {} on {} has no reason",
                entry.rule, entry.cluster
            )));
        }
        let text = match &entry.expires {
            DateField::Date(date) => date.to_string(),
            DateField::Text(text) => text.clone(),
        };
        let expires = text.parse().map_err(|_| {
            invalid(format!(
                "the acceptance of {} on {}: expires must be a date like 2026-06-30, not {text}",
                entry.rule, entry.cluster
            ))
        })?;
        accept.push(Acceptance {
            rule: entry.rule,
            cluster: entry.cluster,
            subject: entry.subject,
            reason: entry.reason,
            expires,
        });
    }
    let policy = Policy {
        disabled: file.disable,
        severity,
        accept,
    };
    let unknown = policy.check();
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.iter().map(ToString::to_string).collect();
        return Err(invalid(names.join("; ")));
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Policy, TargetError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.toml");
        std::fs::write(&path, text).unwrap();
        load(&path)
    }

    #[test]
    fn every_section_is_read() {
        let policy = load_text(
            r#"
disable = ["ipsec.disabled"]
[severity]
"protocols.telnet" = "critical"
[[accept]]
rule = "certificate.expired"
cluster = "c1"
reason = "CHG-1"
expires = 2026-06-30
[[accept]]
rule = "fips.disabled"
cluster = "c2"
subject = "cluster"
reason = "CHG-2"
expires = "2027-01-31"
"#,
        )
        .unwrap();
        assert_eq!(policy.disabled, ["ipsec.disabled"]);
        assert_eq!(policy.severity["protocols.telnet"], Severity::Critical);
        assert_eq!(policy.accept[0].expires.to_string(), "2026-06-30");
        assert_eq!(policy.accept[1].subject.as_deref(), Some("cluster"));
    }

    #[test]
    fn mistakes_are_refused() {
        for text in [
            "disable = [\"no.such\"]",
            "[severity]\n\"fips.disabled\" = \"urgent\"",
            "[[accept]]\nrule = \"fips.disabled\"\ncluster = \"c\"\nreason = \"\"\nexpires = 2026-01-01",
            "[[accept]]\nrule = \"fips.disabled\"\ncluster = \"c\"\nreason = \"r\"\nexpires = \"soon\"",
            "[[accept]]\nrule = \"fips.disabled\"\ncluster = \"c\"\nreason = \"r\"",
            "unknown = 1",
        ] {
            assert!(load_text(text).is_err(), "{text}");
        }
    }
}
