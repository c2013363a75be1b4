//! `ontap-console plan -f FILE` and `apply -f FILE`: a settings file (core's
//! [`ontap_core::settings`]) compared with each cluster, validated with ONTAP's codes at the
//! file's lines, and (for `apply`) sent in order, each job followed, stopping at the first
//! failure. Targets are the audit's: `--cluster`, `--inventory`, `--simulate`, or the file's own
//! `[[cluster]]` entries. docs/settings-as-code.md is the user's guide.

mod apply;
mod file;
mod remote;
mod render;
mod secrets;

use std::path::PathBuf;
use std::process::ExitCode;

use ontap_core::settings::{self, Plan, SettingsFile};

use crate::audit::fetch::Clients;
use crate::audit::simulate::{self, Running};
use crate::audit::targets::{self, Target, TargetError};
use crate::cli::{parse_cluster_url, ScenarioArg, Trust};

pub use file::{line_of, load, FileError, Loaded};
pub use secrets::{read_inputs, to_file_with_pems};

/// `plan`: no change (the clusters match the file).
pub const EXIT_NO_CHANGES: u8 = 0;
/// `plan`/`apply`: an error (a bad file, a cluster that could not be read, a failed request, a
/// job still running after core's bound or whose outcome is unknown).
pub const EXIT_FAILED: u8 = 1;
/// `plan`: changes to make (Terraform's `-detailed-exitcode`).
pub const EXIT_CHANGES: u8 = 2;

/// The flags `plan` and `apply` share.
#[derive(Debug, Clone, clap::Args)]
pub struct FileArgs {
    /// The settings file (TOML; see docs/settings-as-code.md).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: PathBuf,
    /// A cluster management address; repeat for several. Without a target flag the file's
    /// `[[cluster]]` entries are used.
    #[arg(long, value_name = "URL", conflicts_with_all = ["inventory", "simulate"])]
    pub cluster: Vec<String>,
    /// Apply the file to every cluster of this inventory (the audit's format).
    #[arg(long, value_name = "FILE", conflicts_with = "simulate")]
    pub inventory: Option<PathBuf>,
    /// The embedded simulated cluster (demo, empty, many, hardened), for trying a file.
    #[arg(long, value_enum, value_name = "SCENARIO")]
    pub simulate: Option<ScenarioArg>,
    /// The user to sign in as [default: admin]; passwords as for `audit`.
    #[arg(long)]
    pub user: Option<String>,
    /// Trust only the certificates in this PEM file.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Do not verify the clusters' TLS certificates; prefer --ca-file.
    #[arg(long, conflicts_with = "ca_file")]
    pub insecure: bool,
    /// Clusters read and planned at once (1 to 1024); requests are still sent one at a time.
    #[arg(long, value_name = "N", default_value_t = crate::audit::DEFAULT_JOBS,
          value_parser = crate::audit::parse_jobs)]
    pub jobs: usize,
    /// How `plan` prints: `human`, or `json` for tools (bodies masked as in the human form).
    #[arg(long, value_enum, default_value = "human")]
    pub format: PlanFormat,
}

/// `plan --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Human,
    Json,
}

/// The flags of `apply`.
#[derive(Debug, Clone, clap::Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub common: FileArgs,
    /// Apply without asking (pipelines). Without it, `apply` asks on a terminal and refuses
    /// when stdin is not one.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// One cluster's plan (or why there is none).
pub struct Planned {
    pub target: Target,
    pub result: Result<Plan, String>,
}

/// Runs `plan`: 0 no changes, 2 changes, 1 error.
pub async fn run_plan(args: FileArgs) -> ExitCode {
    let outcome = async {
        let (loaded, targets, _sim) = prepare(&args).await?;
        let clients = Clients::for_targets(&targets).map_err(|e| e.to_string())?;
        let planned = plan_all(&loaded, targets, &clients, args.jobs).await;
        let status = exit_status(&planned);
        match args.format {
            PlanFormat::Human => print!("{}", render::plans(&planned)),
            PlanFormat::Json => print!("{}", render::plans_json(&planned, status)),
        }
        Ok::<u8, String>(status)
    }
    .await;
    finish(outcome)
}

/// Runs `apply`: 0 when every cluster matches the file afterwards, 1 otherwise.
pub async fn run_apply(args: ApplyArgs) -> ExitCode {
    finish(apply::run(args).await)
}

fn finish(outcome: Result<u8, String>) -> ExitCode {
    match outcome {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            eprintln!("ontap-console: {message}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// 1 when a cluster could not be planned, else 2 when one has changes, else 0.
pub fn exit_status(planned: &[Planned]) -> u8 {
    if planned.iter().any(|p| p.result.is_err()) {
        EXIT_FAILED
    } else if planned
        .iter()
        .any(|p| p.result.as_ref().is_ok_and(|plan| !plan.is_empty()))
    {
        EXIT_CHANGES
    } else {
        EXIT_NO_CHANGES
    }
}

/// The file, the targets, and the simulator kept alive while it is used.
async fn prepare(args: &FileArgs) -> Result<(Loaded, Vec<Target>, Option<Running>), String> {
    let loaded = file::load(&args.file).map_err(|e| e.to_string())?;
    if let Some(scenario) = args.simulate {
        let (target, running) = simulate::start(scenario).await.map_err(|e| e.to_string())?;
        return Ok((loaded, vec![target], Some(running)));
    }
    let targets = resolve(args, &loaded.settings).map_err(|e| e.to_string())?;
    if targets.is_empty() {
        return Err(
            "no cluster: give --cluster, --inventory or --simulate, or list [[cluster]] entries in the file"
                .into(),
        );
    }
    Ok((loaded, targets, None))
}

fn resolve(args: &FileArgs, file: &SettingsFile) -> Result<Vec<Target>, TargetError> {
    let trust = match (&args.ca_file, args.insecure) {
        (Some(path), _) => Trust::CaFile(path.clone()),
        (None, true) => Trust::Insecure,
        (None, false) => Trust::SystemRoots,
    };
    let default_user = args.user.as_deref().unwrap_or(targets::DEFAULT_USER);
    targets::with_process_passwords(|passwords| {
        if let Some(path) = &args.inventory {
            return targets::from_inventory(path, args.user.as_deref(), &trust, passwords);
        }
        if !args.cluster.is_empty() {
            return targets::from_flags(&args.cluster, default_user, &trust, passwords);
        }
        let mut out = Vec::new();
        for entry in &file.cluster {
            let url = parse_cluster_url(&entry.url).map_err(|e| TargetError::Cluster {
                name: entry.name.clone(),
                message: e.message,
            })?;
            let user = entry.user.as_deref().unwrap_or(default_user);
            out.push(Target {
                name: entry.name.clone(),
                url,
                user: user.to_owned(),
                password: passwords.get(user, entry.password_env.as_deref())?,
                trust: trust.clone(),
                declared_in: None,
            });
        }
        Ok(out)
    })
}

/// Plans every target, `jobs` at a time as the audit does; the output keeps the targets' order.
async fn plan_all(
    loaded: &Loaded,
    targets: Vec<Target>,
    clients: &Clients,
    jobs: usize,
) -> Vec<Planned> {
    use futures_util::StreamExt;
    let mut out: Vec<(usize, Planned)> =
        futures_util::stream::iter(targets.into_iter().enumerate())
            .map(|(index, target)| async move {
                let result = match remote::current(clients, &target).await {
                    Err(e) => Err(format!("could not be read: {e}")),
                    Ok(current) => settings::plan_with(&loaded.settings, &current, &loaded.inputs)
                        .map_err(|problems| violations(loaded, &problems)),
                };
                (index, Planned { target, result })
            })
            .buffer_unordered(jobs.max(1))
            .collect()
            .await;
    out.sort_by_key(|(index, _)| *index);
    out.into_iter().map(|(_, planned)| planned).collect()
}

fn violations(loaded: &Loaded, problems: &[settings::FileViolation]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| loaded.describe(p)).collect();
    format!(
        "the file breaks {} rule(s):\n{}",
        lines.len(),
        lines.join("\n")
    )
}

pub use remote::current;

/// The cluster's settings as a file: a header comment, then core's model as TOML. The header
/// names no cluster, so two clusters with the same settings give the same file.
pub fn to_file(current: &settings::Current) -> Result<String, toml::ser::Error> {
    to_file_text(&settings::from_cluster(current), "")
}

/// `file` as TOML after the header and `notes` (comment lines).
fn to_file_text(file: &SettingsFile, notes: &str) -> Result<String, toml::ser::Error> {
    let body = toml::to_string_pretty(file)?;
    Ok(format!(
        "# Cluster security settings, written by `ontap-console get --as-file`.\n\
         # Edit, then `ontap-console plan -f FILE` and `apply -f FILE`. A setting left out is\n\
         # not managed. Format: docs/settings-as-code.md; schema: docs/settings.schema.json.\n\
         {notes}\n\
         {body}"
    ))
}

#[cfg(test)]
mod schema_test;
