//! The whole HTTP application: `/api` from the chosen backend, everything else from the console's
//! files, security headers and request logs on all of it.

use std::path::PathBuf;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, Response};
use axum::Router;
use tower_http::cors::CorsLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::proxy::Proxy;
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
    /// When set, `/api` answers CORS requests from this one origin.
    pub cors_origin: Option<HeaderValue>,
}

/// The application router. Tests drive it with `tower::ServiceExt::oneshot`.
pub fn app(config: AppConfig) -> Router {
    let api = match config.backend {
        Backend::Simulator(sim) => sim.router(),
        Backend::Cluster(proxy) => proxy.router(),
    };
    // Answers may carry keys and certificates: never keep them in a cache.
    let mut api = api.layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ));
    if let Some(origin) = config.cors_origin {
        api = api.layer(cors(origin));
    }
    // A `Router` cannot be given to `route_service` (axum asks for `nest`, which would strip the
    // `/api` prefix the backends route on); its service form can.
    let api = api.into_service();
    let routes = Router::new()
        .route_service("/api", api.clone())
        .route_service("/api/", api.clone())
        .route_service("/api/{*rest}", api)
        .merge(ui::router(config.ui_dir));
    ui::with_security_headers(routes).layer(request_log())
}

/// CORS for one origin, with what the console sends: basic auth and JSON.
fn cors(origin: HeaderValue) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(origin)
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
        latency_ms = latency.as_secs_f64() * 1000.0,
        "served"
    );
}
