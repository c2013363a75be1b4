//! Project automation: `cargo xtask test` runs every check and test; `cargo xtask serve` runs the
//! console against the embedded simulator. Both install what they need on a fresh machine.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("serve") => serve(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <test|serve [ontap-console serve flags]>");
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

/// Every check CI runs: formatting, lints (host and wasm32), the wasm build of core, all tests.
fn test() -> Result<(), String> {
    ensure_wasm_target()?;
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
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    run_tests(&["test", "--workspace", "--no-fail-fast"])
}

/// Runs `cargo test`, passing its output through, and closes with one line that counts every
/// test of every crate (cargo's own last line only counts the last test binary).
fn run_tests(args: &[&str]) -> Result<(), String> {
    use std::io::{BufRead, BufReader};
    eprintln!("$ cargo {}", args.join(" "));
    let mut child = Command::new("cargo")
        .args(args)
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

/// Runs `ontap-console serve` against the embedded simulator.
fn serve(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["run", "--release", "-p", "ontap-console", "--", "serve"];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args)
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if String::from_utf8_lossy(&installed.stdout).contains("wasm32-unknown-unknown") {
        return Ok(());
    }
    run("rustup", &["target", "add", "wasm32-unknown-unknown"])
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}
