//! Project automation. Each command installs what it needs on a fresh machine first:
//! - `cargo xtask test`: every check CI runs (formatting, lints on host and wasm32, unit,
//!   property, HTTP and browser tests).
//! - `cargo xtask serve [flags]`: builds the console and runs `ontap-console serve [flags]`
//!   against the embedded simulator.
//! - `cargo xtask conformance`: NetApp's Python client (`netapp-ontap`) against the simulator
//!   (also part of `test`).
//! - `cargo xtask bench`: builds the release console and prints its budget figures, then the
//!   server's load figures; `cargo xtask bench server` prints only the latter, and
//!   `cargo xtask bench console [STEP...]` only the console's (some of its steps: `download`,
//!   `interactive`, `certificates`, `posture`, `audit`).
//! - `cargo xtask bench cli`: the command line's fleet audit (100 and 1,000 simulated clusters):
//!   wall time with the default `--jobs` and with `--jobs 1`, peak memory of the audit process.
//! - `cargo xtask split [profile]`: trunk's post-build hook (see Trunk.toml), not for hand use.

mod compress;
mod conformance;
mod minify;
mod split;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("serve") => serve(&args[1..]),
        Some("bench") if args.get(1).map(String::as_str) == Some("server") => bench_server(),
        Some("bench") if args.get(1).map(String::as_str) == Some("cli") => bench_cli(),
        Some("bench") if args.get(1).map(String::as_str) == Some("console") => bench(&args[2..]),
        Some("bench") => bench(&[])
            .and_then(|()| bench_server())
            .and_then(|()| bench_cli()),
        Some("conformance") => conformance::conformance(&root()),
        Some("split") => split::split(args.get(1).map_or("wasm-release", String::as_str)),
        _ => {
            eprintln!("usage: cargo xtask <test | serve [ontap-console serve flags] | bench [server | cli | console [step...]] | conformance | split [profile]>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one folder below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Every check CI runs: formatting, lints (host and wasm32), then all tests, the browser tests
/// against the built console included.
fn test() -> Result<(), String> {
    tools::ensure_wasm_target()?;
    run("cargo", &["fmt", "--all", "--", "--check"])?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    run(
        "cargo",
        &[
            "clippy",
            "-p",
            "ontap-core",
            "-p",
            "ontap-web",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    tools::ensure_console_tools()?;
    tools::ensure_browser_tools()?;
    build_ui()?;
    run("cargo", &["build", "-p", "ontap-console"])?;
    let bin = root().join("target/debug/ontap-console");
    let env = browser_env(&bin);
    let tests = run_tests(&["test", "--workspace", "--no-fail-fast"], &env);
    // NetApp's own client against the simulator, whatever the Rust tests said.
    let conformance = conformance::conformance(&root());
    tests.and(conformance)
}

/// Builds the console (trunk, release profile) into `dist/`, with precompressed copies.
fn build_ui() -> Result<(), String> {
    run_in(
        "trunk",
        &["build", "--release", "--config", "Trunk.toml"],
        &[],
    )?;
    let (plain, gz, br) = compress::precompress(&root().join("dist"))?;
    eprintln!("xtask: console built: {plain} bytes, {gz} gzip, {br} brotli");
    Ok(())
}

/// Where the browser tests and the benchmark find the console, its binary and the browser.
fn browser_env(bin: &Path) -> Vec<(String, String)> {
    vec![
        ("ONTAP_CONSOLE_BIN".into(), bin.display().to_string()),
        (
            "ONTAP_CONSOLE_UI".into(),
            root().join("dist").display().to_string(),
        ),
        ("CHROMEDRIVER".into(), tools::CHROMEDRIVER.into()),
        ("CHROMIUM".into(), tools::CHROMIUM.into()),
        ("NGINX".into(), tools::NGINX.into()),
    ]
}

/// Runs `cargo test`, passing its output through, and closes with one line that counts every
/// test of every crate (cargo's own last line only counts the last test binary).
fn run_tests(args: &[&str], env: &[(String, String)]) -> Result<(), String> {
    use std::io::{BufRead, BufReader};
    eprintln!("$ cargo {}", args.join(" "));
    let mut child = Command::new("cargo")
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let (mut passed, mut failed, mut ignored) = (0u64, 0u64, 0u64);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(rest) = line.strip_prefix("test result: ") {
                for part in rest.split(';') {
                    let mut words = part.split_whitespace().rev();
                    let (Some(label), Some(count)) = (words.next(), words.next()) else {
                        continue;
                    };
                    let Ok(count) = count.parse::<u64>() else {
                        continue;
                    };
                    match label {
                        "passed" => passed += count,
                        "failed" => failed += count,
                        "ignored" => ignored += count,
                        _ => {}
                    }
                }
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo test did not finish: {e}"))?;
    println!("Tests: {passed} passed, {failed} failed, {ignored} skipped");
    if status.success() && failed == 0 {
        Ok(())
    } else {
        Err("some tests failed".to_owned())
    }
}

/// Builds the console and runs `ontap-console serve` against the embedded simulator.
fn serve(extra: &[String]) -> Result<(), String> {
    tools::ensure_wasm_target()?;
    tools::ensure_console_tools()?;
    build_ui()?;
    let mut args = vec!["run", "--release", "-p", "ontap-console", "--", "serve"];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args)
}

/// Builds the release console and server, then prints the budget figures (download size,
/// time to interactive, the certificate list at 10,000).
fn bench(steps: &[String]) -> Result<(), String> {
    tools::ensure_wasm_target()?;
    tools::ensure_console_tools()?;
    tools::ensure_browser_tools()?;
    build_ui()?;
    run("cargo", &["build", "--release", "-p", "ontap-console"])?;
    let env = browser_env(&root().join("target/release/ontap-console"));
    let mut args = vec![
        "bench",
        "-p",
        "ontap-browser-tests",
        "--bench",
        "console",
        "--",
    ];
    args.extend(steps.iter().map(String::as_str));
    run_in("cargo", &args, &env)
}

/// The server under load on loopback: 64 clients mixing reads and writes against the simulator
/// for 3 s, then 64 clients fetching a static file for 3 s; prints requests per second and p99
/// latency of each (crates/server/benches/load.rs).
fn bench_server() -> Result<(), String> {
    run(
        "cargo",
        &["bench", "-p", "ontap-console", "--bench", "load"],
    )
}

/// The fleet audit at scale: no browser, no console build. The bench (crates/server/benches/
/// cli.rs) serves the simulated clusters and runs the `ontap-console` that cargo built with it.
fn bench_cli() -> Result<(), String> {
    run("cargo", &["bench", "-p", "ontap-console", "--bench", "cli"])
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    run_in(program, args, &[])
}

/// Runs `program` in the workspace root with extra environment variables.
fn run_in(program: &str, args: &[&str], env: &[(String, String)]) -> Result<(), String> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}
