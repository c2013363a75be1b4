//! Key managers and managed certificates: the cluster's as a file ([`from_cluster`]) and the
//! file's compared with the cluster ([`plan_objects`]), each request built by the domain's
//! builder (`key_managers::create`, `add_servers`, `remove_server`, `update`,
//! `certificates::create`). Certificates are planned before the key managers that use them.

use serde_json::json;

use super::diff::{Change, Current};
use super::managed::*;
use super::plan::{collect, FileViolation, Step};
use super::SettingsFile;
use crate::certificates::{self, Certificate, CertificateType};
use crate::envelope::SvmRef;
use crate::key_managers::ServerAddress;
use crate::key_managers::{self, CertificateRef, External, KeyManager, KeyServer, Onboard};
use crate::secret::Secret;

use super::export::{cert_svm, ref_name};
pub use super::export::{from_cluster, passphrase_env, svm_of};

/// PEM texts compared without line-ending and surrounding-space differences.
fn same_pem(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    norm(a) == norm(b)
}

/// The changes, steps and problems of the file's key managers and certificates.
pub fn plan_objects(
    desired: &SettingsFile,
    current: &Current,
    inputs: &Inputs,
    changes: &mut Vec<Change>,
    steps: &mut Vec<Step>,
    problems: &mut Vec<FileViolation>,
) {
    for (i, c) in desired.certificate.iter().enumerate() {
        plan_certificate(i, c, current, inputs, changes, steps, problems);
    }
    for (i, k) in desired.key_manager.iter().enumerate() {
        plan_key_manager(i, k, desired, current, inputs, changes, steps, problems);
    }
    if desired.prune == Some(true) {
        for km in &current.key_managers {
            let svm = svm_of(km);
            if desired.key_manager.iter().any(|k| k.svm.as_deref() == svm) {
                continue;
            }
            let Some(uuid) = &km.uuid else { continue };
            let scope = scope_label(svm);
            changes.push(Change {
                key: "prune".into(),
                old: json!(format!("key manager of {scope}")),
                new: json!(null),
            });
            steps.push(Step {
                what: "delete key manager",
                request: key_managers::delete(uuid),
                lowering: vec![format!(
                    "Deleting the key manager of {scope} (prune = true): data encrypted with its keys becomes unreadable unless another key manager holds them."
                )],
            });
        }
    }
}

fn problem(problems: &mut Vec<FileViolation>, key: String, message: String) {
    problems.push(FileViolation {
        key,
        message,
        code: None,
    });
}

fn plan_certificate(
    i: usize,
    c: &CertificateSettings,
    current: &Current,
    inputs: &Inputs,
    changes: &mut Vec<Change>,
    steps: &mut Vec<Step>,
    problems: &mut Vec<FileViolation>,
) {
    let key = format!("certificate[{i}]");
    let read = |path: &Option<String>, field: &str, problems: &mut Vec<FileViolation>| {
        let path = path.as_ref()?;
        let text = inputs.files.get(path).cloned();
        if text.is_none() {
            problem(
                problems,
                format!("{key}.{field}"),
                format!("{path} was not read."),
            );
        }
        text
    };
    let pem = read(&c.public_certificate, "public_certificate", problems);
    // A private key is only needed to install: a certificate already installed with the same
    // PEM plans nothing even where the key was not supplied.
    let private_key = c
        .private_key
        .as_ref()
        .and_then(|p| inputs.files.get(p))
        .cloned();
    let key_missing = c.private_key.is_some() && private_key.is_none();
    let body = Certificate {
        name: Some(c.name.clone()),
        type_: serde_json::from_value::<CertificateType>(json!(c.type_)).ok(),
        svm: c.svm.as_ref().map(|name| SvmRef {
            name: Some(name.clone()),
            ..SvmRef::default()
        }),
        public_certificate: pem.clone(),
        private_key: private_key.map(Secret::new),
        common_name: c.common_name.clone(),
        key_size: c.key_size,
        hash_function: c.hash_function.clone(),
        expiry_time: c.expiry_time.clone(),
        ..Certificate::default()
    };
    let existing = current
        .certificates
        .iter()
        .find(|e| e.name.as_deref() == Some(&c.name) && cert_svm(e) == c.svm.as_deref());
    let label = format!("{} ({})", c.name, c.type_);
    let replacing = match existing {
        None => None,
        Some(e) => {
            let (Some(pem), Some(uuid)) = (&pem, &e.uuid) else {
                return;
            };
            if e.public_certificate
                .as_deref()
                .is_some_and(|old| same_pem(old, pem))
            {
                return;
            }
            let users = key_managers::certificate_users(&current.key_managers, uuid);
            if !users.is_empty() {
                problem(
                    problems,
                    format!("{key}.public_certificate"),
                    format!(
                        "{} differs from the installed certificate, which {} uses. ONTAP certificates cannot be changed, only deleted and installed again, and a certificate in use cannot be deleted: install the new one under another name, point the key manager to it, then remove the old one from the file.",
                        c.name,
                        users.join(" and ")
                    ),
                );
                return;
            }
            Some(uuid.clone())
        }
    };
    if key_missing {
        problem(
            problems,
            format!("{key}.private_key"),
            format!(
                "{} was not found: ONTAP never returns a private key; supply the file to install {}.",
                c.private_key.as_deref().unwrap_or_default(),
                c.name
            ),
        );
        return;
    }
    let install = match certificates::create(&body, inputs.now) {
        Ok(request) => request,
        Err(v) => {
            collect(problems, &key, Err(v));
            return;
        }
    };
    let (old, new) = match &replacing {
        None => (json!(null), json!(format!("install {label}"))),
        Some(_) => (
            json!(format!("installed {label}")),
            json!(format!("replace {label} (delete, then install)")),
        ),
    };
    changes.push(Change { key, old, new });
    if let Some(uuid) = replacing {
        steps.push(Step {
            what: "certificate (replace: delete)",
            request: certificates::delete(&uuid),
            lowering: Vec::new(),
        });
    }
    steps.push(Step {
        what: "certificate",
        request: install,
        lowering: Vec::new(),
    });
}

#[allow(clippy::too_many_arguments)]
fn plan_key_manager(
    i: usize,
    k: &KeyManagerSettings,
    desired: &SettingsFile,
    current: &Current,
    inputs: &Inputs,
    changes: &mut Vec<Change>,
    steps: &mut Vec<Step>,
    problems: &mut Vec<FileViolation>,
) {
    let key = format!("key_manager[{i}]");
    let scope = k.scope_label();
    if let Some(ext) = &k.external {
        let names = ext
            .client_certificate
            .iter()
            .chain(&ext.server_ca_certificates);
        for name in names {
            let known = desired.certificate.iter().any(|c| &c.name == name)
                || current
                    .certificates
                    .iter()
                    .any(|c| c.name.as_ref() == Some(name));
            if !known {
                problem(
                    problems,
                    format!("{key}.external"),
                    format!("No certificate named {name} is installed or in the file's [[certificate]] list."),
                );
            }
        }
    }
    let existing = current
        .key_managers
        .iter()
        .find(|m| svm_of(m) == k.svm.as_deref());
    let Some(existing) = existing else {
        let body = match wanted_body(&key, k, inputs, problems) {
            Some(body) => body,
            None => return,
        };
        match key_managers::create(&body) {
            Ok(request) => {
                changes.push(Change {
                    key,
                    old: json!(null),
                    new: json!(format!(
                        "create the {} key manager of {scope}",
                        if k.onboard.is_some() {
                            "onboard"
                        } else {
                            "external"
                        }
                    )),
                });
                steps.push(Step {
                    what: "key manager",
                    request,
                    lowering: Vec::new(),
                });
            }
            Err(v) => collect(problems, &key, Err(v)),
        }
        return;
    };
    let uuid = existing.uuid.clone().unwrap_or_default();
    match (&k.external, &existing.external) {
        (Some(want), Some(now)) => {
            plan_servers(&key, &uuid, want, now, changes, steps, problems);
            plan_certificates(&key, &uuid, want, now, current, changes, steps, problems);
        }
        (None, None) if k.onboard.is_some() => {}
        _ => problem(
            problems,
            key,
            format!(
                "The key manager of {scope} on the cluster is {}: switching between onboard and external is a migration, not a setting; do it in the console.",
                if existing.is_onboard() { "onboard" } else { "external" }
            ),
        ),
    }
}

/// The POST body of a key manager the cluster does not have.
fn wanted_body(
    key: &str,
    k: &KeyManagerSettings,
    inputs: &Inputs,
    problems: &mut Vec<FileViolation>,
) -> Option<KeyManager> {
    let mut body = KeyManager {
        svm: k.svm.as_ref().map(|name| SvmRef {
            name: Some(name.clone()),
            ..SvmRef::default()
        }),
        ..KeyManager::default()
    };
    if let Some(onboard) = &k.onboard {
        let passphrase = match &onboard.passphrase {
            Some(env) => match inputs.secrets.get(&env.env) {
                Some(secret) => Some(secret.clone()),
                None => {
                    problem(
                        problems,
                        format!("{key}.onboard.passphrase"),
                        format!("The environment variable {} is not set.", env.env),
                    );
                    return None;
                }
            },
            None => None,
        };
        body.onboard = Some(Onboard {
            passphrase,
            ..Onboard::default()
        });
    }
    if let Some(ext) = &k.external {
        body.external = Some(External {
            servers: Some(ext.servers.iter().map(KeyServer::at).collect()),
            client_certificate: ext.client_certificate.as_deref().map(by_name),
            server_ca_certificates: Some(
                ext.server_ca_certificates
                    .iter()
                    .map(|n| by_name(n))
                    .collect(),
            ),
            ..External::default()
        });
    }
    Some(body)
}

fn by_name(name: &str) -> CertificateRef {
    CertificateRef {
        name: Some(name.to_owned()),
        ..CertificateRef::default()
    }
}

fn same_server(a: &str, b: &str) -> bool {
    match (ServerAddress::parse(a), ServerAddress::parse(b)) {
        (Ok(a), Ok(b)) => a.same_server(&b),
        _ => a == b,
    }
}

fn plan_servers(
    key: &str,
    uuid: &str,
    want: &ExternalSettings,
    now: &External,
    changes: &mut Vec<Change>,
    steps: &mut Vec<Step>,
    problems: &mut Vec<FileViolation>,
) {
    let mut have: Vec<KeyServer> = now.servers.clone().unwrap_or_default();
    let names: Vec<String> = have.iter().filter_map(|s| s.server.clone()).collect();
    let add: Vec<KeyServer> = want
        .servers
        .iter()
        .filter(|w| !names.iter().any(|n| same_server(n, w)))
        .map(KeyServer::at)
        .collect();
    let remove: Vec<String> = names
        .iter()
        .filter(|n| !want.servers.iter().any(|w| same_server(n, w)))
        .cloned()
        .collect();
    if add.is_empty() && remove.is_empty() {
        return;
    }
    changes.push(Change {
        key: format!("{key}.external.servers"),
        old: json!(names),
        new: json!(want.servers),
    });
    let field = format!("{key}.external.servers");
    if !add.is_empty() {
        match key_managers::add_servers(uuid, &add, &have) {
            Ok(request) => steps.push(Step {
                what: "add key servers",
                request,
                lowering: Vec::new(),
            }),
            Err(v) => collect(problems, &field, Err(v)),
        }
        have.extend(add);
    }
    for server in remove {
        match key_managers::remove_server(uuid, &server, &have) {
            Ok(request) => steps.push(Step {
                what: "remove key server",
                request,
                lowering: Vec::new(),
            }),
            Err(v) => collect(problems, &field, Err(v)),
        }
        have.retain(|s| s.server.as_deref() != Some(server.as_str()));
    }
}

#[allow(clippy::too_many_arguments)]
fn plan_certificates(
    key: &str,
    uuid: &str,
    want: &ExternalSettings,
    now: &External,
    current: &Current,
    changes: &mut Vec<Change>,
    steps: &mut Vec<Step>,
    problems: &mut Vec<FileViolation>,
) {
    let mut change = External::default();
    let client_now = now
        .client_certificate
        .as_ref()
        .and_then(|r| ref_name(current, r));
    if want.client_certificate.is_some() && want.client_certificate != client_now {
        changes.push(Change {
            key: format!("{key}.external.client_certificate"),
            old: json!(client_now),
            new: json!(want.client_certificate),
        });
        change.client_certificate = want.client_certificate.as_deref().map(by_name);
    }
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let cas_now: Vec<String> = now
        .server_ca_certificates
        .iter()
        .flatten()
        .filter_map(|r| ref_name(current, r))
        .collect();
    if !want.server_ca_certificates.is_empty()
        && sorted(want.server_ca_certificates.clone()) != sorted(cas_now.clone())
    {
        changes.push(Change {
            key: format!("{key}.external.server_ca_certificates"),
            old: json!(cas_now),
            new: json!(want.server_ca_certificates),
        });
        change.server_ca_certificates = Some(
            want.server_ca_certificates
                .iter()
                .map(|n| by_name(n))
                .collect(),
        );
    }
    if change == External::default() {
        return;
    }
    let body = KeyManager {
        external: Some(change),
        ..KeyManager::default()
    };
    match key_managers::update(uuid, &body, None) {
        Ok(request) => steps.push(Step {
            what: "key manager certificates",
            request,
            lowering: Vec::new(),
        }),
        Err(v) => collect(problems, key, Err(v)),
    }
}
