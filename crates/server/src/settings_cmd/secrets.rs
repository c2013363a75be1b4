//! What a settings file refers to but does not hold: secrets from environment variables and PEM
//! files from disk (read at plan time, bounded, paths relative to the settings file), and
//! `get --as-file --pem-dir`: the cluster's key managers and the certificates they use, the
//! public PEMs written to a directory. A secret's value is never printed: errors name the
//! variable or the path only.

use std::path::Path;

use ontap_core::secret::Secret;
use ontap_core::settings::{self, objects, Current, Inputs, SettingsFile};

use crate::audit::targets;

/// Reads every environment variable and file `file` refers to. A variable that is not set is
/// an error naming it (and the key that refers to it).
pub fn read_inputs(file: &SettingsFile, settings_path: &Path) -> Result<Inputs, String> {
    let mut inputs = Inputs {
        now: jiff::Timestamp::now(),
        ..Inputs::default()
    };
    for name in Inputs::env_names(file) {
        match std::env::var(&name) {
            Ok(value) if !value.is_empty() => {
                inputs.secrets.insert(name, Secret::new(value));
            }
            _ => {
                return Err(format!(
                    "the environment variable {name} is not set (the file refers to it for an onboard key manager's passphrase); nothing was sent"
                ))
            }
        }
    }
    let base = settings_path.parent().unwrap_or(Path::new(""));
    for cert in &file.certificate {
        if let Some(path) = &cert.public_certificate {
            let text = targets::read_bounded(&base.join(path))
                .map_err(|e| format!("{e}; nothing was sent"))?;
            inputs.files.insert(path.clone(), text);
        }
        // A missing key is only an error when the plan must install the certificate (core
        // says so at the file's key); an unreadable one is an error now.
        if let Some(path) = &cert.private_key {
            let full = base.join(path);
            if full.exists() {
                let text =
                    targets::read_bounded(&full).map_err(|e| format!("{e}; nothing was sent"))?;
                inputs.files.insert(path.clone(), text);
            }
        }
    }
    Ok(inputs)
}

/// The cluster's settings, key managers and (with `pem_dir`) the certificates they use, as a
/// file; the public PEMs are written into `pem_dir`. The header lists the environment
/// variables to set and the private keys to supply.
pub fn to_file_with_pems(current: &Current, pem_dir: Option<&Path>) -> Result<String, String> {
    let mut file = settings::from_cluster(current);
    let dir = pem_dir.map(|d| d.display().to_string());
    let (key_manager, certificate, pems) = objects::from_cluster(current, dir.as_deref());
    file.key_manager = key_manager;
    file.certificate = certificate;
    if let Some(dir) = pem_dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for (path, pem) in &pems {
            std::fs::write(path, pem).map_err(|e| format!("{path}: {e}"))?;
        }
    }
    let mut notes = String::new();
    for name in Inputs::env_names(&file) {
        notes.push_str(&format!(
            "# Set {name} to the onboard key manager's passphrase before plan and apply.\n"
        ));
    }
    for cert in &file.certificate {
        if let Some(key) = &cert.private_key {
            notes.push_str(&format!(
                "# Supply {key}: ONTAP never returns a private key (certificate {}).\n",
                cert.name
            ));
        }
    }
    if pem_dir.is_none() && file.key_manager.iter().any(|k| k.external.is_some()) {
        notes.push_str(
            "# The key managers' certificates are not managed here: add --pem-dir DIR to manage them.\n",
        );
    }
    super::to_file_text(&file, &notes).map_err(|e| e.to_string())
}
