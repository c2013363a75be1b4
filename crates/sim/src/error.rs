//! ONTAP-shaped errors that render themselves, and a JSON body extractor that never echoes
//! what was sent (serde's messages repeat values, which may be secrets).

use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ontap_core::{ErrorResponse, OntapError, Violations};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// ONTAP's codes, core's names for them (the generic ones the reference does not list among
/// them: the simulator answers with those for malformed requests).
pub use ontap_core::catalog::codes;

/// An error answered in ONTAP's shape: `{"error":{"message","code","target"}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct SimError {
    pub status: StatusCode,
    pub error: Box<OntapError>,
}

impl SimError {
    /// An error with an HTTP status, an ONTAP code and a message.
    pub fn new(status: StatusCode, code: u64, message: impl Into<String>) -> Self {
        SimError {
            status,
            error: Box::new(OntapError::new(code, message)),
        }
    }

    /// A 400 with the reference's text for `code`.
    pub fn documented(code: u64) -> Self {
        let text = ontap_core::catalog::message(code).unwrap_or("The request was refused.");
        SimError::new(StatusCode::BAD_REQUEST, code, text)
    }

    /// Names the field that caused the error.
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.error.target = Some(target.into());
        self
    }

    /// 404 "entry doesn't exist".
    pub fn not_found(what: &str) -> Self {
        SimError::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            "entry doesn't exist",
        )
        .with_target(what)
    }

    /// 400 for an unknown field or parameter. Names it when it looks like a field name; a
    /// "name" that does not (it may be a pasted secret) is not repeated.
    pub fn unexpected(field: &str) -> Self {
        let looks_like_a_field = !field.is_empty()
            && field.len() <= 64
            && field
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
        if looks_like_a_field {
            SimError::new(
                StatusCode::BAD_REQUEST,
                codes::UNEXPECTED_ARGUMENT,
                format!("Unexpected argument \"{field}\"."),
            )
            .with_target(field)
        } else {
            SimError::new(
                StatusCode::BAD_REQUEST,
                codes::UNEXPECTED_ARGUMENT,
                "Unexpected argument.",
            )
        }
    }
}

impl From<Violations> for SimError {
    /// ONTAP answers with one error: the first broken rule, with its code when it has one.
    fn from(violations: Violations) -> Self {
        match violations.0.into_iter().next() {
            Some(v) => {
                let code = v.code.unwrap_or(codes::INVALID_INPUT);
                let message = v
                    .code
                    .and_then(ontap_core::catalog::message)
                    .map(str::to_owned)
                    .unwrap_or(v.message);
                SimError::new(StatusCode::BAD_REQUEST, code, message).with_target(v.field)
            }
            None => SimError::new(
                StatusCode::BAD_REQUEST,
                codes::INVALID_INPUT,
                "Invalid request.",
            ),
        }
    }
}

impl From<ontap_core::limits::LimitExceeded> for SimError {
    /// A 400 that names the limit (never the input).
    fn from(exceeded: ontap_core::limits::LimitExceeded) -> Self {
        SimError::from(exceeded.to_ontap())
    }
}

impl From<OntapError> for SimError {
    fn from(error: OntapError) -> Self {
        SimError {
            status: StatusCode::BAD_REQUEST,
            error: Box::new(error),
        }
    }
}

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorResponse::from(*self.error))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Basic realm=\"ontap\""),
            );
        }
        response
    }
}

/// A JSON request body. Refusals name the problem, never the submitted value; ONTAP's dotted
/// keys (`"fips.enabled": true`) are expanded before decoding.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = SimError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    SimError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        codes::TOO_LARGE,
                        "The request body is too large.",
                    )
                } else {
                    SimError::new(
                        StatusCode::BAD_REQUEST,
                        codes::INVALID_INPUT,
                        "The request body could not be read.",
                    )
                }
            })?;
        let text = if bytes.iter().all(u8::is_ascii_whitespace) {
            &b"{}"[..]
        } else {
            &bytes[..]
        };
        // Bounded before serde builds values from it (see `ontap_core::limits`).
        ontap_core::limits::check_json_depth(text)?;
        let value: Value = serde_json::from_slice(text).map_err(|e| {
            SimError::new(
                StatusCode::BAD_REQUEST,
                codes::INVALID_INPUT,
                format!(
                    "The request body is not valid JSON (line {}, column {}).",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        if !value.is_object() {
            return Err(SimError::new(
                StatusCode::BAD_REQUEST,
                codes::INVALID_INPUT,
                "The request body must be a JSON object.",
            ));
        }
        let value = ontap_core::try_expand_dotted_keys(value)?;
        serde_json::from_value(value).map(JsonBody).map_err(|_| {
            SimError::new(
                StatusCode::BAD_REQUEST,
                codes::INVALID_INPUT,
                "A field of the request body has a value of the wrong type.",
            )
        })
    }
}

/// Refuses fields the model did not recognise (kept in its `extra` map), naming the first.
pub fn reject_unknown(extra: &ontap_core::Extra, prefix: &str) -> Result<(), SimError> {
    match extra.keys().next() {
        Some(key) if prefix.is_empty() => Err(SimError::unexpected(key)),
        Some(key) => Err(SimError::unexpected(&format!("{prefix}.{key}"))),
        None => Ok(()),
    }
}

/// A path parameter; an undecodable one (bad percent-encoding, not UTF-8) gets an ONTAP error.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(SimError))]
pub struct PathParam<T>(pub T);

impl From<axum::extract::rejection::PathRejection> for SimError {
    fn from(_: axum::extract::rejection::PathRejection) -> Self {
        SimError::new(
            StatusCode::BAD_REQUEST,
            codes::INVALID_INPUT,
            "The path is not valid percent-encoded UTF-8.",
        )
    }
}
