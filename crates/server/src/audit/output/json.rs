//! `--format json`: core's report (`docs/audit-report.md`) per cluster, with the accepted and
//! lapsed findings of the policy, or the reason the cluster could not be audited.

use serde::Serialize;

use ontap_core::audit::{Accepted, Lapsed, Report, Severity};

use super::super::fetch::FetchError;
use super::super::Fleet;

/// The version of this fleet document (the per-cluster report has its own).
pub const FLEET_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    fail_on: Severity,
    exit_status: u8,
    clusters: Vec<Cluster<'a>>,
}

#[derive(Serialize)]
struct Cluster<'a> {
    name: &'a str,
    url: &'a str,
    audited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted: Option<&'a [Accepted]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lapsed: Option<&'a [Lapsed]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a FetchError>,
}

pub fn render(fleet: &Fleet) -> Result<String, serde_json::Error> {
    let clusters = fleet
        .clusters
        .iter()
        .map(|c| {
            let judged = c.result.as_ref().ok();
            Cluster {
                name: &c.name,
                url: &c.url,
                audited: judged.is_some(),
                report: judged.map(|j| &j.report),
                accepted: judged.map(|j| j.accepted.as_slice()),
                lapsed: judged.map(|j| j.lapsed.as_slice()),
                error: c.result.as_ref().err(),
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&Document {
        schema_version: FLEET_SCHEMA_VERSION,
        fail_on: fleet.fail_on,
        exit_status: fleet.exit_status(),
        clusters,
    })?;
    text.push('\n');
    Ok(text)
}
