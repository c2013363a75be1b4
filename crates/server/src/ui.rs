//! The console's static files (trunk's `dist/`): ServeDir with precompressed variants, the SPA
//! fallback to `index.html` for deep links, a help page when the console is not built, and the
//! security headers on everything served.
//!
//! trunk injects one inline `<script type="module">` that loads the wasm. Rather than allowing
//! inline scripts, `index.html` is served with a Content-Security-Policy that lists the SHA-256
//! hash of each inline script it contains, so only those exact scripts run. This works with
//! trunk's default output (no Trunk.toml setting needed) and keeps the policy strict.
//! `base-uri 'self'`: `index.html`'s `<base href>` is the console's root (any sub-path, see
//! [`crate::site`]); it may name this origin only.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::site::SiteOptions;

/// The policy for everything served, before the hashes of `index.html`'s inline scripts.
/// `'wasm-unsafe-eval'` lets the page compile its WebAssembly; nothing else is evaluated.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; \
    connect-src 'self'; \
    object-src 'none'; \
    base-uri 'self'; \
    frame-ancestors 'none'";

/// The policy with extra `script-src` sources (the hashes of allowed inline scripts) and
/// extra `connect-src` sources (the origins of `console.json`'s clusters on another origin,
/// which core checked to be plain `scheme://host[:port]`).
pub fn content_security_policy(script_sources: &[String], connect_sources: &[String]) -> String {
    let mut policy = CONTENT_SECURITY_POLICY.to_string();
    if !script_sources.is_empty() {
        policy = policy.replacen(
            "script-src 'self' 'wasm-unsafe-eval'",
            &format!(
                "script-src 'self' 'wasm-unsafe-eval' {}",
                script_sources.join(" ")
            ),
            1,
        );
    }
    if !connect_sources.is_empty() {
        policy = policy.replacen(
            "connect-src 'self'",
            &format!("connect-src 'self' {}", connect_sources.join(" ")),
            1,
        );
    }
    policy
}

/// Adds the security headers to every response of `router`: the default Content-Security-Policy
/// (unless a handler set a more specific one), `nosniff` and `no-referrer`.
pub fn with_security_headers(router: Router) -> Router {
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// Serves the console from `dir`: files as they are (with `.br`/`.gz` siblings when the browser
/// accepts them), `index.html` for `/` and for deep links such as `/certificates`.
pub fn router(dir: PathBuf, site: SiteOptions) -> Router {
    let state = Ui {
        dir: dir.clone(),
        site,
    };
    let deep_links = get(spa_fallback).with_state(state.clone());
    let files = ServeDir::new(&dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(deep_links);
    let mut router = Router::new()
        .route("/", get(index))
        .route("/index.html", get(index));
    if state.site.config.is_some() {
        router = router.route("/console.json", get(console_json));
    }
    router.fallback_service(files).with_state(state)
}

/// The console's folder and what `serve` says about its site.
#[derive(Clone)]
struct Ui {
    dir: PathBuf,
    site: SiteOptions,
}

/// `--site-config`'s file, checked at start.
async fn console_json(State(ui): State<Ui>) -> Response {
    let Some(text) = ui.site.config else {
        return (StatusCode::NOT_FOUND, "Not found\n").into_response();
    };
    let mut response = Response::new(Body::from(text.to_string()));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Whether the console has been built into `dir`.
pub fn is_built(dir: &Path) -> bool {
    dir.join("index.html").is_file()
}

async fn index(State(ui): State<Ui>) -> Response {
    render_index(&ui).await
}

/// Not a file: a deep link of the single-page app gets `index.html` (the app routes it); a
/// missing asset (the last segment has an extension, like `app.js`) stays a 404.
async fn spa_fallback(State(ui): State<Ui>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let last = request.uri().path().rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "Not found\n").into_response();
    }
    render_index(&ui).await
}

async fn render_index(ui: &Ui) -> Response {
    let dir = ui.dir.as_path();
    let path = dir.join("index.html");
    let html = match tokio::fs::read(&path).await {
        Ok(html) => html,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return not_built_page(dir),
        Err(e) => {
            tracing::error!("cannot read {}: {e}", path.display());
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The console's index.html cannot be read; see the server's log.\n",
            )
                .into_response();
        }
    };
    let html = match &ui.site.base_path {
        Some(base) => match crate::site::rewrite_base(&html, base) {
            Ok(rewritten) => rewritten,
            Err(e) => {
                tracing::error!("cannot set the base of {}: {e}", path.display());
                html
            }
        },
        None => html,
    };
    let policy = match inline_script_hashes(&html) {
        Ok(hashes) => content_security_policy(&hashes, &ui.site.cluster_origins),
        Err(e) => {
            tracing::error!("cannot parse {}: {e}", path.display());
            CONTENT_SECURITY_POLICY.to_string()
        }
    };
    let mut response = Response::new(Body::from(html));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // A new build must be picked up at once; the assets it names have hashed file names.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    match HeaderValue::from_str(&policy) {
        Ok(value) => {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
        Err(_) => tracing::error!("the Content-Security-Policy for index.html is not a header"),
    }
    response
}

/// `'sha256-…'` sources for every inline `<script>` (one without `src`) of an HTML page, in
/// document order, hashed over its exact text as CSP requires.
pub fn inline_script_hashes(html: &[u8]) -> Result<Vec<String>, lol_html::errors::RewritingError> {
    let mut hashes = Vec::new();
    let mut current = Vec::new();
    let mut rewriter = lol_html::HtmlRewriter::new(
        lol_html::Settings {
            element_content_handlers: vec![lol_html::text!("script:not([src])", |chunk| {
                current.extend_from_slice(chunk.as_str().as_bytes());
                if chunk.last_in_text_node() {
                    let digest = Sha256::digest(&current);
                    let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
                    hashes.push(format!("'sha256-{b64}'"));
                    current.clear();
                }
                Ok(())
            })],
            ..lol_html::Settings::new()
        },
        |_: &[u8]| {},
    );
    rewriter.write(html)?;
    rewriter.end()?;
    Ok(hashes)
}

/// The page at `/` when the console has not been built: the API works, the UI needs a build.
fn not_built_page(dir: &Path) -> Response {
    let shown = escape_html(&dir.display().to_string());
    let page = format!(
        r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ONTAP security console: not built</title></head>
<body style="font-family: sans-serif; max-width: 44rem; margin: 3rem auto; line-height: 1.5">
<h1>{NOT_BUILT_HEADING}</h1>
<p>There is no <code>index.html</code> in <code>{shown}</code>.
The API at <a href="/api/cluster"><code>/api</code></a> works meanwhile.</p>
<p>Build and serve the console in one step from the project folder:</p>
<pre>cargo xtask serve</pre>
<p>or build it yourself and point <code>--ui</code> at the result:</p>
<pre>cd crates/web &amp;&amp; trunk build --release
ontap-console serve --ui crates/web/dist</pre>
</body>
</html>
"#
    );
    let mut response = Html(page).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The heading of the help page shown when the console is not built (tests check for it).
pub const NOT_BUILT_HEADING: &str = "The console has not been built";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_matches_the_required_one() {
        assert_eq!(
            CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' \
             'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
             base-uri 'self'; frame-ancestors 'none'"
        );
    }

    #[test]
    fn hashes_are_added_to_script_src_only() {
        let policy = content_security_policy(&["'sha256-abc'".into(), "'sha256-def'".into()], &[]);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc' 'sha256-def';"));
        assert!(policy.contains("style-src 'self' 'unsafe-inline';"));
        assert!(policy.contains("connect-src 'self';"));
        assert_eq!(content_security_policy(&[], &[]), CONTENT_SECURITY_POLICY);
    }

    #[test]
    fn cluster_origins_are_added_to_connect_src_only() {
        let origins = ["https://lab.example.com".into(), "https://h:8443".into()];
        let policy = content_security_policy(&[], &origins);
        assert!(
            policy.contains("connect-src 'self' https://lab.example.com https://h:8443;"),
            "{policy}"
        );
        assert!(policy.contains("default-src 'self';"), "{policy}");
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{policy}"
        );
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = br#"<!doctype html><html><head>
<script src="/app.js"></script>
<script type="module">
import init from '/app.js';
await init('/app_bg.wasm');
</script></head><body><script>console.log("x")</script></body></html>"#;
        let hashes = inline_script_hashes(html).unwrap();
        let expected = |text: &str| {
            let b64 = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text));
            format!("'sha256-{b64}'")
        };
        assert_eq!(
            hashes,
            vec![
                expected("\nimport init from '/app.js';\nawait init('/app_bg.wasm');\n"),
                expected("console.log(\"x\")"),
            ]
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
