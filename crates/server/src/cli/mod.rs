//! The command line: `ontap-console serve [flags]`, parsed with clap and checked into a
//! [`Settings`] that says which backend answers `/api`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

/// Serves the ONTAP security console, and audits clusters from the command line.
#[derive(Debug, Parser)]
#[command(name = "ontap-console", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size of `serve`'s flags next to `site-config`'s does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console. `/api` is answered by an embedded simulated cluster, or, with
    /// `--cluster`, forwarded to a real one.
    Serve(ServeArgs),
    /// Audit clusters against NetApp's hardening guide (the console's rules) and exit with a
    /// status a CI job can gate on: 0 pass, 1 findings at or above --fail-on, 2 usage error or
    /// a cluster that could not be audited.
    Audit(crate::audit::AuditArgs),
    /// Read what the audit reads (security, ipsec, key-managers, certificates), for scripts;
    /// `--as-file` prints the cluster's settings as a settings file for `plan` and `apply`.
    Get(crate::get::GetArgs),
    /// Compare a settings file with clusters: what would change, what lowers security, the
    /// requests. Exit 0 no changes, 2 changes, 1 error.
    Plan(crate::settings_cmd::FileArgs),
    /// Make clusters match a settings file: the plan, a confirmation (or --yes), the requests
    /// in order; stops at the first failure.
    Apply(crate::settings_cmd::ApplyArgs),
    /// Print an example `console.json` (named clusters, banner, pages offered) for a site that
    /// serves the console, or check one with --check (exit 2 with the reason).
    SiteConfig(crate::site::SiteConfigArgs),
}

/// The flags of `serve`. Mode-specific flags are `Option`s so that giving one in the wrong mode
/// can be refused rather than silently ignored; their defaults are applied in [`ServeArgs::check`].
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on. Port 0 picks a free port (the banner shows which).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Folder of the built console (trunk's `dist/`). When it is missing the API still works and
    /// `/` explains how to build the console.
    #[arg(long, value_name = "DIR", default_value = "dist")]
    pub ui: PathBuf,

    /// Forward `/api` to this cluster management address (`https://MGMT-LIF`) instead of the
    /// simulator. Sign in with the cluster's own credentials in the browser.
    #[arg(long, value_name = "URL", help_heading = "Real cluster")]
    pub cluster: Option<String>,

    /// Trust only the certificates in this PEM file instead of the system's roots: the CA that
    /// signed the cluster's certificate, or the cluster's own self-signed certificate.
    #[arg(long, value_name = "PEM", help_heading = "Real cluster")]
    pub ca_file: Option<PathBuf>,

    /// Do not verify the cluster's TLS certificate. Anyone on the network path
    /// can then read the credentials; prefer --ca-file.
    #[arg(long, help_heading = "Real cluster")]
    pub insecure: bool,

    /// The user to sign in as [default: admin].
    #[arg(long, help_heading = "Simulator")]
    pub user: Option<String>,

    /// The password [default: a random one, printed at start].
    #[arg(
        long,
        env = "ONTAP_CONSOLE_PASSWORD",
        hide_env_values = true,
        help_heading = "Simulator"
    )]
    pub password: Option<String>,

    /// Keep the cluster's state in this file across restarts.
    #[arg(long, value_name = "FILE", help_heading = "Simulator")]
    pub state: Option<PathBuf>,

    /// The cluster to start with when there is no state file [default: demo].
    #[arg(long, value_enum, help_heading = "Simulator")]
    pub scenario: Option<ScenarioArg>,

    /// How long simulated jobs run, in seconds; 0 finishes them at once [default: 3].
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Simulator"
    )]
    pub job_seconds: Option<f64>,

    /// The ONTAP release the simulated cluster answers as: fields a release did not have are
    /// absent [default: 9.16].
    #[arg(long, value_enum, value_name = "RELEASE", help_heading = "Simulator")]
    pub ontap_version: Option<ReleaseArg>,

    /// Inject faults, e.g. `latency=300ms,error=503:0.2,drop=0.1,job-failure=0.5,
    /// unauthorized-after=20,path=/api/security,seed=7` (docs/hardening.md). Off by default;
    /// changed at run time through /api/private/simulator/faults.
    #[arg(long, value_name = "SPEC", help_heading = "Simulator")]
    pub faults: Option<String>,

    /// Send CORS headers on /api for this one origin (e.g. http://127.0.0.1:8081),
    /// to test direct cross-origin calls. Off by default.
    #[arg(long, value_name = "ORIGIN", help_heading = "Simulator")]
    pub cors_origin: Option<String>,

    /// Serve this file as the console's `/console.json` (named clusters for the sign-in form,
    /// a banner, the pages offered; `ontap-console site-config` prints an example). Checked at
    /// start: a file the console would refuse stops `serve` with the reason.
    #[arg(long, value_name = "FILE", help_heading = "Site")]
    pub site_config: Option<PathBuf>,

    /// The path the browser sees the console under when a proxy in front strips it, e.g.
    /// /storage/security/: written into index.html's `<base href>`, so assets, links and `api/`
    /// resolve under it [default: /].
    #[arg(long, value_name = "PATH", help_heading = "Site")]
    pub base_path: Option<String>,

    #[command(flatten)]
    pub connections: crate::listen::ListenArgs,

    #[command(flatten)]
    pub https: crate::https::HttpsArgs,

    #[command(flatten)]
    pub sessions: crate::session::SessionArgs,
}

/// The releases a simulated cluster can answer as (`ontap_core::releases::RELEASES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReleaseArg {
    #[value(name = "9.8")]
    V9_8,
    #[value(name = "9.12")]
    V9_12,
    #[value(name = "9.16")]
    V9_16,
}

impl ReleaseArg {
    /// The release as `(generation, major, minor)`, from core's table.
    pub fn triple(self) -> (u32, u32, u32) {
        let name = match self {
            ReleaseArg::V9_8 => "9.8",
            ReleaseArg::V9_12 => "9.12",
            ReleaseArg::V9_16 => "9.16",
        };
        ontap_core::releases::parse(name).unwrap_or(ontap_core::releases::CURRENT)
    }
}

/// The simulator's starting cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScenarioArg {
    /// Two SVMs, certificates in every state, a key manager, FIPS off, telnet on.
    Demo,
    /// One data SVM and nothing configured.
    Empty,
    /// The demo plus 10,000 generated certificates.
    Many,
    /// A cluster configured as the hardening guide asks: the security audit finds nothing.
    Hardened,
}

impl From<ScenarioArg> for ontap_sim::Scenario {
    fn from(value: ScenarioArg) -> Self {
        match value {
            ScenarioArg::Demo => ontap_sim::Scenario::Demo,
            ScenarioArg::Empty => ontap_sim::Scenario::Empty,
            ScenarioArg::Many => ontap_sim::Scenario::Many,
            ScenarioArg::Hardened => ontap_sim::Scenario::Hardened,
        }
    }
}

/// A flag combination or value that `serve` refuses, with the sentence shown to the user.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    pub kind: ErrorKind,
    pub message: String,
}

impl UsageError {
    fn conflict(message: String) -> Self {
        UsageError {
            kind: ErrorKind::ArgumentConflict,
            message,
        }
    }

    pub(crate) fn invalid(message: String) -> Self {
        UsageError {
            kind: ErrorKind::ValueValidation,
            message,
        }
    }

    /// Prints the message the way clap prints its own errors, and exits with clap's status.
    pub fn exit(self) -> ! {
        Cli::command().error(self.kind, self.message).exit()
    }
}

mod settings;
mod target;

pub use settings::*;
pub use target::*;

#[cfg(test)]
mod tests;
