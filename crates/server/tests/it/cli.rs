//! The command line as a user runs it: the built `ontap-console` binary, as a process, auditing
//! simulated clusters served on loopback by this test (one listener per cluster), plus a port
//! nobody listens on and a cluster that refuses the password.

use crate::common;
mod settings;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ontap_console::audit::{EXIT_ERROR, EXIT_FINDINGS, EXIT_PASS};
use ontap_core::audit::{catalog, Severity};
use ontap_sim::{Scenario, SimConfig};
use serde_json::Value;

const PASSWORD: &str = "cli-test-pw-1";

/// Simulated clusters served by a runtime of their own for the test's life.
struct Sims {
    _runtime: tokio::runtime::Runtime,
    addrs: Vec<SocketAddr>,
}

impl Sims {
    fn start(scenarios: &[Scenario]) -> Sims {
        Sims::start_with(scenarios, |_| {})
    }

    /// Like [`Sims::start`], each cluster's configuration changed by `configure` (faults, job
    /// times).
    fn start_with(scenarios: &[Scenario], configure: impl Fn(&mut SimConfig)) -> Sims {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let addrs = runtime.block_on(async {
            let mut addrs = Vec::new();
            for (i, scenario) in scenarios.iter().enumerate() {
                let mut config = SimConfig {
                    scenario: *scenario,
                    ..SimConfig::new("admin", PASSWORD)
                };
                configure(&mut config);
                let mut fleet = ontap_sim::fleet::serve(1, &config, &format!("sim{i}"))
                    .await
                    .unwrap();
                addrs.push(fleet.remove(0));
            }
            addrs
        });
        Sims {
            _runtime: runtime,
            addrs,
        }
    }

    fn url(&self, index: usize) -> String {
        format!("http://{}", self.addrs[index])
    }
}

/// A loopback address nobody listens on.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

fn console(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ontap-console"))
        .args(args)
        .env_remove("ONTAP_CONSOLE_PASSWORD")
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn audit(args: &[&str]) -> Output {
    let mut argv = vec!["audit"];
    argv.extend_from_slice(args);
    console(&argv, &[("ONTAP_CONSOLE_PASSWORD", PASSWORD)])
}

fn status(output: &Output) -> u8 {
    output.status.code().expect("exited") as u8
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(output), stderr(output)))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Severities of the findings of the first cluster of a JSON report.
fn severities(report: &Value) -> Vec<Severity> {
    report["clusters"][0]["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| serde_json::from_value(f["severity"].clone()).unwrap())
        .collect()
}

#[test]
fn the_hardened_simulator_passes_and_the_demo_fails() {
    let hardened = audit(&["--simulate", "hardened"]);
    assert_eq!(status(&hardened), EXIT_PASS, "{}", stderr(&hardened));
    let text = stdout(&hardened);
    assert!(text.contains("simulator-hardened"), "{text}");
    assert!(text.contains("no findings"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");

    let demo = audit(&["--simulate", "demo", "--format", "json"]);
    assert_eq!(status(&demo), EXIT_FINDINGS, "{}", stderr(&demo));
    let report = json(&demo);
    assert_eq!(report["exit_status"], EXIT_FINDINGS);
    assert_eq!(report["fail_on"], "high");
    let cluster = &report["clusters"][0];
    assert_eq!(cluster["audited"], true);
    assert_eq!(cluster["report"]["schema_version"], 1);
    let found = severities(&report);
    assert!(found.iter().any(|s| *s >= Severity::High), "{found:?}");

    // --fail-on moves the gate: exit 1 exactly when a finding is at or above it.
    for threshold in Severity::ALL {
        let run = audit(&["--simulate", "demo", "--fail-on", threshold.name()]);
        let expected = if found.iter().any(|s| *s >= threshold) {
            EXIT_FINDINGS
        } else {
            EXIT_PASS
        };
        assert_eq!(status(&run), expected, "--fail-on {threshold}");
    }
}

#[test]
fn a_fleet_with_an_unreachable_and_a_refusing_cluster_exits_2_and_reports_the_others() {
    let sims = Sims::start(&[Scenario::Demo, Scenario::Hardened, Scenario::Demo]);
    let dir = tempfile::tempdir().unwrap();
    let inventory = write(
        dir.path(),
        "fleet.toml",
        &format!(
            r#"
[defaults]
password_env = "FLEET_PW"

[[cluster]]
name = "prod-a"
url = "{}"

[[cluster]]
name = "prod-b"
url = "{}"

[[cluster]]
name = "gone"
url = "{}"

[[cluster]]
name = "wrong-password"
url = "{}"
password_env = "WRONG_PW"
"#,
            sims.url(0),
            sims.url(1),
            closed_port(),
            sims.url(2)
        ),
    );
    let inventory = inventory.to_str().unwrap();
    let env = [("FLEET_PW", PASSWORD), ("WRONG_PW", "not-the-password")];
    let run = console(
        &["audit", "--inventory", inventory, "--format", "json"],
        &env,
    );
    assert_eq!(status(&run), EXIT_ERROR, "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.contains("cluster gone") && err.contains("unreachable"),
        "{err}"
    );
    assert!(
        err.contains("cluster wrong-password") && err.contains("401"),
        "{err}"
    );
    assert!(
        !err.contains(PASSWORD) && !err.contains("not-the-password"),
        "{err}"
    );
    let report = json(&run);
    let clusters = report["clusters"].as_array().unwrap();
    let names: Vec<&str> = clusters
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod-a", "prod-b", "gone", "wrong-password"]);
    assert_eq!(clusters[0]["audited"], true);
    assert_eq!(clusters[0]["report"]["cluster"]["name"], "sim0-0");
    assert_eq!(clusters[1]["audited"], true);
    assert_eq!(
        clusters[1]["report"]["findings"].as_array().unwrap().len(),
        0
    );
    assert_eq!(clusters[2]["error"]["kind"], "unreachable");
    assert_eq!(clusters[3]["error"]["kind"], "unauthorized");

    // The same fleet in every other format still names every cluster.
    for format in ["human", "markdown"] {
        let run = console(
            &["audit", "--inventory", inventory, "--format", format],
            &env,
        );
        assert_eq!(status(&run), EXIT_ERROR);
        let text = stdout(&run);
        for name in &names {
            assert!(text.contains(name), "{format}: {name} in {text}");
        }
        assert!(text.contains("2 clusters could not be audited"), "{text}");
    }
    // The two good clusters alone: findings on prod-a, so 1.
    let run = audit(&[
        "--cluster",
        &sims.url(0),
        "--cluster",
        &sims.url(1),
        "--jobs",
        "1",
    ]);
    assert_eq!(status(&run), EXIT_FINDINGS, "{}", stderr(&run));
}

#[test]
fn sarif_has_the_structure_code_scanning_requires() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.sarif");
    let run = audit(&[
        "--simulate",
        "demo",
        "--format",
        "sarif",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(status(&run), EXIT_FINDINGS, "{}", stderr(&run));
    assert!(run.stdout.is_empty(), "the report went to the file");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif"));
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "ontap-console");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ontap_core::audit::rules().len());
    assert!(rules.iter().any(|r| r["id"] == catalog::PROTOCOLS_TELNET));
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        assert!(rules.iter().any(|r| r["id"] == id), "{id}");
        assert!(
            ["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap()),
            "{result}"
        );
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let locations = result["locations"].as_array().unwrap();
        assert!(!locations.is_empty());
        assert!(
            locations[0]["physicalLocation"]["artifactLocation"]["uri"].is_string(),
            "{result}"
        );
        assert!(result["partialFingerprints"].is_object());
    }
}

#[test]
fn junit_parses_back_with_one_suite_per_cluster() {
    let sims = Sims::start(&[Scenario::Demo]);
    let run = audit(&[
        "--cluster",
        &sims.url(0),
        "--cluster",
        &closed_port(),
        "--format",
        "junit",
    ]);
    assert_eq!(status(&run), EXIT_ERROR, "{}", stderr(&run));
    let xml = stdout(&run);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 2);
    let demo = &suites[0];
    let cases = demo
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(cases, ontap_core::audit::rules().len());
    let failures: usize = demo.attribute("failures").unwrap().parse().unwrap();
    assert!(failures > 0, "{xml}");
    assert!(demo
        .descendants()
        .any(|n| n.has_tag_name("failure") && n.attribute("type").is_some()));
    let unreachable = &suites[1];
    assert_eq!(unreachable.attribute("errors"), Some("1"));
}

#[test]
fn policy_acceptances_hold_until_they_expire_and_disabled_rules_pass_the_gate() {
    let first = json(&audit(&["--simulate", "demo", "--format", "json"]));
    let findings = first["clusters"][0]["report"]["findings"]
        .as_array()
        .unwrap()
        .clone();
    let gate: Vec<&Value> = findings
        .iter()
        .filter(|f| {
            serde_json::from_value::<Severity>(f["severity"].clone()).unwrap() >= Severity::High
        })
        .collect();
    let target = gate[0];
    let (rule, subject) = (
        target["rule"].as_str().unwrap(),
        target["subject"].as_str().unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let policy = |expires: &str| {
        write(
            dir.path(),
            "policy.toml",
            &format!(
                "[[accept]]\nrule = \"{rule}\"\ncluster = \"simulator-demo\"\nsubject = \"{subject}\"\nreason = \"CHG-42 until the window\"\nexpires = {expires}\n"
            ),
        )
    };
    let path = policy("2999-12-31");
    let held = json(&audit(&[
        "--simulate",
        "demo",
        "--format",
        "json",
        "--policy",
        path.to_str().unwrap(),
    ]));
    let cluster = &held["clusters"][0];
    assert_eq!(cluster["accepted"][0]["finding"]["rule"], rule);
    assert_eq!(cluster["accepted"][0]["reason"], "CHG-42 until the window");
    assert_eq!(
        cluster["report"]["findings"].as_array().unwrap().len(),
        findings.len() - 1
    );
    let human = audit(&["--simulate", "demo", "--policy", path.to_str().unwrap()]);
    assert!(stdout(&human).contains("ACCEPTED"), "{}", stdout(&human));

    let path = policy("2001-01-01");
    let lapsed = json(&audit(&[
        "--simulate",
        "demo",
        "--format",
        "json",
        "--policy",
        path.to_str().unwrap(),
    ]));
    let cluster = &lapsed["clusters"][0];
    assert_eq!(cluster["accepted"].as_array().unwrap().len(), 0);
    assert_eq!(cluster["lapsed"][0]["expired"], "2001-01-01");
    assert_eq!(
        cluster["report"]["findings"].as_array().unwrap().len(),
        findings.len()
    );

    // Disabling every rule with a finding at or above high opens the gate.
    let mut rules: Vec<&str> = gate.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    rules.dedup();
    let quoted: Vec<String> = rules.iter().map(|r| format!("\"{r}\"")).collect();
    let path = write(
        dir.path(),
        "disable.toml",
        &format!("disable = [{}]\n", quoted.join(", ")),
    );
    let run = audit(&["--simulate", "demo", "--policy", path.to_str().unwrap()]);
    assert_eq!(status(&run), EXIT_PASS, "{}", stdout(&run));

    // Lowering a severity below --fail-on does too, for that rule.
    let severity: Vec<String> = rules.iter().map(|r| format!("\"{r}\" = \"low\"")).collect();
    let path = write(
        dir.path(),
        "severity.toml",
        &format!("[severity]\n{}\n", severity.join("\n")),
    );
    let run = audit(&["--simulate", "demo", "--policy", path.to_str().unwrap()]);
    assert_eq!(status(&run), EXIT_PASS, "{}", stdout(&run));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad_policy = write(dir.path(), "bad.toml", "disable = [\"no.such-rule\"]\n");
    for args in [
        &["audit"][..],
        &["audit", "--simulate", "demo", "--cluster", "https://c"],
        &["audit", "--simulate", "demo", "--fail-on", "urgent"],
        &["audit", "--simulate", "demo", "--jobs", "0"],
        &[
            "audit",
            "--simulate",
            "demo",
            "--policy",
            bad_policy.to_str().unwrap(),
        ],
        &["audit", "--cluster", "http://cluster.example.com"],
        &["audit", "--inventory", "/nonexistent/fleet.toml"],
        &["get", "security"],
    ] {
        let run = console(args, &[("ONTAP_CONSOLE_PASSWORD", PASSWORD)]);
        assert_eq!(status(&run), EXIT_ERROR, "{args:?}: {}", stderr(&run));
        assert!(run.stdout.is_empty(), "{args:?}");
    }
    let run = console(
        &[
            "audit",
            "--policy",
            bad_policy.to_str().unwrap(),
            "--simulate",
            "demo",
        ],
        &[],
    );
    assert!(stderr(&run).contains("no.such-rule"), "{}", stderr(&run));
    // No password and no terminal to ask on: named, not guessed.
    let run = console(&["audit", "--cluster", "https://192.0.2.1"], &[]);
    assert_eq!(status(&run), EXIT_ERROR);
    assert!(
        stderr(&run).contains("ONTAP_CONSOLE_PASSWORD"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn get_reads_what_the_audit_reads_as_table_or_json() {
    let sims = Sims::start(&[Scenario::Demo]);
    let url = sims.url(0);
    let env = [("ONTAP_CONSOLE_PASSWORD", PASSWORD)];
    let run = console(
        &["get", "security", "--cluster", &url, "--format", "json"],
        &env,
    );
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    let security = json(&run);
    assert!(
        security["tls"]["protocol_versions"].is_array(),
        "{security}"
    );
    let run = console(&["get", "security", "--cluster", &url], &env);
    assert!(
        stdout(&run).contains("tls.protocol_versions"),
        "{}",
        stdout(&run)
    );

    let run = console(
        &["get", "certificates", "--cluster", &url, "--format", "json"],
        &env,
    );
    let certificates = json(&run);
    let list = certificates.as_array().unwrap();
    assert!(!list.is_empty());
    let table = stdout(&console(&["get", "certificates", "--cluster", &url], &env));
    for certificate in list {
        assert!(
            table.contains(certificate["name"].as_str().unwrap()),
            "{table}"
        );
    }
    let run = console(
        &["get", "key-managers", "--cluster", &url, "--format", "json"],
        &env,
    );
    assert!(!json(&run).as_array().unwrap().is_empty());
    let run = console(&["get", "ipsec", "--cluster", &url], &env);
    assert!(stdout(&run).contains("enabled"), "{}", stdout(&run));

    let run = console(
        &["get", "security", "--cluster", &url],
        &[("ONTAP_CONSOLE_PASSWORD", "wrong")],
    );
    assert_eq!(status(&run), EXIT_ERROR);
    assert!(stderr(&run).contains("401"), "{}", stderr(&run));
}

#[test]
fn tls_is_checked_as_serve_checks_it() {
    let pki = common::test_pki();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let cluster = runtime.block_on(common::tls_cluster(&pki));
    let url = format!("https://127.0.0.1:{}", cluster.addr.port());
    let dir = tempfile::tempdir().unwrap();
    let ca = write(dir.path(), "ca.pem", &pki.ca_pem);
    let env = [("ONTAP_CONSOLE_PASSWORD", common::PASSWORD)];

    let refused = console(&["audit", "--cluster", &url, "--format", "json"], &env);
    assert_eq!(status(&refused), EXIT_ERROR, "{}", stderr(&refused));
    assert_eq!(json(&refused)["clusters"][0]["error"]["kind"], "tls");
    assert!(stderr(&refused).contains("TLS"), "{}", stderr(&refused));

    for trust in [&["--ca-file", ca.to_str().unwrap()][..], &["--insecure"]] {
        let mut args = vec!["audit", "--cluster", &url];
        args.extend_from_slice(trust);
        let run = console(&args, &env);
        assert_eq!(status(&run), EXIT_FINDINGS, "{trust:?}: {}", stderr(&run));
    }
    let both = console(
        &[
            "audit",
            "--cluster",
            &url,
            "--insecure",
            "--ca-file",
            ca.to_str().unwrap(),
        ],
        &env,
    );
    assert_eq!(status(&both), EXIT_ERROR);
}
