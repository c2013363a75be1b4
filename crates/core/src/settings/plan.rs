//! From a file and the cluster's records to a validated plan: the changes, which of them lower
//! security (with the domain's own sentence), and the requests in the order they are sent, each
//! built by the domain's builder. A file that breaks a rule gives every violation at once, keyed
//! by the file's key and carrying ONTAP's code.

use serde::Serialize;

use super::diff::{diff, Change, Current};
use super::managed::Inputs;
use super::model::SettingsFile;
use crate::ipsec::{self, Ipsec};
use crate::request::Request;
use crate::security::{
    self, Fips, ManagementProtocols, SecurityConfig, SoftwareDataEncryption, Tls,
};
use crate::validation::Violations;

/// One request of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// What it changes, e.g. `cluster security` or `IPsec`.
    pub what: &'static str,
    /// The request, built and validated by the domain's builder.
    pub request: Request,
    /// One sentence per part of this request that lowers security (empty when none).
    pub lowering: Vec<String>,
}

/// What applying a file to one cluster would do.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub steps: Vec<Step>,
}

impl Plan {
    /// Nothing differs: applying the file sends no request.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Every security-lowering sentence of the plan, in the order of its steps.
    pub fn lowering(&self) -> Vec<&str> {
        self.steps
            .iter()
            .flat_map(|s| s.lowering.iter().map(String::as_str))
            .collect()
    }
}

/// A rule the file breaks, named by the file's key (e.g. `security.tls.protocol_versions[1]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileViolation {
    pub key: String,
    pub message: String,
    /// The ONTAP error code the cluster would answer with, where the reference names one.
    pub code: Option<u64>,
}

/// Validates `desired` against `current` and builds the plan. The whole file is checked, not
/// only what changes: a file that would be refused on a fresh cluster is wrong even when this
/// cluster already matches it.
pub fn plan(desired: &SettingsFile, current: &Current) -> Result<Plan, Vec<FileViolation>> {
    plan_with(desired, current, &Inputs::default())
}

/// [`plan`] with what the tool read for the file's secrets and PEM files ([`Inputs`]); key
/// managers and certificates are planned after the settings, certificates first.
pub fn plan_with(
    desired: &SettingsFile,
    current: &Current,
    inputs: &Inputs,
) -> Result<Plan, Vec<FileViolation>> {
    let mut changes = diff(desired, current);
    let mut problems = Vec::new();
    let mut steps = Vec::new();

    if let Some(whole) = desired_security(desired) {
        collect(&mut problems, "security", security::validate_patch(&whole));
    }
    let change = security_change(&changes);
    if change != SecurityConfig::default() {
        collect(
            &mut problems,
            "security",
            security::validate_patch_against(&change, &current.security),
        );
        let lowering = security::lowering_changes(&change, &current.security);
        match security::patch(&change, None) {
            Ok(request) => steps.push(Step {
                what: "cluster security",
                request,
                lowering,
            }),
            Err(v) => collect(&mut problems, "security", Err(v)),
        }
    }

    if let Some(want) = &desired.ipsec {
        let whole = Ipsec {
            enabled: want.enabled,
            replay_window: want.replay_window,
            offload_enabled: want.offload_enabled,
            ..Ipsec::default()
        };
        collect(&mut problems, "ipsec", ipsec::validate_patch(&whole));
        if let Some(release) = &current.release {
            collect(
                &mut problems,
                "ipsec",
                ipsec::validate_patch_for_release(&whole, release),
            );
        }
    }
    let change = ipsec_change(&changes);
    if change != Ipsec::default() {
        let now = current.ipsec.clone().unwrap_or_default();
        let lowering = ipsec::lowering_changes(&change, &now);
        match ipsec::patch(&change, None) {
            Ok(request) => steps.push(Step {
                what: "IPsec",
                request,
                lowering,
            }),
            Err(v) => collect(&mut problems, "ipsec", Err(v)),
        }
    }

    super::objects::plan_objects(
        desired,
        current,
        inputs,
        &mut changes,
        &mut steps,
        &mut problems,
    );

    if problems.is_empty() {
        Ok(Plan { changes, steps })
    } else {
        Err(problems)
    }
}

/// Adds each violation once (the body rules and the rules against the cluster overlap).
pub(super) fn collect(out: &mut Vec<FileViolation>, section: &str, result: Result<(), Violations>) {
    let Err(violations) = result else { return };
    for v in violations.0 {
        let found = FileViolation {
            key: format!("{section}.{}", v.field),
            message: v.message,
            code: v.code,
        };
        if !out.contains(&found) {
            out.push(found);
        }
    }
}

/// The file's whole `[security]` section as a PATCH body, for the rules on the body alone.
fn desired_security(desired: &SettingsFile) -> Option<SecurityConfig> {
    let s = desired.security.as_ref()?;
    Some(SecurityConfig {
        fips: s.fips.as_ref().map(|f| Fips {
            enabled: f.enabled,
            ..Fips::default()
        }),
        tls: s.tls.as_ref().map(|t| Tls {
            protocol_versions: t.protocol_versions.clone(),
            cipher_suites: t.cipher_suites.clone(),
            ..Tls::default()
        }),
        management_protocols: s
            .management_protocols
            .as_ref()
            .map(|p| ManagementProtocols {
                telnet_enabled: p.telnet_enabled,
                rsh_enabled: p.rsh_enabled,
                ..ManagementProtocols::default()
            }),
        software_data_encryption: s.software_data_encryption.as_ref().map(|e| {
            SoftwareDataEncryption {
                disabled_by_default: e.disabled_by_default,
                ..SoftwareDataEncryption::default()
            }
        }),
        ..SecurityConfig::default()
    })
}

/// The PATCH body carrying only the changed security settings.
fn security_change(changes: &[Change]) -> SecurityConfig {
    let mut body = serde_json::Map::new();
    for c in changes {
        if let Some(path) = c.key.strip_prefix("security.") {
            let (section, field) = path.split_once('.').unwrap_or((path, ""));
            let entry = body
                .entry(section.to_owned())
                .or_insert_with(|| serde_json::json!({}));
            if let Some(map) = entry.as_object_mut() {
                map.insert(field.to_owned(), c.new.clone());
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(body)).unwrap_or_default()
}

/// The PATCH body carrying only the changed IPsec settings.
fn ipsec_change(changes: &[Change]) -> Ipsec {
    let mut body = serde_json::Map::new();
    for c in changes {
        if let Some(field) = c.key.strip_prefix("ipsec.") {
            body.insert(field.to_owned(), c.new.clone());
        }
    }
    serde_json::from_value(serde_json::Value::Object(body)).unwrap_or_default()
}
