//! The one way the console talks to a cluster: sends a [`Request`] built (and validated) by core
//! with basic auth or, when `ontap-console serve` keeps a session for the console, with its
//! cookie and CSRF token; decodes the answer with core's [`decode`]. Everything else in the
//! console goes through [`Client`]; `/console/session` through [`server_session`].

pub mod server_session;

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use ontap_core::{decode, ApiError, Method, Request, Secret};
use serde::de::DeserializeOwned;

use crate::site;

pub use ontap_core::SIMULATOR_HEADER;

/// Who signs in and where: kept in memory only (never in storage, never in a URL).
#[derive(Clone, PartialEq)]
pub struct Credentials {
    pub user: String,
    pub password: Secret,
    /// The base the console calls `/api/…` under (a `console.json` cluster's `api`, or the URL
    /// typed at sign-in): empty means the console's own base (the usual set-up, since ONTAP
    /// sends no CORS headers), a path is on this origin, a URL another origin.
    pub base_url: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// `Basic` and the base64 of `user:password` in UTF-8 (RFC 7617), by the browser's own
    /// `btoa`: it takes one character per byte, so each UTF-8 byte goes in as the character
    /// of that code (a base64 crate would add its code to the sign-in form's download).
    fn authorization(&self) -> String {
        let pair = format!("{}:{}", self.user, self.password.expose());
        let bytes: String = pair.bytes().map(char::from).collect();
        let encoded = web_sys::window()
            .and_then(|w| w.btoa(&bytes).ok())
            .unwrap_or_default();
        format!("Basic {encoded}")
    }

    /// The base URL shown in curl commands (`https://portal.example.com/storage/security`).
    pub fn display_base(&self) -> String {
        site::api_root(&self.base_url)
    }

    /// Whether requests leave the console's origin (and so need CORS headers from the cluster).
    pub fn is_cross_origin(&self) -> bool {
        site::is_cross_origin(&self.base_url)
    }
}

pub use crate::site::page_origin;

/// Why a call did not give the expected answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// The cluster answered, with an error (ONTAP's own body when it sent one).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The browser blocked a cross-origin call, or the cluster could not be reached.
    #[error("{0}")]
    Unreachable(String),
}

impl CallError {
    /// Whether the cluster refused the credentials.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, CallError::Api(e) if e.is_unauthorized())
    }

    /// The ONTAP error code, when the cluster sent one.
    pub fn code(&self) -> Option<u64> {
        match self {
            CallError::Api(e) => e.ontap().and_then(|o| o.code_number()),
            CallError::Unreachable(_) => None,
        }
    }

    /// ONTAP's message, or a sentence for the other failures.
    pub fn message(&self) -> String {
        match self {
            CallError::Api(ApiError::Status { status: 401 }) => {
                "The user name or password is not accepted.".into()
            }
            CallError::Api(ApiError::Ontap { error, .. }) => error
                .message
                .clone()
                .unwrap_or_else(|| "The cluster refused the request without a message.".into()),
            other => other.to_string(),
        }
    }

    /// What the reference documents for the error code.
    pub fn documented_meaning(&self) -> Option<&'static str> {
        match self {
            CallError::Api(e) => e.ontap().and_then(|o| o.documented_meaning()),
            CallError::Unreachable(_) => None,
        }
    }
}

/// A raw answer: status, body and whether the simulator sent it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub simulated: bool,
}

impl Answer {
    /// The body decoded as `T`, or the error the cluster answered with.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, CallError> {
        decode(self.status, &self.body).map_err(CallError::from)
    }
}

/// Sends requests as one signed-in user. Cheap to clone.
#[derive(Clone, Debug, PartialEq)]
pub struct Client {
    /// In a server session the password is empty: the server holds it.
    pub credentials: Credentials,
    /// The server session's CSRF token, sent on changes; `None`: basic auth from memory.
    csrf: Option<String>,
}

/// The header the server checks the CSRF token in.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

impl Client {
    /// Basic auth with credentials kept in the page's memory (a static deployment).
    pub fn new(credentials: Credentials) -> Self {
        Client {
            credentials,
            csrf: None,
        }
    }

    /// The session `ontap-console serve` keeps: its cookie authenticates, the token authorizes
    /// changes, and no password is in the page.
    pub fn server_session(user: String, csrf_token: String) -> Self {
        Client {
            credentials: Credentials {
                user,
                password: Secret::default(),
                base_url: String::new(),
            },
            csrf: Some(csrf_token),
        }
    }

    /// The CSRF token, when signed in through the server's session.
    pub fn csrf_token(&self) -> Option<&str> {
        self.csrf.as_deref()
    }

    /// Sends `request` and returns the raw answer (any status).
    pub async fn send(&self, request: &Request) -> Result<Answer, CallError> {
        let url = site::api_url(&self.credentials.base_url, &request.path_and_query());
        let mut builder = RequestBuilder::new(&url).method(http_method(request.method));
        builder = match &self.csrf {
            // The session cookie (HttpOnly: this code never sees it) goes to this origin only;
            // a change also carries the token, which a page on another site cannot read.
            Some(token) => {
                let builder = builder.credentials(web_sys::RequestCredentials::SameOrigin);
                if request.method == Method::Get {
                    builder
                } else {
                    builder.header(CSRF_HEADER, token)
                }
            }
            // Credentials go in the header, never as the browser's own: with "omit" a 401
            // reaches the console instead of opening the browser's sign-in prompt.
            None => builder
                .credentials(web_sys::RequestCredentials::Omit)
                .header("Authorization", &self.credentials.authorization()),
        };
        for (name, value) in request.headers() {
            builder = builder.header(name, value);
        }
        let sent = match request.body_text() {
            Some(body) => match builder.body(body) {
                Ok(req) => req.send().await,
                Err(_) => return Err(self.unreachable()),
            },
            None => builder.send().await,
        };
        let response = sent.map_err(|_| self.unreachable())?;
        let simulated = response
            .headers()
            .get(SIMULATOR_HEADER)
            .is_some_and(|v| v == "true");
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        Ok(Answer {
            status,
            body,
            simulated,
        })
    }

    /// Sends `request` and decodes a successful answer as `T`.
    pub async fn call<T: DeserializeOwned>(&self, request: &Request) -> Result<T, CallError> {
        self.send(request).await?.decode()
    }

    fn unreachable(&self) -> CallError {
        if self.credentials.is_cross_origin() {
            CallError::Unreachable(format!(
                "The browser did not let the call to {} through, or could not reach it. {}",
                self.credentials.base_url,
                ontap_core::site::cross_origin_explanation(
                    &page_origin(),
                    &self.credentials.base_url
                ),
            ))
        } else {
            CallError::Unreachable(
                "The console's server cannot be reached. Is `ontap-console serve` still running?"
                    .into(),
            )
        }
    }
}

fn http_method(method: Method) -> HttpMethod {
    match method {
        Method::Get => HttpMethod::GET,
        Method::Post => HttpMethod::POST,
        Method::Patch => HttpMethod::PATCH,
        Method::Delete => HttpMethod::DELETE,
    }
}
