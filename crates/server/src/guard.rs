//! The cross-site guard on `/api`: another web site open in the same browser must not be able to
//! change the cluster through the console.
//!
//! - A state-changing request (POST, PATCH, PUT, DELETE) with a body must say it is JSON
//!   (`application/json` or `application/*+json`): the only request bodies ONTAP's security
//!   endpoints take (the certificates reference documents no multipart upload). A page on another
//!   site can send `text/plain`, form or multipart bodies without a CORS preflight, but not JSON.
//!   Refused with an ONTAP-shaped 415. Requests without a body (DELETE, some POSTs) pass.
//! - A request whose `Origin` is not the console's own (compared with `Host`), or whose
//!   `Sec-Fetch-Site` is not `same-origin` (or `none`: typed by the user), is refused with an
//!   ONTAP-shaped 403, unless `--cors-origin` names that origin.
//! - `WWW-Authenticate` is removed from every answer: its `Basic` challenge makes a browser
//!   show its own sign-in prompt and then send the cached credentials with every request to this
//!   origin, including ones other sites trigger. The console sends its credentials itself.
//!
//! NetApp's Python client (`netapp_ontap`), curl and other scripts send `application/json` and no
//! `Origin` or `Sec-Fetch-Site`, so they pass unchanged.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::proxy::error_response;

/// Error codes of the guard's refusals (not numbers: never ONTAP's codes).
pub mod codes {
    pub const CROSS_SITE: &str = "ontap-console.cross_site";
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "ontap-console.unsupported_media_type";
}

/// What the guard lets through besides the console's own origin.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    /// The one other origin `--cors-origin` allows.
    pub cors_origin: Option<HeaderValue>,
}

/// The middleware (`axum::middleware::from_fn_with_state(Arc<Guard>, guard)`).
pub async fn guard(State(config): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if is_cross_site(headers, config.cors_origin.as_ref()) {
        return error_response(
            StatusCode::FORBIDDEN,
            codes::CROSS_SITE,
            "Requests from another web site are not accepted by the console.",
        );
    }
    if changes_state(request.method()) && has_body(headers) && !is_json(headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::UNSUPPORTED_MEDIA_TYPE,
            "The request body must be JSON, sent with \"Content-Type: application/json\".",
        );
    }
    let mut response = next.run(request).await;
    response.headers_mut().remove(header::WWW_AUTHENTICATE);
    response
}

fn changes_state(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PATCH | Method::PUT | Method::DELETE
    )
}

fn has_body(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return true;
    }
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        // An unreadable length is treated as a body: refused unless it says JSON.
        .is_some_and(|v| v.trim() != "0")
}

/// `application/json` or `application/<anything>+json`, with or without parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.strip_prefix("application/") {
        Some(subtype) => subtype == "json" || subtype.ends_with("+json"),
        None => false,
    }
}

fn is_cross_site(headers: &HeaderMap, allowed: Option<&HeaderValue>) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        if allowed.is_some_and(|a| a == origin) {
            return false;
        }
        if !is_own_origin(origin, headers.get(header::HOST)) {
            return true;
        }
    }
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        None | Some(b"same-origin") | Some(b"none") => false,
        Some(_) => true,
    }
}

/// Whether `origin` (`scheme://host[:port]`) names the host the request was sent to.
fn is_own_origin(origin: &HeaderValue, host: Option<&HeaderValue>) -> bool {
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), host.map(|h| h.to_str())) else {
        return false;
    };
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|a| a.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn json_content_types() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/hal+json",
        ] {
            assert!(is_json(&headers(&[("content-type", ok)])), "{ok}");
        }
        for bad in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            "text/json",
        ] {
            assert!(!is_json(&headers(&[("content-type", bad)])), "{bad}");
        }
        assert!(!is_json(&headers(&[])));
    }

    #[test]
    fn origins_and_fetch_sites() {
        let allowed = HeaderValue::from_static("http://127.0.0.1:8081");
        let check =
            |pairs: &[(&'static str, &'static str)]| is_cross_site(&headers(pairs), Some(&allowed));
        // Scripts: no Origin, no Sec-Fetch-Site.
        assert!(!check(&[("host", "127.0.0.1:8080")]));
        assert!(!check(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ]));
        assert!(!check(&[("sec-fetch-site", "none")]));
        assert!(check(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://evil.example"),
        ]));
        assert!(check(&[("host", "127.0.0.1:8080"), ("origin", "null")]));
        assert!(check(&[("sec-fetch-site", "cross-site")]));
        assert!(check(&[("sec-fetch-site", "same-site")]));
        assert!(!check(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8081"),
            ("sec-fetch-site", "same-site"),
        ]));
    }
}
