//! `ontap-console serve --cluster URL` against a second simulator standing in for the cluster,
//! over plain HTTP and over TLS, through the real binary.

use crate::common;

use common::*;
use ontap_console::proxy::{codes, MAX_REQUEST_BYTES};
use serde_json::{json, Value};

fn basic_header(user: &str, password: &str) -> String {
    use base64::Engine as _;
    let raw = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

#[tokio::test]
async fn requests_bodies_statuses_and_authorization_pass_through() {
    let cluster = http_cluster().await;
    let direct = format!("http://{}", cluster.addr);
    let console = Console::start(&["--cluster", &direct]);
    let banner = console.stdout().join("\n");
    assert!(
        banner.contains(&format!("forwarded to {direct}")),
        "{banner}"
    );

    // Same answer through the console as from the cluster itself.
    let (status, headers, via) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 200, "{via}");
    let (_, _, straight) = get(&direct, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(via, straight);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(
        headers["x-ontap-simulator"], "true",
        "the cluster's own headers are relayed"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");

    // The query string reaches the cluster.
    let path = "/api/security/certificates?fields=name&max_records=1&order_by=name";
    let (status, _, page) = get(&console.base, path, USER, PASSWORD).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["num_records"], 1, "{page}");
    let (_, _, straight) = get(&direct, path, USER, PASSWORD).await;
    assert_eq!(page, straight);

    // Refused credentials: the cluster's 401 and error body, unchanged.
    let (status, _, via) = get(&console.base, "/api/cluster", USER, "wrong").await;
    let (direct_status, _, straight) = get(&direct, "/api/cluster", USER, "wrong").await;
    assert_eq!((status, &via), (direct_status, &straight));
    assert_eq!(status, 401);

    // A PATCH with a body changes the cluster; a refused one gives the cluster's 400 and code.
    let (_, _, before) = get(&direct, "/api/security", USER, PASSWORD).await;
    let telnet = before["management_protocols"]["telnet_enabled"]
        .as_bool()
        .unwrap();
    let response = client()
        .patch(format!("{}/api/security?return_timeout=10", console.base))
        .basic_auth(USER, Some(PASSWORD))
        .json(&json!({"management_protocols": {"telnet_enabled": !telnet}}))
        .send()
        .await
        .unwrap();
    let (status, _, body) = split(response).await;
    assert_eq!(status, 200, "{body}");
    let (_, _, after) = get(&direct, "/api/security", USER, PASSWORD).await;
    assert_eq!(after["management_protocols"]["telnet_enabled"], !telnet);

    let bad = json!({"tls": {"protocol_versions": ["TLSv0.9"]}});
    let send_bad = |base: String| {
        client()
            .patch(format!("{base}/api/security"))
            .basic_auth(USER, Some(PASSWORD))
            .json(&bad)
            .send()
    };
    let (status, _, via) = split(send_bad(console.base.clone()).await.unwrap()).await;
    let (direct_status, _, straight) = split(send_bad(direct.clone()).await.unwrap()).await;
    assert_eq!(status, 400, "{via}");
    assert_eq!((status, &via), (direct_status, &straight));

    // What reached the cluster: the browser's Authorization unchanged, Accept and Content-Type,
    // and nothing else the browser sent.
    let marker = basic_header(USER, "marker-password");
    let response = client()
        .get(format!("{}/api/cluster?fields=name", console.base))
        .header("authorization", &marker)
        .header("accept", "application/hal+json")
        .header("cookie", "session=browser-cookie")
        .header("x-custom", "browser-only")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let seen = cluster.seen_headers();
    let forwarded = seen
        .iter()
        .find(|h| h.get("authorization").is_some_and(|v| v == marker.as_str()))
        .expect("the Authorization header reached the cluster unchanged");
    assert_eq!(forwarded["accept"], "application/hal+json");
    assert!(forwarded.get("cookie").is_none());
    assert!(forwarded.get("x-custom").is_none());
    assert!(forwarded.get("x-forwarded-for").is_none());
    let patched = seen
        .iter()
        .find(|h| h.get("content-type").is_some())
        .expect("the PATCH's Content-Type reached the cluster");
    assert_eq!(patched["content-type"], "application/json");
}

#[tokio::test]
async fn oversized_request_bodies_are_refused_before_the_cluster() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let cluster = http_cluster().await;
    let console = Console::start(&["--cluster", &format!("http://{}", cluster.addr)]);
    let before = cluster.seen_headers().len();
    // Announce a body over the limit and send only the head: the answer comes at once (a client
    // still writing the body could see the connection close before it reads the answer).
    let address = console.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/security/certificates HTTP/1.1\r\nHost: {address}\r\n\
         Authorization: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        basic_header(USER, PASSWORD),
        MAX_REQUEST_BYTES + 1
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut buffer = [0u8; 4096];
        loop {
            let n = stream.read(&mut buffer).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
            if answer.ends_with(b"}}") {
                break;
            }
        }
    });
    read.await.expect("an answer without the body being sent");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
    let error: Value = serde_json::from_str(body).unwrap();
    assert_eq!(error["error"]["code"], codes::REQUEST_TOO_LARGE);
    assert_eq!(
        cluster.seen_headers().len(),
        before,
        "nothing reached the cluster"
    );
}

#[tokio::test]
async fn an_unreachable_cluster_gives_an_ontap_shaped_502_without_secrets() {
    let port = closed_port();
    let console = Console::start(&["--cluster", &format!("http://127.0.0.1:{port}")]);
    let (status, headers, error) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 502);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(error["error"]["code"], codes::UNREACHABLE);
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("could not be reached"), "{message}");
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    let text = error.to_string();
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(!text.contains(&basic_header(USER, PASSWORD)[6..]), "{text}");
}

#[tokio::test]
async fn tls_cluster_is_verified_against_the_ca_file() {
    let pki = test_pki();
    let cluster = tls_cluster(&pki).await;
    let url = format!("https://127.0.0.1:{}", cluster.addr.port());
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("cluster-ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();

    let trusted = Console::start(&["--cluster", &url, "--ca-file", ca_file.to_str().unwrap()]);
    let (status, _, cluster_info) = get(&trusted.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 200, "{cluster_info}");
    assert!(cluster_info["name"].is_string());
    let (status, _, _) = get(&trusted.base, "/api/cluster", USER, "wrong").await;
    assert_eq!(status, 401);

    // The system's roots do not know the test CA: refused, and said so.
    let system = Console::start(&["--cluster", &url]);
    let (status, _, error) = get(&system.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 502, "{error}");
    assert_eq!(error["error"]["code"], codes::UNREACHABLE);
    let message = error["error"]["message"].as_str().unwrap().to_lowercase();
    assert!(message.contains("certificate"), "{message}");

    // --insecure accepts it, and the banner says the certificate is not checked.
    let insecure = Console::start(&["--cluster", &url, "--insecure"]);
    let banner = insecure.stdout().join("\n");
    assert!(banner.contains("NOT checked"), "{banner}");
    let (status, _, _) = get(&insecure.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_ca_file_without_certificates_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("empty.pem");
    std::fs::write(&ca_file, "not a certificate\n").unwrap();
    let (code, stderr) = refused(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--cluster",
        "https://127.0.0.1:1",
        "--ca-file",
        ca_file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("empty.pem"), "{stderr}");
}

#[tokio::test]
async fn the_console_files_are_still_served_in_cluster_mode() {
    let cluster = http_cluster().await;
    let ui = tempfile::tempdir().unwrap();
    std::fs::write(
        ui.path().join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    let console = Console::start(&[
        "--cluster",
        &format!("http://{}", cluster.addr),
        "--ui",
        ui.path().to_str().unwrap(),
    ]);
    let before = cluster.seen_headers().len();
    let response = client()
        .get(format!("{}/certificates", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.text().await.unwrap(),
        "<!doctype html><title>console</title>"
    );
    assert_eq!(
        cluster.seen_headers().len(),
        before,
        "UI requests never reach the cluster"
    );
    let (status, _, body): (u16, _, Value) =
        get(&console.base, "/api/svm/svms", USER, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
}

/// A self-signed cluster certificate for 127.0.0.1, with or without `CA:TRUE`.
fn self_signed(ca_flag: bool) -> TestPki {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    if ca_flag {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    let cert = params.self_signed(&key).unwrap();
    TestPki {
        ca_pem: cert.pem(),
        server_chain: vec![cert.der().clone()],
        server_key: tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(
            key.serialize_der().into(),
        ),
    }
}

#[tokio::test]
async fn the_clusters_own_self_signed_certificate_can_be_the_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    for ca_flag in [false, true] {
        let pki = self_signed(ca_flag);
        let cluster = tls_cluster(&pki).await;
        let url = format!("https://127.0.0.1:{}", cluster.addr.port());
        let ca_file = dir.path().join(format!("cluster-{ca_flag}.pem"));
        std::fs::write(&ca_file, &pki.ca_pem).unwrap();
        let console = Console::start(&["--cluster", &url, "--ca-file", ca_file.to_str().unwrap()]);
        let (status, _, body) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
        assert_eq!(status, 200, "CA:{ca_flag}: {body}");

        // Another cluster's certificate in the file: refused.
        let other = self_signed(ca_flag);
        let other_file = dir.path().join(format!("other-{ca_flag}.pem"));
        std::fs::write(&other_file, &other.ca_pem).unwrap();
        let wrong = Console::start(&["--cluster", &url, "--ca-file", other_file.to_str().unwrap()]);
        let (status, _, error) = get(&wrong.base, "/api/cluster", USER, PASSWORD).await;
        assert_eq!(status, 502, "CA:{ca_flag}: {error}");
        assert_eq!(error["error"]["code"], codes::UNREACHABLE);
    }
}

#[tokio::test]
async fn a_ca_file_does_not_vouch_for_another_host_name() {
    // The test CA signed a certificate for 127.0.0.1 and localhost; the cluster answers on
    // 127.0.0.2, which the certificate does not name.
    let pki = test_pki();
    let cluster = tls_cluster_on(&pki, "127.0.0.2").await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();
    let url = format!("https://127.0.0.2:{}", cluster.addr.port());
    let console = Console::start(&["--cluster", &url, "--ca-file", ca_file.to_str().unwrap()]);
    let (status, _, error) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 502, "{error}");
    let message = error["error"]["message"].as_str().unwrap().to_lowercase();
    assert!(message.contains("certificate"), "{message}");
}

#[tokio::test]
async fn redirects_stay_on_the_cluster_or_are_refused() {
    use axum::http::{header, StatusCode};
    use axum::routing::get as route_get;
    // A stand-in cluster that redirects: once to itself, once elsewhere.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let own = format!("http://{addr}/api/cluster?fields=name");
    let router = axum::Router::new()
        .route(
            "/api/moved",
            route_get(move || async move { (StatusCode::FOUND, [(header::LOCATION, own)]) }),
        )
        .route(
            "/api/away",
            route_get(|| async {
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, "https://elsewhere.example/api")],
                )
            }),
        );
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    let console = Console::start(&["--cluster", &format!("http://{addr}")]);

    let moved = client()
        .get(format!("{}/api/moved", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 302);
    assert_eq!(moved.headers()["location"], "/api/cluster?fields=name");

    let (status, _, error) = split(
        client()
            .get(format!("{}/api/away", console.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 502, "{error}");
    assert_eq!(error["error"]["code"], codes::REDIRECT);
    assert!(!error.to_string().contains("elsewhere.example"), "{error}");
}

/// A stand-in cluster that records every path it is asked for and answers with headers a
/// console must not relay.
async fn hostile_cluster() -> (
    std::net::SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    use axum::http::{header, Uri};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    let router = axum::Router::new().fallback(move |uri: Uri| {
        sink.lock().unwrap().push(uri.path().to_string());
        async move {
            (
                [
                    (header::CONTENT_TYPE, "application/hal+json"),
                    (header::CONTENT_SECURITY_POLICY, "default-src *"),
                    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                    (header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
                    (header::X_FRAME_OPTIONS, "ALLOWALL"),
                    (header::WWW_AUTHENTICATE, "Basic realm=\"cluster\""),
                    (header::SET_COOKIE, "session=1"),
                    (header::ETAG, "\"7\""),
                ],
                "{\"num_records\":0,\"records\":[]}",
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (addr, seen)
}

#[tokio::test]
async fn paths_that_could_leave_api_never_reach_the_cluster() {
    let (addr, seen) = hostile_cluster().await;
    let console = Console::start(&["--cluster", &format!("http://{addr}")]);
    for path in [
        "/api/x\\..\\..\\..\\servlets/netapp.servlets.admin.XMLrequest_filer",
        "/api/x%5c..%5c..%5cservlets/netapp.servlets.admin.XMLrequest_filer",
        "/api/x%2f..%2f..%2fservlets/netapp.servlets.admin.XMLrequest_filer",
        "/api/x/%2e%2e/%2E%2E/servlets/netapp.servlets.admin.XMLrequest_filer",
        "/api/x/../../servlets/netapp.servlets.admin.XMLrequest_filer",
        "/api/./cluster",
    ] {
        let answer = raw_http(&console.base, &format!("GET {path} HTTP/1.1")).await;
        let status = answer.lines().next().unwrap_or_default().to_string();
        // Either the console's ONTAP-shaped 400, or (for a raw `..` hyper itself refuses) a 4xx:
        // never the cluster's 200.
        assert!(status.contains(" 400 "), "{path}: {answer}");
        if answer.contains("{\"error\"") {
            assert!(answer.contains(codes::BAD_PATH), "{path}: {answer}");
        }
    }
    let (status, _, _) = get(
        &console.base,
        "/api/security/certificates/a.b",
        USER,
        PASSWORD,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        *seen.lock().unwrap(),
        vec!["/api/security/certificates/a.b".to_string()],
        "only the clean path reached the cluster"
    );
}

#[tokio::test]
async fn the_consoles_security_headers_replace_the_clusters() {
    let (addr, _) = hostile_cluster().await;
    let console = Console::start(&["--cluster", &format!("http://{addr}")]);
    let (status, headers, body) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["content-type"], "application/hal+json");
    assert_eq!(headers["etag"], "\"7\"");
    assert_eq!(
        headers["content-security-policy"],
        ontap_console::ui::CONTENT_SECURITY_POLICY
    );
    for dropped in [
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "x-frame-options",
        "www-authenticate",
        "set-cookie",
    ] {
        assert!(headers.get(dropped).is_none(), "{dropped}: {headers:?}");
    }
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
}
