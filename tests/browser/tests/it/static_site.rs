//! The console as a static site (docs/static-site.md): one build under `/storage/security/` of
//! Debian's nginx with the docs' own recipe, `console.json` naming the cluster `sim1`, whose API
//! nginx proxies over verified TLS to the simulator.
//!
//! The HTTP tests hold for any build of `dist/`. The browser journey also needs the console to
//! take its router base from `<base href>` and to read `console.json` (issue 19, branch `site`):
//! its failure messages say so.

use std::time::{Duration, Instant};

use ontap_browser_tests::{
    console_json, console_json_at, Browser, Nginx, StaticSite, TestPki, APACHE_TEMPLATE, CLUSTER,
    NGINX_CORS_TEMPLATE, NGINX_TEMPLATE, PASSWORD, SUB_PATH, USER, WAIT,
};
use serde_json::Value;

#[path = "static_site/journey.rs"]
mod journey;

const BANNER: &str = "Static-site test banner: authorised administrators only";

#[test]
fn the_docs_show_the_recipes_the_tests_run() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/static-site.md"
    ))
    .expect("docs/static-site.md");
    for (file, template) in [
        ("nginx.conf", NGINX_TEMPLATE),
        ("nginx-cors.conf", NGINX_CORS_TEMPLATE),
        ("apache.conf", APACHE_TEMPLATE),
    ] {
        assert!(
            doc.contains(template.trim_end()),
            "docs/static-site.md must embed docs/static-site/{file} verbatim (the recipe tested)"
        );
        assert!(
            doc.contains(&format!("static-site/{file}")),
            "the doc names {file}"
        );
    }
}

#[tokio::test]
async fn nginx_serves_the_console_files_deep_links_and_console_json() {
    let site = StaticSite::start(&console_json(BANNER));
    let http = reqwest::Client::new();
    let get = |path: &str| {
        let url = format!("{}{path}", site.nginx.base);
        let request = http.get(url);
        async move { request.send().await.expect("nginx answers") }
    };

    // The console itself, with the policy `ontap-console serve` sends.
    for path in [
        "/storage/security/",
        "/storage/security/certificates/some-uuid",
    ] {
        let page = get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        let csp = header(&page, "content-security-policy");
        assert_eq!(csp, site.csp, "{path}");
        assert!(csp.contains("'sha256-"), "the inline script's hash: {csp}");
        assert_eq!(header(&page, "cache-control"), "no-cache", "{path}");
        let html = page.text().await.expect("index.html");
        assert!(html.contains("<script type=\"module\">"), "{path}: {html}");
    }
    let moved = get("/storage/security").await;
    assert_eq!(
        moved.status(),
        200,
        "the sub-path without its slash is redirected"
    );
    assert_eq!(moved.url().path(), SUB_PATH);

    // Every file of the build, precompressed when dist/ has a .gz sibling.
    let mut checked = 0;
    for entry in std::fs::read_dir(&site.dist).expect("dist") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let Some(kind) = [(".wasm", "application/wasm"), (".css", "text/css")]
            .into_iter()
            .chain([(".js", "javascript")])
            .find_map(|(ext, kind)| name.ends_with(ext).then_some(kind))
        else {
            continue;
        };
        let url = format!("{}{SUB_PATH}{name}", site.nginx.base);
        let response = http
            .get(url)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("nginx answers");
        assert_eq!(response.status(), 200, "{name}");
        assert!(header(&response, "content-type").contains(kind), "{name}");
        if site.dist.join(format!("{name}.gz")).is_file() {
            assert_eq!(header(&response, "content-encoding"), "gzip", "{name}");
        }
        checked += 1;
    }
    assert!(
        checked >= 3,
        "dist/ has a loader, a wasm module and a style sheet"
    );

    let config = get("/storage/security/console.json").await;
    assert_eq!(config.status(), 200);
    assert_eq!(header(&config, "cache-control"), "no-cache");
    let config: Value = config.json().await.expect("JSON");
    assert_eq!(config, console_json(BANNER));
    assert!(site
        .nginx
        .error_log()
        .lines()
        .all(|l| !l.contains("[error]")));
}

#[tokio::test]
async fn the_cluster_api_is_proxied_over_verified_tls_without_a_basic_challenge() {
    let site = StaticSite::start(&console_json(BANNER));
    let http = reqwest::Client::new();
    let api = format!(
        "{}{SUB_PATH}clusters/{CLUSTER}/api/cluster",
        site.nginx.base
    );
    let answer = http
        .get(&api)
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .expect("nginx answers");
    assert_eq!(answer.status(), 200, "{}", site.nginx.error_log());
    let cluster: Value = answer.json().await.expect("JSON");
    assert!(cluster["name"].is_string(), "{cluster}");

    let refused = http.get(&api).send().await.expect("nginx answers");
    assert_eq!(refused.status(), 401);
    assert!(refused.headers().get("www-authenticate").is_none());

    // The same recipe trusting another CA: nginx refuses the simulator's certificate.
    let other = tempfile::tempdir().expect("a folder");
    let stranger = TestPki::new(other.path());
    let distrustful = Nginx::start(other.path(), &site.locations_with(&site.csp, &stranger.ca));
    let url = format!(
        "{}{SUB_PATH}clusters/{CLUSTER}/api/cluster",
        distrustful.base
    );
    let answer = http
        .get(url)
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .expect("nginx answers");
    assert_eq!(answer.status(), 502);
    let log = distrustful.error_log();
    assert!(
        log.contains("upstream SSL certificate verify error"),
        "{log}"
    );
}

#[tokio::test]
async fn the_cors_proxy_answers_the_preflight_and_allows_only_the_consoles_origin() {
    let site = StaticSite::start_with_cors_proxy(|proxy| {
        console_json_at(BANNER, &format!("{proxy}/clusters/{CLUSTER}"))
    });
    let proxy = site.cors_proxy();
    let origin = site.nginx.base.clone();
    let api = format!("{}/clusters/{CLUSTER}/api/security", proxy.base);
    let http = reqwest::Client::new();
    let preflight = http
        .request(reqwest::Method::OPTIONS, &api)
        .header("origin", &origin)
        .header("access-control-request-method", "PATCH")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .expect("the proxy answers");
    assert_eq!(preflight.status(), 204);
    assert_eq!(header(&preflight, "access-control-allow-origin"), origin);
    assert!(header(&preflight, "access-control-allow-methods").contains("PATCH"));
    let allowed = header(&preflight, "access-control-allow-headers");
    assert!(
        allowed.contains("Authorization") && allowed.contains("Content-Type"),
        "{allowed}"
    );

    let answer = http
        .get(&api)
        .header("origin", &origin)
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .expect("the proxy answers");
    assert_eq!(answer.status(), 200, "{}", proxy.error_log());
    let origins: Vec<_> = answer
        .headers()
        .get_all("access-control-allow-origin")
        .iter()
        .collect();
    assert_eq!(
        origins,
        [origin.as_str()],
        "one allowed origin, the console's"
    );
    assert!(answer
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
    let refused = http.get(&api).send().await.expect("the proxy answers");
    assert_eq!(refused.status(), 401);
    assert!(refused.headers().get("www-authenticate").is_none());

    // The console's site lets the page call the proxy, and serves console.json naming it.
    let page = http.get(&site.url).send().await.expect("nginx answers");
    let csp = header(&page, "content-security-policy");
    assert!(
        csp.contains(&format!("connect-src 'self' {}", proxy.base)),
        "{csp}"
    );
}

/// The negative control of the journeys' policy check: without the inline script's hash the
/// browser refuses the script, the console never starts, and the refusal is in the page's log.
#[tokio::test]
async fn a_policy_without_the_scripts_hash_stops_the_console_and_is_seen() {
    let mut site = StaticSite::start(&console_json(BANNER));
    let other = tempfile::tempdir().expect("a folder");
    let without_hash = ontap_console::ui::content_security_policy(&[], &[]);
    let pki = TestPki::new(other.path());
    let strict = Nginx::start(other.path(), &site.locations_with(&without_hash, &pki.ca));
    let b = Browser::with_console(site.take_cluster()).await;
    b.page
        .goto(&format!("{}{SUB_PATH}", strict.base))
        .await
        .expect("navigation");
    let deadline = Instant::now() + WAIT;
    let refused = loop {
        let log = b.console_log().await;
        if let Some(line) = log.iter().find(|l| l.contains("Content Security Policy")) {
            break line.clone();
        }
        assert!(Instant::now() < deadline, "no refusal logged: {log:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(refused.contains("inline script"), "{refused}");
    assert_eq!(b.count("signin-form").await, 0);
    b.close().await;
}

/// The console journey across origins: see the `journey` module.
#[tokio::test]
async fn the_console_signs_in_across_origins_through_the_cors_proxy() {
    journey::cross_origin(BANNER).await;
}

/// The console journey in the browser: see the `journey` module.
#[tokio::test]
async fn the_console_works_under_a_sub_path_with_a_named_cluster() {
    journey::run(BANNER).await;
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Waits for `[data-testid=id]`; panics with `why` (what the console must do for it to show).
async fn wait_for(b: &Browser, id: &str, why: &str) {
    let deadline = Instant::now() + WAIT;
    while b.count(id).await == 0 {
        assert!(
            Instant::now() < deadline,
            "no [data-testid={id}] within {WAIT:?} at {}: {why}",
            b.page
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
