//! chromedriver for one test, and the capabilities of the headless Chromium it starts.

use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::{free_port, path_from_env};

/// chromedriver in its own process group, so that the Chromium it starts ends with it.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let bin = path_from_env("CHROMEDRIVER", PathBuf::from("/usr/bin/chromedriver"));
        let port = free_port();
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        Driver {
            child,
            port,
            _profile: tempfile::tempdir().expect("a Chromium profile folder"),
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn capabilities(&self) -> serde_json::Map<String, Value> {
        let chromium = path_from_env("CHROMIUM", PathBuf::from("/usr/bin/chromium"));
        let profile = format!("--user-data-dir={}", self._profile.path().display());
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                         "--window-size=1400,1000", profile],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        match caps {
            Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}
