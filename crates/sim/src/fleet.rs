//! Many simulated clusters from one process, one loopback listener each: what the command
//! line's fleet audit is measured and tested against. The scenario is built once and cloned;
//! each cluster gets its own name (`PREFIX-N`) and state.

use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::app::{Simulator, StartError};
use crate::config::SimConfig;
use crate::scenario;

/// Why a fleet could not start.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot listen on loopback: {0}")]
    Listen(#[from] std::io::Error),
}

/// Starts `count` clusters of `config`'s scenario on `127.0.0.1:0` ports (in the current tokio
/// runtime; they serve until it stops; `state_file` is ignored) and returns their addresses, in order.
pub async fn serve(
    count: usize,
    config: &SimConfig,
    prefix: &str,
) -> Result<Vec<SocketAddr>, FleetError> {
    let template = scenario::build(config.scenario)?;
    // Clusters of a fleet share nothing, a state file least of all.
    let config = SimConfig {
        state_file: None,
        ..config.clone()
    };
    let mut addrs = Vec::with_capacity(count);
    for index in 0..count {
        let mut state = template.clone();
        state.cluster.name = format!("{prefix}-{index}");
        let sim = Simulator::with_state(config.clone(), state);
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        addrs.push(listener.local_addr()?);
        let router = sim.router();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
    }
    Ok(addrs)
}
