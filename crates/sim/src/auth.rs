//! HTTP basic authentication, as ONTAP asks for it.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;

use crate::app::Simulator;
use crate::error::{codes, SimError};

/// Lets a request through only with the configured user and password.
pub async fn require_basic_auth(
    State(sim): State<Simulator>,
    request: Request,
    next: Next,
) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| {
            base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .ok()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let config = sim.config();
    let ok = given
        .as_deref()
        .and_then(|s| s.split_once(':'))
        .is_some_and(|(user, password)| {
            constant_time_eq(user.as_bytes(), config.user.as_bytes())
                & constant_time_eq(password.as_bytes(), config.password.expose().as_bytes())
        });
    if ok {
        next.run(request).await
    } else {
        SimError::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            ontap_core::catalog::unwell::UNAUTHORIZED_TEXT,
        )
        .into_response()
    }
}

/// Compares without stopping at the first difference, so timing tells nothing about a prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= usize::from(a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn constant_time_eq_is_equality() {
        assert!(super::constant_time_eq(b"admin", b"admin"));
        assert!(!super::constant_time_eq(b"admin", b"admin1"));
        assert!(!super::constant_time_eq(b"", b"a"));
        assert!(super::constant_time_eq(b"", b""));
    }
}
