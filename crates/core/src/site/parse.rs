//! Reading `console.json` by hand from a JSON value, so every refusal names the key and says
//! why in the console's words (a derived decoder's messages name Rust types, not the file).

use serde_json::Value;

use super::{
    is_url, NamedCluster, Page, SiteConfig, SiteError, MAX_API_CHARS, MAX_BANNER_CHARS,
    MAX_CLUSTERS, MAX_FILE_BYTES, MAX_NAME_CHARS,
};

const TOP_KEYS: &str = "clusters, banner, pages";
const CLUSTER_KEYS: &str = "name, api";

/// Checks and reads a `console.json`: size first, then JSON, then every key.
pub fn parse(text: &[u8]) -> Result<SiteConfig, SiteError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(SiteError::TooLarge {
            size: text.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let value: Value = serde_json::from_slice(text).map_err(|e| SiteError::NotJson {
        line: e.line(),
        column: e.column(),
    })?;
    let Value::Object(top) = value else {
        return Err(invalid("(the whole file)", "must be a JSON object {…}"));
    };
    let mut site = SiteConfig::default();
    for (key, value) in &top {
        match key.as_str() {
            "clusters" => site.clusters = clusters(value)?,
            "banner" => site.banner = banner(value)?,
            "pages" => site.pages = Some(pages(value)?),
            other => return Err(unknown(shown_key(other), TOP_KEYS)),
        }
    }
    Ok(site)
}

fn clusters(value: &Value) -> Result<Vec<NamedCluster>, SiteError> {
    let Value::Array(items) = value else {
        return Err(invalid(
            "clusters",
            "must be a list [{\"name\":…,\"api\":…}, …]",
        ));
    };
    if items.len() > MAX_CLUSTERS {
        return Err(invalid(
            "clusters",
            &format!(
                "lists {} clusters; at most {MAX_CLUSTERS} are accepted",
                items.len()
            ),
        ));
    }
    let mut out: Vec<NamedCluster> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let cluster = named_cluster(i, item)?;
        if out.iter().any(|c| c.name == cluster.name) {
            return Err(invalid(
                &format!("clusters[{i}].name"),
                &format!(
                    "\"{}\" is the name of another cluster already",
                    cluster.name
                ),
            ));
        }
        out.push(cluster);
    }
    Ok(out)
}

fn named_cluster(i: usize, value: &Value) -> Result<NamedCluster, SiteError> {
    let at = |key: &str| format!("clusters[{i}].{key}");
    let Value::Object(map) = value else {
        return Err(invalid(
            &format!("clusters[{i}]"),
            "must be an object {\"name\":…,\"api\":…}",
        ));
    };
    let mut name = None;
    let mut api = String::new();
    for (key, value) in map {
        match key.as_str() {
            "name" => name = Some(cluster_name(&at("name"), value)?),
            "api" => api = api_base(&at("api"), value)?,
            other => return Err(unknown(at(&shown_key(other)), CLUSTER_KEYS)),
        }
    }
    let name = name.ok_or_else(|| invalid(&at("name"), "is missing: every cluster has a name"))?;
    Ok(NamedCluster { name, api })
}

fn cluster_name(field: &str, value: &Value) -> Result<String, SiteError> {
    let name = text(field, value)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid(field, "is empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            field,
            &format!("is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(field, "contains a control character"));
    }
    Ok(name.to_owned())
}

/// `""`, a path on the console's origin, or an `http(s)://` URL without user, query or fragment.
fn api_base(field: &str, value: &Value) -> Result<String, SiteError> {
    let api = text(field, value)?;
    if api.chars().count() > MAX_API_CHARS {
        return Err(invalid(
            field,
            &format!("is longer than {MAX_API_CHARS} characters"),
        ));
    }
    if api
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err(invalid(
            field,
            "contains a space, a control character or a backslash",
        ));
    }
    if api.contains(['?', '#']) {
        return Err(invalid(
            field,
            "has a query or fragment (`?`, `#`): give only the base the console adds /api/… to",
        ));
    }
    if api.is_empty() {
        return Ok(String::new());
    }
    let host = if let Some(rest) = api
        .strip_prefix("https://")
        .or_else(|| api.strip_prefix("http://"))
    {
        rest.split('/').next().unwrap_or("")
    } else if api.starts_with("//") {
        return Err(invalid(
            field,
            "starts with `//`: write the scheme (https://host) or a path on this site (/path)",
        ));
    } else if api.starts_with('/') {
        // `/` stays `/` (the origin's root); `""` would mean the console's own base.
        let path = api.trim_end_matches('/');
        return Ok(if path.is_empty() { "/" } else { path }.to_owned());
    } else {
        return Err(invalid(
            field,
            "must be empty (this site), a path on this site starting with `/`, or an https:// \
             or http:// URL",
        ));
    };
    if host.is_empty() {
        return Err(invalid(field, "has no host after the scheme"));
    }
    if host.contains('@') {
        return Err(invalid(
            field,
            "has a user name in the URL: credentials never go in a URL (the console asks for them)",
        ));
    }
    if !is_host_and_port(host) {
        return Err(invalid(
            field,
            "has a host that is not a name, an IPv4 address or a bracketed IPv6 address (with \
             an optional :port)",
        ));
    }
    debug_assert!(is_url(api));
    Ok(api.trim_end_matches('/').to_owned())
}

/// `name`, `1.2.3.4` or `[2001:db8::1]`, each with an optional `:port`: what a URL's host may
/// be here. Nothing else, as the origin also goes into the Content-Security-Policy that
/// `ontap-console serve` sends (`connect-src`), where `;`, `'` or `,` would change its meaning.
fn is_host_and_port(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((address, rest)) => {
                let address_ok = !address.is_empty()
                    && address
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
                if !address_ok {
                    return false;
                }
                ("ipv6", rest)
            }
            None => return false,
        },
        None => match host.split_once(':') {
            Some((name, _)) => (name, &host[name.len()..]),
            None => (host, ""),
        },
    };
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|digits| {
            (1..=5).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
        });
    name_ok && port_ok
}

fn banner(value: &Value) -> Result<Option<String>, SiteError> {
    let banner = text("banner", value)?;
    if banner.chars().count() > MAX_BANNER_CHARS {
        return Err(invalid(
            "banner",
            &format!("is longer than {MAX_BANNER_CHARS} characters"),
        ));
    }
    let banner = banner.trim();
    Ok((!banner.is_empty()).then(|| banner.to_owned()))
}

fn pages(value: &Value) -> Result<Vec<Page>, SiteError> {
    let Value::Array(items) = value else {
        return Err(invalid("pages", "must be a list of page names"));
    };
    if items.is_empty() {
        return Err(invalid(
            "pages",
            "lists no page: leave the key out to offer every page",
        ));
    }
    if items.len() > Page::ALL.len() * 4 {
        return Err(invalid("pages", "lists too many entries"));
    }
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("pages[{i}]");
        let key = text(&field, item)?;
        let page = Page::from_key(key).ok_or_else(|| {
            let known: Vec<&str> = Page::ALL.iter().map(|p| p.key()).collect();
            invalid(
                &field,
                &format!(
                    "\"{}\" is not a page (pages: {})",
                    shown_key(key),
                    known.join(", ")
                ),
            )
        })?;
        if !out.contains(&page) {
            out.push(page);
        }
    }
    Ok(out)
}

fn text<'v>(field: &str, value: &'v Value) -> Result<&'v str, SiteError> {
    value.as_str().ok_or_else(|| {
        invalid(
            field,
            &format!("must be text in quotes, not {}", kind(value)),
        )
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A key from the file as shown in a message: at most 64 characters, control characters as `?`.
fn shown_key(key: &str) -> String {
    let mut shown: String = key
        .chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if key.chars().count() > 64 {
        shown.push('…');
    }
    shown
}

fn invalid(field: &str, reason: &str) -> SiteError {
    SiteError::Invalid {
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}

fn unknown(field: String, allowed: &'static str) -> SiteError {
    SiteError::UnknownKey { field, allowed }
}
