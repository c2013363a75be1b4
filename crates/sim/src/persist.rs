//! The state file: read at start, written atomically after every change (temporary file in the
//! same folder, fsync, rename), readable by its owner only. The temporary file has a random
//! name and is created exclusively (`create_new`, i.e. `O_CREAT|O_EXCL`): a file or symlink
//! planted in the folder beforehand is refused, never written through. Secrets typed by users
//! are kept hashed ([`crate::secrets`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::state::ClusterState;

/// Why the state file could not be used. Never shows the file's content.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("cannot read the state file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the state file {path} is not a simulator state (line {line}, column {column})")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("cannot write the state file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Loads the state, or `None` when the file does not exist yet.
pub fn load(path: &Path) -> Result<Option<ClusterState>, PersistError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(PersistError::Read {
                path: path.to_owned(),
                source,
            })
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| PersistError::Parse {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
        })
}

/// Creates `path` (it must not exist, not even as a dangling symlink: `O_CREAT|O_EXCL` never
/// follows one), owner-only, and writes `body` to disk before returning.
fn write_new(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(body)?;
    file.sync_all()
}

/// Writes the state atomically: a reader sees the old file or the new one, never half of one.
pub fn save(path: &Path, state: &ClusterState) -> Result<(), PersistError> {
    let fail = |source| PersistError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let body = serde_json::to_vec(state).map_err(|e| fail(std::io::Error::other(e.to_string())))?;
    if let Err(e) = write_new(&tmp, &body) {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            // Ours (created, then the write failed): not left behind.
            let _ = std::fs::remove_file(&tmp);
        }
        return Err(fail(e));
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_refused_not_followed() {
        let dir = std::env::temp_dir().join(format!("ontap-persist-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        let tmp = dir.join(".state.json.planted.tmp");
        std::os::unix::fs::symlink(&victim, &tmp).unwrap();
        let err = write_new(&tmp, b"{}").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        // A dangling one too.
        let dangling = dir.join(".dangling.tmp");
        std::os::unix::fs::symlink(dir.join("nowhere"), &dangling).unwrap();
        assert!(write_new(&dangling, b"{}").is_err());
        assert!(!dir.join("nowhere").exists());
        std::fs::remove_dir_all(&dir).ok();
    }
}
