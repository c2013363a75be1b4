//! Malformed requests always get an ONTAP-shaped answer that never echoes what was sent, and
//! nothing panics the router.

use crate::common;
#[path = "robustness/faults.rs"]
mod faults;

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

/// Hostile inputs from issue 16: each is refused with a 4xx that names the limit, quickly, and
/// the simulator keeps serving.
mod hostile {
    use super::*;
    use ontap_core::catalog::LIMIT_EXCEEDED;
    use ontap_core::limits;

    async fn still_up(server: &TestServer) {
        let (status, _) = server.get("/api/cluster").await;
        assert_eq!(status, 200, "the simulator stopped serving");
    }

    fn limit_refusal(what: &str, status: u16, answer: &Value) {
        assert_eq!(status, 400, "{what}: {answer}");
        assert!(ontap_shaped(answer), "{what}: {answer}");
        assert_eq!(code(answer), LIMIT_EXCEEDED, "{what}: {answer}");
    }

    #[tokio::test]
    async fn each_case_of_the_issue_is_refused_and_the_server_stays_up() {
        let server = spawn(demo()).await;
        let many_dots = vec!["a"; 400_000].join(".");
        let deep = format!(
            "{{\"fips\": {}1{}}}",
            "[".repeat(20_000),
            "]".repeat(20_000)
        );
        let fields = (0..1_200)
            .map(|i| format!("f{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let order_by = ["name"; limits::MAX_ORDER_BY + 1].join(",");
        let alternatives = vec!["x"; 1_000].join("|");
        let params = (0..limits::MAX_QUERY_PARAMS + 1)
            .map(|_| "name=x")
            .collect::<Vec<_>>()
            .join("&");
        let cases: Vec<(&str, String, String)> = vec![
            (
                "GET",
                format!("/api/security/certificates?name={}", "!".repeat(20_000)),
                String::new(),
            ),
            (
                "GET",
                format!(
                    "/api/security/certificates?name={}x",
                    "!".repeat(limits::MAX_FILTER_NEGATIONS + 1)
                ),
                String::new(),
            ),
            (
                "PATCH",
                "/api/security".into(),
                format!("{{\"{many_dots}\": true}}"),
            ),
            ("PATCH", "/api/security".into(), deep),
            (
                "GET",
                format!("/api/security/certificates?fields={fields}"),
                String::new(),
            ),
            (
                "GET",
                format!("/api/security/certificates?order_by={order_by}"),
                String::new(),
            ),
            (
                "GET",
                format!("/api/security/certificates?name={alternatives}"),
                String::new(),
            ),
            (
                "GET",
                format!("/api/security/certificates?{params}"),
                String::new(),
            ),
            (
                "GET",
                format!(
                    "/api/security/certificates?{}=1",
                    many_dots.get(..200).unwrap_or_default()
                ),
                String::new(),
            ),
            (
                "GET",
                format!("/api/security/certificates?fields={}", &many_dots[..200]),
                String::new(),
            ),
        ];
        for (method, path, body) in cases {
            let what = format!("{method} {}", path.get(..60).unwrap_or(&path));
            let (status, answer) = raw(&server, method, &path, &body).await;
            limit_refusal(&what, status, &answer);
            let message = answer["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("limit"),
                "{what}: the message names no limit: {message}"
            );
            still_up(&server).await;
        }
    }

    /// A query string beyond the limit is refused as such (the server's own URI limit may
    /// answer first for far longer ones).
    #[tokio::test]
    async fn a_long_query_string_is_refused() {
        let server = spawn(demo()).await;
        let path = format!(
            "/api/security/certificates?name={}",
            "a".repeat(limits::MAX_QUERY_BYTES)
        );
        let (status, answer) = raw(&server, "GET", &path, "").await;
        limit_refusal("long query", status, &answer);
        still_up(&server).await;
    }

    const PARAMS: &[&str] = &[
        "fields",
        "order_by",
        "max_records",
        "start",
        "return_records",
        "return_timeout",
        "name",
        "svm.name",
        "type",
        "expiry_time",
    ];
    const PIECES: &[&str] = &[
        "!",
        ".",
        "|",
        ",",
        "a",
        "*",
        "[",
        "{",
        "%21",
        "name desc,",
        "..",
        "<",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Long, deep and repeated values for every query parameter and as body keys and
        /// nesting: never a 500, always an ONTAP-shaped answer.
        #[test]
        fn long_deep_and_repeated_inputs_are_answered(
            param in proptest::sample::select(PARAMS.to_vec()),
            piece in proptest::sample::select(PIECES.to_vec()),
            times in prop_oneof![0usize..40, 1_000usize..20_000],
            path in proptest::sample::select(vec!["/api/security/certificates", "/api/security/key-managers", "/api/cluster/jobs", "/api/security"]),
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let sim = ontap_sim::Simulator::new(empty()).unwrap();
                let value = piece.repeat(times);
                let bodies = [
                    (format!("{path}?{param}={value}"), "GET", String::new()),
                    (format!("{path}?{param}"), "GET", String::new()),
                    ("/api/security".to_owned(), "PATCH", format!("{{\"{}\": true}}", value.replace('"', ""))),
                    ("/api/security".to_owned(), "PATCH", format!("{{\"fips\": {}", piece.repeat(times))),
                ];
                for (uri, method, body) in bodies {
                    let Ok(req) = std::panic::catch_unwind(|| request(method, &uri, body.clone())) else { continue };
                    let response = sim.router().oneshot(req).await.unwrap();
                    let status = response.status().as_u16();
                    assert!(status < 500, "{method} {param}={piece}x{times}: {status}");
                    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
                    let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                    assert!(answer.is_object(), "{method} {param}={piece}x{times}: not JSON");
                    if status >= 400 {
                        assert!(ontap_shaped(&answer), "{answer}");
                    }
                }
            });
        }
    }
}

/// The fuzz targets of `fuzz/` (cargo-fuzz, run for hours by hand) as bounded proptests that
/// run in CI: same harnesses (`ontap_sim::fuzzing`), generated inputs shaped like the grammar.
mod fuzz_targets {
    use super::*;
    use ontap_sim::fuzzing;

    /// 256 cases in CI; `PROPTEST_CASES` runs them longer (docs/hardening.md).
    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256)
    }

    fn grammar() -> impl Strategy<Value = String> {
        let piece = proptest::sample::select(vec![
            "!",
            "|",
            "*",
            "<",
            ">=",
            "..",
            ".",
            ",",
            "&",
            "=",
            "%",
            "%2",
            "%FF",
            "+",
            " ",
            "a",
            "name",
            "fields",
            "order_by",
            "desc",
            "max_records",
            "1",
            "null",
            "{",
            "}",
            "[",
            "]",
            "\"",
            "\\",
            ":",
            "\"a.b.c\":",
            "é",
        ]);
        proptest::collection::vec((piece, 1usize..300), 0..24).prop_map(|parts| {
            parts
                .into_iter()
                .map(|(p, n)| p.repeat(if n > 200 { n * 10 } else { n % 4 + 1 }))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn filter_parser(input in grammar(), bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            fuzzing::filter(input.as_bytes());
            fuzzing::filter(&bytes);
        }

        #[test]
        fn query_parser(input in grammar(), bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            fuzzing::query(input.as_bytes());
            fuzzing::query(&bytes);
        }

        #[test]
        fn dotted_key_expansion(input in grammar(), key_parts in 0usize..40, depth in 0usize..40) {
            fuzzing::dotted(input.as_bytes());
            let key = vec!["k"; key_parts + 1].join(".");
            let body = format!("{}{{\"{key}\": 1}}{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            fuzzing::dotted(body.as_bytes());
        }
    }
}
