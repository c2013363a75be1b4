//! The listening side: hyper-util's HTTP/1.1 server on each accepted connection (plain or TLS),
//! with the limits that keep slow or numerous clients from holding the console.
//!
//! - **Header read timeout** (hyper's own): a client must send a request's headers within
//!   `--header-timeout` seconds, else the connection is closed. hyper starts this timer whenever
//!   the connection waits for a request, so it is also how long an idle keep-alive connection
//!   stays open. The TLS handshake gets the same time.
//! - **Connections** (`--max-connections`): beyond them no connection is accepted; new ones wait
//!   in the kernel's listen queue (as ONTAP's web server queues beyond its 80 per address).
//! - **Requests in flight** (`--max-requests`, tower's concurrency limit + load shed): one more
//!   is answered at once with an ONTAP-shaped 503 and `Retry-After`, instead of waiting.
//! - **Whole request** (`--request-timeout`, tower's timeout): a request not answered in time,
//!   body included, gets an ONTAP-shaped 408.
//!
//! HTTP/2 is not offered (ALPN says `http/1.1`): the header timeout is an HTTP/1 setting, and
//! the console makes few, small calls.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::{BoxError, Router};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceBuilder;

use crate::cli::UsageError;
use crate::proxy::error_response;

/// Default `--header-timeout`, in seconds.
pub const DEFAULT_HEADER_TIMEOUT: u64 = 10;
/// Default `--request-timeout`, in seconds: above the proxy's 150 s call limit (ONTAP's
/// `return_timeout` is at most 120 s), so a slow cluster answers before the console gives up.
pub const DEFAULT_REQUEST_TIMEOUT: u64 = 180;
/// Default `--max-connections`: ONTAP's web server serves 80 per address and queues 192; one
/// console is shared by a handful of admins, each browser opening about six.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// Default `--max-requests` in flight at once.
pub const DEFAULT_MAX_REQUESTS: usize = 128;

/// Error codes of the server's own ONTAP-shaped refusals (not numbers: never ONTAP's codes).
pub mod codes {
    pub const BUSY: &str = "ontap-console.busy";
    pub const REQUEST_TIMEOUT: &str = "ontap-console.request_timeout";
    pub const INTERNAL: &str = "ontap-console.internal";
}

/// The connection flags of `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ListenArgs {
    /// Seconds a client has to send a request's headers (and the TLS handshake); also how long
    /// an idle keep-alive connection stays open.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_HEADER_TIMEOUT, help_heading = "Connections")]
    pub header_timeout: u64,

    /// Seconds a whole request (body and answer) may take before a 408.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_REQUEST_TIMEOUT, help_heading = "Connections")]
    pub request_timeout: u64,

    /// Connections served at once; more wait in the listen queue.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS, help_heading = "Connections")]
    pub max_connections: usize,

    /// Requests handled at once; more are answered 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_REQUESTS, help_heading = "Connections")]
    pub max_requests: usize,
}

/// The checked limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub header_timeout: Duration,
    pub request_timeout: Duration,
    pub max_connections: usize,
    pub max_requests: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT),
            request_timeout: Duration::from_secs(DEFAULT_REQUEST_TIMEOUT),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_requests: DEFAULT_MAX_REQUESTS,
        }
    }
}

/// Semaphores hold at most this many permits; far beyond any sensible limit.
const MAX_LIMIT: usize = 1 << 20;

impl ListenArgs {
    /// Refuses zero and absurd values.
    pub fn check(&self) -> Result<Limits, UsageError> {
        for (flag, value) in [
            ("--header-timeout", self.header_timeout as usize),
            ("--request-timeout", self.request_timeout as usize),
            ("--max-connections", self.max_connections),
            ("--max-requests", self.max_requests),
        ] {
            if value == 0 || value > MAX_LIMIT {
                return Err(UsageError::invalid(format!(
                    "{flag} must be between 1 and {MAX_LIMIT}"
                )));
            }
        }
        Ok(Limits {
            header_timeout: Duration::from_secs(self.header_timeout),
            request_timeout: Duration::from_secs(self.request_timeout),
            max_connections: self.max_connections,
            max_requests: self.max_requests,
        })
    }
}

/// Wraps `router` with the in-flight limit (503 beyond it) and the whole-request timeout (408).
pub fn limit_requests(router: Router, limits: &Limits) -> Router {
    router.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(refusal))
            .load_shed()
            .concurrency_limit(limits.max_requests)
            .timeout(limits.request_timeout),
    )
}

async fn refusal(error: BoxError) -> Response {
    if error.is::<tower::load_shed::error::Overloaded>() {
        let mut response = error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::BUSY,
            "The console is handling too many requests; try again in a moment.",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        response
    } else if error.is::<tower::timeout::error::Elapsed>() {
        error_response(
            StatusCode::REQUEST_TIMEOUT,
            codes::REQUEST_TIMEOUT,
            "The request took too long and was abandoned.",
        )
    } else {
        tracing::error!("request failed: {error}");
        error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "The console failed to handle the request.",
        )
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets open connections finish
/// their requests (the caller bounds how long it waits for this future).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) {
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let (tcp, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let builder = builder.clone();
        let router = router.clone();
        let stop = stop_rx.clone();
        let tls = tls.clone();
        let handshake_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            match tls {
                None => serve_connection(tcp, &builder, router, stop).await,
                Some(acceptor) => {
                    match tokio::time::timeout(handshake_timeout, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => serve_connection(stream, &builder, router, stop).await,
                        Ok(Err(e)) => tracing::debug!(%peer, "TLS handshake failed: {e}"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                }
            }
        });
    }
    let _ = stop_tx.send(true);
    drop(listener);
    // Every connection holds a permit: having them all back means every connection ended.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = connections.acquire_many(all).await;
}

async fn serve_connection<I>(
    io: I,
    builder: &auto::Builder<TokioExecutor>,
    router: Router,
    mut stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let connection = builder.serve_connection(TokioIo::new(io), TowerToHyperService::new(router));
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = stop.wait_for(|stopping| *stopping) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

/// `scheme://addr/`, with a reachable host for wildcard addresses.
pub fn url_of(addr: SocketAddr, https: bool) -> String {
    let scheme = if https { "https" } else { "http" };
    if addr.ip().is_unspecified() {
        format!("{scheme}://localhost:{}/", addr.port())
    } else {
        format!("{scheme}://{addr}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_reachable_host() {
        let url = |a: &str, https| url_of(a.parse().unwrap(), https);
        assert_eq!(url("127.0.0.1:8080", false), "http://127.0.0.1:8080/");
        assert_eq!(url("0.0.0.0:80", false), "http://localhost:80/");
        assert_eq!(url("[::1]:8080", true), "https://[::1]:8080/");
    }

    #[test]
    fn zero_limits_are_refused() {
        let args = ListenArgs {
            header_timeout: 10,
            request_timeout: 0,
            max_connections: 1,
            max_requests: 1,
        };
        let err = args.check().unwrap_err();
        assert!(err.message.contains("--request-timeout"), "{}", err.message);
    }
}
