//! `ontap-console audit`: audits a fleet of clusters with core's audit (the console's rules),
//! applies the site's policy, and writes one report in the chosen format. Built for shells and
//! CI pipelines: data on stdout (or `--output`), diagnostics on stderr, and an exit code a job
//! can gate on:
//!
//! - 0: no counting finding at or above `--fail-on`;
//! - 1: findings at or above `--fail-on`;
//! - 2: a usage error, or a cluster that could not be audited (each is named on stderr; the
//!   others are still audited and reported). 2 wins over 1: a gate must not pass because the
//!   cluster it could not read might have been the weak one.

pub mod fetch;
pub mod output;
pub mod policy_file;
pub mod simulate;
pub mod targets;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use futures_util::StreamExt;
use ontap_core::audit::{self, Judged, Policy, Severity};

use crate::cli::{ScenarioArg, Trust};
use fetch::{Clients, FetchError};
use output::Format;
use targets::{Target, TargetError};

/// Clusters audited at once unless `--jobs` says otherwise: enough to hide network latency,
/// few enough not to look like an attack to a management network's rate limits.
pub const DEFAULT_JOBS: usize = 16;

/// Exit status: nothing at or above `--fail-on`.
pub const EXIT_PASS: u8 = 0;
/// Exit status: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: a usage error or a cluster that could not be audited.
pub const EXIT_ERROR: u8 = 2;

/// The flags of `audit`.
#[derive(Debug, Clone, clap::Args)]
#[command(group(
    clap::ArgGroup::new("targets")
        .required(true)
        .args(["cluster", "inventory", "simulate"])
))]
pub struct AuditArgs {
    /// A cluster management address (https://MGMT-LIF); repeat for several clusters.
    #[arg(long, value_name = "URL", help_heading = "Targets")]
    pub cluster: Vec<String>,

    /// A TOML file listing the clusters (name, url, user, password_env, ca_file, insecure).
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "cluster",
        help_heading = "Targets"
    )]
    pub inventory: Option<PathBuf>,

    /// Audit the embedded simulated cluster instead, to try the command with no cluster.
    #[arg(long, value_enum, value_name = "SCENARIO", conflicts_with_all = ["cluster", "inventory", "user", "ca_file", "insecure"], help_heading = "Targets")]
    pub simulate: Option<ScenarioArg>,

    /// The user to sign in as [default: admin, or the inventory's]. The password comes from
    /// the inventory's password_env, ONTAP_CONSOLE_PASSWORD, or a prompt on a terminal.
    #[arg(long, help_heading = "Targets")]
    pub user: Option<String>,

    /// Trust only the certificates in this PEM file (the CA, or the cluster's self-signed
    /// certificate) instead of the system's roots.
    #[arg(long, value_name = "PEM", help_heading = "TLS")]
    pub ca_file: Option<PathBuf>,

    /// Do not verify the clusters' TLS certificates; prefer --ca-file.
    #[arg(long, conflicts_with = "ca_file", help_heading = "TLS")]
    pub insecure: bool,

    /// The report's format.
    #[arg(long, value_enum, default_value = "human", help_heading = "Report")]
    pub format: Format,

    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", help_heading = "Report")]
    pub output: Option<PathBuf>,

    /// Exit with 1 when a finding is at or above this severity (critical, high, medium, low,
    /// info).
    #[arg(long, value_name = "SEVERITY", default_value = "high", value_parser = parse_severity, help_heading = "Report")]
    pub fail_on: Severity,

    /// A TOML policy: rules to disable, severities to change, findings accepted until a date.
    #[arg(long, value_name = "FILE", help_heading = "Report")]
    pub policy: Option<PathBuf>,

    /// How many clusters to audit at once.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_JOBS, value_parser = parse_jobs)]
    pub jobs: usize,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
        .map_err(|e: audit::UnknownSeverity| e.to_string())
}

pub(crate) fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err("must be a number from 1 to 1024".to_owned()),
    }
}

/// The audited cluster, as the reports name it.
#[derive(Debug, Clone)]
pub struct Audited {
    pub name: String,
    pub url: String,
    /// `FILE:LINE` of its inventory entry.
    pub declared_in: Option<(String, usize)>,
    pub result: Result<Judged, FetchError>,
}

/// Every cluster's outcome, in the order they were given.
#[derive(Debug, Clone)]
pub struct Fleet {
    pub clusters: Vec<Audited>,
    pub fail_on: Severity,
}

impl Fleet {
    /// The exit status (see the module's documentation).
    pub fn exit_status(&self) -> u8 {
        if self.clusters.iter().any(|c| c.result.is_err()) {
            EXIT_ERROR
        } else if self
            .clusters
            .iter()
            .any(|c| c.result.as_ref().is_ok_and(|j| j.fails(self.fail_on)))
        {
            EXIT_FINDINGS
        } else {
            EXIT_PASS
        }
    }
}

/// Runs `audit` and returns the exit status.
pub async fn run(args: AuditArgs) -> ExitCode {
    match run_checked(args).await {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            eprintln!("ontap-console: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

async fn run_checked(args: AuditArgs) -> Result<u8, String> {
    let policy = match &args.policy {
        Some(path) => policy_file::load(path).map_err(|e| e.to_string())?,
        None => Policy::default(),
    };
    // Kept alive until the audit ends: the simulated cluster's server.
    let mut _simulator = None;
    let targets = match args.simulate {
        Some(scenario) => {
            let (target, server) = simulate::start(scenario).await.map_err(|e| e.to_string())?;
            _simulator = Some(server);
            vec![target]
        }
        None => resolve_targets(&args).map_err(|e| e.to_string())?,
    };
    let clients = Clients::for_targets(&targets).map_err(|e| e.to_string())?;
    let fleet = audit_fleet(&targets, &clients, &policy, args.jobs, args.fail_on).await;
    drop(targets);
    for cluster in &fleet.clusters {
        if let Err(e) = &cluster.result {
            eprintln!(
                "ontap-console: cluster {} ({}) could not be audited: {e}",
                cluster.name, cluster.url
            );
        }
    }
    write_report(&args, &fleet)?;
    Ok(fleet.exit_status())
}

fn resolve_targets(args: &AuditArgs) -> Result<Vec<Target>, TargetError> {
    let trust = match (&args.ca_file, args.insecure) {
        (Some(path), _) => Trust::CaFile(path.clone()),
        (None, true) => Trust::Insecure,
        (None, false) => Trust::SystemRoots,
    };
    targets::with_process_passwords(|passwords| match &args.inventory {
        Some(path) => targets::from_inventory(path, args.user.as_deref(), &trust, passwords),
        None => {
            let user = args.user.as_deref().unwrap_or(targets::DEFAULT_USER);
            targets::from_flags(&args.cluster, user, &trust, passwords)
        }
    })
}

/// Audits every target, `jobs` at a time, with a progress bar on a terminal. Each snapshot is
/// dropped as soon as it is judged: memory grows with the reports, not with what was read.
pub async fn audit_fleet(
    targets: &[Target],
    clients: &Clients,
    policy: &Policy,
    jobs: usize,
    fail_on: Severity,
) -> Fleet {
    let progress = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(targets.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} clusters {msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let now = jiff::Timestamp::now();
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let mut results: Vec<(usize, Result<Judged, FetchError>)> =
        futures_util::stream::iter(targets.iter().enumerate())
            .map(|(index, target)| async move {
                let result = fetch::snapshot(clients, target).await.map(|snapshot| {
                    let report = audit::audit(&snapshot, now);
                    drop(snapshot);
                    // An acceptance names the cluster as the inventory does or as it calls itself.
                    let reported = report.cluster.name.clone().unwrap_or_default();
                    let names = [target.name.as_str(), reported.as_str()];
                    audit::apply(report, &names, policy, today)
                });
                (index, result)
            })
            .buffer_unordered(jobs)
            .inspect(|(index, _)| {
                progress.inc(1);
                progress.set_message(targets[*index].name.clone());
            })
            .collect()
            .await;
    progress.finish_and_clear();
    results.sort_by_key(|(index, _)| *index);
    Fleet {
        clusters: results
            .into_iter()
            .map(|(index, result)| {
                let target = &targets[index];
                Audited {
                    name: target.name.clone(),
                    url: target.url.as_str().trim_end_matches('/').to_owned(),
                    declared_in: target.declared_in.clone(),
                    result,
                }
            })
            .collect(),
        fail_on,
    }
}

fn write_report(args: &AuditArgs, fleet: &Fleet) -> Result<(), String> {
    match &args.output {
        Some(path) => {
            let text = output::render(args.format, fleet, false).map_err(|e| e.to_string())?;
            std::fs::write(path, text)
                .map_err(|e| format!("cannot write the report to {}: {e}", path.display()))
        }
        None => {
            let text = output::render(args.format, fleet, true).map_err(|e| e.to_string())?;
            // anstream drops the colours when stdout is not a terminal or NO_COLOR is set.
            let mut stdout = anstream::stdout();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("cannot write the report: {e}"))
        }
    }
}
