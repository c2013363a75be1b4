//! `serve`'s flags checked into [`Settings`]: defaults applied, flags of the other mode
//! refused, the simulator's password and CORS origin.

use std::net::SocketAddr;
use std::path::PathBuf;

use ontap_core::Secret;
use url::Url;

use super::target::{parse_cluster_url, Trust};
use super::{ReleaseArg, ScenarioArg, ServeArgs, UsageError};

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
    pub sessions: crate::session::SessionSettings,
    /// `--base-path` and `--site-config`, checked.
    pub site: crate::site::SiteOptions,
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
    /// Faults injected from the start (`--faults`).
    pub faults: Option<ontap_sim::FaultSpec>,
}

/// The proxy's settings.
#[derive(Debug)]
pub struct ClusterSettings {
    /// `scheme://host[:port]`, without path, query or credentials.
    pub url: Url,
    pub trust: Trust,
}

impl ServeArgs {
    /// Applies defaults and refuses flags that do not belong to the chosen mode.
    pub fn check(self) -> Result<Settings, UsageError> {
        let backend = match &self.cluster {
            Some(cluster) => BackendSettings::Cluster(self.check_cluster(cluster)?),
            None => BackendSettings::Simulator(self.check_simulator()?),
        };
        let tls = self.https.check()?;
        let mut sessions = self.sessions.check()?;
        // The cookie says `Secure` when the console itself speaks HTTPS.
        sessions.secure = !matches!(tls, crate::https::TlsSource::None);
        let site = self.check_site()?;
        Ok(Settings {
            site,
            listen: self.listen,
            limits: self.connections.check()?,
            tls,
            sessions,
            ui: self.ui,
            backend,
        })
    }

    fn check_site(&self) -> Result<crate::site::SiteOptions, UsageError> {
        let base_path = self
            .base_path
            .as_deref()
            .map(crate::site::check_base_path)
            .transpose()
            .map_err(UsageError::invalid)?;
        let (config, cluster_origins) = match &self.site_config {
            Some(path) => {
                let (site, text) = crate::site::load(path)
                    .map_err(|e| UsageError::invalid(format!("--site-config: {e}")))?;
                let origins = site.cluster_origins().into_iter().map(str::to_owned);
                (Some(text.into()), origins.collect())
            }
            None => (None, Vec::new()),
        };
        Ok(crate::site::SiteOptions {
            base_path,
            config,
            cluster_origins,
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
            ("--faults", self.faults.is_some()),
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
        let faults = self
            .faults
            .as_deref()
            .map(ontap_sim::FaultSpec::parse)
            .transpose()
            .map_err(|e| UsageError::invalid(format!("--faults: {e}")))?
            .filter(|spec| !spec.is_off());
        Ok(SimulatorSettings {
            user,
            password,
            password_generated,
            state: self.state.clone(),
            scenario: self.scenario.unwrap_or(ScenarioArg::Demo).into(),
            job_seconds,
            cors_origin,
            ontap_version: self.ontap_version.map(ReleaseArg::triple),
            faults,
        })
    }
}

/// "--a applies" or "--a, --b apply".
pub(super) fn flags_apply(flags: &[&str]) -> String {
    let verb = if flags.len() == 1 { "applies" } else { "apply" };
    format!("{} {verb}", flags.join(", "))
}

/// An origin is `scheme://host[:port]`, exactly as browsers send it in the `Origin` header.
pub(super) fn parse_origin(raw: &str) -> Result<axum::http::HeaderValue, UsageError> {
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
pub(super) fn random_password() -> Secret {
    use rand::distributions::{Alphanumeric, DistString};
    Secret::new(Alphanumeric.sample_string(&mut rand::thread_rng(), 20))
}
