//! Settings as code: `get --as-file`, `plan -f` and `apply -f` as a user runs them, against
//! simulated clusters on loopback.

use std::process::Output;

use ontap_console::settings_cmd::{EXIT_CHANGES, EXIT_FAILED, EXIT_NO_CHANGES};
use ontap_core::catalog::codes;
use ontap_sim::Scenario;

use super::{console, status, stderr, stdout, write, Sims, PASSWORD};

fn run(args: &[&str]) -> Output {
    console(args, &[("ONTAP_CONSOLE_PASSWORD", PASSWORD)])
}

fn as_file(url: &str) -> String {
    let out = run(&["get", "--as-file", "--cluster", url]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

/// `file` without its key managers and the header lines about them.
fn portable(file: &str) -> String {
    let cut = file.find("[[key_manager]]").unwrap_or(file.len());
    let kept: String = file[..cut]
        .lines()
        .filter(|l| !l.starts_with("# Set ") && !l.starts_with("# The key managers'"))
        .map(|l| format!("{l}\n"))
        .collect();
    format!("{}\n", kept.trim_end())
}

fn plan(file: &std::path::Path, url: &str) -> Output {
    run(&["plan", "-f", file.to_str().unwrap(), "--cluster", url])
}

fn apply(file: &std::path::Path, url: &str) -> Output {
    run(&[
        "apply",
        "-f",
        file.to_str().unwrap(),
        "--cluster",
        url,
        "--yes",
    ])
}

#[test]
fn a_demo_clusters_file_applied_to_an_empty_cluster_reads_back_the_same() {
    let sims = Sims::start(&[Scenario::Demo, Scenario::Empty]);
    let dir = tempfile::tempdir().unwrap();
    let whole = as_file(&sims.url(0));
    // The demo's key managers use certificates whose private keys cannot be read (ONTAP never
    // returns them) and an SVM the empty cluster lacks: they travel with --pem-dir and keys the
    // user supplies (key_managers_and_their_certificates_round_trip_through_pem_files).
    assert!(whole.contains("[[key_manager]]"), "{whole}");
    // The demo's own file (key managers included, certificates named) plans nothing on the demo.
    let whole_file = write(dir.path(), "whole.toml", &whole);
    let same = plan(&whole_file, &sims.url(0));
    assert_eq!(
        status(&same),
        EXIT_NO_CHANGES,
        "{}\n{}",
        stdout(&same),
        stderr(&same)
    );
    let demo = portable(&whole);
    assert!(demo.contains("[security.fips]"), "{demo}");
    assert!(
        demo.contains("telnet_enabled = true"),
        "the demo has telnet on: {demo}"
    );
    let file = write(dir.path(), "demo.toml", &demo);
    assert_ne!(
        as_file(&sims.url(1)),
        demo,
        "the empty cluster starts different"
    );

    let first = apply(&file, &sims.url(1));
    assert_eq!(
        status(&first),
        EXIT_NO_CHANGES,
        "{}\n{}",
        stdout(&first),
        stderr(&first)
    );
    assert!(!stdout(&first).contains("apply: 0 requests sent"));
    assert_eq!(as_file(&sims.url(1)), demo);

    // Idempotent: the second apply sends nothing, and the plan says there is nothing to do.
    let second = apply(&file, &sims.url(1));
    assert_eq!(status(&second), EXIT_NO_CHANGES, "{}", stderr(&second));
    assert!(
        stdout(&second).contains("apply: 0 requests sent"),
        "{}",
        stdout(&second)
    );
    let after = plan(&file, &sims.url(1));
    assert_eq!(status(&after), EXIT_NO_CHANGES, "{}", stdout(&after));
    assert!(stdout(&after).contains("no changes"));
}

#[test]
fn a_change_through_the_api_after_apply_shows_as_drift() {
    let sims = Sims::start(&[Scenario::Empty]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "ipsec.toml",
        "[ipsec]\nenabled = true\nreplay_window = 128\n",
    );
    let applied = apply(&file, &sims.url(0));
    assert_eq!(status(&applied), EXIT_NO_CHANGES, "{}", stderr(&applied));
    assert_eq!(status(&plan(&file, &sims.url(0))), EXIT_NO_CHANGES);

    // Someone turns IPsec off by hand.
    let answer = patch_ipsec(&sims.url(0), r#"{"enabled": false}"#);
    assert_eq!(answer, 200, "the drift PATCH was accepted");
    let drift = plan(&file, &sims.url(0));
    assert_eq!(status(&drift), EXIT_CHANGES, "{}", stdout(&drift));
    assert!(
        stdout(&drift).contains("~ ipsec.enabled: false -> true"),
        "{}",
        stdout(&drift)
    );
}

#[test]
fn each_broken_rule_names_ontaps_code_and_the_files_line() {
    let sims = Sims::start(&[Scenario::Empty]);
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, Option<u64>, usize)] = &[
        (
            "# FIPS with TLSv1.1\n[security.fips]\nenabled = true\n[security.tls]\nprotocol_versions = [\"TLSv1.2\", \"TLSv1.1\"]\n",
            "security.tls.protocol_versions",
            Some(codes::TLS11_WITH_FIPS),
            5,
        ),
        (
            "[security.tls]\ncipher_suites = [\n  \"TLS_AES_256_GCM_SHA384\",\n  \"NOT_A_SUITE\",\n]\n",
            "security.tls.cipher_suites[1]",
            None,
            4,
        ),
        (
            "[security.tls]\nprotocol_versions = []\n",
            "security.tls.protocol_versions",
            None,
            2,
        ),
        (
            "[ipsec]\nenabled = true\n\nreplay_window = 100\n",
            "ipsec.replay_window",
            None,
            4,
        ),
    ];
    for (i, (text, key, code, line)) in cases.iter().enumerate() {
        let file = write(dir.path(), &format!("bad{i}.toml"), text);
        let out = plan(&file, &sims.url(0));
        assert_eq!(status(&out), EXIT_FAILED, "case {i}: {}", stdout(&out));
        let text = stdout(&out);
        let expected = format!("bad{i}.toml:{line}: {key}:");
        assert!(
            text.contains(&expected),
            "case {i}: want {expected} in {text}"
        );
        if let Some(code) = code {
            assert!(
                text.contains(&format!("(ONTAP error {code})")),
                "case {i}: {text}"
            );
        }
        // The same file is refused by apply before anything is sent.
        let out = apply(&file, &sims.url(0));
        assert_eq!(status(&out), EXIT_FAILED);
        assert!(
            stderr(&out).contains("nothing was applied"),
            "{}",
            stderr(&out)
        );
    }
    // A typo is TOML's error, with the line and the expected keys.
    let file = write(dir.path(), "typo.toml", "[security.fips]\nenable = true\n");
    let out = plan(&file, &sims.url(0));
    assert_eq!(status(&out), EXIT_FAILED);
    let err = stderr(&out);
    assert!(err.contains("line 2") && err.contains("enable"), "{err}");
}

#[test]
fn a_plan_lowering_security_says_so_before_the_confirmation() {
    let sims = Sims::start(&[Scenario::Hardened]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "lower.toml",
        "[security.fips]\nenabled = false\n[security.management_protocols]\ntelnet_enabled = true\n",
    );
    let planned = plan(&file, &sims.url(0));
    assert_eq!(status(&planned), EXIT_CHANGES, "{}", stdout(&planned));
    let text = stdout(&planned);
    assert!(text.contains("LOWERS SECURITY"), "{text}");
    assert!(text.contains("Turn FIPS 140 mode off"), "{text}");
    assert!(text.contains("Turn telnet on"), "{text}");
    let out = run(&[
        "plan",
        "-f",
        file.to_str().unwrap(),
        "--cluster",
        &sims.url(0),
        "--format",
        "json",
    ]);
    assert_eq!(status(&out), EXIT_CHANGES);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["exit_status"], EXIT_CHANGES);
    let lowering = report["clusters"][0]["lowering"]
        .as_array()
        .expect("lowering");
    assert_eq!(lowering.len(), 2, "{report}");
    assert_eq!(
        report["clusters"][0]["requests"][0]["path"],
        "/api/security"
    );

    // apply shows the same before asking; with no terminal and no --yes it refuses.
    let out = run(&[
        "apply",
        "-f",
        file.to_str().unwrap(),
        "--cluster",
        &sims.url(0),
    ]);
    assert_eq!(status(&out), EXIT_FAILED);
    assert!(stdout(&out).contains("Turn telnet on"), "{}", stdout(&out));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert_eq!(
        status(&plan(&file, &sims.url(0))),
        EXIT_CHANGES,
        "nothing was sent"
    );
}

#[test]
fn apply_stops_at_the_first_failure_and_says_what_was_not_applied() {
    // The demo cluster holds certificates FIPS refuses: the security PATCH fails, and the
    // IPsec change after it is not sent.
    let sims = Sims::start(&[Scenario::Demo]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "fips.toml",
        "[security.fips]\nenabled = true\n[security.tls]\nprotocol_versions = [\"TLSv1.3\", \"TLSv1.2\"]\n[ipsec]\nenabled = true\n",
    );
    let out = apply(&file, &sims.url(0));
    let text = stdout(&out);
    assert_eq!(status(&out), EXIT_FAILED, "{text}\n{}", stderr(&out));
    assert!(text.contains("stopped at the first failure"), "{text}");
    assert!(text.contains("not applied (2)"), "{text}");
    assert!(text.contains("PATCH /api/security/ipsec"), "{text}");
    assert!(stderr(&out).contains("[1/2]"), "{}", stderr(&out));
}

#[test]
fn apply_stops_at_a_job_whose_outcome_is_unknown_and_does_not_call_it_finished() {
    // Every job is forgotten as soon as it ends (ONTAP's expiry, early); jobs take a second,
    // so apply sees the job running before it is gone.
    let sims = Sims::start_with(&[Scenario::Empty], |config| {
        config.job_seconds = 1.0;
        config.faults = Some(ontap_sim::FaultSpec::parse("job-expired=1").unwrap());
    });
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "expired.toml",
        "[security.management_protocols]\ntelnet_enabled = true\n[ipsec]\nenabled = true\n",
    );
    let out = apply(&file, &sims.url(0));
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(status(&out), EXIT_FAILED, "{text}\n{err}");
    assert!(
        text.contains("stopped at a step whose outcome is unknown"),
        "{text}"
    );
    assert!(!text.contains("stopped at the first failure"), "{text}");
    assert!(text.contains("applied (0)"), "{text}");
    assert!(text.contains("not applied (2)"), "{text}");
    assert!(
        text.contains("PATCH /api/security (") && text.contains(" (outcome unknown)\n"),
        "the security step is marked: {text}"
    );
    assert!(!text.contains("(failed)"), "{text}");
    assert!(text.contains("PATCH /api/security/ipsec"), "{text}");
    assert!(
        text.contains("outcome is unknown"),
        "core's sentence: {text}"
    );
    assert!(
        err.contains("running") || err.contains("queued"),
        "the job was seen: {err}"
    );
    assert!(err.contains(": outcome unknown"), "{err}");
    assert!(!err.contains("finished"), "{err}");
    assert!(
        !err.contains("[2/2]"),
        "the IPsec change was not sent: {err}"
    );
}

/// A PATCH of `/api/security/ipsec` through the API, as an admin would send it; the status.
fn patch_ipsec(url: &str, body: &str) -> u16 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        reqwest::Client::new()
            .patch(format!("{url}/api/security/ipsec"))
            .basic_auth("admin", Some(PASSWORD))
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}

#[test]
fn a_file_names_its_clusters_and_an_inventory_applies_one_file_to_each() {
    let sims = Sims::start(&[Scenario::Empty, Scenario::Empty]);
    let dir = tempfile::tempdir().unwrap();
    let settings = "[security.management_protocols]\nrsh_enabled = false\ntelnet_enabled = false\n\
                    [ipsec]\nenabled = true\n";
    let file = write(
        dir.path(),
        "fleet-settings.toml",
        &format!(
            "{settings}\n[[cluster]]\nname = \"a\"\nurl = \"{}\"\npassword_env = \"SETTINGS_PW\"\n\n\
             [[cluster]]\nname = \"b\"\nurl = \"{}\"\npassword_env = \"SETTINGS_PW\"\n",
            sims.url(0),
            sims.url(1)
        ),
    );
    let path = file.to_str().unwrap();
    // The variable the file names is required: ONTAP_CONSOLE_PASSWORD is not a fall-back.
    let out = run(&["plan", "-f", path]);
    assert_eq!(status(&out), EXIT_FAILED, "{}", stdout(&out));
    assert!(stderr(&out).contains("SETTINGS_PW"), "{}", stderr(&out));

    let env = [("SETTINGS_PW", PASSWORD)];
    let out = console(&["plan", "-f", path], &env);
    assert_eq!(status(&out), EXIT_CHANGES, "{}", stderr(&out));
    assert!(stdout(&out).contains("cluster a (") && stdout(&out).contains("cluster b ("));
    let out = console(&["apply", "-f", path, "--yes"], &env);
    assert_eq!(status(&out), EXIT_NO_CHANGES, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("apply: 2 requests sent"),
        "{}",
        stdout(&out)
    );

    // The same settings without [[cluster]] entries, applied to an inventory's clusters.
    let only = write(dir.path(), "only.toml", settings);
    let inventory = write(
        dir.path(),
        "fleet.toml",
        &format!(
            "[[cluster]]\nname = \"a\"\nurl = \"{}\"\n\n[[cluster]]\nname = \"b\"\nurl = \"{}\"\n",
            sims.url(0),
            sims.url(1)
        ),
    );
    let out = run(&[
        "plan",
        "-f",
        only.to_str().unwrap(),
        "--inventory",
        inventory.to_str().unwrap(),
    ]);
    assert_eq!(status(&out), EXIT_NO_CHANGES, "{}", stdout(&out));
    assert_eq!(
        stdout(&out).matches("no changes").count(),
        2,
        "{}",
        stdout(&out)
    );
}

/// A client certificate with its key and a server CA, made here: ONTAP never returns a private
/// key, so a round trip needs keys the test owns.
fn key_pairs() -> (String, String, String) {
    let client_key = rcgen::KeyPair::generate().unwrap();
    let client = rcgen::CertificateParams::new(vec!["kmip-client.example".to_owned()])
        .unwrap()
        .self_signed(&client_key)
        .unwrap();
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(vec!["kmip-ca.example".to_owned()]).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    (client.pem(), client_key.serialize_pem(), ca.pem())
}

const KEY_MANAGER_FILE: &str = r#"
[[certificate]]
name = "kmip-client"
type = "client"
public_certificate = "client.pem"
private_key = "client.key"

[[certificate]]
name = "kmip-ca"
type = "server_ca"
public_certificate = "ca.pem"

[[key_manager]]
[key_manager.external]
servers = ["10.0.0.5:5696"]
client_certificate = "kmip-client"
server_ca_certificates = ["kmip-ca"]
"#;

#[test]
fn key_managers_and_their_certificates_round_trip_through_pem_files() {
    let sims = Sims::start(&[Scenario::Empty, Scenario::Empty]);
    let dir = tempfile::tempdir().unwrap();
    let (client, client_key, ca) = key_pairs();
    write(dir.path(), "client.pem", &client);
    write(dir.path(), "client.key", &client_key);
    write(dir.path(), "ca.pem", &ca);
    let file = write(dir.path(), "km.toml", KEY_MANAGER_FILE);

    let planned = plan(&file, &sims.url(0));
    assert_eq!(status(&planned), EXIT_CHANGES, "{}", stderr(&planned));
    let text = stdout(&planned);
    let (cert_at, km_at) = (
        text.find("/api/security/certificates")
            .expect("a certificate install"),
        text.find("/api/security/key-managers")
            .expect("a key manager create"),
    );
    assert!(
        cert_at < km_at,
        "certificates before the key manager: {text}"
    );
    assert!(
        text.contains("+ key_manager[0]: create the external key manager of cluster"),
        "{text}"
    );
    assert!(
        text.contains("+ certificate[0]: install kmip-client (client)"),
        "{text}"
    );
    let key_line = client_key.lines().nth(1).expect("a PEM body line");
    assert!(!text.contains(key_line), "the key is masked: {text}");

    let first = apply(&file, &sims.url(0));
    assert_eq!(
        status(&first),
        EXIT_NO_CHANGES,
        "{}\n{}",
        stdout(&first),
        stderr(&first)
    );
    let again = apply(&file, &sims.url(0));
    assert!(
        stdout(&again).contains("apply: 0 requests sent"),
        "idempotent: {}",
        stdout(&again)
    );

    // A's file, with its PEMs written out; the private key is named for the user to supply.
    let pems = dir.path().join("pems");
    let pem_dir = pems.to_str().unwrap();
    let get = |url: &str| {
        let out = run(&["get", "--as-file", "--cluster", url, "--pem-dir", pem_dir]);
        assert_eq!(status(&out), 0, "{}", stderr(&out));
        stdout(&out)
    };
    let from_a = get(&sims.url(0));
    assert!(from_a.contains("[[key_manager]]"), "{from_a}");
    assert!(from_a.contains("Supply "), "{from_a}");
    assert!(
        !from_a.contains("BEGIN"),
        "no PEM inside the file: {from_a}"
    );
    let written = std::fs::read_to_string(pems.join("kmip-client.pem")).unwrap();
    assert_eq!(written.trim(), client.trim());
    write(&pems, "kmip-client.key", &client_key);
    let a_file = write(dir.path(), "a.toml", &from_a);

    let to_b = apply(&a_file, &sims.url(1));
    assert_eq!(
        status(&to_b),
        EXIT_NO_CHANGES,
        "{}\n{}",
        stdout(&to_b),
        stderr(&to_b)
    );
    assert_eq!(get(&sims.url(1)), from_a);
    let after = plan(&a_file, &sims.url(1));
    assert_eq!(status(&after), EXIT_NO_CHANGES, "{}", stdout(&after));
}

#[test]
fn a_missing_passphrase_variable_is_named_and_nothing_is_sent() {
    let sims = Sims::start(&[Scenario::Empty]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "okm.toml",
        "[[key_manager]]\n[key_manager.onboard]\nenabled = true\npassphrase = { env = \"SAC_TEST_OKM_UNSET\" }\n",
    );
    let out = apply(&file, &sims.url(0));
    assert_eq!(status(&out), EXIT_FAILED);
    assert!(
        stderr(&out).contains("SAC_TEST_OKM_UNSET"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing was sent"),
        "{}",
        stderr(&out)
    );
    // Nothing was created: with the variable set, the plan still has the key manager to create.
    let passphrase = "correct horse battery staple 0123456789";
    let planned = console(
        &[
            "plan",
            "-f",
            file.to_str().unwrap(),
            "--cluster",
            &sims.url(0),
        ],
        &[
            ("ONTAP_CONSOLE_PASSWORD", PASSWORD),
            ("SAC_TEST_OKM_UNSET", passphrase),
        ],
    );
    assert_eq!(status(&planned), EXIT_CHANGES, "{}", stderr(&planned));
    assert!(!stdout(&planned).contains(passphrase), "masked");
}
