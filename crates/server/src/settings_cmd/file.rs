//! Reads a settings file: bounded, parsed as TOML into core's [`SettingsFile`], and every problem
//! located at the file's line (TOML's spans), so a violation reads
//! `cluster.toml:12: security.tls.protocol_versions: … (ONTAP error CODE)`.

use std::path::{Path, PathBuf};

use ontap_core::settings::{FileViolation, Inputs, SettingsFile};
use toml::de::{DeTable, DeValue};

use crate::audit::targets;

/// A settings file, read and parsed, with its text kept to locate keys.
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub settings: SettingsFile,
    /// The secrets and PEM files the file refers to, read before any cluster is contacted.
    pub inputs: Inputs,
}

/// Why a settings file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{0}")]
    Read(String),
    /// TOML's own message names the line and column (and, for an unknown key, the expected ones).
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
}

/// Reads and parses `path` (at most [`targets::MAX_FILE_BYTES`]).
pub fn load(path: &Path) -> Result<Loaded, FileError> {
    let text = targets::read_bounded(path).map_err(|e| FileError::Read(e.to_string()))?;
    let settings = toml::from_str::<SettingsFile>(&text).map_err(|e| FileError::Parse {
        path: path.display().to_string(),
        message: e.to_string().trim_end().to_owned(),
    })?;
    let inputs = super::secrets::read_inputs(&settings, path).map_err(FileError::Read)?;
    Ok(Loaded {
        path: path.to_owned(),
        text,
        settings,
        inputs,
    })
}

impl Loaded {
    /// One line per violation: `FILE:LINE: KEY: sentence (ONTAP error CODE)`.
    pub fn describe(&self, violation: &FileViolation) -> String {
        let line = line_of(&self.text, &violation.key);
        format!(
            "{}:{line}: {}: {}",
            self.path.display(),
            violation.key,
            ontap_core::error::with_code(&violation.message, violation.code)
        )
    }
}

/// The 1-based line of `key` (`a.b.c` or `a.b.c[2]`) in `text`: the deepest part of the key
/// that the file has (a rule on a setting the file leaves out points at its section).
pub fn line_of(text: &str, key: &str) -> usize {
    let Ok(root) = DeTable::parse(text) else {
        return 1;
    };
    let mut offset = 0;
    let mut table = Some(root.get_ref());
    let mut value: Option<&DeValue<'_>> = None;
    for part in key.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Some(entry) = table.and_then(|t| t.iter().find(|(k, _)| k.get_ref().as_ref() == name))
        else {
            break;
        };
        offset = entry.0.span().start;
        let mut found = entry.1;
        if let (Some(i), Some(items)) = (index, found.get_ref().as_array()) {
            if let Some(item) = items.get(i) {
                offset = item.span().start;
                found = item;
            }
        }
        value = Some(found.get_ref());
        table = value.and_then(DeValue::as_table);
    }
    let _ = value;
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::line_of;

    #[test]
    fn keys_are_found_at_their_line() {
        let text = "# a comment\n[security.fips]\nenabled = true\n\n[security.tls]\nprotocol_versions = [\n  \"TLSv1.3\",\n  \"TLSv1.1\",\n]\n[ipsec]\nreplay_window = 100\n";
        assert_eq!(line_of(text, "security.fips.enabled"), 3);
        assert_eq!(line_of(text, "security.tls.protocol_versions"), 6);
        assert_eq!(line_of(text, "security.tls.protocol_versions[1]"), 8);
        assert_eq!(line_of(text, "ipsec.replay_window"), 11);
        assert_eq!(line_of(text, "security.tls.cipher_suites"), 5);
    }

    #[test]
    fn array_of_tables_keys_are_found_by_index() {
        let text = "[[certificate]]\nname = \"a\"\n\n[[certificate]]\nname = \"b\"\nprivate_key = \"b.key\"\n\n[[key_manager]]\n[key_manager.onboard]\nenabled = true\npassphrase = { env = \"X\" }\n";
        assert_eq!(line_of(text, "certificate[1].private_key"), 6);
        assert_eq!(line_of(text, "key_manager[0].onboard.passphrase"), 11);
    }
}
