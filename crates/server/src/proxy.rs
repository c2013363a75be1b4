//! Forwards `/api/*` to a real cluster.
//!
//! Only what an ONTAP REST call needs crosses: method, path, query, body, `Accept`,
//! `Content-Type` and the browser's `Authorization` (passed through, marked sensitive, never
//! stored or logged). Redirects are not followed: one that stays on the cluster is handed to the
//! browser as a relative `Location` (so it comes back through the proxy), one that leaves the
//! cluster is refused. Failures to reach the cluster become ONTAP-shaped errors that name the
//! cluster and the cause, never a header or a body.

use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use ontap_core::{ErrorResponse, OntapError};
use url::Url;

use crate::cli::ClusterSettings;
use crate::tls::{self, CaFileError};

/// Largest request body forwarded (certificate installs are the biggest ONTAP calls: a few KiB).
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;
/// Largest answer relayed (a full certificate collection with `fields=**` stays far below).
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// How long to wait for a TCP + TLS connection to the cluster.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one call may take: ONTAP caps `return_timeout` at 120 seconds.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(150);

/// Error codes of the proxy's own ONTAP-shaped errors. They are not numbers, so they cannot be
/// mistaken for one of ONTAP's codes.
pub mod codes {
    pub const UNREACHABLE: &str = "ontap-console.cluster_unreachable";
    pub const TIMEOUT: &str = "ontap-console.cluster_timeout";
    pub const REDIRECT: &str = "ontap-console.cluster_redirect";
    pub const ANSWER_TOO_LARGE: &str = "ontap-console.answer_too_large";
    pub const REQUEST_TOO_LARGE: &str = "ontap-console.request_too_large";
    pub const BAD_PATH: &str = "ontap-console.bad_path";
}

/// Request headers sent on to the cluster; nothing else the browser sends is.
const FORWARDED_REQUEST_HEADERS: [HeaderName; 3] =
    [header::ACCEPT, header::CONTENT_TYPE, header::AUTHORIZATION];

/// The only headers of the cluster's answers relayed to the browser (an allow-list): what a REST
/// client reads. Everything else is dropped, so the console's own security headers
/// (Content-Security-Policy, CORS, framing, caching) are the only ones the browser sees, hop-by-hop
/// headers stay on their hop, `WWW-Authenticate` cannot pop up the browser's own sign-in dialog
/// and the cluster's cookies do not land on this origin. `Content-Length` is recomputed.
const RELAYED_RESPONSE_HEADERS: [&str; 7] = [
    "content-type",
    "location",
    "etag",
    "last-modified",
    "retry-after",
    "content-language",
    // A simulator standing in for the cluster stays recognisable as one.
    ontap_sim::SIMULATOR_HEADER,
];

/// Why the proxy could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error(transparent)]
    CaFile(#[from] CaFileError),
    #[error("cannot set up the HTTPS client: {0}")]
    Client(reqwest::Error),
}

/// A forwarder to one cluster. Cheap to clone (the connection pool is shared).
#[derive(Clone, Debug)]
pub struct Proxy {
    client: reqwest::Client,
    base: Url,
}

impl Proxy {
    /// Builds the HTTPS client with the chosen trust. Redirects are never followed by it.
    pub fn new(settings: &ClusterSettings) -> Result<Proxy, ProxyError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            // The management network is reached directly; credentials go to no proxy server.
            .no_proxy()
            .user_agent(concat!("ontap-console/", env!("CARGO_PKG_VERSION")));
        // The same trust rules as `audit` and `get` (one builder, `tls::client_config`).
        builder = builder.use_preconfigured_tls(tls::client_config(&settings.trust)?);
        Ok(Proxy {
            client: builder.build().map_err(ProxyError::Client)?,
            base: settings.url.clone(),
        })
    }

    /// The cluster's address, `scheme://host[:port]`.
    pub fn cluster(&self) -> &Url {
        &self.base
    }

    /// A router that forwards every request it gets (mount it under `/api`).
    pub fn router(&self) -> Router {
        Router::new().fallback(forward).with_state(self.clone())
    }

    /// The cluster's origin as shown in messages: `https://host[:port]`.
    fn origin(&self) -> String {
        self.base.origin().ascii_serialization()
    }
}

/// An ONTAP-shaped error answer (`{"error":{"message","code"}}`) from the proxy itself.
pub fn error_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ErrorResponse::from(OntapError {
        message: Some(message.into()),
        code: Some(code.to_string()),
        ..OntapError::default()
    });
    let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
}

async fn forward(State(proxy): State<Proxy>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let url = match upstream_url(&proxy.base, parts.uri.path(), parts.uri.query()) {
        Ok(url) => url,
        Err(why) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                codes::BAD_PATH,
                format!("The path is not forwarded to the cluster: {why}."),
            )
        }
    };

    let declared_length = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::REQUEST_TOO_LARGE,
            format!("The request body is larger than {MAX_REQUEST_BYTES} bytes."),
        )
    };
    if declared_length.is_some_and(|n| n > MAX_REQUEST_BYTES as u64) {
        return too_large();
    }
    let Ok(body) = to_bytes(body, MAX_REQUEST_BYTES).await else {
        return too_large();
    };

    let mut headers = HeaderMap::new();
    for name in FORWARDED_REQUEST_HEADERS {
        for value in parts.headers.get_all(&name) {
            let mut value = value.clone();
            if name == header::AUTHORIZATION {
                value.set_sensitive(true);
            }
            headers.append(name.clone(), value);
        }
    }
    let mut outgoing = proxy
        .client
        .request(parts.method.clone(), url.clone())
        .headers(headers);
    if !body.is_empty() {
        outgoing = outgoing.body(body);
    }

    let answer = match outgoing.send().await {
        Ok(answer) => answer,
        Err(e) => return unreachable(&proxy, &e),
    };
    relay(&proxy, &url, answer).await
}

/// Turns the cluster's answer into ours: same status and body, filtered headers.
async fn relay(proxy: &Proxy, request_url: &Url, mut answer: reqwest::Response) -> Response {
    let status = answer.status();
    let mut headers = relayed_headers(answer.headers());

    if status.is_redirection() {
        if let Some(location) = headers.get(header::LOCATION) {
            match same_cluster_location(&proxy.base, request_url, location) {
                Some(relative) => {
                    headers.insert(header::LOCATION, relative);
                }
                None => {
                    return error_response(
                        StatusCode::BAD_GATEWAY,
                        codes::REDIRECT,
                        format!(
                            "The cluster at {} redirected to another address; the console \
                             does not follow redirects off the cluster.",
                            proxy.origin()
                        ),
                    )
                }
            }
        }
    }

    if answer
        .content_length()
        .is_some_and(|n| n > MAX_RESPONSE_BYTES as u64)
    {
        return answer_too_large(proxy);
    }
    let mut body = Vec::new();
    loop {
        match answer.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return answer_too_large(proxy);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return unreachable(proxy, &e),
        }
    }

    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

fn answer_too_large(proxy: &Proxy) -> Response {
    error_response(
        StatusCode::BAD_GATEWAY,
        codes::ANSWER_TOO_LARGE,
        format!(
            "The answer of the cluster at {} is larger than {MAX_RESPONSE_BYTES} bytes; ask for \
             fewer records or fields.",
            proxy.origin()
        ),
    )
}

/// 502 (504 on a timeout) saying the cluster could not be reached, with the innermost cause
/// (e.g. "Connection refused", "invalid peer certificate: UnknownIssuer"): reqwest's causes
/// name the address and the failure, never a header or a body.
fn unreachable(proxy: &Proxy, error: &reqwest::Error) -> Response {
    let cause = innermost_cause(error);
    tracing::warn!(cluster = %proxy.origin(), "cluster call failed: {cause}");
    if error.is_timeout() {
        return error_response(
            StatusCode::GATEWAY_TIMEOUT,
            codes::TIMEOUT,
            format!(
                "The cluster at {} did not answer in time ({cause}).",
                proxy.origin()
            ),
        );
    }
    error_response(
        StatusCode::BAD_GATEWAY,
        codes::UNREACHABLE,
        format!(
            "The cluster at {} could not be reached: {cause}.",
            proxy.origin()
        ),
    )
}

fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    let text = current.to_string();
    text.trim_end_matches('.').to_string()
}

/// The allowed headers of the cluster's answer (see [`RELAYED_RESPONSE_HEADERS`]).
fn relayed_headers(answer: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in RELAYED_RESPONSE_HEADERS {
        for value in answer.get_all(name) {
            kept.append(HeaderName::from_static(name), value.clone());
        }
    }
    kept
}

/// A `Location` on the cluster itself, as a path + query the browser resolves against the
/// console's origin; `None` for a location on any other origin.
fn same_cluster_location(
    base: &Url,
    request_url: &Url,
    location: &HeaderValue,
) -> Option<HeaderValue> {
    let target = request_url.join(location.to_str().ok()?).ok()?;
    if target.origin() != base.origin() {
        return None;
    }
    let mut relative = target.path().to_string();
    if let Some(query) = target.query() {
        relative.push('?');
        relative.push_str(query);
    }
    HeaderValue::from_str(&relative).ok()
}

/// The cluster URL for a request path: built from the decoded segments (re-encoded by `url`), so
/// what the cluster receives is exactly the segments checked here. Backslashes (which URL parsers
/// read as `/`), encoded slashes or backslashes, `.`/`..` segments (also encoded) and text that is
/// not UTF-8 are refused, and the result must still be `/api` or below it.
fn upstream_url(base: &Url, path: &str, query: Option<&str>) -> Result<Url, &'static str> {
    if path.contains('\\') {
        return Err("it contains a backslash");
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err("it does not start with '/'");
    };
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        let decoded = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| "it is not UTF-8 once decoded")?;
        if decoded.contains(['/', '\\']) {
            return Err("it contains an encoded slash or backslash");
        }
        if decoded == "." || decoded == ".." {
            return Err("it contains '.' or '..' segments");
        }
        segments.push(decoded);
    }
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|_| "the cluster address cannot take a path")?
        .clear()
        .extend(segments.iter().map(|s| s.as_ref()));
    if url.path() != "/api" && !url.path().starts_with("/api/") {
        return Err("it is not under /api");
    }
    url.set_query(query);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_paths_stay_under_api() {
        let base = Url::parse("https://cluster1:8443/").unwrap();
        let up = |path: &str| upstream_url(&base, path, Some("fields=*")).map(|u| u.to_string());
        for bad in [
            "/api/../x",
            "/api/%2E%2e/x",
            "/api/./x",
            "/api/x\\..\\..\\servlets/netapp.servlets.admin.XMLrequest_filer",
            "/api/x%5c..%5c..%5cservlets",
            "/api/x%2f..%2f..%2fservlets",
            "/api/x%2F%2E%2E",
            "/servlets/x",
            "/apix",
            "/api/%ff",
        ] {
            assert!(up(bad).is_err(), "{bad} must be refused");
        }
        assert_eq!(
            up("/api/security/certificates/a.b").unwrap(),
            "https://cluster1:8443/api/security/certificates/a.b?fields=*"
        );
        assert_eq!(
            up("/api/security/...x").unwrap(),
            "https://cluster1:8443/api/security/...x?fields=*"
        );
        // Decoded, then re-encoded: what reaches the cluster is what was checked.
        assert_eq!(
            up("/api/svm/svms/a%20b%3Fc%23d").unwrap(),
            "https://cluster1:8443/api/svm/svms/a%20b%3Fc%23d?fields=*"
        );
        assert_eq!(up("/api").unwrap(), "https://cluster1:8443/api?fields=*");
    }

    #[test]
    fn locations_on_the_cluster_become_relative() {
        let base = Url::parse("https://cluster1:8443/").unwrap();
        let request = Url::parse("https://cluster1:8443/api/security?fields=*").unwrap();
        let loc =
            |s: &str| same_cluster_location(&base, &request, &HeaderValue::from_str(s).unwrap());
        assert_eq!(loc("/api/cluster?x=1").unwrap(), "/api/cluster?x=1");
        assert_eq!(loc("https://cluster1:8443/api/a").unwrap(), "/api/a");
        assert_eq!(loc("certificates").unwrap(), "/api/certificates");
        assert!(loc("https://evil.example/api").is_none());
        assert!(
            loc("https://cluster1/api").is_none(),
            "another port is another origin"
        );
        assert!(
            loc("http://cluster1:8443/api").is_none(),
            "another scheme too"
        );
    }

    #[test]
    fn only_allowed_headers_of_the_cluster_are_relayed() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONNECTION, HeaderValue::from_static("close, x-hop"));
        headers.insert("x-hop", HeaderValue::from_static("1"));
        headers.insert(
            header::TRANSFER_ENCODING,
            HeaderValue::from_static("chunked"),
        );
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic"));
        headers.insert(header::SET_COOKIE, HeaderValue::from_static("s=1"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/hal+json"),
        );
        headers.insert(header::ETAG, HeaderValue::from_static("\"1\""));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src *"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("ALLOW"));
        let kept = relayed_headers(&headers);
        let left: Vec<&str> = kept.keys().map(|k| k.as_str()).collect();
        assert_eq!(left, vec!["content-type", "etag"]);
    }

    #[test]
    fn error_bodies_are_ontap_shaped() {
        let response = error_response(StatusCode::BAD_GATEWAY, codes::UNREACHABLE, "gone");
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    }
}
