//! Key managers: one must exist, an external one needs more than one key server, its servers
//! must be reachable, and the Onboard Key Manager's keys must be on every node. Fixing them
//! needs a person (a new server, a passphrase), so the remedies open the right form.

use crate::audit::catalog::*;
use crate::audit::remedy::pages;
use crate::audit::{finding, Evidence, Finding, Prefill, Remedy, Snapshot};
use crate::key_managers::KeyManager;

pub(super) fn check(snapshot: &Snapshot, out: &mut Vec<Finding>) {
    if snapshot.key_managers.is_empty() {
        out.push(finding(
            KEY_MANAGER_NONE,
            "cluster",
            vec![Evidence::new("key managers", 0)],
            Remedy::manual(
                &[
                    "Configure the Onboard Key Manager (a passphrase of 32 to 256 characters; save the key backup), or an external key manager with at least two KMIP servers.",
                ],
                pages::KEY_MANAGERS,
                Some(Prefill::CreateKeyManager { svm: None }),
            ),
        ));
    }
    for km in &snapshot.key_managers {
        single_server(km, out);
        unavailable(km, out);
        keys_missing(km, out);
    }
}

fn uuid(km: &KeyManager) -> String {
    km.uuid.clone().unwrap_or_default()
}

fn scope_evidence(km: &KeyManager) -> Evidence {
    match km.svm.as_ref().and_then(|s| s.name.as_deref()) {
        Some(svm) => Evidence::new("svm.name", svm),
        None => Evidence::new("scope", "cluster"),
    }
}

fn single_server(km: &KeyManager, out: &mut Vec<Finding>) {
    let Some(servers) = km.external.as_ref().and_then(|e| e.servers.as_ref()) else {
        return;
    };
    let secondaries: usize = servers
        .iter()
        .map(|s| s.secondary_key_servers.as_ref().map_or(0, Vec::len))
        .sum();
    if servers.is_empty() || servers.len() + secondaries >= MIN_KEY_SERVERS {
        return;
    }
    let names: Vec<&str> = servers.iter().filter_map(|s| s.server.as_deref()).collect();
    out.push(finding(
        KEY_MANAGER_SINGLE_SERVER,
        uuid(km),
        vec![
            scope_evidence(km),
            Evidence::new("external.servers", names.join(", ")),
            Evidence::new("secondary key servers", secondaries),
        ],
        Remedy::manual(
            &["Add a second KMIP server (or a secondary key server) that holds the same keys."],
            pages::key_manager(&uuid(km)),
            Some(Prefill::AddKeyServer {
                key_manager: uuid(km),
            }),
        ),
    ));
}

/// Only judged where connectivity was read: `cluster_availability` false.
fn unavailable(km: &KeyManager, out: &mut Vec<Finding>) {
    let servers = km.external.as_ref().and_then(|e| e.servers.as_ref());
    for server in servers.into_iter().flatten() {
        let Some(connectivity) = server.connectivity.as_ref() else {
            continue;
        };
        if connectivity.cluster_availability != Some(false) {
            continue;
        }
        let address = server.server.clone().unwrap_or_default();
        let mut evidence = vec![
            scope_evidence(km),
            Evidence::new("server", &address),
            Evidence::new("connectivity.cluster_availability", false),
        ];
        for node in connectivity.records.iter().flatten() {
            let name = node.node.as_ref().and_then(|n| n.name.as_deref());
            evidence.push(Evidence::new(
                format!("connectivity.records[{}].state", name.unwrap_or("?")),
                node.state.as_deref().unwrap_or("unknown"),
            ));
        }
        out.push(finding(
            KEY_MANAGER_SERVER_UNAVAILABLE,
            format!("{} {}", uuid(km), address),
            evidence,
            Remedy::manual(
                &[
                    "Check the network path from every node to the key server (port 5696 by default) and the server itself.",
                    "Check that the server still trusts the cluster's client certificate and that its own certificate is signed by a configured server CA.",
                ],
                pages::key_manager(&uuid(km)),
                Some(Prefill::CheckKeyServer {
                    key_manager: uuid(km),
                    server: address.clone(),
                }),
            ),
        ));
    }
}

/// Onboard Key Manager whose status (when read) asks for action: keys missing on some nodes.
fn keys_missing(km: &KeyManager, out: &mut Vec<Finding>) {
    if !km.is_onboard() {
        return;
    }
    let Some(status) = km.status.as_ref() else {
        return;
    };
    let Some(code) = status.code.as_ref().and_then(|c| c.as_i64()) else {
        return;
    };
    if KEY_MANAGER_OK_CODES.contains(&code) {
        return;
    }
    out.push(finding(
        KEY_MANAGER_KEYS_MISSING,
        uuid(km),
        vec![
            scope_evidence(km),
            Evidence::new("status.code", code),
            Evidence::new("status.message", status.message.as_deref().unwrap_or("")),
        ],
        Remedy::manual(
            &["Synchronize the Onboard Key Manager with its current passphrase so every node holds the keys."],
            pages::key_manager(&uuid(km)),
            Some(Prefill::SyncOnboard {
                key_manager: uuid(km),
            }),
        ),
    ));
}
