//! `cargo xtask conformance`: NetApp's own Python client (`netapp-ontap`, pinned in
//! `tests/conformance/requirements.txt`) drives `ontap-console serve` through every seed
//! operation. The virtual environment lives under `target/conformance/venv`; ONTAP's codes
//! reach the Python tests as a JSON file written from core's catalog, so no code is spelled
//! twice. Real ONTAP clients speak HTTPS: a test CA and a server certificate for the loopback
//! address (made here with rcgen, under `target/conformance/tls`) let the suite start `serve
//! --tls-cert/--tls-key` and verify the simulator's certificate against that CA, as a client
//! configured with a cluster's CA would.

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
    let tls = dir.join("tls");
    write_test_pki(&tls)?;
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
        .env("ONTAP_TLS_DIR", &tls)
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

/// Writes `ca.pem` (a CA made for this run), and `server.pem`/`server-key.pem` (signed by it,
/// for `127.0.0.1` and `localhost`) into `dir`. Made fresh each run: its key never outlives it.
fn write_test_pki(dir: &Path) -> Result<(), String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let fail = |e: rcgen::Error| format!("cannot make the test certificates: {e}");
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "ontap-console conformance test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(fail)?;
    let ca_cert = ca.self_signed(&ca_key).map_err(fail)?;
    let issuer = Issuer::new(ca, ca_key);
    let mut server = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .map_err(fail)?;
    server
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    server.use_authority_key_identifier_extension = true;
    server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_key = KeyPair::generate().map_err(fail)?;
    let server_cert = server.signed_by(&server_key, &issuer).map_err(fail)?;
    for (name, pem) in [
        ("ca.pem", ca_cert.pem()),
        ("server.pem", server_cert.pem()),
        ("server-key.pem", server_key.serialize_pem()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, pem).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
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
