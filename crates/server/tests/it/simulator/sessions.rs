//! Console sessions over real HTTP (issue 20): the cookie's attributes, the CSRF token every
//! change needs, a wrong cookie, sign-out, idle expiry, and 1,000 sessions leaving nothing
//! behind once expired.

use std::time::Duration;

use axum::body::Body;
use serde_json::{json, Value};
use tower::ServiceExt as _;

use super::common::*;
use ontap_console::session::http::{codes, COOKIE, CSRF_HEADER, PATH};

/// A signed-in browser: the cookie pair (`name=value`), the token, the whole answer.
struct Signed {
    cookie: String,
    csrf: String,
    set_cookie: String,
    body: Value,
}

async fn sign_in(base: &str, password: &str) -> Result<Signed, (u16, Value, bool)> {
    let response = client()
        .post(format!("{base}{PATH}"))
        .json(&json!({"user": USER, "password": password}))
        .send()
        .await
        .unwrap();
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned());
    let (status, _, body) = split(response).await;
    if status != 200 {
        return Err((status, body, set_cookie.is_some()));
    }
    let set_cookie = set_cookie.expect("a session cookie is set");
    let cookie = set_cookie.split(';').next().unwrap().trim().to_owned();
    Ok(Signed {
        cookie,
        csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        set_cookie,
        body,
    })
}

async fn with_cookie(
    base: &str,
    path: &str,
    cookie: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = client()
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    split(response).await
}

async fn telnet(console: &Console) -> bool {
    let (_, _, security) = get(&console.base, "/api/security", USER, PASSWORD).await;
    security["management_protocols"]["telnet_enabled"]
        .as_bool()
        .unwrap()
}

fn patch_telnet(base: &str, cookie: &str, enabled: bool) -> reqwest::RequestBuilder {
    client()
        .patch(format!("{base}/api/security?return_timeout=10"))
        .header("cookie", cookie)
        .header("content-type", "application/json")
        .body(json!({"management_protocols": {"telnet_enabled": enabled}}).to_string())
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_that_the_api_accepts() {
    let console = Console::start(&["--password", PASSWORD, "--job-seconds", "0"]);
    let signed = sign_in(&console.base, PASSWORD).await.unwrap();
    let attributes: Vec<&str> = signed.set_cookie.split(';').map(str::trim).collect();
    assert!(attributes.contains(&"HttpOnly"), "{}", signed.set_cookie);
    assert!(
        attributes.contains(&"SameSite=Strict"),
        "{}",
        signed.set_cookie
    );
    assert!(attributes.contains(&"Path=/"), "{}", signed.set_cookie);
    assert!(
        !attributes.contains(&"Secure"),
        "plain HTTP: {}",
        signed.set_cookie
    );
    let value = signed.cookie.strip_prefix(&format!("{COOKIE}=")).unwrap();
    assert_eq!(value.len(), 43, "256 random bits, base64url");
    assert!(!signed.set_cookie.contains(PASSWORD));
    assert!(
        !signed.body.to_string().contains(PASSWORD),
        "{}",
        signed.body
    );
    assert_eq!(signed.body["user"], USER);
    assert!(
        signed.body["cluster"]["name"].is_string(),
        "{}",
        signed.body
    );
    assert_eq!(signed.body["simulated"], true);

    // The cookie alone reads the cluster; the session answers a reload.
    let (status, headers, cluster) =
        with_cookie(&console.base, "/api/cluster", &signed.cookie).await;
    assert_eq!(status, 200, "{cluster}");
    assert_eq!(headers["cache-control"], "no-store");
    let (status, _, again) = with_cookie(&console.base, PATH, &signed.cookie).await;
    assert_eq!(status, 200);
    assert_eq!(again["signed_in"], true, "{again}");
    assert_eq!(again["csrf_token"], signed.csrf.as_str());
    let (_, _, none) = with_cookie(&console.base, PATH, "other=1").await;
    assert_eq!(none, json!({"signed_in": false}));

    // Basic auth keeps working unchanged, and a wrong password starts no session.
    assert_eq!(
        get(&console.base, "/api/cluster", USER, PASSWORD).await.0,
        200
    );
    let (status, error, cookie_set) = sign_in(&console.base, "not-the-password")
        .await
        .err()
        .unwrap();
    assert_eq!(status, 401, "{error}");
    assert!(!cookie_set);
    assert!(!error.to_string().contains("not-the-password"), "{error}");
}

#[tokio::test]
async fn a_change_without_the_csrf_token_is_refused() {
    let console = Console::start(&["--password", PASSWORD, "--job-seconds", "0"]);
    let signed = sign_in(&console.base, PASSWORD).await.unwrap();
    let before = telnet(&console).await;
    for token in [None, Some("x".repeat(43)), Some(String::new())] {
        let mut request = patch_telnet(&console.base, &signed.cookie, !before);
        if let Some(token) = &token {
            request = request.header(CSRF_HEADER, token);
        }
        let (status, _, error) = split(request.send().await.unwrap()).await;
        assert_eq!(status, 403, "{token:?}: {error}");
        assert_eq!(error["error"]["code"], codes::CSRF);
    }
    assert_eq!(
        telnet(&console).await,
        before,
        "cookies alone changed nothing"
    );
    let request =
        patch_telnet(&console.base, &signed.cookie, !before).header(CSRF_HEADER, &signed.csrf);
    let (status, _, answer) = split(request.send().await.unwrap()).await;
    assert!(status == 200 || status == 202, "{status}: {answer}");
    assert_eq!(telnet(&console).await, !before, "cookie + token changed it");
}

#[tokio::test]
async fn a_wrong_cookie_is_a_401_and_sign_out_forgets_the_session() {
    let console = Console::start(&["--password", PASSWORD, "--job-seconds", "0"]);
    let signed = sign_in(&console.base, PASSWORD).await.unwrap();
    let value = signed.cookie.strip_prefix(&format!("{COOKIE}=")).unwrap();
    let mut forged: Vec<u8> = value.bytes().collect();
    forged[0] = if forged[0] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    for wrong in [forged.as_str(), "short", ""] {
        let (status, headers, error) =
            with_cookie(&console.base, "/api/cluster", &format!("{COOKIE}={wrong}")).await;
        assert_eq!(status, 401, "{wrong}: {error}");
        assert_eq!(error["error"]["code"], codes::SESSION_ENDED);
        assert!(headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        assert!(headers.get("www-authenticate").is_none());
    }

    let sign_out = |token: Option<&str>| {
        let mut request = client()
            .delete(format!("{}{PATH}", console.base))
            .header("cookie", &signed.cookie);
        if let Some(token) = token {
            request = request.header(CSRF_HEADER, token);
        }
        request
    };
    assert_eq!(sign_out(None).send().await.unwrap().status(), 403);
    assert_eq!(
        with_cookie(&console.base, "/api/cluster", &signed.cookie)
            .await
            .0,
        200
    );
    let response = sign_out(Some(&signed.csrf)).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (status, _, error) = with_cookie(&console.base, "/api/cluster", &signed.cookie).await;
    assert_eq!(status, 401, "{error}");
}

#[tokio::test]
async fn an_idle_session_ends_after_the_idle_timeout() {
    let console = Console::start(&[
        "--password",
        PASSWORD,
        "--job-seconds",
        "0",
        "--session-idle",
        "1",
    ]);
    let signed = sign_in(&console.base, PASSWORD).await.unwrap();
    assert_eq!(
        with_cookie(&console.base, "/api/cluster", &signed.cookie)
            .await
            .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, _, error) = with_cookie(&console.base, "/api/cluster", &signed.cookie).await;
    assert_eq!(status, 401, "{error}");
    assert_eq!(error["error"]["code"], codes::SESSION_ENDED);
    let (_, _, status) = with_cookie(&console.base, PATH, &signed.cookie).await;
    assert_eq!(status["signed_in"], false);
}

#[test]
fn session_flags_out_of_range_are_refused() {
    for args in [
        ["serve", "--session-idle", "0"],
        ["serve", "--session-lifetime", "0"],
        ["serve", "--max-sessions", "0"],
    ] {
        let (code, stderr) = refused(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(args[1]), "{stderr}");
    }
}

/// The application in process, with its sessions' handle for counting them.
pub fn in_process(idle: Duration) -> (axum::Router, ontap_console::session::Sessions) {
    use ontap_console::app::{app, AppConfig, Backend};
    use ontap_console::session::{SessionSettings, Sessions};
    let sim = ontap_sim::Simulator::new(ontap_sim::SimConfig::new(USER, PASSWORD)).unwrap();
    let sessions = Sessions::new(SessionSettings {
        idle,
        ..SessionSettings::default()
    });
    let router = app(AppConfig {
        backend: Backend::Simulator(sim),
        ui_dir: "/nonexistent-ui-dir".into(),
        site: Default::default(),
        cors_origin: None,
        limits: Default::default(),
        sessions: sessions.clone(),
    });
    (router, sessions)
}

/// Signs in `n` times through `router`.
pub async fn create_sessions(router: &axum::Router, n: usize) {
    let body = json!({"user": USER, "password": PASSWORD}).to_string();
    for _ in 0..n {
        let request = axum::http::Request::post(PATH)
            .header("content-type", "application/json")
            .body(Body::from(body.clone()))
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200);
    }
}

#[tokio::test]
async fn a_thousand_expired_sessions_leave_nothing_behind() {
    let idle = Duration::from_secs(5);
    let (router, sessions) = in_process(idle);
    sessions.spawn_sweeper();
    let started = std::time::Instant::now();
    create_sessions(&router, 1000).await;
    // On a slow machine the first ones may already have expired (and been swept).
    if started.elapsed() < idle {
        assert_eq!(sessions.len(), 1000);
    }
    assert!(!sessions.is_empty());
    // The sweeper runs every idle period: wait (bounded) until it has forgotten them all,
    // without any further request.
    for _ in 0..600 {
        if sessions.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sessions.len(), 0);
    assert_eq!(sessions.capacity(), 0, "the map's memory is given back");
}

#[tokio::test]
async fn over_https_the_cookie_is_secure() {
    let console = Console::start(&["--password", PASSWORD, "--tls-self-signed"]);
    let insecure = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .no_proxy()
        .build()
        .unwrap();
    let response = insecure
        .post(format!("{}{PATH}", console.base))
        .json(&json!({"user": USER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    let attributes: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    for expected in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(attributes.contains(&expected), "{expected}: {set_cookie}");
    }
}

/// A stand-in cluster that accepts any basic auth until `refuse` is set, then answers 401.
async fn revocable_cluster() -> (String, std::sync::Arc<std::sync::atomic::AtomicBool>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let refuse = Arc::new(AtomicBool::new(false));
    let flag = refuse.clone();
    let router = axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
        let flag = flag.clone();
        async move {
            let authorized = headers.contains_key("authorization") && !flag.load(Ordering::SeqCst);
            if authorized {
                (
                    axum::http::StatusCode::OK,
                    json!({"name": "stand-in", "version": {"full": "NetApp Release 9.16.1", "generation": 9, "major": 16, "minor": 1}})
                        .to_string(),
                )
            } else {
                (
                    axum::http::StatusCode::UNAUTHORIZED,
                    json!({"error": {"message": "not authorized", "code": "6"}}).to_string(),
                )
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), refuse)
}

#[tokio::test]
async fn a_401_from_the_cluster_ends_the_session() {
    let (cluster, refuse) = revocable_cluster().await;
    let console = Console::start(&["--cluster", &cluster]);
    let signed = sign_in(&console.base, "any-password").await.unwrap();
    assert_eq!(signed.body["cluster"]["name"], "stand-in");
    assert_eq!(
        with_cookie(&console.base, "/api/cluster", &signed.cookie)
            .await
            .0,
        200
    );
    refuse.store(true, std::sync::atomic::Ordering::SeqCst);
    let (status, headers, _) = with_cookie(&console.base, "/api/cluster", &signed.cookie).await;
    assert_eq!(status, 401);
    assert!(headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    // The session is gone even once the cluster would accept again.
    refuse.store(false, std::sync::atomic::Ordering::SeqCst);
    let (status, _, error) = with_cookie(&console.base, "/api/cluster", &signed.cookie).await;
    assert_eq!(status, 401, "{error}");
    assert_eq!(error["error"]["code"], codes::SESSION_ENDED);
}

#[tokio::test]
async fn signing_in_again_replaces_the_browsers_session() {
    let console = Console::start(&["--password", PASSWORD, "--job-seconds", "0"]);
    let first = sign_in(&console.base, PASSWORD).await.unwrap();
    let response = client()
        .post(format!("{}{PATH}", console.base))
        .header("cookie", &first.cookie)
        .json(&json!({"user": USER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let second = response.headers()["set-cookie"].to_str().unwrap();
    let second = second.split(';').next().unwrap().to_owned();
    assert_ne!(second, first.cookie);
    assert_eq!(
        with_cookie(&console.base, "/api/cluster", &first.cookie)
            .await
            .0,
        401
    );
    assert_eq!(
        with_cookie(&console.base, "/api/cluster", &second).await.0,
        200
    );
}
