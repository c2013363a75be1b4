//! The clusters a simulator starts with.

use crate::app::StartError;
use crate::config::Scenario;
use crate::routes;
use crate::state::ClusterState;

/// Builds a scenario's state. Order matters: SVMs first, certificates before the key managers
/// that use them, security last (it reflects the key managers).
pub fn build(scenario: Scenario) -> Result<ClusterState, StartError> {
    let mut state = ClusterState::default();
    match scenario {
        Scenario::Empty => routes::cluster::seed(&mut state, false),
        Scenario::Hardened => {
            crate::hardened::seed(&mut state).map_err(|e| StartError::Scenario("hardened", e))?
        }
        Scenario::Demo | Scenario::Many => {
            let name = if scenario == Scenario::Many {
                "many"
            } else {
                "demo"
            };
            routes::cluster::seed(&mut state, true);
            routes::certificates::seed_demo(&mut state)
                .map_err(|e| StartError::Scenario(name, e))?;
            if scenario == Scenario::Many {
                routes::many::seed(&mut state, routes::many::COUNT)
                    .map_err(|e| StartError::Scenario(name, e))?;
            }
            routes::key_managers::seed_demo(&mut state)
                .map_err(|e| StartError::Scenario(name, e))?;
            routes::security::seed_demo(&mut state);
        }
    }
    Ok(state)
}
