//! The command line: `ontap-console serve [flags]`, parsed with clap and checked into a
//! [`Settings`] that says which backend answers `/api`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use ontap_core::Secret;
use url::Url;

/// Serves the ONTAP security console, and audits clusters from the command line.
#[derive(Debug, Parser)]
#[command(name = "ontap-console", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console. `/api` is answered by an embedded simulated cluster, or, with
    /// `--cluster`, forwarded to a real one.
    Serve(ServeArgs),
    /// Audit clusters against NetApp's hardening guide (the console's rules) and exit with a
    /// status a CI job can gate on: 0 pass, 1 findings at or above --fail-on, 2 usage error or
    /// a cluster that could not be audited.
    Audit(crate::audit::AuditArgs),
    /// Read what the audit reads (security, ipsec, key-managers, certificates), for scripts.
    Get(crate::get::GetArgs),
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

    /// Send CORS headers on /api for this one origin (e.g. http://127.0.0.1:8081),
    /// to test direct cross-origin calls. Off by default.
    #[arg(long, value_name = "ORIGIN", help_heading = "Simulator")]
    pub cors_origin: Option<String>,

    #[command(flatten)]
    pub connections: crate::listen::ListenArgs,

    #[command(flatten)]
    pub https: crate::https::HttpsArgs,
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

/// Default duration of simulated jobs: long enough to watch a job progress in the console.
pub const DEFAULT_JOB_SECONDS: f64 = 3.0;

/// What `serve` was asked to do, checked.
#[derive(Debug)]
pub struct Settings {
    pub listen: SocketAddr,
    pub ui: PathBuf,
    pub backend: BackendSettings,
    pub limits: crate::listen::Limits,
    pub tls: crate::https::TlsSource,
}

/// Which backend answers `/api`.
#[derive(Debug)]
pub enum BackendSettings {
    Simulator(SimulatorSettings),
    Cluster(ClusterSettings),
}

/// The embedded simulator's settings.
#[derive(Debug)]
pub struct SimulatorSettings {
    pub user: String,
    pub password: Secret,
    /// Whether the password was generated (then it is printed at start).
    pub password_generated: bool,
    pub state: Option<PathBuf>,
    pub scenario: ontap_sim::Scenario,
    pub job_seconds: f64,
    pub cors_origin: Option<axum::http::HeaderValue>,
    /// The release to answer as; `None` keeps the scenario's or the state file's.
    pub ontap_version: Option<(u32, u32, u32)>,
}

/// The proxy's settings.
#[derive(Debug)]
pub struct ClusterSettings {
    /// `scheme://host[:port]`, without path, query or credentials.
    pub url: Url,
    pub trust: Trust,
}

/// How the cluster's TLS certificate is verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Trust {
    /// The operating system's root certificates.
    SystemRoots,
    /// Only the certificates in this PEM file.
    CaFile(PathBuf),
    /// No verification at all (`--insecure`).
    Insecure,
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

impl ServeArgs {
    /// Applies defaults and refuses flags that do not belong to the chosen mode.
    pub fn check(self) -> Result<Settings, UsageError> {
        let backend = match &self.cluster {
            Some(cluster) => BackendSettings::Cluster(self.check_cluster(cluster)?),
            None => BackendSettings::Simulator(self.check_simulator()?),
        };
        Ok(Settings {
            listen: self.listen,
            limits: self.connections.check()?,
            tls: self.https.check()?,
            ui: self.ui,
            backend,
        })
    }

    fn check_cluster(&self, cluster: &str) -> Result<ClusterSettings, UsageError> {
        let simulator_only = [
            ("--user", self.user.is_some()),
            (
                "--password (or ONTAP_CONSOLE_PASSWORD)",
                self.password.is_some(),
            ),
            ("--state", self.state.is_some()),
            ("--scenario", self.scenario.is_some()),
            ("--job-seconds", self.job_seconds.is_some()),
            ("--cors-origin", self.cors_origin.is_some()),
            ("--ontap-version", self.ontap_version.is_some()),
        ];
        let given: Vec<&str> = simulator_only
            .iter()
            .filter(|(_, given)| *given)
            .map(|(name, _)| *name)
            .collect();
        if !given.is_empty() {
            return Err(UsageError::conflict(format!(
                "{} only to the embedded simulator, not with --cluster: sign in with the \
                 cluster's own credentials in the browser",
                flags_apply(&given)
            )));
        }
        let trust = match (&self.ca_file, self.insecure) {
            (Some(_), true) => {
                return Err(UsageError::conflict(
                    "--ca-file and --insecure exclude each other: --ca-file verifies the \
                     cluster's certificate, --insecure does not"
                        .to_string(),
                ))
            }
            (Some(path), false) => Trust::CaFile(path.clone()),
            (None, true) => Trust::Insecure,
            (None, false) => Trust::SystemRoots,
        };
        let url = parse_cluster_url(cluster)?;
        if url.scheme() == "http" && trust != Trust::SystemRoots {
            return Err(UsageError::conflict(
                "--ca-file and --insecure apply to https clusters only".to_string(),
            ));
        }
        Ok(ClusterSettings { url, trust })
    }

    fn check_simulator(&self) -> Result<SimulatorSettings, UsageError> {
        let cluster_only = [
            ("--ca-file", self.ca_file.is_some()),
            ("--insecure", self.insecure),
        ];
        let given: Vec<&str> = cluster_only
            .iter()
            .filter(|(_, given)| *given)
            .map(|(name, _)| *name)
            .collect();
        if !given.is_empty() {
            return Err(UsageError::conflict(format!(
                "{} only with --cluster (a real cluster's TLS certificate); the embedded \
                 simulator has none",
                flags_apply(&given)
            )));
        }
        let job_seconds = self.job_seconds.unwrap_or(DEFAULT_JOB_SECONDS);
        if !job_seconds.is_finite() || job_seconds < 0.0 {
            return Err(UsageError::invalid(
                "--job-seconds must be a number of seconds, 0 or more".to_string(),
            ));
        }
        let user = self.user.clone().unwrap_or_else(|| "admin".to_string());
        if user.is_empty() || user.contains(':') {
            return Err(UsageError::invalid(
                "--user must not be empty nor contain ':' (HTTP basic authentication)".to_string(),
            ));
        }
        let (password, password_generated) = match &self.password {
            Some(p) if p.is_empty() => {
                return Err(UsageError::invalid(
                    "--password must not be empty (leave it out to get a random one)".to_string(),
                ))
            }
            Some(p) => (Secret::new(p.clone()), false),
            None => (random_password(), true),
        };
        let cors_origin = self.cors_origin.as_deref().map(parse_origin).transpose()?;
        Ok(SimulatorSettings {
            user,
            password,
            password_generated,
            state: self.state.clone(),
            scenario: self.scenario.unwrap_or(ScenarioArg::Demo).into(),
            job_seconds,
            cors_origin,
            ontap_version: self.ontap_version.map(ReleaseArg::triple),
        })
    }
}

/// "--a applies" or "--a, --b apply".
fn flags_apply(flags: &[&str]) -> String {
    let verb = if flags.len() == 1 { "applies" } else { "apply" };
    format!("{} {verb}", flags.join(", "))
}

/// Accepts `https://host[:port]` (and `http://` for a loopback host, which is how tests and
/// local tunnels run); refuses paths, queries and credentials in the URL.
pub(crate) fn parse_cluster_url(raw: &str) -> Result<Url, UsageError> {
    let invalid = |why: &str| {
        UsageError::invalid(format!(
            "--cluster must be the cluster management address, like https://cluster1.example.com \
             or https://192.0.2.10: {why}"
        ))
    };
    // A bare host name is what admins type most; assume https for it.
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "credentials do not belong in the address (sign in in the browser)",
        ));
    }
    if url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("give the address alone, without a path or query"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(invalid(
                "plain http would send the credentials in clear; use https",
            ))
        }
        other => return Err(invalid(&format!("unsupported scheme {other}"))),
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// An origin is `scheme://host[:port]`, exactly as browsers send it in the `Origin` header.
fn parse_origin(raw: &str) -> Result<axum::http::HeaderValue, UsageError> {
    let invalid = || {
        UsageError::invalid(format!(
            "--cors-origin must be an origin like http://127.0.0.1:8081 (scheme, host and \
             port, no path), not {raw:?}"
        ))
    };
    let url = Url::parse(raw).map_err(|_| invalid())?;
    let origin = url.origin();
    if !origin.is_tuple() || !matches!(url.path(), "" | "/") || url.query().is_some() {
        return Err(invalid());
    }
    axum::http::HeaderValue::from_str(&origin.ascii_serialization()).map_err(|_| invalid())
}

/// A password for the simulator when none is given: 20 letters and digits (~119 bits).
fn random_password() -> Secret {
    use rand::distributions::{Alphanumeric, DistString};
    Secret::new(Alphanumeric.sample_string(&mut rand::thread_rng(), 20))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Settings, UsageError> {
        let mut argv = vec!["ontap-console", "serve"];
        argv.extend_from_slice(args);
        let Command::Serve(serve) = Cli::try_parse_from(argv).expect("clap accepts").command else {
            panic!("serve expected");
        };
        serve.check()
    }

    fn simulator(settings: Settings) -> SimulatorSettings {
        match settings.backend {
            BackendSettings::Simulator(s) => s,
            BackendSettings::Cluster(_) => panic!("expected the simulator"),
        }
    }

    fn cluster(settings: Settings) -> ClusterSettings {
        match settings.backend {
            BackendSettings::Cluster(c) => c,
            BackendSettings::Simulator(_) => panic!("expected a cluster"),
        }
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_run_the_demo_simulator_with_a_random_password() {
        let settings = parse(&[]).unwrap();
        assert_eq!(settings.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(settings.ui, PathBuf::from("dist"));
        let sim = simulator(settings);
        assert_eq!(sim.user, "admin");
        assert!(sim.password_generated);
        assert_eq!(sim.password.expose().len(), 20);
        assert!(sim
            .password
            .expose()
            .chars()
            .all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(sim.scenario, ontap_sim::Scenario::Demo);
        assert_eq!(sim.job_seconds, DEFAULT_JOB_SECONDS);
        assert!(sim.cors_origin.is_none());
        assert!(sim.state.is_none());
    }

    #[test]
    fn connection_and_https_flags() {
        let settings = parse(&[]).unwrap();
        assert_eq!(settings.limits, crate::listen::Limits::default());
        assert_eq!(settings.tls, crate::https::TlsSource::None);
        let settings = parse(&["--tls-self-signed", "--max-requests", "7"]).unwrap();
        assert_eq!(settings.tls, crate::https::TlsSource::SelfSigned);
        assert_eq!(settings.limits.max_requests, 7);
        for refused in [
            &["--tls-cert", "c.pem"][..],
            &["--tls-key", "k.pem"],
            &[
                "--tls-self-signed",
                "--tls-cert",
                "c.pem",
                "--tls-key",
                "k.pem",
            ],
        ] {
            let mut argv = vec!["ontap-console", "serve"];
            argv.extend_from_slice(refused);
            assert!(Cli::try_parse_from(argv).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn two_random_passwords_differ() {
        let a = simulator(parse(&[]).unwrap()).password;
        let b = simulator(parse(&[]).unwrap()).password;
        assert_ne!(a.expose(), b.expose());
    }

    #[test]
    fn simulator_flags_are_taken() {
        let sim = simulator(
            parse(&[
                "--user",
                "ops",
                "--password",
                "pw",
                "--scenario",
                "empty",
                "--job-seconds",
                "0",
                "--state",
                "s.json",
                "--cors-origin",
                "http://127.0.0.1:8081/",
            ])
            .unwrap(),
        );
        assert_eq!(sim.user, "ops");
        assert_eq!(sim.password.expose(), "pw");
        assert!(!sim.password_generated);
        assert_eq!(sim.scenario, ontap_sim::Scenario::Empty);
        assert_eq!(sim.job_seconds, 0.0);
        assert_eq!(sim.state, Some(PathBuf::from("s.json")));
        assert_eq!(sim.cors_origin.unwrap(), "http://127.0.0.1:8081");
    }

    #[test]
    fn the_hardened_scenario_is_offered() {
        let sim = simulator(parse(&["--scenario", "hardened"]).unwrap());
        assert_eq!(sim.scenario, ontap_sim::Scenario::Hardened);
    }

    #[test]
    fn the_release_to_answer_as_is_chosen() {
        let sim = simulator(parse(&["--ontap-version", "9.12"]).unwrap());
        assert_eq!(sim.ontap_version, Some((9, 12, 1)));
        assert_eq!(simulator(parse(&[]).unwrap()).ontap_version, None);
        assert!(Cli::try_parse_from(["ontap-console", "serve", "--ontap-version", "9.7"]).is_err());
    }

    #[test]
    fn the_many_scenario_is_offered() {
        let sim = simulator(parse(&["--scenario", "many"]).unwrap());
        assert_eq!(sim.scenario, ontap_sim::Scenario::Many);
    }

    #[test]
    fn bad_simulator_values_are_refused() {
        for args in [
            &["--job-seconds", "-1"][..],
            &["--job-seconds", "NaN"],
            &["--user", ""],
            &["--user", "a:b"],
            &["--password", ""],
            &["--cors-origin", "not an origin"],
            &["--cors-origin", "http://127.0.0.1:8081/path"],
        ] {
            let err = parse(args).expect_err(&format!("{args:?} must be refused"));
            assert_eq!(err.kind, ErrorKind::ValueValidation, "{args:?}");
        }
    }

    #[test]
    fn cluster_mode_defaults_to_system_roots() {
        let c = cluster(parse(&["--cluster", "https://cluster1.example.com/"]).unwrap());
        assert_eq!(c.url.as_str(), "https://cluster1.example.com/");
        assert_eq!(c.trust, Trust::SystemRoots);
        let bare = cluster(parse(&["--cluster", "192.0.2.10"]).unwrap());
        assert_eq!(bare.url.as_str(), "https://192.0.2.10/");
    }

    #[test]
    fn cluster_trust_flags() {
        let c = cluster(parse(&["--cluster", "https://c", "--ca-file", "ca.pem"]).unwrap());
        assert_eq!(c.trust, Trust::CaFile(PathBuf::from("ca.pem")));
        let c = cluster(parse(&["--cluster", "https://c", "--insecure"]).unwrap());
        assert_eq!(c.trust, Trust::Insecure);
        let err = parse(&["--cluster", "https://c", "--insecure", "--ca-file", "x"]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ArgumentConflict);
    }

    #[test]
    fn simulator_flags_are_refused_with_a_cluster() {
        let err = parse(&[
            "--cluster",
            "https://c",
            "--user",
            "x",
            "--job-seconds",
            "0",
        ])
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::ArgumentConflict);
        assert!(
            err.message.contains("--user, --job-seconds apply only"),
            "{}",
            err.message
        );
        assert!(err.message.contains("simulator"), "{}", err.message);
        let err = parse(&["--cluster", "https://c", "--password", "secret-pw"]).unwrap_err();
        assert!(!err.message.contains("secret-pw"));
    }

    #[test]
    fn cluster_flags_are_refused_without_a_cluster() {
        let err = parse(&["--insecure"]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ArgumentConflict);
        assert!(err.message.contains("--insecure"), "{}", err.message);
        let err = parse(&["--ca-file", "ca.pem"]).unwrap_err();
        assert!(err.message.contains("--ca-file"), "{}", err.message);
    }

    #[test]
    fn cluster_urls_are_checked() {
        for bad in [
            "https://admin:pw@cluster",
            "https://cluster/api",
            "https://cluster?x=1",
            "http://cluster.example.com",
            "ftp://cluster",
            "https://",
        ] {
            let err = parse(&["--cluster", bad]).expect_err(bad);
            assert_eq!(err.kind, ErrorKind::ValueValidation, "{bad}");
            assert!(!err.message.contains("pw@"), "{}", err.message);
        }
        for loopback in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"] {
            assert_eq!(
                cluster(parse(&["--cluster", loopback]).unwrap())
                    .url
                    .scheme(),
                "http"
            );
        }
        let err = parse(&["--cluster", "http://127.0.0.1:9", "--insecure"]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ArgumentConflict);
    }

    #[test]
    fn password_is_not_in_debug_output() {
        let settings = parse(&["--password", "hunter2-secret"]).unwrap();
        assert!(!format!("{settings:?}").contains("hunter2-secret"));
    }
}
