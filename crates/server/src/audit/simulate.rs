//! `--simulate SCENARIO`: the embedded simulated cluster, served on a free loopback port of
//! this process, audited over HTTP exactly as a real cluster is.

use ontap_core::Secret;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::targets::Target;
use crate::cli::{ScenarioArg, Trust};

/// Why the simulated cluster could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error("cannot start the simulated cluster: {0}")]
    Start(#[from] ontap_sim::StartError),
    #[error("cannot listen on loopback for the simulated cluster: {0}")]
    Listen(std::io::Error),
}

/// The server task; the simulated cluster stops when it is dropped.
pub struct Running(JoinHandle<()>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the scenario on `127.0.0.1:0` with a random password and returns it as a target.
pub async fn start(scenario: ScenarioArg) -> Result<(Target, Running), SimulateError> {
    use rand::distributions::{Alphanumeric, DistString};
    let password = Secret::new(Alphanumeric.sample_string(&mut rand::thread_rng(), 20));
    let config = ontap_sim::SimConfig {
        scenario: scenario.into(),
        ..ontap_sim::SimConfig::new("admin", password)
    };
    let name = format!(
        "simulator-{}",
        clap::ValueEnum::to_possible_value(&scenario)
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    );
    start_with(config, name).await
}

/// Serves a simulated cluster set up by `config` on `127.0.0.1:0` and returns it as the
/// target `name`, signed in as the configuration's user.
pub async fn start_with(
    config: ontap_sim::SimConfig,
    name: String,
) -> Result<(Target, Running), SimulateError> {
    let (user, password) = (config.user.clone(), config.password.clone());
    let sim = ontap_sim::Simulator::new(config)?;
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(SimulateError::Listen)?;
    let addr = listener.local_addr().map_err(SimulateError::Listen)?;
    let router = sim.router();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let url = url::Url::parse(&format!("http://{addr}")).map_err(|e| {
        SimulateError::Listen(std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    })?;
    Ok((
        Target {
            name,
            url,
            user,
            password,
            trust: Trust::SystemRoots,
            declared_in: None,
        },
        Running(task),
    ))
}
