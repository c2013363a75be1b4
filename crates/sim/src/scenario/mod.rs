//! The clusters a simulator starts with: empty, demo, many and hardened, each built from its
//! seed module.

mod demo_certificates;
mod demo_key_managers;
pub mod hardened;
pub mod many;

use crate::app::StartError;
use crate::config::Scenario;
use crate::pki;
use crate::routes;
use crate::state::ClusterState;

/// Builds a scenario's state. Order matters: SVMs first, certificates before the key managers
/// that use them, security last (it reflects the key managers).
pub fn build(scenario: Scenario) -> Result<ClusterState, StartError> {
    let mut state = ClusterState::default();
    match scenario {
        Scenario::Empty => {
            routes::cluster::seed(&mut state, false);
            own_certificates(&mut state).map_err(|e| StartError::Scenario("empty", e))?;
        }
        Scenario::Hardened => {
            hardened::seed(&mut state).map_err(|e| StartError::Scenario("hardened", e))?
        }
        Scenario::Demo | Scenario::Many => {
            let name = if scenario == Scenario::Many {
                "many"
            } else {
                "demo"
            };
            routes::cluster::seed(&mut state, true);
            demo_certificates::seed(&mut state).map_err(|e| StartError::Scenario(name, e))?;
            if scenario == Scenario::Many {
                many::seed(&mut state, many::COUNT).map_err(|e| StartError::Scenario(name, e))?;
            }
            demo_key_managers::seed(&mut state).map_err(|e| StartError::Scenario(name, e))?;
            routes::security::seed_demo(&mut state);
        }
    }
    Ok(state)
}

/// What even a new cluster has: the self-signed server certificate ONTAP makes for the admin SVM
/// at setup, and the same certificate installed as its root CA, both named
/// `<cluster>_<serial>` as ONTAP names them, valid for 365 days (ONTAP's default).
fn own_certificates(state: &mut ClusterState) -> Result<(), String> {
    use ontap_core::certificates::CertificateType;
    let cluster = state.cluster.name.clone();
    let now = crate::jobs::now_seconds() as i64;
    let key = pki::rsa_key(2048, "sha256").map_err(|e| e.to_string())?;
    let issued = pki::self_signed(
        &pki::Subject {
            common_name: cluster.clone(),
            dns: vec![cluster.clone()],
            ips: vec![],
            not_before: now - 86_400,
            not_after: now + 364 * 86_400,
            is_ca: true,
        },
        &key,
    )
    .map_err(|e| e.to_string())?;
    for ty in [CertificateType::RootCa, CertificateType::Server] {
        let mut record =
            routes::certificates::record_from_pem(&issued.certificate, ty, None, None, None)
                .map_err(|e| e.error.message.unwrap_or_default())?;
        let serial = record
            .serial_number
            .clone()
            .unwrap_or_default()
            .to_uppercase();
        record.name = Some(format!("{cluster}_{serial}"));
        state
            .certificates
            .certificates
            .push(routes::certificates::Stored {
                record,
                private_key: Some(issued.key.clone()),
                listed: routes::certificates::Listed::default(),
            });
    }
    Ok(())
}
