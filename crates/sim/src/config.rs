//! How a simulated cluster is set up.

use std::path::PathBuf;

use ontap_core::Secret;

use crate::faults::FaultSpec;

/// Which cluster to start with when there is no state file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// A realistic cluster: two SVMs, a dozen certificates (some expired, expiring, weak), an
    /// external key manager on an SVM, FIPS off, telnet on.
    Demo,
    /// A cluster with one data SVM and nothing configured.
    Empty,
    /// The demo cluster plus 10,000 generated certificates (every type, scope and expiry), to
    /// see the console at scale.
    Many,
    /// A cluster configured as NetApp's hardening guide (TR-4569) asks: the security audit
    /// finds nothing (FIPS on, TLS 1.2+, strong suites, an external key manager with two key
    /// servers, strong CA-signed certificates, IPsec on).
    Hardened,
}

/// The simulator's settings.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Basic-auth user.
    pub user: String,
    /// Basic-auth password.
    pub password: Secret,
    /// How long simulated jobs run, in seconds (0: they finish at once).
    pub job_seconds: f64,
    /// How long finished jobs stay readable before they expire (404), in seconds.
    pub job_expiry_seconds: f64,
    pub scenario: Scenario,
    /// Where to persist the state across restarts; `None` keeps it in memory only.
    pub state_file: Option<PathBuf>,
    /// Larger request bodies are refused with 413.
    pub max_body_bytes: usize,
    /// The release the cluster answers as (`ontap_core::releases`); `None` keeps the
    /// scenario's (the current release) or the state file's.
    pub ontap_version: Option<(u32, u32, u32)>,
    /// The clock jobs run by (the system's unless a test moves one by hand).
    pub clock: crate::clock::Clock,
    /// Faults to inject from the start (`serve --faults`); `None`: none
    /// ([`crate::faults`], also changed at run time).
    pub faults: Option<FaultSpec>,
}

impl SimConfig {
    /// A configuration for tests and embedding: demo cluster, jobs that finish at once.
    pub fn new(user: impl Into<String>, password: impl Into<Secret>) -> Self {
        SimConfig {
            user: user.into(),
            password: password.into(),
            job_seconds: 0.0,
            job_expiry_seconds: 600.0,
            scenario: Scenario::Demo,
            state_file: None,
            max_body_bytes: 1024 * 1024,
            ontap_version: None,
            clock: crate::clock::Clock::System,
            faults: None,
        }
    }
}
