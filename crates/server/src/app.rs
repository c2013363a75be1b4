//! The whole HTTP application: `/api` from the chosen backend, everything else from the console's
//! files, security headers and request logs on all of it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method, Response};
use axum::Router;
use tower::ServiceExt as _;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::guard::{self, Guard};
use crate::listen::{limit_requests, Limits};
use crate::proxy::Proxy;
use crate::session::{self, Sessions};
use crate::ui;

/// What answers `/api`.
#[derive(Clone)]
pub enum Backend {
    /// The embedded simulated cluster.
    Simulator(ontap_sim::Simulator),
    /// A real cluster behind the forwarding proxy.
    Cluster(Proxy),
}

/// Everything [`app`] needs.
#[derive(Clone)]
pub struct AppConfig {
    pub backend: Backend,
    /// The built console (trunk's `dist/`).
    pub ui_dir: PathBuf,
    /// Its base path and `console.json` (`--base-path`, `--site-config`).
    pub site: crate::site::SiteOptions,
    /// When set, `/api` answers CORS requests from this one origin.
    pub cors_origin: Option<HeaderValue>,
    /// Requests in flight and how long each may take.
    pub limits: Limits,
    /// The console's sessions (`/console/session` and the cookie on `/api`).
    pub sessions: Sessions,
}

/// The application router. Tests drive it with `tower::ServiceExt::oneshot`.
pub fn app(config: AppConfig) -> Router {
    let backend = match config.backend {
        Backend::Simulator(sim) => sim.router(),
        Backend::Cluster(proxy) => proxy.router(),
    };
    let no_store = || {
        // Answers may carry keys, certificates and tokens: never keep them in a cache.
        SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        )
    };
    let guard = Arc::new(Guard {
        cors_origin: config.cors_origin.clone(),
    });
    // Sign-in checks the credentials against the backend itself, with basic auth.
    let console = session::http::router(config.sessions.clone(), backend.clone())
        .layer(no_store())
        .layer(axum::middleware::from_fn_with_state(
            guard.clone(),
            guard::guard,
        ));
    let mut api = backend
        .layer(axum::middleware::from_fn_with_state(
            config.sessions,
            session::http::attach,
        ))
        .layer(no_store());
    if let Some(origin) = config.cors_origin {
        api = api.layer(cors(origin));
    }
    // Outside CORS: a preflight from an origin the guard refuses gets the 403.
    let api = api.layer(axum::middleware::from_fn_with_state(guard, guard::guard));
    // `/api` goes to the backend by prefix, not through a route: a route such as
    // `/api/{*rest}` would add its own path parameter, which the backend's handlers (whose
    // routes have their own, e.g. `/api/cluster/jobs/{uuid}`) would then refuse.
    let ui = ui::router(config.ui_dir, config.site);
    let dispatch = tower::service_fn(move |request: Request| {
        // `//api/…` is `/api/…` to ONTAP's web server (clients join hrefs to a base ending in `/`).
        let path = ontap_sim::app::collapse_slashes(request.uri().path());
        let target = if is_api_path(&path) {
            api.clone()
        } else if path == session::http::PATH {
            console.clone()
        } else {
            ui.clone()
        };
        target.oneshot(request)
    });
    let routes = Router::new().fallback_service(dispatch);
    ui::with_security_headers(limit_requests(routes, &config.limits)).layer(request_log())
}

/// Whether a request path belongs to the cluster's API (`/api` and everything below it).
fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// CORS for one origin, with what the console sends: basic auth and JSON.
fn cors(origin: HeaderValue) -> CorsLayer {
    CorsLayer::new()
        // `list` answers only a matching Origin (`exact` would answer every request).
        .allow_origin(AllowOrigin::list([origin]))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::DELETE,
            Method::HEAD,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static(session::http::CSRF_HEADER),
        ])
        .max_age(Duration::from_secs(600))
}

type LogLayer = TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    fn(&Request) -> Span,
    (),
    fn(&Response<axum::body::Body>, Duration, &Span),
    (),
    (),
    (),
>;

/// One line per request: method, path (never the query), status and latency. Headers and
/// bodies, where credentials and keys travel, are never logged.
fn request_log() -> LogLayer {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&Request) -> Span)
        .on_request(())
        .on_response(log_response as fn(&Response<axum::body::Body>, Duration, &Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

fn request_span(request: &Request) -> Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
    )
}

fn log_response(response: &Response<axum::body::Body>, latency: Duration, _span: &Span) {
    tracing::info!(
        status = response.status().as_u16(),
        latency = ?latency,
        "served"
    );
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
