//! Where the console lives and what its site offers.
//!
//! **Any sub-path, one build.** `dist/index.html` names every asset relatively (`./ontap-web-…js`;
//! trunk's `public_url = "./"`) and carries `<base href="/">`. The document's base is the root of
//! the console: assets, wasm chunks (`new URL("./chunk.wasm", import.meta.url)`), `console.json`,
//! `console/session` and, for the console's own cluster, `api/…` all resolve against it, and the
//! router takes its base from it ([`base_path`]), so links and deep links carry the prefix. A site
//! serving `dist/` under `/storage/security/` rewrites that one tag to
//! `<base href="/storage/security/">` (nginx `sub_filter`, a `sed` at deploy time, or
//! `ontap-console serve --base-path` behind a prefix-stripping proxy); at the root nothing is
//! rewritten. The base must be absolute: a relative one would move with each deep link.
//!
//! **`console.json`** (optional, beside `index.html`, model and checks in
//! [`ontap_core::site`]): named clusters for the sign-in form, a banner, the pages offered. It is
//! fetched once at start; without it the console behaves as it always has, and a file that does
//! not pass core's checks is reported on the sign-in form and otherwise ignored.

use gloo_net::http::Request as HttpRequest;
use leptos::prelude::*;
use ontap_core::site::{self, Page, SiteConfig};

/// The document's base URL up to its last `/` (`https://portal.example.com/storage/security/`):
/// the console's root. The page's own location when the document has no base.
pub fn base_url() -> String {
    let uri = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    let uri = uri.split(['?', '#']).next().unwrap_or_default();
    match uri.rfind('/') {
        Some(i) => uri[..=i].to_owned(),
        None => format!("{uri}/"),
    }
}

/// The path of [`base_url`] without its trailing `/` (`/storage/security`; `""` at the root):
/// the router's base.
pub fn base_path() -> String {
    let base = base_url();
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let path = base[after_scheme..]
        .find('/')
        .map_or("/", |i| &base[after_scheme + i..]);
    path.trim_end_matches('/').to_owned()
}

/// A console route (`/certificates/abc`) as a link under the console's base.
pub fn href(route: &str) -> String {
    format!("{}{route}", base_path())
}

/// A console route from a location's path (the base taken off; `/` at the base itself).
pub fn route_of(pathname: &str) -> String {
    let base = base_path();
    let rest = pathname.strip_prefix(base.as_str()).unwrap_or(pathname);
    if rest.is_empty() {
        "/".into()
    } else {
        rest.to_owned()
    }
}

/// A file of the console's own server (`console/session`, `console.json`) under its base.
pub fn resource_url(path: &str) -> String {
    format!("{}{}", base_url(), path.trim_start_matches('/'))
}

/// The URL of `path_and_query` (`/api/…`) under a cluster's `api` base: `""` is the console's
/// base (where `ontap-console serve` answers), a path is on this origin, a URL is itself.
pub fn api_url(api: &str, path_and_query: &str) -> String {
    format!("{}{path_and_query}", api_root(api))
}

/// The root the console adds `/api/…` to, without a trailing `/` (shown in curl commands).
pub fn api_root(api: &str) -> String {
    if api.is_empty() {
        base_url().trim_end_matches('/').to_owned()
    } else if site::is_url(api) {
        api.trim_end_matches('/').to_owned()
    } else {
        format!("{}{}", page_origin(), api.trim_end_matches('/'))
    }
}

/// The page's own origin, e.g. `http://127.0.0.1:8080`.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Whether calls to `api` leave the console's origin (and so need CORS headers from it).
pub fn is_cross_origin(api: &str) -> bool {
    site::origin_of(api).is_some_and(|origin| origin != page_origin())
}

/// What a site's `console.json` said, once read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    pub config: SiteConfig,
    /// Why the file was not used (core's message, naming the key).
    pub error: Option<String>,
}

/// The site's settings, shared through context. `Copy`: a signal.
#[derive(Clone, Copy)]
pub struct Site {
    loaded: RwSignal<Option<Loaded>>,
}

impl Site {
    pub fn new() -> Self {
        Site {
            loaded: RwSignal::new(None),
        }
    }

    /// Fetches `console.json` once at start.
    pub async fn load(&self) {
        self.loaded.set(Some(fetch().await));
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded.with(Option::is_some)
    }

    pub fn config(&self) -> SiteConfig {
        self.loaded
            .with(|l| l.as_ref().map(|l| l.config.clone()))
            .unwrap_or_default()
    }

    pub fn error(&self) -> Option<String> {
        self.loaded
            .with(|l| l.as_ref().and_then(|l| l.error.clone()))
    }

    pub fn banner(&self) -> Option<String> {
        self.loaded
            .with(|l| l.as_ref().and_then(|l| l.config.banner.clone()))
    }

    pub fn offers(&self, page: Page) -> bool {
        self.loaded
            .with(|l| l.as_ref().is_none_or(|l| l.config.offers(page)))
    }
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

/// The site from context (provided by the app's root).
pub fn use_site() -> Site {
    expect_context::<Site>()
}

/// Reads `console.json`: none (404, or a host answering every path with `index.html`) is the
/// default site; a file that fails core's checks is reported and otherwise ignored.
async fn fetch() -> Loaded {
    let Ok(response) = HttpRequest::get(&resource_url(site::FILE_NAME))
        .header("Accept", "application/json")
        .send()
        .await
    else {
        return Loaded::default();
    };
    let is_html = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() != 200 || is_html {
        return Loaded::default();
    }
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(size) = declared.filter(|size| *size > site::MAX_FILE_BYTES) {
        return checked(Err(size)).await;
    }
    match response.binary().await {
        Ok(bytes) => checked(Ok(bytes)).await,
        Err(_) => Loaded::default(),
    }
}

/// Core's checks of a fetched `console.json` (`Ok`: its bytes; `Err`: the size it declared,
/// over the limit) and their messages, as a lazily loaded chunk: the JSON reader and the
/// messages are not in the first download, and a site without the file never fetches them.
#[lazy]
fn checked(file: Result<Vec<u8>, usize>) -> Loaded {
    let parsed = match file {
        Ok(bytes) => site::parse(&bytes),
        Err(size) => Err(site::SiteError::TooLarge {
            size,
            max: site::MAX_FILE_BYTES,
        }),
    };
    match parsed {
        Ok(config) => Loaded {
            config,
            error: None,
        },
        Err(e) => refused(e),
    }
}

fn refused(error: site::SiteError) -> Loaded {
    Loaded {
        config: SiteConfig::default(),
        error: Some(error.to_string()),
    }
}
