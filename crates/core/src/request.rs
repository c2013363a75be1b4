//! Transport-neutral HTTP requests: what core's builders produce and every client sends.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::query::Query;
use crate::secret::masked;

/// Bytes kept as they are in a path segment or a query value: RFC 3986 unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The HTTP methods ONTAP's security endpoints use (`"GET"`, ... in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Percent-encodes one path segment (key server ids such as `10.0.0.1:5696` contain `:`).
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, UNRESERVED).to_string()
}

/// Percent-encodes one query name or value.
pub fn encode_query_component(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// Decodes a percent-encoded segment; `None` when the result is not UTF-8.
pub fn decode_component(text: &str) -> Option<String> {
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// A request ready to send: method, path below the cluster's base URL, query, JSON body.
/// `Debug` shows the body with its secrets masked.
#[derive(Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    /// Percent-encoded path starting with `/api/`.
    pub path: String,
    /// Decoded query pairs, in order; encoded by [`Request::path_and_query`].
    pub query: Vec<(String, String)>,
    /// The JSON body, with secrets in clear: send it, never print it (use [`Request::masked_body`]).
    pub body: Option<Value>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body", &self.masked_body())
            .finish()
    }
}

/// A request as JSON: `{"method", "path", "query": [[name, value], ...], "body"}`, the body with
/// its secrets masked ([`Request::masked_body`]): reports and plans that carry requests can be
/// printed and exported without leaking a secret. Deserializing gives the masked body back, so
/// a request read from JSON is for showing, not for sending when it carried a secret.
impl Serialize for Request {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            method: Method,
            path: &'a str,
            query: &'a [(String, String)],
            body: Option<Value>,
        }
        Wire {
            method: self.method,
            path: &self.path,
            query: &self.query,
            body: self.masked_body(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            method: Method,
            path: String,
            #[serde(default)]
            query: Vec<(String, String)>,
            #[serde(default)]
            body: Option<Value>,
        }
        let wire = Wire::deserialize(deserializer)?;
        Ok(Request {
            method: wire.method,
            path: wire.path,
            query: wire.query,
            body: wire.body,
        })
    }
}

impl Request {
    /// A request without query or body. `path` must already be encoded (see [`Path`]).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }

    /// Adds the parameters of a [`Query`].
    pub fn with_query(mut self, query: &Query) -> Self {
        self.query.extend(query.to_pairs());
        self
    }

    /// Adds one query parameter.
    pub fn with_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sets the JSON body from any serializable value.
    pub fn with_json<T: Serialize>(mut self, body: &T) -> Self {
        // Serializing our own models into a Value cannot fail (string keys only).
        self.body = serde_json::to_value(body).ok();
        self
    }

    /// A GET for a collection's `_links.next` href (which already carries its query).
    pub fn follow(href: &str) -> Self {
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        let mut request = Request::new(Method::Get, path);
        request.query = parse_query(query);
        request
    }

    /// Path and encoded query, as sent on the request line.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let query = encode_query(&self.query);
        format!("{}?{}", self.path, query)
    }

    /// The headers every ONTAP request carries.
    pub fn headers(&self) -> Vec<(&'static str, &'static str)> {
        let mut headers = vec![("Accept", "application/hal+json")];
        if self.body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        headers
    }

    /// The body as sent on the wire.
    pub fn body_text(&self) -> Option<String> {
        self.body.as_ref().map(Value::to_string)
    }

    /// The body with every secret masked, for previews.
    pub fn masked_body(&self) -> Option<Value> {
        self.body.as_ref().map(masked)
    }

    /// A copyable curl command for this request against `base_url`, secrets masked and the
    /// password left for curl to ask.
    pub fn to_curl(&self, base_url: &str, user: &str) -> String {
        let base = base_url.trim_end_matches('/');
        let mut cmd = format!(
            "curl -X {} -u {} '{}{}'",
            self.method,
            shell_quote_inner(user),
            base,
            self.path_and_query().replace('\'', "%27")
        );
        for (name, value) in self.headers() {
            cmd.push_str(&format!(" -H '{name}: {value}'"));
        }
        if let Some(body) = self.masked_body() {
            let text = serde_json::to_string_pretty(&body).unwrap_or_default();
            cmd.push_str(&format!(" -d '{}'", text.replace('\'', "'\\''")));
        }
        cmd
    }
}

fn shell_quote_inner(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Encodes decoded `(name, value)` pairs as a query string (without the `?`).
pub fn encode_query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                encode_query_component(k),
                encode_query_component(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Splits an encoded query string into decoded pairs. Undecodable parts are kept as they are.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let decode = |s: &str| {
                let s = s.replace('+', " ");
                decode_component(&s).unwrap_or(s)
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// Builds an encoded `/api/...` path from literal parts and encoded identifiers.
#[derive(Debug, Clone)]
pub struct Path(String);

impl Path {
    /// Starts at `/api` followed by a literal, already-safe path such as `security/key-managers`.
    pub fn api(literal: &str) -> Self {
        Path(format!("/api/{}", literal.trim_matches('/')))
    }

    /// Appends a literal segment (a fixed word of the API).
    pub fn lit(mut self, literal: &str) -> Self {
        self.0.push('/');
        self.0.push_str(literal);
        self
    }

    /// Appends an identifier, percent-encoded.
    pub fn id(mut self, id: &str) -> Self {
        self.0.push('/');
        self.0.push_str(&encode_segment(id));
        self
    }

    /// The encoded path.
    pub fn build(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn key_server_ids_are_encoded_in_paths() {
        let path = Path::api("security/key-managers")
            .id("1cd8a442-86d1-11e0-ae1c-123478563412")
            .lit("key-servers")
            .id("10.0.0.1:5696")
            .build();
        assert_eq!(
            path,
            "/api/security/key-managers/1cd8a442-86d1-11e0-ae1c-123478563412/key-servers/10.0.0.1%3A5696"
        );
    }

    #[test]
    fn curl_masks_secrets_and_never_contains_a_password() {
        let request = Request::new(Method::Post, "/api/security/key-managers")
            .with_param("return_records", "true")
            .with_json(&json!({"onboard": {"passphrase": "correct horse battery staple 123456"}}));
        let curl = request.to_curl("https://cluster.example/", "admin");
        assert!(curl.starts_with("curl -X POST -u admin 'https://cluster.example/api/security/key-managers?return_records=true'"));
        assert!(curl.contains("********"));
        assert!(!curl.contains("battery"));
        assert!(curl.contains("Content-Type: application/json"));
        // The body actually sent still carries the secret.
        assert!(request.body_text().unwrap().contains("battery"));
    }

    #[test]
    fn debug_masks_the_body() {
        let request = Request::new(Method::Patch, "/api/security/key-managers/1").with_json(
            &json!({"onboard": {"existing_passphrase": "old secret passphrase of 32 chars!",
                                           "passphrase": "new secret passphrase of 32 chars!"}}),
        );
        let printed = format!("{request:?}");
        assert!(
            printed.contains("/api/security/key-managers/1"),
            "{printed}"
        );
        assert!(!printed.contains("secret passphrase"), "{printed}");
    }

    #[test]
    fn follow_keeps_the_next_links_query() {
        let r = Request::follow(
            "/api/security/certificates?start.uuid=abc&max_records=2&fields=name%2Cuuid",
        );
        assert_eq!(r.path, "/api/security/certificates");
        assert_eq!(r.query[2], ("fields".into(), "name,uuid".into()));
        assert_eq!(r.method, Method::Get);
    }

    #[test]
    fn json_form_masks_secrets_and_reads_back() {
        let request = Request::new(Method::Post, "/api/security/key-managers")
            .with_param("return_records", "true")
            .with_json(&json!({"onboard": {"passphrase": "correct horse battery staple 123456"}}));
        let value = serde_json::to_value(&request).unwrap();
        assert_eq!(
            value,
            json!({"method": "POST", "path": "/api/security/key-managers",
                   "query": [["return_records", "true"]],
                   "body": {"onboard": {"passphrase": "********"}}})
        );
        let back: Request = serde_json::from_value(value).unwrap();
        assert_eq!(back.method, Method::Post);
        assert_eq!(back.query, request.query);
        assert_eq!(back.masked_body(), request.masked_body());
        let bare: Request =
            serde_json::from_value(json!({"method": "GET", "path": "/api/cluster"})).unwrap();
        assert_eq!(bare, Request::new(Method::Get, "/api/cluster"));
    }

    proptest! {
        #[test]
        fn encoded_segments_round_trip_and_contain_no_separators(s in ".*") {
            let encoded = encode_segment(&s);
            prop_assert!(!encoded.contains('/') && !encoded.contains('?') && !encoded.contains(':') && !encoded.contains('#'));
            prop_assert_eq!(decode_component(&encoded), Some(s));
        }

        #[test]
        fn query_pairs_round_trip(pairs in proptest::collection::vec(("[a-z_.]{1,12}", ".*"), 0..5)) {
            let mut request = Request::new(Method::Get, "/api/x");
            for (k, v) in &pairs { request = request.with_param(k.clone(), v.clone()); }
            let text = request.path_and_query();
            let query = text.split_once('?').map(|(_, q)| q).unwrap_or("");
            prop_assert_eq!(parse_query(query), pairs);
        }
    }
}
