use std::path::Path;

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use ontap_sim::{SimConfig, Simulator};
use serde_json::Value;
use tower::ServiceExt as _;

use super::*;

const USER: &str = "admin";
const PASSWORD: &str = "unit-test-password";
const INLINE: &str = "\nimport init from '/app-1a2b.js';\nawait init('/app-1a2b_bg.wasm');\n";

/// A trunk-like `dist/`: index.html with one inline module script, hashed assets, and a
/// precompressed copy of the script.
fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let index = format!(
        "<!doctype html><html><head><link rel=\"stylesheet\" href=\"/style-9f.css\">\
         <script type=\"module\">{INLINE}</script></head><body></body></html>"
    );
    std::fs::write(dir.path().join("index.html"), index).unwrap();
    std::fs::write(dir.path().join("app-1a2b.js"), "export default 1;").unwrap();
    std::fs::write(dir.path().join("app-1a2b.js.gz"), b"\x1f\x8b-not-really").unwrap();
    std::fs::write(dir.path().join("app-1a2b_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.path().join("style-9f.css"), "body{}").unwrap();
    dir
}

fn simulator() -> Backend {
    Backend::Simulator(Simulator::new(SimConfig::new(USER, PASSWORD)).unwrap())
}

fn router(backend: Backend, ui: &Path, cors: Option<&'static str>) -> Router {
    app(AppConfig {
        backend,
        ui_dir: ui.to_path_buf(),
        site: Default::default(),
        cors_origin: cors.map(HeaderValue::from_static),
        limits: Limits::default(),
        sessions: Sessions::new(Default::default()),
    })
}

fn basic(user: &str, password: &str) -> String {
    let raw = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, headers, body.to_vec())
}

async fn get(router: &Router, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    send(router, Request::get(path).body(Body::empty()).unwrap()).await
}

async fn api_get(router: &Router, path: &str, password: &str) -> (StatusCode, HeaderMap, Value) {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, basic(USER, password))
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(router, request).await;
    (status, headers, serde_json::from_slice(&body).unwrap())
}

use axum::http::HeaderMap;

fn sha256_source(text: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[tokio::test]
async fn index_carries_security_headers_and_the_inline_script_hash() {
    let ui = dist();
    let app = router(simulator(), ui.path(), None);
    for path in ["/", "/index.html"] {
        let (status, headers, body) = get(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(String::from_utf8(body)
            .unwrap()
            .contains("<script type=\"module\">"));
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        let expected = format!(
            "script-src 'self' 'wasm-unsafe-eval' {};",
            sha256_source(INLINE)
        );
        assert!(csp.contains(&expected), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    }
}

#[tokio::test]
async fn deep_links_get_index_html_and_missing_assets_do_not() {
    let ui = dist();
    let app = router(simulator(), ui.path(), None);
    let (_, _, index) = get(&app, "/").await;
    for deep in ["/certificates", "/key-managers/abc-123", "/security/tls/"] {
        let (status, headers, body) = get(&app, deep).await;
        assert_eq!(status, StatusCode::OK, "{deep}");
        assert_eq!(body, index, "{deep}");
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains(&sha256_source(INLINE)), "{deep}: {csp}");
    }
    let (status, headers, _) = get(&app, "/app-0000.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let post = Request::post("/certificates").body(Body::empty()).unwrap();
    assert_eq!(send(&app, post).await.0, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn assets_have_their_content_types_and_the_default_policy() {
    let ui = dist();
    let app = router(simulator(), ui.path(), None);
    for (path, expected) in [
        ("/app-1a2b_bg.wasm", "application/wasm"),
        ("/app-1a2b.js", "text/javascript"),
        ("/style-9f.css", "text/css"),
    ] {
        let (status, headers, _) = get(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let content_type = headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(content_type.starts_with(expected), "{path}: {content_type}");
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            ui::CONTENT_SECURITY_POLICY
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

#[tokio::test]
async fn precompressed_files_are_served_when_accepted() {
    let ui = dist();
    let app = router(simulator(), ui.path(), None);
    let request = Request::get("/app-1a2b.js")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(body, b"\x1f\x8b-not-really");
    let (_, headers, body) = get(&app, "/app-1a2b.js").await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, b"export default 1;");
}

#[tokio::test]
async fn without_a_build_the_root_explains_and_the_api_still_works() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("dist");
    let app = router(simulator(), &missing, None);
    for path in ["/", "/certificates"] {
        let (status, headers, body) = get(&app, path).await;
        assert_eq!(status, StatusCode::OK);
        let page = String::from_utf8(body).unwrap();
        assert!(page.contains(ui::NOT_BUILT_HEADING), "{page}");
        assert!(page.contains("trunk build"), "{page}");
        assert!(page.contains(&missing.display().to_string()), "{page}");
        assert!(headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            ui::CONTENT_SECURITY_POLICY
        );
    }
    let (status, _, cluster) = api_get(&app, "/api/cluster", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert!(cluster["name"].is_string(), "{cluster}");
}

#[tokio::test]
async fn api_goes_to_the_simulator_never_to_the_ui() {
    let ui = dist();
    let app = router(simulator(), ui.path(), None);
    let (status, headers, cluster) = api_get(&app, "/api/cluster", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert!(cluster["version"].is_object(), "{cluster}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    let (status, headers, error) = api_get(&app, "/api/cluster", "wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(error["error"]["code"].is_string(), "{error}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");

    // Unknown API paths are the simulator's ONTAP-shaped 404, not the console's index.html.
    for path in [
        "/api",
        "/api/",
        "/api/no/such/thing",
        "/api/certificates.js",
    ] {
        let (status, _, error) = api_get(&app, path, PASSWORD).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(error["error"]["message"].is_string(), "{path}: {error}");
    }
}

#[tokio::test]
async fn api_paths_with_their_own_parameters_reach_the_backend_whole() {
    // The console follows jobs at /api/cluster/jobs/{uuid}: the server's own routing must
    // not add a path parameter the backend's handlers would then refuse.
    let ui = dist();
    let app = router(simulator(), ui.path(), None);
    let patch = Request::patch("/api/security")
        .header(header::AUTHORIZATION, basic(USER, PASSWORD))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            r#"{"management_protocols": {"telnet_enabled": false}}"#,
        ))
        .unwrap();
    let (status, _, body) = send(&app, patch).await;
    assert_eq!(
        status,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let answer: Value = serde_json::from_slice(&body).unwrap();
    let uuid = answer["job"]["uuid"].as_str().unwrap();
    let (status, _, job) = api_get(&app, &format!("/api/cluster/jobs/{uuid}"), PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["uuid"], uuid);
}

#[tokio::test]
async fn cors_headers_only_for_the_configured_origin() {
    let ui = dist();
    let preflight = |origin: &str| {
        Request::options("/api/security")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PATCH")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization,content-type",
            )
            .body(Body::empty())
            .unwrap()
    };
    let with = router(simulator(), ui.path(), Some("http://127.0.0.1:8081"));
    let (status, headers, _) = send(&with, preflight("http://127.0.0.1:8081")).await;
    assert!(status.is_success(), "{status}");
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://127.0.0.1:8081"
    );
    let methods = headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(methods.contains("PATCH"), "{methods}");
    let allowed = headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap();
    assert!(allowed.contains("authorization"), "{allowed}");

    let (_, headers, _) = send(&with, preflight("http://evil.example")).await;
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    let request = Request::get("/api/cluster")
        .header(header::ORIGIN, "http://127.0.0.1:8081")
        .header(header::AUTHORIZATION, basic(USER, PASSWORD))
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&with, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://127.0.0.1:8081"
    );

    let without = router(simulator(), ui.path(), None);
    let (_, headers, _) = send(&without, preflight("http://127.0.0.1:8081")).await;
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn an_unreachable_cluster_is_an_ontap_shaped_502() {
    let port = closed_port();
    let proxy = Proxy::new(&crate::cli::ClusterSettings {
        url: url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        trust: crate::cli::Trust::SystemRoots,
    })
    .unwrap();
    let ui = dist();
    let app = router(Backend::Cluster(proxy), ui.path(), None);
    let (status, headers, error) = api_get(&app, "/api/cluster", PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(error["error"]["code"], crate::proxy::codes::UNREACHABLE);
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("could not be reached"), "{message}");
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(!message.contains(PASSWORD));
    assert!(!message.contains(&basic(USER, PASSWORD)));
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    // The console's files are still served.
    assert_eq!(get(&app, "/").await.0, StatusCode::OK);
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_calling_the_cluster() {
    let proxy = Proxy::new(&crate::cli::ClusterSettings {
        url: url::Url::parse(&format!("http://127.0.0.1:{}", closed_port())).unwrap(),
        trust: crate::cli::Trust::SystemRoots,
    })
    .unwrap();
    let ui = dist();
    let app = router(Backend::Cluster(proxy), ui.path(), None);
    // A streamed body (no Content-Length) over the limit: refused while reading it.
    let chunks =
        (0..5).map(|_| Ok::<_, std::io::Error>(vec![b' '; crate::proxy::MAX_REQUEST_BYTES / 4]));
    let request = Request::post("/api/security/certificates")
        .header(header::AUTHORIZATION, basic(USER, PASSWORD))
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let error: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        error["error"]["code"],
        crate::proxy::codes::REQUEST_TOO_LARGE
    );
}

/// A port that was free a moment ago: nothing listens there.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
