//! The state file: read at start, written atomically after every change (temporary file in the
//! same folder, fsync, rename), readable by its owner only.

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
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let body = serde_json::to_vec(state).map_err(|e| fail(std::io::Error::other(e.to_string())))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(fail)?;
    file.write_all(&body).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(fail)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
