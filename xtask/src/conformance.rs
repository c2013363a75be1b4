//! `cargo xtask conformance`: NetApp's own Python client (`netapp-ontap`, pinned in
//! `tests/conformance/requirements.txt`) drives `ontap-console serve` through every seed
//! operation. The virtual environment lives under `target/conformance/venv`; ONTAP's codes
//! reach the Python tests as a JSON file written from core's catalog, so no code is spelled
//! twice.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The whole suite takes seconds; a hung server or client must not hold CI.
const PYTEST_LIMIT: Duration = Duration::from_secs(600);

/// Creates the venv when missing, installs the pinned packages, builds the server and runs
/// pytest within [`PYTEST_LIMIT`].
pub fn conformance(root: &Path) -> Result<(), String> {
    let dir = root.join("target/conformance");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let venv = dir.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        status(
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
            "python3 -m venv",
        )?;
    }
    let requirements = root.join("tests/conformance/requirements.txt");
    status(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements),
        "pip install -r tests/conformance/requirements.txt",
    )?;
    status(
        Command::new("cargo")
            .args(["build", "-p", "ontap-console"])
            .current_dir(root),
        "cargo build -p ontap-console",
    )?;
    let codes = dir.join("codes.json");
    std::fs::write(&codes, codes_json()).map_err(|e| format!("cannot write codes: {e}"))?;
    let mut pytest = Command::new(&python);
    pytest
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/conformance",
        ])
        .env("ONTAP_CONSOLE_BIN", root.join("target/debug/ontap-console"))
        .env("ONTAP_CODES", &codes)
        .current_dir(root);
    bounded(pytest, PYTEST_LIMIT)
}

/// `{"NAME": code, ...}` for every code core's catalog names.
fn codes_json() -> String {
    let pairs: Vec<String> = ontap_core::catalog::codes::ALL
        .iter()
        .map(|(name, code)| format!("\"{name}\": {code}"))
        .collect();
    format!("{{{}}}\n", pairs.join(", "))
}

fn status(command: &mut Command, what: &str) -> Result<(), String> {
    eprintln!("$ {what}");
    let result = command
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if result.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({result})"))
    }
}

/// Runs `command` in its own process group; past `limit`, ends that group (pytest and the
/// servers it started) and fails.
fn bounded(mut command: Command, limit: Duration) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    eprintln!("$ pytest tests/conformance (at most {} s)", limit.as_secs());
    let mut child = command
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run pytest: {e}"))?;
    let deadline = Instant::now() + limit;
    loop {
        if let Some(result) = child.try_wait().map_err(|e| format!("pytest: {e}"))? {
            return if result.success() {
                Ok(())
            } else {
                Err(format!("the conformance suite failed ({result})"))
            };
        }
        if Instant::now() >= deadline {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let _ = child.wait();
            return Err(format!(
                "the conformance suite took more than {} s",
                limit.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
