//! The session's HTTP side: `/console/session` (GET: am I signed in; POST: sign in; DELETE: sign
//! out) and [`attach`], the `/api` middleware that turns a session cookie into the cluster's
//! basic auth.
//!
//! - `Authorization` on an `/api` call wins: scripts and ONTAP clients are not touched.
//! - A cookie that names no live session is a 401 (and the cookie is cleared): a stolen-looking
//!   or expired id never reaches the cluster.
//! - A state change (POST, PATCH, PUT, DELETE) needs the session's token in `X-CSRF-Token`
//!   besides the cookie: a cookie alone never authorizes a change.
//! - A 401 from the cluster ends the session (its password changed or the account was locked).
//!
//! Error answers are ONTAP-shaped and never carry a credential.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine as _;
use ontap_core::Secret;
use serde::Deserialize;
use tower::ServiceExt as _;

use super::{Sessions, TOKEN_CHARS};
use crate::proxy::error_response;

/// The session cookie's name.
pub const COOKIE: &str = "ontap_console_session";
/// The header that carries the CSRF token on state changes.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Where the console asks about, starts and ends its session.
pub const PATH: &str = "/console/session";
/// The console's base: the cookie's `Path`.
const COOKIE_PATH: &str = "/";
/// Largest sign-in body read (a user name and a password).
const MAX_SIGN_IN_BYTES: usize = 8 * 1024;
/// Longest user name and password accepted.
const MAX_USER_CHARS: usize = 256;
const MAX_PASSWORD_CHARS: usize = 1024;

/// Error codes of the session's refusals (not numbers: never ONTAP's codes).
pub mod codes {
    pub const SESSION_ENDED: &str = "ontap-console.session_ended";
    pub const CSRF: &str = "ontap-console.csrf_token_missing";
    pub const BAD_SIGN_IN: &str = "ontap-console.bad_sign_in";
    pub const UNAUTHORIZED: &str = "ontap-console.unauthorized";
}

/// What `/console/session` needs: the sessions and the backend that checks credentials.
#[derive(Clone)]
struct Console {
    sessions: Sessions,
    api: Router,
}

/// The `/console/session` router. `api` is the backend (simulator or proxy) credentials are
/// checked against with `GET /api/cluster`.
pub fn router(sessions: Sessions, api: Router) -> Router {
    Router::new()
        .route(
            PATH,
            axum::routing::get(status).post(sign_in).delete(sign_out),
        )
        .with_state(Console { sessions, api })
}

/// The `/api` middleware (`from_fn_with_state(Sessions, attach)`).
pub async fn attach(State(sessions): State<Sessions>, request: Request, next: Next) -> Response {
    if request.headers().contains_key(header::AUTHORIZATION) {
        return next.run(request).await;
    }
    let Some(id) = cookie(request.headers()) else {
        return next.run(request).await;
    };
    let Some(grant) = sessions.grant(&id) else {
        return ended(&sessions);
    };
    if changes_state(request.method()) {
        let token = request
            .headers()
            .get(CSRF_HEADER)
            .map(HeaderValue::as_bytes);
        if !token.is_some_and(|t| grant.csrf_matches(t)) {
            return error_response(
                StatusCode::FORBIDDEN,
                codes::CSRF,
                "A change needs the session's CSRF token in the X-CSRF-Token header.",
            );
        }
    }
    let (mut parts, body) = request.into_parts();
    parts.headers.remove(header::COOKIE);
    parts.headers.remove(CSRF_HEADER);
    parts
        .headers
        .insert(header::AUTHORIZATION, basic(&grant.user, &grant.password));
    drop(grant);
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        sessions.end(&id);
        let mut response = response;
        response
            .headers_mut()
            .append(header::SET_COOKIE, clear_cookie(&sessions));
        return response;
    }
    response
}

async fn status(State(console): State<Console>, headers: HeaderMap) -> Response {
    let info = cookie(&headers).and_then(|id| console.sessions.info(&id));
    match info {
        Some(info) => json(StatusCode::OK, &signed_in(&info)),
        None => {
            let mut response = json(StatusCode::OK, &serde_json::json!({ "signed_in": false }));
            if cookie(&headers).is_some() {
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, clear_cookie(&console.sessions));
            }
            response
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    user: String,
    password: Secret,
}

async fn sign_in(State(console): State<Console>, request: Request) -> Response {
    let bad = |why: &str| error_response(StatusCode::BAD_REQUEST, codes::BAD_SIGN_IN, why);
    // Signing in again (after a 401, or over an old tab) replaces this browser's session.
    let previous = cookie(request.headers());
    let Ok(bytes) = to_bytes(request.into_body(), MAX_SIGN_IN_BYTES).await else {
        return bad("The sign-in body is too large.");
    };
    // serde's message could quote the body, which holds the password: never echo it.
    let Ok(SignIn { user, password }) = serde_json::from_slice::<SignIn>(&bytes) else {
        return bad("The sign-in body must be JSON: {\"user\": \"…\", \"password\": \"…\"}.");
    };
    if user.is_empty()
        || user.contains(':')
        || user.chars().count() > MAX_USER_CHARS
        || password.expose().chars().count() > MAX_PASSWORD_CHARS
        || user
            .chars()
            .chain(password.expose().chars())
            .any(char::is_control)
    {
        return bad("The user name or password is not acceptable.");
    }
    let check = Request::get("/api/cluster")
        .header(header::AUTHORIZATION, basic(&user, &password))
        .header(header::ACCEPT, "application/json")
        .body(Body::empty());
    let Ok(check) = check else {
        return bad("The user name or password is not acceptable.");
    };
    let answer = match console.api.clone().oneshot(check).await {
        Ok(answer) => answer,
        Err(never) => match never {},
    };
    let status = answer.status();
    if status == StatusCode::UNAUTHORIZED {
        return error_response(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "The cluster did not accept this user name and password.",
        );
    }
    let simulated = answer
        .headers()
        .get(ontap_sim::SIMULATOR_HEADER)
        .is_some_and(|v| v == "true");
    let (parts, body) = answer.into_parts();
    let body = to_bytes(body, crate::proxy::MAX_RESPONSE_BYTES)
        .await
        .unwrap_or_default();
    if !status.is_success() {
        // The cluster's own error (unreachable, TLS, …): relayed as it came.
        return Response::from_parts(parts, Body::from(body));
    }
    let record: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let cluster = serde_json::json!({ "name": record["name"], "version": record["version"] });
    if let Some(previous) = previous {
        console.sessions.end(&previous);
    }
    let (id, info) = console.sessions.create(user, password, cluster, simulated);
    let mut response = json(StatusCode::OK, &signed_in(&info));
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(&console.sessions, &id));
    response
}

async fn sign_out(State(console): State<Console>, headers: HeaderMap) -> Response {
    if let Some(id) = cookie(&headers) {
        if let Some(grant) = console.sessions.grant(&id) {
            let token = headers.get(CSRF_HEADER).map(HeaderValue::as_bytes);
            if !token.is_some_and(|t| grant.csrf_matches(t)) {
                return error_response(
                    StatusCode::FORBIDDEN,
                    codes::CSRF,
                    "Signing out needs the session's CSRF token in the X-CSRF-Token header.",
                );
            }
            console.sessions.end(&id);
        }
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_cookie(&console.sessions));
    response
}

fn signed_in(info: &super::Info) -> serde_json::Value {
    serde_json::json!({
        "signed_in": true,
        "user": info.user,
        "csrf_token": info.csrf_token,
        "cluster": info.cluster,
        "simulated": info.simulated,
    })
}

/// The 401 for a cookie that names no live session; the browser drops the cookie.
fn ended(sessions: &Sessions) -> Response {
    let mut response = error_response(
        StatusCode::UNAUTHORIZED,
        codes::SESSION_ENDED,
        "The console session has ended (signed out, expired or unknown): sign in again.",
    );
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_cookie(sessions));
    response
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        value.to_string(),
    )
        .into_response()
}

/// The session id from the request's cookies, when it has the right shape.
pub fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        // Any value of another length names no session; still answered 401 by `grant`.
        .map(|value| {
            if value.len() == TOKEN_CHARS {
                value
            } else {
                String::new()
            }
        })
}

fn attributes(sessions: &Sessions) -> String {
    let secure = if sessions.settings().secure {
        "; Secure"
    } else {
        ""
    };
    format!("Path={COOKIE_PATH}; HttpOnly; SameSite=Strict{secure}")
}

fn set_cookie(sessions: &Sessions, id: &str) -> HeaderValue {
    let mut value = HeaderValue::from_str(&format!("{COOKIE}={id}; {}", attributes(sessions)))
        .unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

fn clear_cookie(sessions: &Sessions) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}=; Max-Age=0; {}", attributes(sessions)))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn basic(user: &str, password: &Secret) -> HeaderValue {
    let raw = format!("{user}:{}", password.expose());
    let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
    let mut value = HeaderValue::from_str(&format!("Basic {encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

fn changes_state(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PATCH | Method::PUT | Method::DELETE
    )
}
