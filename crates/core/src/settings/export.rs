//! The cluster's key managers and the certificates they use as the file's sections (`get
//! --as-file`): secrets become environment-variable references, certificates PEM paths.

use super::diff::Current;
use super::managed::*;
use crate::certificates::Certificate;
use crate::envelope::Scope;
use crate::key_managers::{CertificateRef, KeyManager};

/// The SVM a key manager belongs to (`None` at cluster scope).
pub fn svm_of(km: &KeyManager) -> Option<&str> {
    if km.scope == Some(Scope::Cluster) {
        return None;
    }
    km.svm.as_ref().and_then(|s| s.name.as_deref())
}

pub(super) fn cert_svm(cert: &Certificate) -> Option<&str> {
    if cert.scope == Some(Scope::Cluster) {
        return None;
    }
    cert.svm.as_ref().and_then(|s| s.name.as_deref())
}

/// The environment variable `get --as-file` names for an onboard passphrase.
pub fn passphrase_env(svm: Option<&str>) -> String {
    match svm {
        None => "ONTAP_OKM_PASSPHRASE".to_owned(),
        Some(name) => {
            let name: String = name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            format!("ONTAP_OKM_PASSPHRASE_{name}")
        }
    }
}

/// The cluster's key managers and (with `pem_dir`) the certificates they use, with the PEM
/// files to write (`(path, pem)`). Private keys cannot be read: their paths are named for the
/// user to supply.
pub fn from_cluster(
    current: &Current,
    pem_dir: Option<&str>,
) -> (
    Vec<KeyManagerSettings>,
    Vec<CertificateSettings>,
    Vec<(String, String)>,
) {
    let mut managers = Vec::new();
    let mut used: Vec<&Certificate> = Vec::new();
    for km in &current.key_managers {
        let svm = svm_of(km).map(str::to_owned);
        let mut out = KeyManagerSettings {
            svm: svm.clone(),
            ..KeyManagerSettings::default()
        };
        if let Some(ext) = &km.external {
            let mut refs: Vec<&CertificateRef> = ext.client_certificate.iter().collect();
            refs.extend(ext.server_ca_certificates.iter().flatten());
            for r in refs {
                if let Some(cert) = find_ref(current, r) {
                    if !used.iter().any(|u| u.uuid == cert.uuid) {
                        used.push(cert);
                    }
                }
            }
            out.external = Some(ExternalSettings {
                servers: ext
                    .servers
                    .iter()
                    .flatten()
                    .filter_map(|s| s.server.clone())
                    .collect(),
                client_certificate: ext
                    .client_certificate
                    .as_ref()
                    .and_then(|r| ref_name(current, r)),
                server_ca_certificates: ext
                    .server_ca_certificates
                    .iter()
                    .flatten()
                    .filter_map(|r| ref_name(current, r))
                    .collect(),
            });
        } else if let Some(onboard) = &km.onboard {
            out.onboard = Some(OnboardSettings {
                enabled: Some(onboard.enabled.unwrap_or(true)),
                passphrase: Some(EnvRef {
                    env: passphrase_env(svm.as_deref()),
                }),
            });
        }
        managers.push(out);
    }
    let mut certs = Vec::new();
    let mut pems = Vec::new();
    if let Some(dir) = pem_dir {
        let dir = dir.trim_end_matches('/');
        for cert in used {
            let (Some(name), Some(ty)) = (&cert.name, &cert.type_) else {
                continue;
            };
            let pem_path = format!("{dir}/{name}.pem");
            if let Some(pem) = &cert.public_certificate {
                pems.push((pem_path.clone(), pem.clone()));
            }
            certs.push(CertificateSettings {
                name: name.clone(),
                type_: ty.name().to_owned(),
                svm: cert_svm(cert).map(str::to_owned),
                public_certificate: Some(pem_path),
                private_key: ty.has_private_key().then(|| format!("{dir}/{name}.key")),
                ..CertificateSettings::default()
            });
        }
    }
    (managers, certs, pems)
}

fn find_ref<'a>(current: &'a Current, r: &CertificateRef) -> Option<&'a Certificate> {
    current.certificates.iter().find(|c| {
        (r.uuid.is_some() && c.uuid == r.uuid)
            || (r.uuid.is_none() && r.name.is_some() && c.name == r.name)
    })
}

pub(super) fn ref_name(current: &Current, r: &CertificateRef) -> Option<String> {
    r.name
        .clone()
        .or_else(|| find_ref(current, r).and_then(|c| c.name.clone()))
}
