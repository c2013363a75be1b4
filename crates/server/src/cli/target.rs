//! The cluster address and the trust in its certificate, shared by `serve`, `audit` and `get`.

use std::path::PathBuf;

use url::Url;

use super::UsageError;

/// How the cluster's TLS certificate is verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Trust {
    /// The operating system's root certificates.
    SystemRoots,
    /// Only the certificates in this PEM file.
    CaFile(PathBuf),
    /// No verification at all (`--insecure`).
    Insecure,
}

/// Accepts `https://host[:port]` (and `http://` for a loopback host, which is how tests and
/// local tunnels run); refuses paths, queries and credentials in the URL.
pub(crate) fn parse_cluster_url(raw: &str) -> Result<Url, UsageError> {
    let invalid = |why: &str| {
        UsageError::invalid(format!(
            "--cluster must be the cluster management address, like https://cluster1.example.com \
             or https://192.0.2.10: {why}"
        ))
    };
    // A bare host name is what admins type most; assume https for it.
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "credentials do not belong in the address (sign in in the browser)",
        ));
    }
    if url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("give the address alone, without a path or query"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(invalid(
                "plain http would send the credentials in clear; use https",
            ))
        }
        other => return Err(invalid(&format!("unsupported scheme {other}"))),
    }
    Ok(url)
}

pub(super) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}
