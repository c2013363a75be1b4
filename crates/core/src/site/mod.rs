//! `console.json`: what a site serving the console as static files tells it, without a rebuild.
//! It sits beside `index.html` (fetched relative to the document's base); every key is optional
//! and a missing file means the console behaves as if it were empty.
//!
//! ```json
//! {"clusters":[{"name":"sim1","api":"/storage/security/clusters/sim1"},
//!              {"name":"lab","api":"https://lab.example.com"}],
//!  "banner":"text shown on every page",
//!  "pages":["overview","security","certificates","key-managers","ipsec"]}
//! ```
//!
//! - `clusters`: the clusters the sign-in form offers by name. `api` is the base under which the
//!   console calls `/api/...` (`<api>/api/security`): `""` (the console's own base, where
//!   `ontap-console serve` answers), a path on the console's origin (`/…`), or an `https://` /
//!   `http://` URL (another origin: its front proxy must send CORS headers, see
//!   [`cross_origin_explanation`]).
//! - `banner`: one line of text shown on every page, the sign-in form included.
//! - `pages`: the pages the navigation offers; the others answer "not offered on this site".
//!
//! The file is hostile input until checked: its size, the number of clusters and every text are
//! bounded, unknown keys are refused, and each error names the key at fault and why
//! ([`SiteError`]), never a decoder's message.

use serde::Serialize;
use serde_json::{Map, Value};

mod parse;
#[cfg(test)]
mod tests;

pub use parse::parse;

/// The file's name beside `index.html`.
pub const FILE_NAME: &str = "console.json";
/// The largest file accepted: a site lists a few clusters, not a database.
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// The most clusters a sign-in form offers (a choice longer than this is not a choice).
pub const MAX_CLUSTERS: usize = 64;
/// The longest cluster name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// The longest banner, in characters (one line on every page).
pub const MAX_BANNER_CHARS: usize = 500;
/// The longest `api` base, in characters.
pub const MAX_API_CHARS: usize = 2048;

/// A console page a site may offer or hide. Written in `console.json` as its [`Page::key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Overview,
    Security,
    KeyManagers,
    Certificates,
    Ipsec,
}

impl Page {
    /// Every page, in the navigation's order.
    pub const ALL: [Page; 5] = [
        Page::Overview,
        Page::Security,
        Page::KeyManagers,
        Page::Certificates,
        Page::Ipsec,
    ];

    /// The page's name in `console.json`'s `pages`.
    pub fn key(self) -> &'static str {
        match self {
            Page::Overview => "overview",
            Page::Security => "security",
            Page::KeyManagers => "key-managers",
            Page::Certificates => "certificates",
            Page::Ipsec => "ipsec",
        }
    }

    /// The page's route, relative to the console's base (`/` is the overview).
    pub fn path(self) -> &'static str {
        match self {
            Page::Overview => "/",
            Page::Security => "/security",
            Page::KeyManagers => "/key-managers",
            Page::Certificates => "/certificates",
            Page::Ipsec => "/ipsec",
        }
    }

    /// The page's name in the navigation.
    pub fn label(self) -> &'static str {
        match self {
            Page::Overview => "Overview",
            Page::Security => "Cluster security",
            Page::KeyManagers => "Key managers",
            Page::Certificates => "Certificates",
            Page::Ipsec => "IPsec",
        }
    }

    /// The page named `key` in `console.json`.
    pub fn from_key(key: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The page a route (relative to the console's base) belongs to: `/certificates/<uuid>` is
    /// the certificates page.
    pub fn of_route(route: &str) -> Option<Page> {
        let first = route
            .trim_start_matches('/')
            .split(['/', '?', '#'])
            .next()?;
        if first.is_empty() {
            return Some(Page::Overview);
        }
        Page::ALL
            .into_iter()
            .find(|p| *p != Page::Overview && p.path()[1..] == *first)
    }
}

/// A cluster the sign-in form offers by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedCluster {
    pub name: String,
    /// The base the console calls `/api/...` under; `""` is the console's own base.
    pub api: String,
}

impl NamedCluster {
    /// Whether `api` is on another origin (an `https://`/`http://` URL), so the browser needs
    /// CORS headers from it. (An URL naming the console's own origin counts as another: the
    /// console cannot tell it from here, and the caller compares origins if it can.)
    pub fn is_url(&self) -> bool {
        is_url(&self.api)
    }
}

/// Whether an `api` base is an absolute `http(s)://` URL rather than a path.
pub fn is_url(api: &str) -> bool {
    api.starts_with("https://") || api.starts_with("http://")
}

/// The origin (`scheme://host[:port]`) of an absolute URL; `None` for a path.
pub fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    Some(&url[..url.len() - rest.len() + host_end])
}

/// The page's key: one spelling, for reading ([`Page::from_key`]) and writing.
impl Serialize for Page {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

/// A checked `console.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SiteConfig {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub clusters: Vec<NamedCluster>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    /// `None`: every page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<Page>>,
}

impl SiteConfig {
    /// Whether the site offers `page`.
    pub fn offers(&self, page: Page) -> bool {
        self.pages
            .as_ref()
            .is_none_or(|pages| pages.contains(&page))
    }

    /// The pages the navigation shows, in its order.
    pub fn offered_pages(&self) -> Vec<Page> {
        Page::ALL.into_iter().filter(|p| self.offers(*p)).collect()
    }

    /// The origins of the clusters on another origin (`https://lab.example.com`), each once,
    /// in the file's order: what a Content-Security-Policy's `connect-src` must allow for the
    /// console to call them (their hosts were checked to be plain names or addresses).
    pub fn cluster_origins(&self) -> Vec<&str> {
        let mut origins: Vec<&str> = Vec::new();
        for origin in self.clusters.iter().filter_map(|c| origin_of(&c.api)) {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        origins
    }

    /// The cluster named `name`.
    pub fn cluster(&self, name: &str) -> Option<&NamedCluster> {
        self.clusters.iter().find(|c| c.name == name)
    }

    /// An example file (what `ontap-console site-config` prints).
    pub fn example() -> SiteConfig {
        SiteConfig {
            clusters: vec![
                NamedCluster {
                    name: "sim1".into(),
                    api: "/storage/security/clusters/sim1".into(),
                },
                NamedCluster {
                    name: "lab".into(),
                    api: "https://lab.example.com".into(),
                },
            ],
            banner: Some("text shown on every page".into()),
            pages: Some(Page::ALL.to_vec()),
        }
    }

    /// The file's text, pretty-printed.
    pub fn to_json(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or(Value::Object(Map::new()));
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

/// Why a `console.json` was refused. Every message names the file and, where there is one, the
/// key at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiteError {
    #[error("console.json is {size} bytes; at most {max} are accepted")]
    TooLarge { size: usize, max: usize },
    #[error("console.json is not valid JSON (line {line}, column {column})")]
    NotJson { line: usize, column: usize },
    #[error("console.json: `{field}` is not a key of this file (allowed: {allowed})")]
    UnknownKey {
        field: String,
        allowed: &'static str,
    },
    #[error("console.json: `{field}` {reason}")]
    Invalid { field: String, reason: String },
}

impl SiteError {
    /// The key at fault (`clusters[1].api`), when the error is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            SiteError::UnknownKey { field, .. } | SiteError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// What the front proxy of a cluster on another origin must answer so the browser lets the
/// console at `console_origin` call `api_base`: shown by the sign-in form when such a cluster is
/// chosen, and instead of a generic error when the browser blocks a call.
pub fn cross_origin_explanation(console_origin: &str, api_base: &str) -> String {
    let api = api_base.trim_end_matches('/');
    format!(
        "The console at {console_origin} calls {api} on another origin, and the browser blocks \
         that unless the answers (including the OPTIONS preflight) carry CORS headers. ONTAP sends \
         none, so the front proxy of {api} must add: `Access-Control-Allow-Origin: \
         {console_origin}`, `Access-Control-Allow-Headers: Authorization, Content-Type`, \
         `Access-Control-Allow-Methods: GET, POST, PATCH, DELETE`. Credentials: the console \
         sends the user and password itself, in the Authorization header (basic auth), and no \
         cookies, so `Access-Control-Allow-Credentials` is not needed. Otherwise serve the \
         console from the cluster's own origin: `ontap-console serve --cluster {api}`."
    )
}
