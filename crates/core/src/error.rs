//! ONTAP error bodies and decoding of HTTP answers into typed results.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::envelope::Extra;

/// One argument of an ONTAP error message.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ErrorArgument {
    pub code: Option<String>,
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// ONTAP's `returned_error`: `{"message", "code", "target", "arguments"}`; `code` is a string.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OntapError {
    pub message: Option<String>,
    pub code: Option<String>,
    pub target: Option<String>,
    pub arguments: Option<Vec<ErrorArgument>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl OntapError {
    /// An error with the given numeric code and message, as the simulator answers.
    pub fn new(code: u64, message: impl Into<String>) -> Self {
        OntapError {
            message: Some(message.into()),
            code: Some(code.to_string()),
            ..OntapError::default()
        }
    }

    /// The same error naming the field that caused it.
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// The code as a number, when it is one.
    pub fn code_number(&self) -> Option<u64> {
        self.code.as_deref()?.trim().parse().ok()
    }

    /// The reference's documented meaning of this error's code, if the catalogue knows it.
    pub fn documented_meaning(&self) -> Option<&'static str> {
        crate::catalog::describe(self.code_number()?)
    }
}

/// The error body: `{"error": {...}}`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ErrorResponse {
    pub error: OntapError,
    #[serde(flatten)]
    pub extra: Extra,
}

impl From<OntapError> for ErrorResponse {
    fn from(error: OntapError) -> Self {
        ErrorResponse {
            error,
            extra: Extra::new(),
        }
    }
}

/// Why an HTTP answer could not be turned into the expected result.
///
/// Never carries serde's own message: it repeats the offending value, which may be a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The cluster refused the request with an ONTAP error body.
    #[error("ONTAP error {}: {}", .error.code.as_deref().unwrap_or("?"), .error.message.as_deref().unwrap_or("no message"))]
    Ontap { status: u16, error: Box<OntapError> },
    /// A failure status without an ONTAP error body (a proxy, a gateway, an old release).
    #[error("HTTP {status} without an ONTAP error body")]
    Status { status: u16 },
    /// A success status whose body is not the expected JSON.
    #[error("the answer (HTTP {status}) is not the expected {expected} JSON (line {line}, column {column})")]
    Decode {
        status: u16,
        expected: &'static str,
        line: usize,
        column: usize,
    },
}

impl ApiError {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Ontap { status, .. }
            | ApiError::Status { status }
            | ApiError::Decode { status, .. } => *status,
        }
    }

    /// The ONTAP error, when the cluster sent one.
    pub fn ontap(&self) -> Option<&OntapError> {
        match self {
            ApiError::Ontap { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the credentials were refused (sign in again).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == 401
    }
}

/// `message` with ONTAP's error code after it, as every tool shows one:
/// `message (ONTAP error 52559974)`; the message alone when there is no code.
pub fn with_code(message: &str, code: Option<impl std::fmt::Display>) -> String {
    match code {
        Some(code) => format!("{message} (ONTAP error {code})"),
        None => message.to_owned(),
    }
}

/// Decodes an HTTP answer: a 2xx body into `T`, anything else into an [`ApiError`].
/// An empty 2xx body decodes as `null` (so `()` and `Option<T>` work for DELETE answers).
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        let text = if body.trim().is_empty() { "null" } else { body };
        serde_json::from_str(text).map_err(|e| ApiError::Decode {
            status,
            expected: short_type_name::<T>(),
            line: e.line(),
            column: e.column(),
        })
    } else {
        Err(decode_error(status, body))
    }
}

/// Decodes a failure answer. Bodies that are not ONTAP error bodies give [`ApiError::Status`].
pub fn decode_error(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<ErrorResponse>(body) {
        Ok(parsed) => ApiError::Ontap {
            status,
            error: Box::new(parsed.error),
        },
        Err(_) => ApiError::Status { status },
    }
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_follows_the_message_and_none_leaves_it_alone() {
        assert_eq!(
            with_code("FIPS needs a 2048-bit key", Some(52559974)),
            "FIPS needs a 2048-bit key (ONTAP error 52559974)"
        );
        assert_eq!(with_code("No key manager", None::<u64>), "No key manager");
    }
    use serde_json::{json, Value};

    #[test]
    fn decodes_ontap_error_with_string_code() {
        let body = r#"{"error":{"message":"entry doesn't exist","code":"4","target":"uuid"}}"#;
        let err = decode::<Value>(404, body).unwrap_err();
        let ontap = err.ontap().unwrap();
        assert_eq!(ontap.code_number(), Some(4));
        assert_eq!(ontap.target.as_deref(), Some("uuid"));
        assert_eq!(err.status(), 404);
    }

    #[test]
    fn non_ontap_failure_and_bad_success_bodies_are_typed_without_echoing() {
        assert_eq!(
            decode::<Value>(502, "<html>bad gateway</html>").unwrap_err(),
            ApiError::Status { status: 502 }
        );
        #[derive(Debug, serde::Deserialize)]
        struct Wants {
            #[allow(dead_code)]
            n: u32,
        }
        let err = decode::<Wants>(200, r#"{"n":"secret-value"}"#).unwrap_err();
        assert!(!err.to_string().contains("secret-value"), "{err}");
        assert!(matches!(
            err,
            ApiError::Decode {
                expected: "Wants",
                ..
            }
        ));
    }

    #[test]
    fn empty_success_body_is_null() {
        assert_eq!(decode::<Option<Value>>(200, "").unwrap(), None);
        assert_eq!(decode::<Value>(200, "{}").unwrap(), json!({}));
    }
}
