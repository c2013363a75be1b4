//! The console as a site: `console.json` (named clusters on the sign-in form, a banner on every
//! page, only the pages it offers), served by `ontap-console serve --site-config`, and a file
//! the console refuses, reported on the sign-in form.

use ontap_browser_tests::{built_ui, Browser, Console, PASSWORD, USER};

const SITE: &str = r#"{"clusters":[{"name":"sim1","api":""},{"name":"lab","api":"https://lab.example.com"}],"banner":"Authorised use only","pages":["overview","certificates"]}"#;

#[tokio::test]
async fn named_clusters_banner_and_pages_come_from_console_json() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("console.json");
    std::fs::write(&file, SITE).expect("console.json written");
    let b = Browser::start(&["--site-config", file.to_str().expect("a UTF-8 path")]).await;
    b.goto("/").await;
    assert_eq!(b.text("site-banner").await, "Authorised use only");
    // The clusters by name, the first chosen; no free address field until "Other".
    b.find("signin-cluster").await;
    assert_eq!(b.text("signin-cluster-sim1").await, "sim1");
    assert_eq!(b.text("signin-cluster-lab").await, "lab");
    assert_eq!(b.count("signin-base-url-toggle").await, 0);
    assert_eq!(b.count("signin-base-url").await, 0);
    assert_eq!(b.count("signin-cors-hint").await, 0);
    // A cluster on another origin says what its front proxy must send.
    b.select("signin-cluster", "1").await;
    let hint = b.text("signin-cors-hint").await;
    assert!(
        hint.contains(&format!("Access-Control-Allow-Origin: {}", b.url(""))),
        "{hint}"
    );
    assert!(
        hint.contains("Access-Control-Allow-Headers: Authorization, Content-Type"),
        "{hint}"
    );
    b.select("signin-cluster", "other").await;
    b.find("signin-base-url").await;
    b.select("signin-cluster", "0").await;
    b.wait_gone("signin-cors-hint").await;

    b.sign_in_with(USER, PASSWORD).await;
    b.find("cluster-name").await;
    assert_eq!(b.text("site-banner").await, "Authorised use only");
    b.find("nav-overview").await;
    b.find("nav-certificates").await;
    for hidden in ["nav-security", "nav-key-managers", "nav-ipsec"] {
        assert_eq!(b.count(hidden).await, 0, "{hidden} is in the nav");
    }
    b.click("nav-certificates").await;
    b.find("cert-name").await;
    // A page the site does not offer, by deep link (the server's session survives the load).
    b.goto("/ipsec").await;
    let page = b.text("not-offered").await;
    assert!(page.contains("Not offered on this site"), "{page}");
    assert_eq!(b.count("ipsec-enabled").await, 0);
    assert_eq!(b.text("site-banner").await, "Authorised use only");
    b.close().await;
}

#[tokio::test]
async fn a_console_json_the_console_refuses_is_reported_and_ignored() {
    // The built console with a console.json beside index.html, as a static site would have.
    let ui = tempfile::tempdir().expect("a temporary folder");
    for entry in std::fs::read_dir(built_ui()).expect("the built console") {
        let entry = entry.expect("an entry");
        std::os::unix::fs::symlink(entry.path(), ui.path().join(entry.file_name()))
            .expect("a link");
    }
    std::fs::write(
        ui.path().join("console.json"),
        r#"{"clusters":[{"name":"lab","api":"ftp://lab.example.com"}],"banner":"not shown"}"#,
    )
    .expect("console.json written");
    let console = Console::start_in(ui.path(), PASSWORD, "127.0.0.1:0", &[]);
    let b = Browser::with_console(console).await;
    b.goto("/").await;
    let error = b.text("site-config-error").await;
    assert!(error.contains("`clusters[0].api`"), "{error}");
    assert!(error.contains("https://"), "{error}");
    // Otherwise as without the file: no banner, no choice, every page.
    assert_eq!(b.count("site-banner").await, 0);
    assert_eq!(b.count("signin-cluster").await, 0);
    b.sign_in_with(USER, PASSWORD).await;
    b.find("cluster-name").await;
    b.find("nav-ipsec").await;
    b.find("nav-security").await;
    b.close().await;
}
