//! Key managers and managed certificates: diff, order, refusals and prune.

use serde_json::json;

use super::*;
use crate::request::Method;
use crate::secret::Secret;

fn pem(name: &str, ca: bool) -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec![name.to_owned()]).unwrap();
    if ca {
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    }
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

struct Fixture {
    file: SettingsFile,
    inputs: Inputs,
    client: String,
}

fn fixture(servers: &[&str]) -> Fixture {
    let (client, client_key) = pem("client.example", false);
    let (ca, _) = pem("ca.example", true);
    let file: SettingsFile = serde_json::from_value(json!({
        "certificate": [
            {"name": "kmip-client", "type": "client", "public_certificate": "c.pem", "private_key": "c.key"},
            {"name": "kmip-ca", "type": "server_ca", "public_certificate": "ca.pem"}
        ],
        "key_manager": [{"external": {
            "servers": servers,
            "client_certificate": "kmip-client",
            "server_ca_certificates": ["kmip-ca"]
        }}]
    }))
    .unwrap();
    let mut inputs = Inputs {
        now: "2026-01-01T00:00:00Z".parse().unwrap(),
        ..Inputs::default()
    };
    inputs.files.insert("c.pem".into(), client.clone());
    inputs.files.insert("c.key".into(), client_key);
    inputs.files.insert("ca.pem".into(), ca);
    Fixture {
        file,
        inputs,
        client,
    }
}

/// A cluster that has the fixture's certificates (client with `client_pem`) and an external
/// key manager with `servers` using them.
fn cluster_with(client_pem: &str, ca_pem: &str, servers: &[&str]) -> Current {
    Current {
        certificates: serde_json::from_value(json!([
            {"uuid": "c1", "name": "kmip-client", "type": "client", "scope": "cluster", "public_certificate": client_pem},
            {"uuid": "c2", "name": "kmip-ca", "type": "server_ca", "scope": "cluster", "public_certificate": ca_pem}
        ]))
        .unwrap(),
        key_managers: serde_json::from_value(json!([{
            "uuid": "k1", "scope": "cluster",
            "external": {
                "client_certificate": {"uuid": "c1", "name": "kmip-client"},
                "server_ca_certificates": [{"uuid": "c2", "name": "kmip-ca"}],
                "servers": servers.iter().map(|s| json!({"server": s})).collect::<Vec<_>>()
            }
        }]))
        .unwrap(),
        ..Current::default()
    }
}

fn paths(plan: &Plan) -> Vec<(Method, String)> {
    plan.steps
        .iter()
        .map(|s| (s.request.method, s.request.path.clone()))
        .collect()
}

#[test]
fn certificates_are_installed_before_the_key_manager_that_names_them() {
    let f = fixture(&["10.0.0.5:5696"]);
    let plan = plan_with(&f.file, &Current::default(), &f.inputs).expect("valid");
    let steps = paths(&plan);
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert!(steps[0].1.ends_with("/security/certificates"));
    assert!(steps[1].1.ends_with("/security/certificates"));
    assert!(steps[2].1.ends_with("/security/key-managers"));
    let body = plan.steps[2].request.body.clone().unwrap_or_default();
    assert_eq!(
        body["external"]["client_certificate"]["name"],
        json!("kmip-client")
    );
    assert!(plan.lowering().is_empty());
}

#[test]
fn a_matching_cluster_plans_nothing_and_servers_compare_by_address() {
    let f = fixture(&["10.0.0.5"]);
    let ca = f.inputs.files["ca.pem"].clone();
    let now = cluster_with(&f.client, &ca, &["10.0.0.5:5696"]);
    let plan = plan_with(&f.file, &now, &f.inputs).expect("valid");
    assert!(plan.is_empty(), "{:?}", plan.changes);
    // The private key is only needed to install: without it the matching cluster still plans nothing.
    let mut no_key = f.inputs.clone();
    no_key.files.remove("c.key");
    assert!(plan_with(&f.file, &now, &no_key).expect("valid").is_empty());
    let problems = plan_with(&f.file, &Current::default(), &no_key).unwrap_err();
    assert_eq!(problems[0].key, "certificate[0].private_key");
    assert!(problems[0].message.contains("c.key"), "{problems:?}");
}

#[test]
fn key_servers_are_added_before_the_old_ones_are_removed() {
    let f = fixture(&["10.0.0.6:5696"]);
    let ca = f.inputs.files["ca.pem"].clone();
    let now = cluster_with(&f.client, &ca, &["10.0.0.5:5696"]);
    let plan = plan_with(&f.file, &now, &f.inputs).expect("valid");
    let steps = paths(&plan);
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert_eq!(steps[0].0, Method::Post);
    assert!(steps[0].1.ends_with("/k1/key-servers"));
    assert_eq!(steps[1].0, Method::Delete);
    assert!(steps[1].1.contains("10.0.0.5"));
    assert_eq!(plan.changes[0].key, "key_manager[0].external.servers");
}

#[test]
fn a_certificate_in_use_is_not_replaced_and_the_plan_says_why() {
    let f = fixture(&["10.0.0.5:5696"]);
    let ca = f.inputs.files["ca.pem"].clone();
    let (other, _) = pem("old.example", false);
    let now = cluster_with(&other, &ca, &["10.0.0.5:5696"]);
    let problems = plan_with(&f.file, &now, &f.inputs).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].key, "certificate[0].public_certificate");
    assert!(problems[0].message.contains("cannot be changed"));
    assert!(problems[0]
        .message
        .contains("cluster's external key manager"));

    // Not in use: replaced (delete, then install), without a lowering sentence.
    let mut unused = now.clone();
    unused.key_managers.clear();
    let mut file = f.file.clone();
    file.key_manager.clear();
    let plan = plan_with(&file, &unused, &f.inputs).expect("valid");
    let steps = paths(&plan);
    assert_eq!(
        steps[0],
        (Method::Delete, "/api/security/certificates/c1".into())
    );
    assert_eq!(steps[1].0, Method::Post);
    assert!(plan.lowering().is_empty());
}

#[test]
fn an_unset_passphrase_variable_is_named_and_prune_is_needed_to_delete() {
    let file: SettingsFile = serde_json::from_value(json!({
        "key_manager": [{"onboard": {"enabled": true, "passphrase": {"env": "OKM_VS1"}}}]
    }))
    .unwrap();
    let ca = pem("ca.example", true).0;
    // The cluster has an external key manager on SVM vs0, which the file does not list.
    let mut now = cluster_with("x", &ca, &["10.0.0.5:5696"]);
    now.key_managers[0].scope = Some(crate::envelope::Scope::Svm);
    now.key_managers[0].svm = serde_json::from_value(json!({"name": "vs0"})).unwrap();
    let problems = plan_with(&file, &now, &Inputs::default()).unwrap_err();
    assert!(problems[0].message.contains("OKM_VS1"), "{problems:?}");
    assert_eq!(problems[0].key, "key_manager[0].onboard.passphrase");

    let mut inputs = Inputs::default();
    inputs.secrets.insert(
        "OKM_VS1".into(),
        Secret::new("a passphrase of thirty-two chars or more"),
    );
    let kept = plan_with(&file, &now, &inputs).expect("valid");
    assert!(paths(&kept).iter().all(|(m, _)| *m != Method::Delete));
    let mut pruning = file.clone();
    pruning.prune = Some(true);
    let pruned = plan_with(&pruning, &now, &inputs).expect("valid");
    let last = paths(&pruned).pop().unwrap();
    assert_eq!(
        last,
        (Method::Delete, "/api/security/key-managers/k1".into())
    );
    assert_eq!(pruned.lowering().len(), 1);
}

#[test]
fn the_clusters_key_managers_as_a_file_reference_pems_and_env_variables() {
    let f = fixture(&["10.0.0.5:5696"]);
    let ca = f.inputs.files["ca.pem"].clone();
    let now = cluster_with(&f.client, &ca, &["10.0.0.5:5696"]);
    let (managers, certs, pems) = objects::from_cluster(&now, Some("pems/"));
    assert_eq!(
        managers[0].external.as_ref().unwrap().servers,
        ["10.0.0.5:5696"]
    );
    assert_eq!(certs.len(), 2);
    assert_eq!(
        certs[0].private_key.as_deref(),
        Some("pems/kmip-client.key")
    );
    assert_eq!(certs[1].private_key, None);
    assert_eq!(
        pems[0],
        ("pems/kmip-client.pem".to_owned(), f.client.clone())
    );
    assert_eq!(
        objects::passphrase_env(Some("vs-1")),
        "ONTAP_OKM_PASSPHRASE_VS_1"
    );
}

#[test]
fn a_certificate_the_cluster_creates_is_posted_once_and_then_left_alone() {
    let file: SettingsFile = serde_json::from_value(json!({
        "certificate": [{"name": "svm1-root", "type": "root_ca", "svm": "svm1",
                         "common_name": "svm1.example.com", "key_size": 2048,
                         "hash_function": "sha256", "expiry_time": "P365DT"}]
    }))
    .unwrap();
    let inputs = Inputs {
        now: "2026-01-01T00:00:00Z".parse().unwrap(),
        ..Inputs::default()
    };
    let plan = plan_with(&file, &Current::default(), &inputs).expect("valid");
    assert_eq!(plan.steps.len(), 1);
    let body = plan.steps[0].request.body.clone().unwrap_or_default();
    assert_eq!(body["common_name"], json!("svm1.example.com"));
    assert_eq!(body["svm"]["name"], json!("svm1"));
    assert!(body.get("public_certificate").is_none());

    let now = Current {
        certificates: serde_json::from_value(json!([
            {"uuid": "r1", "name": "svm1-root", "type": "root_ca", "scope": "svm",
             "svm": {"name": "svm1"}, "public_certificate": "whatever the cluster made"}
        ]))
        .unwrap(),
        ..Current::default()
    };
    assert!(plan_with(&file, &now, &inputs).expect("valid").is_empty());
}
