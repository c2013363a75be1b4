//! Reads one cluster over HTTPS: core's [`reads`], all at once, collections paged through
//! `_links.next`, every answer bounded and decoded by core. Failures are classified so the
//! report can say, by cluster, what went wrong (unreachable, credentials refused, TLS refused).

use std::collections::HashMap;
use std::time::Duration;

use ontap_core::audit::{reads, Snapshot};
use ontap_core::{ApiError, Collection, Request};
use serde::de::DeserializeOwned;
use serde::Serialize;
use url::Url;

use super::targets::Target;
use crate::cli::Trust;
use crate::tls::{self, CaFileError};

/// A cluster that does not connect in this time is reported unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// One answer (a page of certificates included) must arrive in this time.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Larger answers are refused (a certificate page of 1,000 records is about 2 MB).
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// At most this many pages per collection (10 million certificates at 1,000 a page).
pub const MAX_PAGES: usize = 10_000;

/// Why a cluster could not be audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum FetchError {
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("the TLS connection was refused: {0}")]
    Tls(String),
    #[error("the cluster refused the user name or password (HTTP 401)")]
    Unauthorized,
    #[error("{path} was refused: {message}")]
    Refused { path: String, message: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// Builds per-cluster HTTP clients from TLS configurations built once per trust.
pub struct Clients {
    configs: HashMap<Trust, rustls::ClientConfig>,
}

impl Clients {
    /// The TLS configurations every target needs (a CA file that cannot be read is refused here).
    pub fn for_targets(targets: &[Target]) -> Result<Clients, CaFileError> {
        let mut configs = HashMap::new();
        for target in targets {
            if !configs.contains_key(&target.trust) {
                configs.insert(target.trust.clone(), tls::client_config(&target.trust)?);
            }
        }
        Ok(Clients { configs })
    }

    /// A client of its own for `target`: its connections close when its audit ends, so a fleet
    /// of thousands keeps only the clusters in progress open.
    pub fn client(&self, target: &Target) -> Result<reqwest::Client, FetchError> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            // The management network is reached directly; credentials go to no proxy server.
            .no_proxy()
            .user_agent(concat!("ontap-console/", env!("CARGO_PKG_VERSION")));
        if let Some(config) = self.configs.get(&target.trust) {
            builder = builder.use_preconfigured_tls(config.clone());
        }
        builder
            .build()
            .map_err(|e| FetchError::Unreachable(innermost_cause(&e)))
    }
}

/// One cluster's API, signed in.
struct Session<'a> {
    client: &'a reqwest::Client,
    target: &'a Target,
}

/// Reads everything the audit needs from `target`.
pub async fn snapshot(clients: &Clients, target: &Target) -> Result<Snapshot, FetchError> {
    let client = clients.client(target)?;
    let session = Session {
        client: &client,
        target,
    };
    let r = reads();
    let (cluster, security, ipsec, key_managers, certificates) = tokio::join!(
        session.one(&r.cluster),
        session.one(&r.security),
        session.optional(&r.ipsec),
        session.all(&r.key_managers),
        session.all(&r.certificates),
    );
    Ok(Snapshot {
        cluster: cluster?,
        security: security?,
        ipsec: ipsec?,
        key_managers: key_managers?,
        certificates: certificates?,
    })
}

/// Reads one resource as core decodes it, for `get`.
pub async fn read_one<T: DeserializeOwned>(
    clients: &Clients,
    target: &Target,
    request: &Request,
) -> Result<T, FetchError> {
    let client = clients.client(target)?;
    Session {
        client: &client,
        target,
    }
    .one(request)
    .await
}

/// Reads one resource that older releases lack: `None` on 404 (IPsec before 9.8).
pub async fn read_optional<T: DeserializeOwned>(
    clients: &Clients,
    target: &Target,
    request: &Request,
) -> Result<Option<T>, FetchError> {
    let client = clients.client(target)?;
    Session {
        client: &client,
        target,
    }
    .optional(request)
    .await
}

/// Reads every page of a collection, for `get`.
pub async fn read_all<T: DeserializeOwned>(
    clients: &Clients,
    target: &Target,
    request: &Request,
) -> Result<Vec<T>, FetchError> {
    let client = clients.client(target)?;
    Session {
        client: &client,
        target,
    }
    .all(request)
    .await
}

impl Session<'_> {
    async fn one<T: DeserializeOwned>(&self, request: &Request) -> Result<T, FetchError> {
        self.decoded(request).await.map_err(|e| e.1)
    }

    /// `None` when the resource does not exist on this release (404).
    async fn optional<T: DeserializeOwned>(
        &self,
        request: &Request,
    ) -> Result<Option<T>, FetchError> {
        match self.decoded(request).await {
            Ok(value) => Ok(Some(value)),
            Err((Some(404), _)) => Ok(None),
            Err((_, e)) => Err(e),
        }
    }

    async fn all<T: DeserializeOwned>(&self, first: &Request) -> Result<Vec<T>, FetchError> {
        let mut records = Vec::new();
        let mut next = Some(first.clone());
        for _ in 0..MAX_PAGES {
            let Some(request) = next.take() else {
                return Ok(records);
            };
            let page: Collection<T> = self.one(&request).await?;
            next = page.next_href().map(Request::follow);
            records.extend(page.records);
        }
        Err(FetchError::Invalid {
            path: first.path.clone(),
            message: format!("more than {MAX_PAGES} pages"),
        })
    }

    /// The decoded answer, or the failure with the HTTP status when there was one.
    async fn decoded<T: DeserializeOwned>(
        &self,
        request: &Request,
    ) -> Result<T, (Option<u16>, FetchError)> {
        let url = endpoint(&self.target.url, request);
        let mut answer = self
            .client
            .get(url)
            .basic_auth(&self.target.user, Some(self.target.password.expose()))
            .header("Accept", "application/hal+json")
            .send()
            .await
            .map_err(|e| (None, transport(&e)))?;
        let status = answer.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = answer
            .chunk()
            .await
            .map_err(|e| (Some(status), transport(&e)))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err((
                    Some(status),
                    FetchError::Invalid {
                        path: request.path.clone(),
                        message: format!("the answer is larger than {MAX_RESPONSE_BYTES} bytes"),
                    },
                ));
            }
            body.extend_from_slice(&chunk);
        }
        let text = String::from_utf8_lossy(&body);
        ontap_core::decode::<T>(status, &text).map_err(|e| (Some(status), api_error(request, &e)))
    }
}

/// `base` + the request's path and query.
pub(crate) fn endpoint(base: &Url, request: &Request) -> String {
    format!(
        "{}{}",
        base.as_str().trim_end_matches('/'),
        request.path_and_query()
    )
}

pub(crate) fn api_error(request: &Request, error: &ApiError) -> FetchError {
    if error.is_unauthorized() {
        return FetchError::Unauthorized;
    }
    match error {
        ApiError::Decode { .. } => FetchError::Invalid {
            path: request.path.clone(),
            message: error.to_string(),
        },
        _ => FetchError::Refused {
            path: request.path.clone(),
            message: format!("HTTP {}: {error}", error.status()),
        },
    }
}

/// Unreachable or TLS refused, with the innermost cause (reqwest's causes name the address
/// and the failure, never a header or the password).
pub(crate) fn transport(error: &reqwest::Error) -> FetchError {
    let mut current: &(dyn std::error::Error + 'static) = error;
    let mut tls = false;
    loop {
        if current.downcast_ref::<rustls::Error>().is_some() {
            tls = true;
        }
        match current.source() {
            Some(source) => current = source,
            None => break,
        }
    }
    let cause = innermost_cause(error);
    if tls || cause.contains("certificate") {
        FetchError::Tls(cause)
    } else if error.is_timeout() {
        FetchError::Unreachable(format!("no answer in time ({cause})"))
    } else {
        FetchError::Unreachable(cause)
    }
}

fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string().trim_end_matches('.').to_owned()
}
