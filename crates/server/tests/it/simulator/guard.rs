//! The cross-site guard over real HTTP: what another web site could make a browser send is
//! refused; what scripts and NetApp's Python client send passes.

use serde_json::{json, Value};

use super::common::*;
use ontap_console::guard::codes;

async fn telnet(console: &Console) -> bool {
    let (_, _, security) = get(&console.base, "/api/security", USER, PASSWORD).await;
    security["management_protocols"]["telnet_enabled"]
        .as_bool()
        .unwrap()
}

fn patch(console: &Console) -> reqwest::RequestBuilder {
    client()
        .patch(format!("{}/api/security?return_timeout=10", console.base))
        .basic_auth(USER, Some(PASSWORD))
}

fn body(enabled: bool) -> String {
    json!({"management_protocols": {"telnet_enabled": enabled}}).to_string()
}

#[tokio::test]
async fn a_text_plain_post_changes_nothing() {
    let console = Console::start(&["--password", PASSWORD, "--job-seconds", "0"]);
    let before = telnet(&console).await;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut request = patch(&console).body(body(!before));
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let (status, _, error) = split(request.send().await.unwrap()).await;
        assert_eq!(status, 415, "{content_type:?}: {error}");
        assert_eq!(error["error"]["code"], codes::UNSUPPORTED_MEDIA_TYPE);
    }
    assert_eq!(telnet(&console).await, before, "nothing changed");
}

#[tokio::test]
async fn cross_site_requests_are_refused_same_origin_and_scripts_pass() {
    let console = Console::start(&["--password", PASSWORD, "--job-seconds", "0"]);
    let before = telnet(&console).await;
    for (name, value) in [
        ("origin", "http://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ] {
        let response = patch(&console)
            .header("content-type", "application/json")
            .header(name, value)
            .body(body(!before))
            .send()
            .await
            .unwrap();
        let (status, _, error) = split(response).await;
        assert_eq!(status, 403, "{name}: {value}: {error}");
        assert_eq!(error["error"]["code"], codes::CROSS_SITE);
    }
    assert_eq!(telnet(&console).await, before);

    // The console itself: same origin, JSON.
    let response = patch(&console)
        .header("origin", console.base.as_str())
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/json")
        .body(body(!before))
        .send()
        .await
        .unwrap();
    let (status, _, answer) = split(response).await;
    assert!(status == 200 || status == 202, "{status}: {answer}");
    assert_eq!(telnet(&console).await, !before);

    // A script (netapp_ontap, curl): JSON, no Origin.
    let response =
        patch(&console).json(&json!({"management_protocols": {"telnet_enabled": before}}));
    let (status, _, answer) = split(response.send().await.unwrap()).await;
    assert!(status == 200 || status == 202, "{status}: {answer}");
    assert_eq!(telnet(&console).await, before);

    // A DELETE without a body is not asked for a content type.
    let response = client()
        .delete(format!(
            "{}/api/security/certificates/00000000-0000-0000-0000-000000000000",
            console.base
        ))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn the_cors_origin_is_let_through() {
    let other = "http://127.0.0.1:8081";
    let console = Console::start(&["--password", PASSWORD, "--cors-origin", other]);
    let response = client()
        .get(format!("{}/api/cluster", console.base))
        .basic_auth(USER, Some(PASSWORD))
        .header("origin", other)
        .header("sec-fetch-site", "same-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], other);
    let response = client()
        .get(format!("{}/api/cluster", console.base))
        .basic_auth(USER, Some(PASSWORD))
        .header("origin", "http://127.0.0.1:8082")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn no_basic_challenge_reaches_the_browser() {
    let console = Console::start(&["--password", PASSWORD]);
    for password in ["wrong", ""] {
        let (status, headers, error) = get(&console.base, "/api/cluster", USER, password).await;
        assert_eq!(status, 401, "{error}");
        assert!(headers.get("www-authenticate").is_none(), "{headers:?}");
        assert!(error["error"].is_object(), "{error}");
    }
    let response = client()
        .get(format!("{}/api/cluster", console.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().get("www-authenticate").is_none());
    let _: Value = response.json().await.unwrap();
}
