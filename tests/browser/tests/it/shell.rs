//! The shell: sign-in, the header, navigation and deep links, sign-out, and where the password
//! must never turn up.

use ontap_browser_tests::{Browser, Console, PASSWORD, USER};

#[path = "shell/faults.rs"]
mod faults;
#[path = "shell/jobs.rs"]
mod jobs;
#[path = "shell/sessions.rs"]
mod sessions;

#[tokio::test]
async fn sign_in_shows_the_cluster_from_its_api() {
    let b = Browser::start(&[]).await;
    b.sign_in_at("/").await;
    let cluster = b.api_get("/api/cluster?fields=name,version").await;
    let name = cluster["name"].as_str().expect("a cluster name");
    assert_eq!(b.text("cluster-name").await, name);
    let version = b.text("cluster-version").await;
    assert!(
        version.contains(cluster["version"]["generation"].to_string().as_str()),
        "{version}"
    );
    assert_eq!(b.text("sim-badge").await, "Simulated cluster");
    // The overview reads what the cluster has.
    let ipsec = b.api_get("/api/security/ipsec?fields=enabled").await;
    let expected = if ipsec["enabled"] == true {
        "on"
    } else {
        "off"
    };
    assert_eq!(b.text("overview-ipsec").await, expected);
    b.close().await;
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_nothing_opens() {
    let b = Browser::start(&[]).await;
    b.goto("/").await;
    b.sign_in_with(USER, "not-the-password").await;
    let error = b.text("signin-error").await;
    assert!(error.contains("did not accept"), "{error}");
    assert_eq!(b.count("cluster-name").await, 0);
    assert_eq!(b.count("signin-form").await, 1);
    b.close().await;
}

#[tokio::test]
async fn deep_links_survive_a_reload_and_sign_out_forgets_the_credentials() {
    let b = Browser::start(&[]).await;
    b.sign_in_at("/").await;
    b.click("nav-ipsec").await;
    b.find("ipsec-enabled").await;
    assert!(b.page.current_url().await.expect("url").path() == "/ipsec");

    // A reload keeps the server's session and lands on the same page.
    b.page.refresh().await.expect("reload");
    b.find("ipsec-enabled").await;
    assert_eq!(b.page.current_url().await.expect("url").path(), "/ipsec");
    assert_eq!(b.count("signin-form").await, 0);

    // Sign-out goes back to an empty sign-in form, and nothing is readable any more.
    b.click("signout").await;
    b.find("signin-form").await;
    assert_eq!(b.count("cluster-name").await, 0);
    assert_eq!(
        b.find("signin-password")
            .await
            .prop("value")
            .await
            .expect("value"),
        Some(String::new())
    );
    // The session ended on the server: a reload asks again.
    b.page.refresh().await.expect("reload");
    b.find("signin-form").await;
    b.close().await;
}

/// The wasm files the page has fetched so far.
async fn wasm_fetched(b: &Browser) -> Vec<String> {
    let mut wasm = b.fetched().await;
    wasm.retain(|path| path.ends_with(".wasm"));
    wasm
}

#[tokio::test]
async fn the_sign_in_form_downloads_no_page_and_each_page_arrives_when_opened() {
    let b = Browser::start(&[]).await;
    b.goto("/").await;
    b.find("signin-form").await;
    let at_sign_in = wasm_fetched(&b).await;
    assert_eq!(at_sign_in.len(), 1, "only the main module: {at_sign_in:?}");
    assert!(at_sign_in[0].ends_with("_bg.wasm"), "{at_sign_in:?}");

    b.sign_in_with(USER, PASSWORD).await;
    b.find("overview-security").await;
    let at_overview = wasm_fetched(&b).await;
    assert!(
        at_overview.iter().any(|p| p.contains("signed_in_console")),
        "the signed-in console, with the posture page, arrives after sign-in: {at_overview:?}"
    );
    assert!(
        !at_overview
            .iter()
            .any(|p| p.contains("certificates_route") || p.contains("flow_dialog")),
        "neither the certificates page nor the change dialog is fetched before it is opened: \
         {at_overview:?}"
    );

    // The change dialog is a chunk of its own, fetched when a change is opened.
    b.click("finding-protocols.telnet").await;
    b.click("finding-fix-protocols.telnet").await;
    b.find("preview").await;
    let at_preview = wasm_fetched(&b).await;
    assert!(
        at_preview.iter().any(|p| p.contains("flow_dialog")),
        "the change dialog arrives when a change is opened: {at_preview:?}"
    );
    b.click("preview-cancel").await;

    b.click("nav-certificates").await;
    b.find("cert-count").await;
    let at_certificates = wasm_fetched(&b).await;
    assert!(
        at_certificates
            .iter()
            .any(|p| p.contains("certificates_route")),
        "the certificates page is a chunk of its own, fetched when opened: {at_certificates:?}"
    );
    b.close().await;
}

#[tokio::test]
async fn an_unknown_page_says_so() {
    let b = Browser::start(&[]).await;
    b.sign_in_at("/no-such-page").await;
    b.find("not-found").await;
    b.close().await;
}

#[tokio::test]
async fn after_a_whole_session_the_password_is_nowhere_in_the_browser() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/").await;
    // Touch every page, make a change and open its preview.
    for page in [
        "nav-security",
        "nav-key-managers",
        "nav-certificates",
        "nav-ipsec",
    ] {
        b.click(page).await;
        b.wait_gone("loading").await;
    }
    b.click("ipsec-toggle").await;
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.click("nav-security").await;
    b.click("telnet-enabled").await;
    b.click("security-review").await;
    let curl = b.content("preview-curl").await;
    assert!(curl.contains("-u admin"), "{curl}");
    assert!(!curl.contains(PASSWORD), "{curl}");
    b.close_preview().await;
    b.click("signout").await;
    b.find("signin-form").await;

    let url = b.page.current_url().await.expect("url").to_string();
    assert!(!url.contains(PASSWORD), "{url}");
    let stored = b
        .js(
            "return JSON.stringify({local: {...localStorage}, session: {...sessionStorage}, \
             cookie: document.cookie, html: document.documentElement.outerHTML})",
        )
        .await;
    let stored = stored.as_str().expect("a string").to_owned();
    assert!(stored.contains("\"local\":{}"), "{stored}");
    assert!(stored.contains("\"session\":{}"), "{stored}");
    assert!(!stored.contains(PASSWORD));
    let log = b.console_log().await;
    assert!(log.iter().all(|line| !line.contains(PASSWORD)), "{log:?}");
    b.close().await;
}

#[tokio::test]
async fn a_cluster_on_another_origin_without_cors_is_explained() {
    let b = Browser::start(&[]).await;
    // A second server stands in for a cluster on another origin; like ONTAP, it sends no CORS
    // headers.
    let other = Console::start(&[]);
    b.goto("/").await;
    b.click("signin-base-url-toggle").await;
    b.fill("signin-base-url", &other.base).await;
    b.sign_in_with(USER, PASSWORD).await;
    let error = b.text("signin-error").await;
    assert!(error.contains("CORS"), "{error}");
    assert!(error.contains("ontap-console serve --cluster"), "{error}");
    assert_eq!(b.count("cluster-name").await, 0);

    b.close().await;
}

#[tokio::test]
async fn a_401_mid_session_asks_to_sign_in_again_and_keeps_the_form() {
    // The console forwards to a "cluster" (a second server) whose password then changes.
    let port = ontap_browser_tests::free_port();
    let listen = format!("127.0.0.1:{port}");
    let cluster = Console::start_with(PASSWORD, &listen, &["--job-seconds", "0"]);
    let proxy = Console::start(&["--cluster", &cluster.base]);
    let b = Browser::with_console(proxy).await;
    b.sign_in_at("/security").await;
    b.click("telnet-enabled").await;
    assert!(!b.checked("telnet-enabled").await);

    drop(cluster);
    let new_password = "Rotated-Pw-9Kd3";
    let cluster = Console::start_with(new_password, &listen, &["--job-seconds", "0"]);
    b.click("security-review").await;
    b.click("preview-apply").await;
    // The cluster refuses the old password: sign in again, over the open page.
    b.find("reauth-dialog").await;
    b.fill("signin-password", new_password).await;
    b.click("signin-submit").await;
    b.wait_gone("reauth-dialog").await;
    // The change that met the 401 is sent again and goes through.
    b.wait_text("job-state", "success").await;
    let http = reqwest::Client::new();
    let security: serde_json::Value = http
        .get(format!(
            "{}/api/security?fields=management_protocols",
            cluster.base
        ))
        .basic_auth(USER, Some(new_password))
        .send()
        .await
        .expect("the cluster answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(security["management_protocols"]["telnet_enabled"], false);
    b.close().await;
}

#[tokio::test]
async fn every_page_opens_without_an_error_on_an_ontap_9_8_cluster() {
    // A 9.8 cluster lacks fields later releases added (core's `releases`): every page must
    // still load, hiding what the cluster does not have instead of failing on it.
    let b = Browser::start(&["--ontap-version", "9.8"]).await;
    b.sign_in_at("/").await;
    let version = b.text("cluster-version").await;
    assert!(version.contains(" 9.8.0"), "{version}");
    // Each page and an element it shows only once its reads have come back.
    let pages = [
        ("nav-overview", "posture-score"),
        ("nav-security", "sde-state"),
        ("nav-key-managers", "km-table"),
        ("nav-certificates", "cert-count"),
        ("nav-ipsec", "ipsec-enabled"),
    ];
    for (nav, loaded) in pages {
        b.click(nav).await;
        b.find(loaded).await;
        assert_eq!(b.count("error-box").await, 0, "{nav} shows an error");
        assert_eq!(b.count("error-message").await, 0, "{nav} shows an error");
    }
    b.close().await;
}
