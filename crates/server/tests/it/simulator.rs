//! `ontap-console serve` with the embedded simulator, over real HTTP against the real binary.

use crate::common;
#[path = "simulator/crash.rs"]
mod crash;
#[path = "simulator/guard.rs"]
mod guard;
#[path = "simulator/https.rs"]
mod https;
#[path = "simulator/limits.rs"]
mod limits;
#[path = "common/load.rs"]
mod load;
#[path = "simulator/load.rs"]
mod load_test;
#[path = "simulator/sessions.rs"]
mod sessions;

use common::*;
use serde_json::json;

#[tokio::test]
async fn sign_in_works_with_the_given_password_and_not_with_another() {
    let ui = tempfile::tempdir().unwrap();
    let missing = ui.path().join("dist");
    let console = Console::start(&[
        "--password",
        PASSWORD,
        "--job-seconds",
        "0",
        "--ui",
        missing.to_str().unwrap(),
    ]);
    let stdout = console.stdout().join("\n");
    assert!(
        !stdout.contains(PASSWORD),
        "a given password is not printed"
    );
    assert!(stdout.contains("user admin"), "{stdout}");

    let (status, headers, cluster) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 200, "{cluster}");
    assert!(cluster["name"].is_string(), "{cluster}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.get("access-control-allow-origin").is_none());

    let (status, _, error) = get(&console.base, "/api/cluster", USER, "not-the-password").await;
    assert_eq!(status, 401);
    assert!(error["error"]["code"].is_string(), "{error}");
    let (status, _, _) = get(&console.base, "/api/cluster", "root", PASSWORD).await;
    assert_eq!(status, 401);

    // No UI built: the root explains, with the security headers.
    let response = client()
        .get(format!("{}/", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let page = response.text().await.unwrap();
    assert!(
        page.contains(ontap_console::ui::NOT_BUILT_HEADING),
        "{page}"
    );
}

#[tokio::test]
async fn a_random_password_is_printed_once_and_works() {
    let console = Console::start(&["--job-seconds", "0", "--ui", "/nonexistent-ui-dir"]);
    let line = console
        .stdout()
        .into_iter()
        .find(|l| l.contains("with password "))
        .expect("the generated password is printed");
    let password = line.rsplit(' ').next().unwrap().to_string();
    assert_eq!(password.len(), 20, "{line}");
    let printed = console
        .stdout()
        .iter()
        .filter(|l| l.contains(&password))
        .count();
    assert_eq!(printed, 1);
    assert!(line.contains("user admin"), "{line}");

    let (status, _, _) = get(&console.base, "/api/cluster", USER, &password).await;
    assert_eq!(status, 200);
    let (status, _, _) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn user_scenario_and_cors_flags_reach_the_simulator() {
    let demo = Console::start(&["--password", PASSWORD, "--job-seconds", "0"]);
    let empty = Console::start(&[
        "--user",
        "ops",
        "--password",
        PASSWORD,
        "--scenario",
        "empty",
        "--job-seconds",
        "0",
        "--cors-origin",
        "http://127.0.0.1:9999",
    ]);
    let path = "/api/security/certificates?return_records=false";
    let (status, _, in_demo) = get(&demo.base, path, USER, PASSWORD).await;
    assert_eq!(status, 200, "{in_demo}");
    let (status, _, in_empty) = get(&empty.base, path, "ops", PASSWORD).await;
    assert_eq!(status, 200, "{in_empty}");
    let (demo_count, empty_count) = (
        in_demo["num_records"].as_u64().unwrap(),
        in_empty["num_records"].as_u64().unwrap(),
    );
    assert!(
        demo_count > empty_count,
        "demo {demo_count}, empty {empty_count}"
    );
    let (status, _, _) = get(&empty.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 401, "the user is ops, not admin");

    let preflight = |base: &str| {
        client()
            .request(reqwest::Method::OPTIONS, format!("{base}/api/security"))
            .header("origin", "http://127.0.0.1:9999")
            .header("access-control-request-method", "PATCH")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    let with = preflight(&empty.base).await.unwrap();
    assert!(with.status().is_success(), "{}", with.status());
    assert_eq!(
        with.headers()["access-control-allow-origin"],
        "http://127.0.0.1:9999"
    );
    let without = preflight(&demo.base).await.unwrap();
    assert!(without
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn state_file_survives_a_graceful_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("cluster.json");
    let args = [
        "--password",
        PASSWORD,
        "--job-seconds",
        "0",
        "--scenario",
        "empty",
        "--state",
        state.to_str().unwrap(),
    ];
    let mut first = Console::start(&args);
    let (_, _, before) = get(&first.base, "/api/security", USER, PASSWORD).await;
    let telnet = before["management_protocols"]["telnet_enabled"]
        .as_bool()
        .expect("telnet_enabled is reported");
    let response = client()
        .patch(format!("{}/api/security?return_timeout=10", first.base))
        .basic_auth(USER, Some(PASSWORD))
        .json(&json!({"management_protocols": {"telnet_enabled": !telnet}}))
        .send()
        .await
        .unwrap();
    let (status, _, body) = split(response).await;
    assert_eq!(status, 200, "{body}");
    let exit = first.terminate();
    assert!(exit.success(), "SIGTERM ends it cleanly: {exit}");
    assert!(state.is_file());

    let second = Console::start(&args);
    let (_, _, after) = get(&second.base, "/api/security", USER, PASSWORD).await;
    assert_eq!(after["management_protocols"]["telnet_enabled"], !telnet);
}

#[tokio::test]
async fn the_built_console_is_served_with_deep_links() {
    let ui = tempfile::tempdir().unwrap();
    let index = "<!doctype html><html><head><script type=\"module\">import init from \
                 '/app.js'; await init('/app_bg.wasm');</script></head><body></body></html>";
    std::fs::write(ui.path().join("index.html"), index).unwrap();
    std::fs::write(ui.path().join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let console = Console::start(&["--password", PASSWORD, "--ui", ui.path().to_str().unwrap()]);
    for path in ["/", "/certificates", "/security/tls"] {
        let (status, csp, html) = page(&console.base, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(csp.contains("'sha256-"), "{path}: {csp}");
        assert_eq!(html, index);
    }
    let wasm = client()
        .get(format!("{}/app_bg.wasm", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    let missing = client()
        .get(format!("{}/app.js", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[test]
fn flags_of_the_other_mode_are_refused_with_a_reason() {
    let (code, stderr) = refused(&[
        "serve",
        "--cluster",
        "https://192.0.2.1",
        "--password",
        "pw-x",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--password"), "{stderr}");
    assert!(stderr.contains("simulator"), "{stderr}");
    assert!(!stderr.contains("pw-x"), "{stderr}");

    let (code, stderr) = refused(&["serve", "--insecure"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--insecure applies only with --cluster"),
        "{stderr}"
    );

    let (code, stderr) = refused(&["serve", "--job-seconds", "-2"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--job-seconds"), "{stderr}");
}

#[tokio::test]
async fn answers_as_the_chosen_release_and_reads_doubled_slashes_as_one() {
    let console = Console::start(&[
        "--password",
        PASSWORD,
        "--ontap-version",
        "9.8",
        "--scenario",
        "empty",
    ]);
    let (status, _, cluster) = get(&console.base, "//api//cluster", USER, PASSWORD).await;
    assert_eq!(status, 200, "{cluster}");
    assert_eq!(cluster["version"]["major"], 8);
    let (_, _, ipsec) = get(
        &console.base,
        "/api/security/ipsec?fields=**",
        USER,
        PASSWORD,
    )
    .await;
    assert!(ipsec.get("offload_enabled").is_none(), "{ipsec}");
    assert_eq!(ipsec["replay_window"], 0);
}
