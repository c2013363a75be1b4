//! `/console/session`, the session `ontap-console serve` keeps for the console: asked at start
//! (a reload, a deep link or a new tab stays signed in), posted once at sign-in, deleted at
//! sign-out. A static deployment has no such endpoint: the console then keeps today's in-memory
//! sign-in.

use gloo_net::http::{Method as HttpMethod, RequestBuilder, Response};
use ontap_core::cluster::Cluster;
use ontap_core::{decode, Secret};
use serde::{Deserialize, Serialize};

use super::{CallError, CSRF_HEADER};

/// Where the server answers about the console's session, relative to the console's base (so a
/// console behind a prefix-stripping proxy finds it under the prefix).
pub const PATH: &str = "console/session";

fn url() -> String {
    crate::site::resource_url(PATH)
}

/// A live session as the server describes it (never the password).
#[derive(Debug, Clone, Deserialize)]
pub struct ServerSession {
    pub user: String,
    pub csrf_token: String,
    #[serde(default)]
    pub cluster: Cluster,
    #[serde(default)]
    pub simulated: bool,
}

/// What the server said at start.
#[derive(Debug, Clone)]
pub enum Status {
    /// No `/console/session` here (a static deployment): sign in with basic auth in memory.
    Unsupported,
    /// The server keeps sessions; this browser has none.
    SignedOut,
    SignedIn(Box<ServerSession>),
}

#[derive(Deserialize)]
struct StatusBody {
    signed_in: bool,
    #[serde(flatten)]
    session: Option<ServerSession>,
}

/// Asks whether this browser has a session (its cookie is sent, the page never reads it).
pub async fn status() -> Status {
    let sent = RequestBuilder::new(&url())
        .method(HttpMethod::GET)
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .header("Accept", "application/json")
        .send()
        .await;
    let Ok(response) = sent else {
        return Status::Unsupported;
    };
    if response.status() != 200 || !is_json(&response) {
        return Status::Unsupported;
    }
    match response.json::<StatusBody>().await {
        Ok(StatusBody {
            signed_in: true,
            session: Some(session),
        }) => Status::SignedIn(Box::new(session)),
        Ok(_) => Status::SignedOut,
        Err(_) => Status::Unsupported,
    }
}

/// Posts the credentials once; the server checks them with the cluster and keeps them.
pub async fn sign_in(user: &str, password: &Secret) -> Result<ServerSession, CallError> {
    // A struct rather than `json!`: the macro builds a map and unwraps its serialisation,
    // which brings a JSON value's code and serde_json's error printing into the first download.
    #[derive(Serialize)]
    struct SignInBody<'a> {
        user: &'a str,
        password: &'a str,
    }
    let body = SignInBody {
        user,
        password: password.expose(),
    };
    let body = serde_json::to_string(&body).map_err(|_| unreachable())?;
    let request = RequestBuilder::new(&url())
        .method(HttpMethod::POST)
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|_| unreachable())?;
    let response = request.send().await.map_err(|_| unreachable())?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    decode::<ServerSession>(status, &text).map_err(CallError::from)
}

/// Ends the session on the server (its credentials are forgotten there at once).
pub async fn sign_out(csrf_token: &str) {
    let _ = RequestBuilder::new(&url())
        .method(HttpMethod::DELETE)
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .header(CSRF_HEADER, csrf_token)
        .send()
        .await;
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.starts_with("application/json"))
}

fn unreachable() -> CallError {
    CallError::Unreachable(
        "The console's server cannot be reached. Is `ontap-console serve` still running?".into(),
    )
}
