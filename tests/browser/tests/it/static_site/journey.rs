//! An admin's visit to the static site: the console loads from `/storage/security/`, signs in to
//! the cluster `console.json` names, opens every page through the navigation, survives the
//! reload of a deep link, and the Content-Security-Policy holds throughout.

use ontap_browser_tests::{
    console_json, console_json_at, Browser, StaticSite, CLUSTER, PASSWORD, SUB_PATH, USER,
};

use super::wait_for;

/// Navigation link, a mark of its page, and its path under [`SUB_PATH`].
const PAGES: [(&str, &str, &str); 5] = [
    ("nav-security", "security-read", "security"),
    ("nav-key-managers", "km-read", "key-managers"),
    ("nav-certificates", "cert-table", "certificates"),
    ("nav-ipsec", "ipsec-enabled", "ipsec"),
    ("nav-overview", "overview-ipsec", ""),
];

const ROUTER_BASE: &str = "the console's router must take its base from <base href> \
    (document.baseURI; issue 19, branch `site`)";
const NAMED_CLUSTERS: &str = "the sign-in form must offer the clusters of console.json in \
    <select data-testid=signin-cluster>, one <option data-testid=signin-cluster-NAME> each \
    (issue 19, branch `site`)";

pub async fn run(banner: &str) {
    let mut site = StaticSite::start(&console_json(banner));
    let b = Browser::with_console(site.take_cluster()).await;
    b.page.goto(&site.url).await.expect("navigation");
    wait_for(&b, "signin-form", ROUTER_BASE).await;
    let fetched = b.fetched().await;
    for ext in [".js", ".wasm", ".css"] {
        assert!(
            fetched
                .iter()
                .any(|p| p.starts_with(SUB_PATH) && p.ends_with(ext)),
            "no {ext} fetched from {SUB_PATH}: {fetched:?}"
        );
    }

    sign_in_to_named_cluster(&b).await;
    wait_for(
        &b,
        "cluster-name",
        "signing in to sim1 through /storage/security/clusters/sim1/api (console.json's `api`)",
    )
    .await;
    let api = format!("{SUB_PATH}clusters/{CLUSTER}/api/");
    assert!(
        site.nginx
            .access_log()
            .iter()
            .any(|(path, status)| path.starts_with(&api) && *status == 200),
        "the console called the cluster through {api}: {:?}",
        site.nginx.access_log()
    );

    for (nav, mark, path) in PAGES {
        b.click(nav).await;
        wait_for(&b, mark, ROUTER_BASE).await;
        assert_eq!(
            url_path(&b).await,
            format!("{SUB_PATH}{path}"),
            "{ROUTER_BASE}"
        );
        let text = b.js("return document.body.innerText").await;
        assert!(
            text.as_str().unwrap_or_default().contains(banner),
            "console.json's banner on every page (issue 19): not on {path:?}"
        );
    }

    // A deep link survives a reload (nginx answers it with index.html).
    b.click("nav-certificates").await;
    wait_for(&b, "cert-row", "the simulator's certificates listed").await;
    b.click("cert-name").await;
    wait_for(&b, "detail-title", ROUTER_BASE).await;
    let deep = url_path(&b).await;
    assert!(
        deep.starts_with(&format!("{SUB_PATH}certificates/")),
        "{deep}"
    );
    b.page.refresh().await.expect("reload");
    wait_for_either(&b, "detail-title", "signin-form").await;
    if b.count("signin-form").await > 0 {
        // A static site keeps the sign-in in memory only.
        sign_in_to_named_cluster(&b).await;
    }
    wait_for(&b, "detail-title", ROUTER_BASE).await;
    assert_eq!(url_path(&b).await, deep);

    // None of the console's files was missing (the browser's own /favicon.ico is not one), and
    // the policy refused nothing.
    let missing: Vec<_> = site
        .nginx
        .access_log()
        .into_iter()
        .filter(|(path, status)| {
            *status == 404 && path.starts_with(SUB_PATH) && !path.starts_with(&api)
        })
        .collect();
    assert!(missing.is_empty(), "nginx answered 404: {missing:?}");
    let log = b.console_log().await;
    let refused: Vec<_> = log
        .iter()
        .filter(|l| l.contains("Content Security Policy") || l.contains("Content-Security-Policy"))
        .collect();
    assert!(refused.is_empty(), "the CSP refused: {refused:?}");
    b.close().await;
}

/// A console on one origin signs in to a cluster named by the full URL of a CORS proxy on
/// another, and reads a page through it; the policy allows that origin and refuses nothing.
pub async fn cross_origin(banner: &str) {
    let mut site = StaticSite::start_with_cors_proxy(|proxy| {
        console_json_at(banner, &format!("{proxy}/clusters/{CLUSTER}"))
    });
    let b = Browser::with_console(site.take_cluster()).await;
    b.page.goto(&site.url).await.expect("navigation");
    sign_in_to_named_cluster(&b).await;
    wait_for(
        &b,
        "cluster-name",
        "signing in to sim1 through the CORS proxy (console.json's `api` is a full URL)",
    )
    .await;
    b.click("nav-security").await;
    wait_for(&b, "security-read", ROUTER_BASE).await;
    let through: Vec<_> = site
        .cors_proxy()
        .access_log()
        .into_iter()
        .filter(|(path, _)| path.starts_with(&format!("/clusters/{CLUSTER}/api/")))
        .collect();
    assert!(
        through.iter().any(|(_, status)| *status == 200),
        "the console called the cluster through the proxy: {through:?}"
    );
    assert!(
        site.nginx
            .access_log()
            .iter()
            .all(|(path, _)| !path.contains("/clusters/")),
        "nothing through the site's own proxy"
    );
    let log = b.console_log().await;
    let refused: Vec<_> = log
        .iter()
        .filter(|l| l.contains("Content Security Policy") || l.contains("CORS"))
        .collect();
    assert!(refused.is_empty(), "refused: {refused:?}");
    b.close().await;
}

/// Chooses [`CLUSTER`] on the sign-in form and signs in.
async fn sign_in_to_named_cluster(b: &Browser) {
    let option = format!("signin-cluster-{CLUSTER}");
    wait_for(b, &option, NAMED_CLUSTERS).await;
    let value = b.attr(&option, "value").await.unwrap_or_default();
    b.select("signin-cluster", &value).await;
    b.sign_in_with(USER, PASSWORD).await;
}

async fn url_path(b: &Browser) -> String {
    b.page.current_url().await.expect("url").path().to_owned()
}

async fn wait_for_either(b: &Browser, one: &str, other: &str) {
    let deadline = std::time::Instant::now() + ontap_browser_tests::WAIT;
    while b.count(one).await == 0 && b.count(other).await == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "neither [data-testid={one}] nor [data-testid={other}] after reloading a deep link: {ROUTER_BASE}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
