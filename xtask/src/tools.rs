//! Installs what building and testing the console needs, when it is missing: the wasm32
//! target, trunk, wasm-bindgen-cli at the version in Cargo.lock, Debian's Chromium,
//! ChromeDriver and nginx. Nothing is downloaded at build time (Trunk.toml is offline).

use std::process::Command;

use crate::{root, run, run_in};

/// trunk 0.22 needs a newer rustc than this project's.
const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The static-site tests serve the console from nginx (docs/static-site.md); they start their
/// own nginx on a loopback port, never the package's system service.
pub const NGINX: &str = "/usr/sbin/nginx";

/// What `program --version` prints, when it runs.
fn version_of(program: &str) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if String::from_utf8_lossy(&installed.stdout).contains("wasm32-unknown-unknown") {
        return Ok(());
    }
    run("rustup", &["target", "add", "wasm32-unknown-unknown"])
}

/// trunk, and the wasm-bindgen CLI that must equal the `wasm-bindgen` crate in Cargo.lock.
pub fn ensure_console_tools() -> Result<(), String> {
    let trunk = version_of("trunk").unwrap_or_default();
    if !trunk.ends_with(TRUNK_VERSION) {
        eprintln!("xtask: installing trunk {TRUNK_VERSION} (takes a while, once)");
        run(
            "cargo",
            &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
        )?;
    }
    let wanted = locked_version("wasm-bindgen")?;
    let have = version_of("wasm-bindgen").unwrap_or_default();
    if !have.ends_with(&wanted) {
        eprintln!("xtask: installing wasm-bindgen-cli {wanted}");
        // Not --locked: its lockfile wants a crate version the registry may lack.
        let exact = format!("={wanted}");
        run(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &exact],
        )?;
    }
    Ok(())
}

/// The version of `package` that Cargo.lock pins.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err(format!("Cargo.lock pins no {package}"))
}

/// Debian's Chromium, ChromeDriver and nginx, for the browser tests and the benchmark.
pub fn ensure_browser_tools() -> Result<(), String> {
    let wanted = [
        (CHROMIUM, "chromium"),
        (CHROMEDRIVER, "chromium-driver"),
        (NGINX, "nginx"),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(path, _)| !std::path::Path::new(path).is_file())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian's {}", missing.join(", "));
    let quiet = [("DEBIAN_FRONTEND".to_owned(), "noninteractive".to_owned())];
    run_in("apt-get", &["update", "-q"], &quiet)?;
    let mut args = vec!["install", "-y", "-q"];
    args.extend(missing);
    run_in("apt-get", &args, &quiet)
}
