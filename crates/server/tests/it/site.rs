//! The console as a site: `serve --site-config` and `--base-path`, and `site-config`, against
//! the real binary over HTTP.

use std::process::{Command, Stdio};

use crate::common::*;
use ontap_core::site::{self, SiteConfig};

/// A built console's index.html as trunk writes it with `public_url = "./"`.
const INDEX: &str = "<!doctype html><html><head><base href=\"/\" /><script type=\"module\">\
                     import init from './app.js'; await init({ module_or_path: './app_bg.wasm' });\
                     </script></head><body></body></html>";

const SITE: &str = r#"{"clusters":[{"name":"sim1","api":""},{"name":"lab","api":"https://lab.example.com"}],"banner":"Authorised use only","pages":["overview","certificates"]}"#;

fn ui_dir() -> tempfile::TempDir {
    let ui = tempfile::tempdir().unwrap();
    std::fs::write(ui.path().join("index.html"), INDEX).unwrap();
    ui
}

fn sha256_source(script: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[tokio::test]
async fn site_config_is_served_and_the_base_path_written_into_index_html() {
    let ui = ui_dir();
    let file = ui.path().join("site.json");
    std::fs::write(&file, SITE).unwrap();
    let console = Console::start(&[
        "--password",
        PASSWORD,
        "--ui",
        ui.path().to_str().unwrap(),
        "--site-config",
        file.to_str().unwrap(),
        "--base-path",
        "/storage/security",
    ]);
    let response = client()
        .get(format!("{}/console.json", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let served = response.text().await.unwrap();
    assert_eq!(served, SITE);
    let config = site::parse(served.as_bytes()).unwrap();
    assert_eq!(config.clusters[1].name, "lab");

    // Deep links too: the base is the console's root, whatever the path asked for.
    for path in ["/", "/certificates/abc"] {
        let (status, csp, html) = page(&console.base, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains("<base href=\"/storage/security/\""),
            "{path}: {html}"
        );
        assert_eq!(
            html.replace("/storage/security/", "/"),
            INDEX,
            "only the base changes"
        );
        assert!(csp.contains("base-uri 'self'"), "{csp}");
        // The file's cluster on another origin may be called; nothing else is widened.
        assert!(
            csp.contains("connect-src 'self' https://lab.example.com;"),
            "{csp}"
        );
        assert!(csp.contains("default-src 'self';"), "{csp}");
        let script =
            "import init from './app.js'; await init({ module_or_path: './app_bg.wasm' });";
        assert!(csp.contains(&sha256_source(script)), "{csp}");
    }
}

#[tokio::test]
async fn without_a_site_config_index_html_is_served_as_built_and_console_json_is_missing() {
    let ui = ui_dir();
    let console = Console::start(&["--password", PASSWORD, "--ui", ui.path().to_str().unwrap()]);
    let html = client()
        .get(format!("{}/key-managers", console.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(html, INDEX);
    let missing = client()
        .get(format!("{}/console.json", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    // A console.json the deployer put beside index.html is served as a file.
    std::fs::write(ui.path().join("console.json"), SITE).unwrap();
    let file = client()
        .get(format!("{}/console.json", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.text().await.unwrap(), SITE);
}

#[test]
fn a_bad_site_config_or_base_path_stops_serve_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("console.json");
    std::fs::write(
        &file,
        r#"{"clusters":[{"name":"lab","api":"ftp://lab.example.com"}]}"#,
    )
    .unwrap();
    let (code, stderr) = refused(&["serve", "--site-config", file.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--site-config"), "{stderr}");
    assert!(stderr.contains("`clusters[0].api`"), "{stderr}");

    std::fs::write(&file, r#"{"banner":"x","theme":"dark"}"#).unwrap();
    let (code, stderr) = refused(&["serve", "--site-config", file.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("`theme` is not a key"), "{stderr}");

    let missing = dir.path().join("absent.json");
    let (code, stderr) = refused(&["serve", "--site-config", missing.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");

    let (code, stderr) = refused(&["serve", "--base-path", "storage\"><script>"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--base-path"), "{stderr}");
}

#[test]
fn site_config_prints_an_example_the_console_accepts_and_checks_files() {
    let output = Command::new(env!("CARGO_BIN_EXE_ontap-console"))
        .arg("site-config")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success());
    let example = site::parse(&output.stdout).unwrap();
    assert_eq!(example, SiteConfig::example());

    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, SITE).unwrap();
    let checked = Command::new(env!("CARGO_BIN_EXE_ontap-console"))
        .args(["site-config", "--check", good.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(checked.status.success());
    assert!(String::from_utf8_lossy(&checked.stdout).contains("2 cluster(s)"));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"pages":["overview","dashboard"]}"#).unwrap();
    let (code, stderr) = refused(&["site-config", "--check", bad.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("`pages[1]`"), "{stderr}");
}
