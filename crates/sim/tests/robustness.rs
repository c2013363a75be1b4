//! Malformed requests always get an ONTAP-shaped answer that never echoes what was sent, and
//! nothing panics the router.

mod common;

use axum::body::Body;
use axum::http::Request;
use base64::Engine as _;
use common::*;
use proptest::prelude::*;
use serde_json::Value;
use tower::ServiceExt;

const SECRET: &str = "Sup3r-S3cret-Passphrase-Do-Not-Echo-0123456789";

async fn raw(server: &TestServer, method: &str, path: &str, body: &str) -> (u16, Value) {
    let response = server
        .client
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            format!("{}{}", server.base, path),
        )
        .basic_auth(USER, Some(PASSWORD))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert!(
        !text.contains(SECRET),
        "{method} {path} echoed the secret: {text}"
    );
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn ontap_shaped(body: &Value) -> bool {
    body["error"]["code"].is_string() && body["error"]["message"].is_string()
}

#[tokio::test]
async fn malformed_input_is_refused_in_ontap_shape_without_echo() {
    let server = spawn(demo()).await;
    let cases = [
        ("POST", "/api/security/key-managers", format!("{{\"onboard\": {{\"passphrase\": \"{SECRET}\"")),
        ("POST", "/api/security/key-managers", format!("{{\"onboard\": {{\"passphrase\": [\"{SECRET}\"]}}}}")),
        ("PATCH", "/api/security", format!("{{\"fips\": {{\"enabled\": \"{SECRET}\"}}}}")),
        ("PATCH", "/api/security", format!("[\"{SECRET}\"]")),
        ("POST", "/api/security/certificates", format!("{{\"type\": \"server\", \"private_key\": 5, \"common_name\": \"{SECRET}\", \"public_certificate\": 1}}")),
        ("PATCH", "/api/security/ipsec", format!("{{\"{SECRET}\": true}}")),
        ("GET", "/api/no/such/path", String::new()),
        ("PUT", "/api/security", String::new()),
        ("DELETE", "/api/security/ipsec", String::new()),
        ("GET", "/api/security/certificates?name=%FF%FE", String::new()),
        ("GET", "/api/security/certificates/%FF", String::new()),
        ("GET", &format!("/api/security/certificates?{SECRET}=1"), String::new()),
    ];
    for (method, path, body) in cases {
        let (status, answer) = raw(&server, method, path, &body).await;
        assert!((400..500).contains(&status), "{method} {path}: {status}");
        assert!(ontap_shaped(&answer), "{method} {path}: {answer}");
    }
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let config = ontap_sim::SimConfig {
        max_body_bytes: 1024,
        ..demo()
    };
    let server = spawn(config).await;
    let big = format!("{{\"common_name\": \"{}\"}}", "x".repeat(4096));
    let (status, answer) = raw(&server, "POST", "/api/security/certificates", &big).await;
    assert_eq!(status, 413);
    assert!(ontap_shaped(&answer));
}

fn request(method: &str, path: &str, body: String) -> Request<Body> {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Basic {auth}"))
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap()
}

const PATHS: &[&str] = &[
    "/api/security",
    "/api/security/ipsec",
    "/api/security/key-managers",
    "/api/security/certificates",
    "/api/security/certificate-signing-request",
    "/api/cluster",
    "/api/cluster/jobs",
    "/api/svm/svms",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_requests_never_panic_and_errors_are_ontap_shaped(
        method in proptest::sample::select(vec!["GET", "POST", "PATCH", "DELETE"]),
        path in proptest::sample::select(PATHS.to_vec()),
        suffix in "[a-z0-9%/._-]{0,12}",
        query in "[a-z_.=&*|!<>0-9%]{0,24}",
        body in prop_oneof![".{0,60}", "\\{\"[a-z_.]{1,20}\": (true|1|\"x\"|\\[\\]|\\{\\})\\}"],
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let sim = ontap_sim::Simulator::new(empty()).unwrap();
            let uri = format!("{path}{}{}", if suffix.is_empty() { String::new() } else { format!("/{suffix}") }, if query.is_empty() { String::new() } else { format!("?{query}") });
            let Ok(req) = std::panic::catch_unwind(|| request(method, &uri, body.clone())) else { return };
            let response = sim.router().oneshot(req).await.unwrap();
            let status = response.status().as_u16();
            assert!(status != 500, "{method} {uri} gave 500");
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            assert!(answer.is_object(), "{method} {uri}: not JSON");
            if status >= 400 {
                assert!(ontap_shaped(&answer), "{method} {uri}: {answer}");
            }
        });
    }
}
